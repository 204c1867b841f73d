import { Alert } from "@/components/Alert.tsx";

/**
 * A panel listing what an admin page manages: its heading, the status line for the last change,
 * the error, "Loading…" until the first answer, `empty` for an empty list, else a table of
 * `columns` (phone layout: each row a card, cells labelled) with `children` as its rows.
 */
export function ListPanel({
  id,
  heading,
  caption,
  noun,
  columns,
  count,
  done,
  error,
  empty,
  children,
}: {
  id: string;
  heading: React.ReactNode;
  caption: string;
  noun: string;
  columns: readonly string[];
  count: number | null;
  done: string;
  error: string | null;
  empty?: string;
  children: React.ReactNode;
}) {
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      <p role="status" className="progress">
        {done}
      </p>
      <Alert message={error} />
      {count === null && !error && <p role="status">Loading {noun}…</p>}
      {count === 0 && empty && <p>{empty}</p>}
      {count !== null && (count > 0 || !empty) && (
        <div className="table-scroll">
          <table className="cards">
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{children}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

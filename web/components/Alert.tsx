/** An error in words, announced to screen readers as soon as it appears. */
export function Alert({ message, children }: { message: string | null; children?: React.ReactNode }) {
  if (!message) return null;
  return (
    <div className="alert" role="alert">
      <p>{message}</p>
      {children}
    </div>
  );
}

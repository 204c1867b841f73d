import Link from "next/link";

export const metadata = { title: "Signed out" };

export default function SignedOut() {
  return (
    <section className="panel">
      <h1>You have signed out</h1>
      <p>Your session has ended on this device.</p>
      <p>
        <Link href="/">Sign in again</Link>
      </p>
    </section>
  );
}

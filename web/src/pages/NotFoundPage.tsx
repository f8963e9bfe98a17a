import { Link } from '../router.tsx';

export function NotFoundPage({ path }: { path: string }) {
  return (
    <section className="panel">
      <h1>Not found</h1>
      <p>
        There is no page at <code>{path}</code>. <Link to="/">Back to the queue</Link>.
      </p>
    </section>
  );
}

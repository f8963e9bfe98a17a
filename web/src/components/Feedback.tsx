// Error, loading and empty states shared by the pages.
export function ErrorBanner({ message, onRetry }: { message: string | undefined; onRetry?: () => void }) {
  if (!message) return null;
  return (
    <div className="error-banner" role="alert">
      <span>{message}</span>
      {onRetry ? (
        <button type="button" className="link-button" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" aria-busy="true">
      {label}
    </div>
  );
}

export function Empty({ children }: { children: string }) {
  return <div className="empty">{children}</div>;
}

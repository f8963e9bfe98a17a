// Sign in with e-mail and password; the server sets the session cookie and returns the CSRF token.
import { type FormEvent, useState } from 'react';
import { api, errorMessage, type Session } from '../api/index.ts';

export function LoginPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    api
      .login(email.trim(), password)
      .then(onSignedIn)
      .catch((failure: unknown) => setError(errorMessage(failure)))
      .finally(() => setBusy(false));
  };

  return (
    <div className="login-screen">
      <form className="login-card" onSubmit={submit} aria-label="Sign in">
        <div className="brand brand-large">
          refund<strong>guard</strong>
        </div>
        <p className="muted">Investigator console: sign in to work the fraud queue.</p>
        <label>
          E-mail
          <input
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {error ? (
          <div className="form-error" role="alert">
            {error}
          </div>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}

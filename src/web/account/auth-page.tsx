import { useEffect, useRef, useState } from 'react';
import { describeError, fieldOf } from '../errors.js';
import { FieldError, TextField } from '../forms.js';
import { Link } from '../link.js';
import { authPath, boardPath, navigate, returnPath } from '../router.js';
import { session, useUser } from '../session.js';
import { invitedBoard } from './invite-page.js';

const FIELDS = ['username', 'password', 'displayName'];

/**
 * `/signin` and `/signup`: both send the user back where they came from (`?next=`, a path of this
 * site, with the page's fragment carried back, e.g. an invitation's `/invite#<token>`).
 */
export function AuthPage({ mode }: { mode: 'signin' | 'signup' }) {
  const user = useUser();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<{ text: string; field: string | undefined }>();
  const [busy, setBusy] = useState(false);
  const signingUp = mode === 'signup';
  const back = returnPath();
  const invitation = back.startsWith('/invite#') ? back.slice('/invite#'.length) : undefined;
  // Where to go once signed in: back, or (after a sign-up that took an invitation) its board.
  const destination = useRef<string>(undefined);

  useEffect(() => {
    document.title = `${signingUp ? 'Sign up' : 'Sign in'} · Liveboard`;
  }, [signingUp]);

  // Signed in (just now, or already): on to where the user was going.
  useEffect(() => {
    if (user) navigate(destination.current ?? back, { replace: true });
  }, [user, back]);

  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      if (signingUp) {
        // A sign-up with an invitation joins its board there and then.
        const board = invitation ? invitedBoard(invitation) : undefined;
        destination.current = board ? boardPath(board) : undefined;
        await session.signUp({
          username: username.trim(),
          password,
          ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
          ...(invitation ? { invitation } : {}),
        });
      } else {
        await session.signIn({ username: username.trim(), password });
      }
    } catch (failure) {
      destination.current = undefined;
      setError({ text: describeError(failure), field: fieldOf(failure) });
      setBusy(false);
    }
  };

  const errorOf = (field: string): string | undefined => (error?.field === field ? error.text : undefined);
  const other = signingUp ? 'signin' : 'signup';

  return (
    <div className="auth-page">
      <Link to="/" className="brand brand-small">
        <span className="brand-mark" aria-hidden="true" />
        Liveboard
      </Link>
      <main className="auth-card">
        <h1>{signingUp ? 'Create your account' : 'Sign in'}</h1>
        {invitation && (
          <p className="muted" data-testid="auth-invitation-note">
            {signingUp ? 'Create an account' : 'Sign in'} to accept your invitation; you will come back to it.
          </p>
        )}
        <form onSubmit={(event) => void submit(event)} data-testid={`${mode}-form`}>
          <TextField
            label="Username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            maxLength={39}
            value={username}
            hint={signingUp ? 'Lower-case letters, digits and dashes.' : undefined}
            error={errorOf('username')}
            testId="username-input"
            onChange={(event) => setUsername(event.target.value)}
          />
          {signingUp && (
            <TextField
              label={
                <>
                  Display name <span className="muted">(optional)</span>
                </>
              }
              name="displayName"
              autoComplete="name"
              maxLength={64}
              value={displayName}
              error={errorOf('displayName')}
              testId="display-name-input"
              onChange={(event) => setDisplayName(event.target.value)}
            />
          )}
          <TextField
            label="Password"
            type="password"
            name="password"
            autoComplete={signingUp ? 'new-password' : 'current-password'}
            required
            minLength={signingUp ? 8 : undefined}
            maxLength={128}
            value={password}
            hint={signingUp ? 'At least 8 characters.' : undefined}
            error={errorOf('password')}
            testId="password-input"
            onChange={(event) => setPassword(event.target.value)}
          />
          <FieldError
            error={error && !FIELDS.includes(error.field ?? '') ? error.text : undefined}
            testId="auth-error"
          />
          <button type="submit" className="button primary wide" disabled={busy} data-testid="auth-submit">
            {busy ? (signingUp ? 'Creating…' : 'Signing in…') : signingUp ? 'Create account' : 'Sign in'}
          </button>
        </form>
        <p className="auth-switch">
          {signingUp ? 'Already have an account? ' : 'New here? '}
          <Link to={authPath(other, back)} data-testid={`${other}-switch`}>
            {signingUp ? 'Sign in' : 'Create an account'}
          </Link>
        </p>
      </main>
    </div>
  );
}

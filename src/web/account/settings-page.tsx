import { useEffect, useRef, useState } from 'react';
import { describeError, fieldOf } from '../errors.js';
import { copyText, FieldError, TextField } from '../forms.js';
import { authPath, navigate } from '../router.js';
import { session, useUser } from '../session.js';
import { client, LiveboardApiError, type ApiToken, type TokenScope, type User } from '../sdk.js';
import { SiteHeader } from './site-header.js';

/** `/settings`: display name, password, API tokens, and signing out everywhere. */
export function SettingsPage() {
  const user = useUser();

  useEffect(() => {
    document.title = 'Settings · Liveboard';
  }, []);
  useEffect(() => {
    if (user === null) navigate(authPath('signin', '/settings'), { replace: true });
  }, [user]);

  return (
    <div className="home settings">
      <SiteHeader />
      <main className="home-main">
        <h1 className="page-title">Settings</h1>
        {user ? (
          <>
            <ProfileSection user={user} />
            <PasswordSection />
            <TokensSection />
            <SignOutEverywhereSection />
          </>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </main>
    </div>
  );
}

function ProfileSection({ user }: { user: User }) {
  const [displayName, setDisplayName] = useState(user.displayName);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);

  const save = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setSaved(false);
    try {
      session.updated(await client.updateMe({ displayName: displayName.trim() }));
      setSaved(true);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile</h2>
      <p className="muted">
        Your username is <strong>@{user.username}</strong>. It is how others add you to their boards.
      </p>
      <form className="inline-form" onSubmit={(event) => void save(event)}>
        <TextField
          label="Display name"
          autoComplete="name"
          maxLength={64}
          value={displayName}
          hint="Shown instead of your username; leave empty to show your username."
          error={error}
          testId="settings-display-name"
          onChange={(event) => {
            setDisplayName(event.target.value);
            setSaved(false);
          }}
        />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy} data-testid="save-display-name">
            Save
          </button>
          {saved && (
            <span className="saved" role="status">
              Saved
            </span>
          )}
        </div>
      </form>
    </section>
  );
}

function PasswordSection() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; field: string | undefined }>();
  const [done, setDone] = useState(false);

  const save = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setDone(false);
    try {
      await client.changePassword({ currentPassword: current, newPassword: next });
      setCurrent('');
      setNext('');
      setDone(true);
    } catch (failure) {
      // A wrong current password is said at that field; the server's field otherwise.
      const wrong = failure instanceof LiveboardApiError && failure.code === 'invalid_credentials';
      const field = wrong ? 'currentPassword' : fieldOf(failure);
      setError({
        text: wrong ? 'That is not your current password.' : describeError(failure),
        field: field === 'password' ? 'newPassword' : field,
      });
    } finally {
      setBusy(false);
    }
  };
  const errorOf = (field: string): string | undefined => (error?.field === field ? error.text : undefined);

  return (
    <section className="panel" aria-labelledby="password-heading">
      <h2 id="password-heading">Password</h2>
      <form onSubmit={(event) => void save(event)} data-testid="password-form">
        <div className="field-row">
          <TextField
            label="Current password"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            error={errorOf('currentPassword')}
            testId="current-password"
            onChange={(event) => setCurrent(event.target.value)}
          />
          <TextField
            label="New password"
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            maxLength={128}
            value={next}
            hint="At least 8 characters."
            error={errorOf('newPassword')}
            testId="new-password"
            onChange={(event) => setNext(event.target.value)}
          />
        </div>
        <FieldError
          error={
            error && !['currentPassword', 'newPassword'].includes(error.field ?? '') ? error.text : undefined
          }
          testId="password-error"
        />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy} data-testid="change-password">
            Change password
          </button>
          {done && (
            <span className="saved" role="status" data-testid="password-changed">
              Changed. Your other sessions were signed out.
            </span>
          )}
        </div>
      </form>
    </section>
  );
}

const EXPIRY_CHOICES: { label: string; days: number | undefined }[] = [
  { label: '7 days', days: 7 },
  { label: '30 days', days: 30 },
  { label: '90 days', days: 90 },
  { label: '1 year', days: 365 },
  { label: 'Never', days: undefined },
];

function TokensSection() {
  const [tokens, setTokens] = useState<ApiToken[]>();
  const [loadError, setLoadError] = useState<string>();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<TokenScope>('read');
  const [expiry, setExpiry] = useState('30 days');
  const [busy, setBusy] = useState(false);
  const [createError, setCreateError] = useState<string>();
  const [created, setCreated] = useState<{ token: ApiToken; secret: string }>();
  const [copied, setCopied] = useState(false);
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const secretRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    client.listTokens().then(setTokens, (failure: unknown) => setLoadError(describeError(failure)));
  }, []);

  const create = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    if (!name.trim()) return;
    setBusy(true);
    setCreateError(undefined);
    setCopied(false);
    try {
      const days = EXPIRY_CHOICES.find((choice) => choice.label === expiry)?.days;
      const made = await client.createToken({
        name: name.trim(),
        scope,
        ...(days === undefined ? {} : { expiresInDays: days }),
      });
      setCreated(made);
      setTokens((current) => [...(current ?? []), made.token]);
      setName('');
    } catch (failure) {
      setCreateError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (token: ApiToken): Promise<void> => {
    setRowErrors(({ [token.id]: _dropped, ...rest }) => rest);
    try {
      await client.revokeToken(token.id);
      setTokens((current) => current?.filter((candidate) => candidate.id !== token.id));
      if (created?.token.id === token.id) setCreated(undefined);
    } catch (failure) {
      setRowErrors((current) => ({ ...current, [token.id]: describeError(failure) }));
    }
  };

  return (
    <section className="panel" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <p className="muted">
        For the <code>liveboard</code> command line and programs using the SDK. A token acts as you: keep it
        secret.
      </p>
      {created && (
        <div className="secret-box" role="status" data-testid="new-token">
          <p>
            <strong>Copy “{created.token.name}” now.</strong> It will not be shown again.
          </p>
          <div className="copy-row">
            <label htmlFor="new-token-secret" className="visually-hidden">
              The new token
            </label>
            <input
              id="new-token-secret"
              ref={secretRef}
              className="text-input mono"
              readOnly
              value={created.secret}
              data-testid="token-secret"
              onFocus={(event) => event.target.select()}
            />
            <button
              type="button"
              className="button"
              data-testid="copy-token"
              onClick={() => void copyText(created.secret, secretRef.current).then(setCopied)}
            >
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
        </div>
      )}
      {loadError && <FieldError error={loadError} />}
      {tokens && tokens.length === 0 && <p className="muted">No tokens yet.</p>}
      {tokens && tokens.length > 0 && (
        <ul className="rows" data-testid="token-list">
          {tokens.map((token) => (
            <li key={token.id} className="row" data-testid="token-row">
              <div className="row-main">
                <span className="row-title">{token.name}</span>
                <span className="row-meta">
                  <span className="badge">{token.scope === 'write' ? 'Read and write' : 'Read only'}</span>{' '}
                  Made {formatDate(token.createdAt)} ·{' '}
                  {token.expiresAt ? `expires ${formatDate(token.expiresAt)}` : 'never expires'} ·{' '}
                  {token.lastUsedAt ? `last used ${formatDate(token.lastUsedAt)}` : 'never used'}
                </span>
                <FieldError error={rowErrors[token.id]} />
              </div>
              <button
                type="button"
                className="button danger small"
                aria-label={`Revoke token “${token.name}”`}
                data-testid="revoke-token"
                onClick={() => void revoke(token)}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="token-form" onSubmit={(event) => void create(event)} data-testid="token-form">
        <h3>New token</h3>
        <div className="field-row">
          <TextField
            label="Name"
            required
            maxLength={100}
            placeholder="e.g. laptop CLI"
            value={name}
            testId="token-name"
            onChange={(event) => setName(event.target.value)}
          />
          <div className="field">
            <label htmlFor="token-scope">Scope</label>
            <select
              id="token-scope"
              className="select"
              value={scope}
              data-testid="token-scope"
              onChange={(event) => setScope(event.target.value as TokenScope)}
            >
              <option value="read">Read only</option>
              <option value="write">Read and write</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="token-expiry">Expires after</label>
            <select
              id="token-expiry"
              className="select"
              value={expiry}
              data-testid="token-expiry"
              onChange={(event) => setExpiry(event.target.value)}
            >
              {EXPIRY_CHOICES.map((choice) => (
                <option key={choice.label} value={choice.label}>
                  {choice.label}
                </option>
              ))}
            </select>
          </div>
        </div>
        <FieldError error={createError} testId="token-error" />
        <div className="form-actions">
          <button
            type="submit"
            className="button primary"
            disabled={busy || !name.trim()}
            data-testid="create-token"
          >
            Create token
          </button>
        </div>
      </form>
    </section>
  );
}

function SignOutEverywhereSection() {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const signOutEverywhere = async (): Promise<void> => {
    if (!confirming) return setConfirming(true);
    setError(undefined);
    try {
      await session.signOutEverywhere();
      navigate(authPath('signin', '/settings'), { replace: true });
    } catch (failure) {
      setError(describeError(failure));
      setConfirming(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Sessions</h2>
      <p className="muted">
        Sign out of Liveboard in every browser and on every device, this one included. API tokens keep
        working.
      </p>
      <button
        type="button"
        className={`button danger${confirming ? ' is-confirming' : ''}`}
        data-testid="sign-out-everywhere"
        onClick={() => void signOutEverywhere()}
        onBlur={() => setConfirming(false)}
      >
        {confirming ? 'Sign out everywhere now?' : 'Sign out everywhere'}
      </button>
      <FieldError error={error} />
    </section>
  );
}

function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

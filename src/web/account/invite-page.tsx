import { useEffect, useState } from 'react';
import { describeError } from '../errors.js';
import { Link } from '../link.js';
import { authPath, boardPath, navigate } from '../router.js';
import { nameOf, useUser } from '../session.js';
import { client, LiveboardApiError, type InvitationPreview } from '../sdk.js';
import { ROLE_WORDS } from '../roles.js';

/**
 * `/invite#<token>`: what the invitation is for (the board, the role, who invites), and the way in:
 * accept when signed in, or sign in or sign up first and come back here (the token stays in the
 * fragment all along, so it never reaches the server's logs by the URL).
 */
export function InvitePage() {
  const user = useUser();
  const token = decodeURIComponent(window.location.hash.slice(1));
  const [preview, setPreview] = useState<InvitationPreview>();
  const [loadError, setLoadError] = useState<string>();
  const [acceptError, setAcceptError] = useState<string>();
  const [accepting, setAccepting] = useState(false);

  useEffect(() => {
    document.title = 'Invitation · Liveboard';
    if (!token) return;
    let live = true;
    client.previewInvitation(token).then(
      (found) => {
        rememberInvitation(token, found.boardId);
        if (live) setPreview(found);
      },
      (failure: unknown) => live && setLoadError(describeError(failure)),
    );
    return () => {
      live = false;
    };
  }, [token]);

  const accept = async (): Promise<void> => {
    setAccepting(true);
    setAcceptError(undefined);
    try {
      const { boardId } = await client.acceptInvitation(token);
      navigate(boardPath(boardId), { replace: true });
    } catch (failure) {
      // Already a member: the board is theirs to open anyway.
      if (failure instanceof LiveboardApiError && failure.code === 'already_member' && preview) {
        navigate(boardPath(preview.boardId), { replace: true });
        return;
      }
      setAcceptError(describeError(failure));
      setAccepting(false);
    }
  };

  const here = `/invite#${token}`;
  return (
    <div className="auth-page">
      <Link to="/" className="brand brand-small">
        <span className="brand-mark" aria-hidden="true" />
        Liveboard
      </Link>
      <main className="auth-card" aria-busy={!preview && !loadError && Boolean(token)}>
        {!token ? (
          <>
            <h1>This invitation link is incomplete</h1>
            <p className="muted">Ask for the link again, and open it whole.</p>
          </>
        ) : loadError ? (
          <>
            <h1>This invitation cannot be used</h1>
            <p className="field-error" role="alert" data-testid="invite-error">
              {loadError}
            </p>
            <Link to="/">All boards</Link>
          </>
        ) : !preview ? (
          <p className="muted">Looking at the invitation…</p>
        ) : (
          <>
            <p className="dialog-eyebrow">Invitation</p>
            <h1 data-testid="invite-board-title">{preview.boardTitle}</h1>
            <p data-testid="invite-summary">
              <strong>@{preview.invitedBy.username}</strong> invites you to this board as{' '}
              <strong>{ROLE_WORDS[preview.role].name.toLowerCase()}</strong>: you will be able to{' '}
              {ROLE_WORDS[preview.role].can}.
            </p>
            {user === undefined ? null : user ? (
              <>
                <button
                  type="button"
                  className="button primary wide"
                  disabled={accepting}
                  data-testid="accept-invitation"
                  onClick={() => void accept()}
                >
                  {accepting ? 'Joining…' : `Join as ${nameOf(user)}`}
                </button>
                {acceptError && (
                  <p className="field-error" role="alert" data-testid="accept-error">
                    {acceptError}
                  </p>
                )}
                <p className="auth-switch muted">
                  Not you? Sign out from the menu, then open this link again.
                </p>
              </>
            ) : (
              <div className="invite-actions">
                <Link
                  to={authPath('signin', here)}
                  className="button primary wide"
                  data-testid="invite-sign-in"
                >
                  Sign in to join
                </Link>
                <Link to={authPath('signup', here)} className="button wide" data-testid="invite-sign-up">
                  Create an account
                </Link>
              </div>
            )}
          </>
        )}
      </main>
    </div>
  );
}

const REMEMBERED = 'liveboard-invitation';

/**
 * The board of the invitation last looked at in this tab: a sign-up made with an invitation joins
 * its board at once, so the sign-up page goes straight there (a link for one use is used up then,
 * and could not be previewed again).
 */
function rememberInvitation(token: string, boardId: string): void {
  try {
    sessionStorage.setItem(REMEMBERED, JSON.stringify({ token, boardId }));
  } catch {
    // Storage refused (private mode): the sign-up page comes back here instead.
  }
}

export function invitedBoard(token: string): string | undefined {
  try {
    const stored = JSON.parse(sessionStorage.getItem(REMEMBERED) ?? 'null') as {
      token?: unknown;
      boardId?: unknown;
    } | null;
    return stored?.token === token && typeof stored.boardId === 'string' ? stored.boardId : undefined;
  } catch {
    return undefined;
  }
}

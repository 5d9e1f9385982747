import type { Permissions } from '../../domain/index.js';
import { Link } from '../link.js';
import { authPath, boardPath } from '../router.js';
import type { Ended } from './use-live-board.js';

/**
 * The line under the header that says why the board cannot be changed: it stopped (access lost,
 * signed out), or the user may only look. Nothing when they may edit.
 */
export function AccessBanner({
  boardId,
  ended,
  permissions,
  signedIn,
}: {
  boardId: string;
  ended: Ended | undefined;
  permissions: Permissions;
  signedIn: boolean;
}) {
  const signIn = (
    <Link to={authPath('signin', boardPath(boardId))} className="banner-link" data-testid="banner-sign-in">
      Sign in
    </Link>
  );
  if (ended === 'access_lost') {
    return (
      <div className="banner banner-error" role="alert" data-testid="access-lost">
        <span>You no longer have access to this board.</span>
        <Link to="/" className="banner-link">
          All boards
        </Link>
      </div>
    );
  }
  if (ended === 'signed_out') {
    return (
      <div className="banner banner-error" role="alert" data-testid="signed-out">
        <span>You were signed out. This board is no longer live.</span>
        {signIn}
      </div>
    );
  }
  if (permissions.edit) return null;
  return (
    <div className="banner" role="status" data-testid="read-only-banner">
      {signedIn ? (
        <span>You can view this board. Ask an owner to edit.</span>
      ) : (
        <>
          <span>You can view this board.</span> {signIn}
          <span className="banner-after"> to edit.</span>
        </>
      )}
    </div>
  );
}

import { Link } from '../link.js';
import { UserMenu } from './user-menu.js';

/** The top of the home and settings pages: the brand (home) and the account corner. */
export function SiteHeader({ home = false }: { home?: boolean }) {
  return (
    <header className="site-header">
      {home ? (
        <h1 className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Liveboard
        </h1>
      ) : (
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Liveboard
        </Link>
      )}
      <UserMenu />
    </header>
  );
}

import { useEffect, useId, useRef, useState } from 'react';
import { describeError } from '../errors.js';
import { Link } from '../link.js';
import { authPath, navigate } from '../router.js';
import { nameOf, session, useUser } from '../session.js';

/**
 * The header's account corner: the signed-in user's name with a menu (settings, sign out), or the
 * "Sign in" and "Sign up" links, which come back to this page.
 */
export function UserMenu() {
  const user = useUser();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const menuId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    rootRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onPointer = (event: PointerEvent): void => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  if (user === undefined) return <div className="user-corner" aria-hidden="true" />;
  if (user === null) {
    return (
      <nav className="user-corner" aria-label="Account">
        <Link to={authPath('signin')} className="header-link" data-testid="sign-in-link">
          Sign in
        </Link>
        <Link to={authPath('signup')} className="button primary small" data-testid="sign-up-link">
          Sign up
        </Link>
      </nav>
    );
  }

  const close = (): void => {
    setOpen(false);
    buttonRef.current?.focus();
  };
  const signOut = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await session.signOut();
      setOpen(false);
      navigate('/');
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };
  const onKeyDown = (event: React.KeyboardEvent): void => {
    const items = [...(rootRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'Escape' && open) {
      event.stopPropagation();
      close();
    } else if (open && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      items[(index + step + items.length) % items.length]?.focus();
    } else if (open && event.key === 'Tab') {
      setOpen(false);
    }
  };

  const name = nameOf(user);
  return (
    <div className="user-corner user-menu" ref={rootRef} onKeyDown={onKeyDown}>
      <button
        ref={buttonRef}
        type="button"
        className="user-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        data-testid="user-menu-button"
        onClick={() => setOpen((value) => !value)}
      >
        <span className="avatar" aria-hidden="true">
          {name.charAt(0).toUpperCase()}
        </span>
        {/* Named by its visible text, so that what a voice-control user reads out is its name. */}
        <span className="visually-hidden">Account: </span>
        <span className="user-name" data-testid="user-name">
          {name}
        </span>
      </button>
      {open && (
        <div className="menu user-menu-list" role="menu" id={menuId} aria-label="Account">
          <p className="menu-note" role="none">
            Signed in as <strong>@{user.username}</strong>
          </p>
          <Link to="/settings" role="menuitem" data-testid="settings-link" onClick={() => setOpen(false)}>
            Settings
          </Link>
          <button
            type="button"
            role="menuitem"
            data-testid="sign-out"
            disabled={busy}
            onClick={() => void signOut()}
          >
            {busy ? 'Signing out…' : 'Sign out'}
          </button>
          {error && (
            <p className="menu-note field-error" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

import { useEffect, useRef, useState } from 'react';
import {
  permissionsOf,
  ROLES,
  VISIBILITIES,
  type Board,
  type Member,
  type Role,
  type Visibility,
} from '../../domain/index.js';
import { describeError } from '../errors.js';
import { copyText, FieldError, TextField } from '../forms.js';
import { ROLE_WORDS, VISIBILITY_WORDS } from '../roles.js';
import { navigate } from '../router.js';
import { client, type Invitation, type User } from '../sdk.js';

interface ShareDialogProps {
  /** The board as it is now: its members and visibility follow the stream's events. */
  board: Board;
  user: User;
  onClose(): void;
}

/**
 * Who is on the board and who can see it. Owners change it all here: members (role, remove, add by
 * username), invitation links, visibility; any member may leave. Others see the members, read-only.
 * Every refusal of the server is said in words next to the control it is about.
 */
export function ShareDialog({ board, user, onClose }: ShareDialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const permissions = permissionsOf(board, user.id);
  const owner = permissions.manage;

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    // Focus the first thing to act on, not the close button.
    dialog?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
  }, []);

  return (
    <dialog
      ref={dialogRef}
      className="share-dialog"
      aria-labelledby="share-heading"
      data-testid="share-dialog"
      onClose={onClose}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        if (event.target === dialogRef.current) onClose();
      }}
    >
      <div className="dialog-head">
        <h2 id="share-heading">{owner ? `Share “${board.title}”` : `Members of “${board.title}”`}</h2>
        <button
          type="button"
          className="icon-button"
          aria-label="Close"
          data-testid="share-close"
          onClick={onClose}
        >
          ×
        </button>
      </div>
      <Members board={board} user={user} owner={owner} />
      {owner && <AddMember boardId={board.id} />}
      {owner && <Invitations boardId={board.id} />}
      <VisibilitySection board={board} owner={owner} />
      {permissions.role && <Leave board={board} user={user} />}
    </dialog>
  );
}

function Members({ board, user, owner }: { board: Board; user: User; owner: boolean }) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pending, setPending] = useState<Record<string, Role>>({});
  const [confirming, setConfirming] = useState<string>();

  const fail = (userId: string, failure: unknown): void =>
    setErrors((current) => ({ ...current, [userId]: describeError(failure) }));
  const clear = (userId: string): void => setErrors(({ [userId]: _dropped, ...rest }) => rest);

  const changeRole = async (member: Member, role: Role): Promise<void> => {
    clear(member.userId);
    setPending((current) => ({ ...current, [member.userId]: role }));
    try {
      await client.updateMember(board.id, member.userId, { role });
    } catch (failure) {
      fail(member.userId, failure);
    } finally {
      // The board's own event shows the new role; until then, the choice made.
      setPending(({ [member.userId]: _done, ...rest }) => rest);
    }
  };
  const remove = async (member: Member): Promise<void> => {
    if (confirming !== member.userId) return setConfirming(member.userId);
    setConfirming(undefined);
    clear(member.userId);
    try {
      await client.removeMember(board.id, member.userId);
    } catch (failure) {
      fail(member.userId, failure);
    }
  };

  return (
    <section className="dialog-section" aria-labelledby="members-heading">
      <h3 id="members-heading">Members</h3>
      {board.members.length === 0 ? (
        <p className="muted">No members: this board has no owner.</p>
      ) : (
        <ul className="rows" data-testid="member-list">
          {board.members.map((member) => {
            const self = member.userId === user.id;
            const selectId = `role-${member.userId}`;
            return (
              <li
                key={member.userId}
                className="row"
                data-testid="member-row"
                data-username={member.username}
              >
                <div className="row-main">
                  <span className="row-title">
                    @{member.username}
                    {self && <span className="muted"> (you)</span>}
                  </span>
                  <FieldError error={errors[member.userId]} testId="member-error" />
                </div>
                {owner ? (
                  <>
                    <label htmlFor={selectId} className="visually-hidden">
                      Role of @{member.username}
                    </label>
                    <select
                      id={selectId}
                      className="select"
                      value={pending[member.userId] ?? member.role}
                      data-testid="member-role"
                      onChange={(event) => void changeRole(member, event.target.value as Role)}
                    >
                      {ROLES.map((role) => (
                        <option key={role} value={role}>
                          {ROLE_WORDS[role].name}
                        </option>
                      ))}
                    </select>
                    {!self && (
                      <button
                        type="button"
                        className={`button small danger${confirming === member.userId ? ' is-confirming' : ''}`}
                        aria-label={
                          confirming === member.userId
                            ? `Confirm: remove @${member.username}`
                            : `Remove @${member.username}`
                        }
                        data-testid="remove-member"
                        onClick={() => void remove(member)}
                        onBlur={() => setConfirming(undefined)}
                      >
                        {confirming === member.userId ? 'Remove?' : 'Remove'}
                      </button>
                    )}
                  </>
                ) : (
                  <span className={`badge role-${member.role}`} data-testid="member-role-text">
                    {ROLE_WORDS[member.role].name}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function AddMember({ boardId }: { boardId: string }) {
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [added, setAdded] = useState<string>();

  const add = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    const name = username.trim().replace(/^@/, '');
    if (!name || busy) return;
    setBusy(true);
    setError(undefined);
    setAdded(undefined);
    try {
      const member = await client.addMember(boardId, { username: name, role });
      setAdded(`Added @${member.username} as ${ROLE_WORDS[member.role].name.toLowerCase()}.`);
      setUsername('');
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="dialog-section" aria-labelledby="add-member-heading">
      <h3 id="add-member-heading">Add someone</h3>
      <form className="add-member" onSubmit={(event) => void add(event)} data-testid="add-member-form">
        <TextField
          label="Username"
          className="grow"
          autoCapitalize="none"
          spellCheck={false}
          placeholder="username"
          value={username}
          error={error}
          testId="add-member-username"
          data-autofocus
          onChange={(event) => setUsername(event.target.value)}
        />
        <div className="field">
          <label htmlFor="add-member-role">Role</label>
          <select
            id="add-member-role"
            className="select"
            value={role}
            data-testid="add-member-role"
            onChange={(event) => setRole(event.target.value as Role)}
          >
            {ROLES.map((candidate) => (
              <option key={candidate} value={candidate}>
                {ROLE_WORDS[candidate].name}
              </option>
            ))}
          </select>
        </div>
        <button
          type="submit"
          className="button primary align-end"
          disabled={busy || !username.trim()}
          data-testid="add-member"
        >
          Add
        </button>
      </form>
      {added && (
        <p className="saved" role="status">
          {added}
        </p>
      )}
    </section>
  );
}

const INVITE_EXPIRY: { label: string; days: number | undefined }[] = [
  { label: '1 day', days: 1 },
  { label: '7 days', days: 7 },
  { label: '30 days', days: 30 },
  { label: 'Never', days: undefined },
];

function invitationUrl(token: string): string {
  return `${window.location.origin}/invite#${token}`;
}

function Invitations({ boardId }: { boardId: string }) {
  const [invitations, setInvitations] = useState<Invitation[]>();
  const [loadError, setLoadError] = useState<string>();
  const [role, setRole] = useState<Role>('editor');
  const [expiry, setExpiry] = useState('7 days');
  const [maxUses, setMaxUses] = useState('');
  const [label, setLabel] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  // The tokens of the links made here: the server shows a token once, when it makes the link.
  const [tokens, setTokens] = useState<Record<string, string>>({});
  const [latest, setLatest] = useState<string>();
  const [copied, setCopied] = useState<string>();
  const linkRef = useRef<HTMLInputElement>(null);

  const load = (): void => {
    client
      .listInvitations(boardId)
      .then(setInvitations, (failure: unknown) => setLoadError(describeError(failure)));
  };
  useEffect(load, [boardId]);

  const create = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    if (busy) return;
    const uses = maxUses.trim() ? Number(maxUses) : undefined;
    if (uses !== undefined && (!Number.isInteger(uses) || uses < 1)) {
      setError('Uses must be a whole number, 1 or more; leave it empty for no limit.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const days = INVITE_EXPIRY.find((choice) => choice.label === expiry)?.days;
      const made = await client.createInvitation(boardId, {
        role,
        ...(label.trim() ? { label: label.trim() } : {}),
        ...(days === undefined ? {} : { expiresInDays: days }),
        ...(uses === undefined ? {} : { maxUses: uses }),
      });
      setTokens((current) => ({ ...current, [made.invitation.id]: made.token }));
      setLatest(made.invitation.id);
      setInvitations((current) => [made.invitation, ...(current ?? [])]);
      setLabel('');
      setCopied(undefined);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (invitation: Invitation): Promise<void> => {
    setRowErrors(({ [invitation.id]: _dropped, ...rest }) => rest);
    try {
      await client.revokeInvitation(boardId, invitation.id);
      setInvitations((current) => current?.filter((candidate) => candidate.id !== invitation.id));
      if (latest === invitation.id) setLatest(undefined);
    } catch (failure) {
      setRowErrors((current) => ({ ...current, [invitation.id]: describeError(failure) }));
    }
  };

  const copy = async (id: string, input?: HTMLInputElement | null): Promise<void> => {
    const token = tokens[id];
    if (!token) return;
    if (await copyText(invitationUrl(token), input)) setCopied(id);
  };

  const active = invitations?.filter((invitation) => !invitation.revokedAt);
  const latestToken = latest ? tokens[latest] : undefined;

  return (
    <section className="dialog-section" aria-labelledby="invitations-heading">
      <h3 id="invitations-heading">Invitation links</h3>
      <p className="muted small-text">
        Anyone who opens a link and signs in joins with its role. The label is only for you: nothing is sent.
      </p>
      <form className="invite-form" onSubmit={(event) => void create(event)} data-testid="invite-form">
        <div className="field">
          <label htmlFor="invite-role">Role</label>
          <select
            id="invite-role"
            className="select"
            value={role}
            data-testid="invite-role"
            onChange={(event) => setRole(event.target.value as Role)}
          >
            {ROLES.map((candidate) => (
              <option key={candidate} value={candidate}>
                {ROLE_WORDS[candidate].name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="invite-expiry">Expires after</label>
          <select
            id="invite-expiry"
            className="select"
            value={expiry}
            data-testid="invite-expiry"
            onChange={(event) => setExpiry(event.target.value)}
          >
            {INVITE_EXPIRY.map((choice) => (
              <option key={choice.label} value={choice.label}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
        <TextField
          label="Uses"
          type="number"
          min={1}
          inputMode="numeric"
          placeholder="No limit"
          value={maxUses}
          testId="invite-uses"
          onChange={(event) => setMaxUses(event.target.value)}
        />
        <TextField
          label="Label"
          className="grow"
          maxLength={200}
          placeholder="e.g. ana@example.com"
          value={label}
          testId="invite-label"
          onChange={(event) => setLabel(event.target.value)}
        />
        <button
          type="submit"
          className="button primary align-end"
          disabled={busy}
          data-testid="create-invitation"
        >
          Create link
        </button>
      </form>
      <FieldError error={error} testId="invite-error" />
      {latest && latestToken && (
        <div className="secret-box" role="status" data-testid="new-invitation">
          <p>
            <strong>Copy this link now:</strong> it will not be shown again.
          </p>
          <div className="copy-row">
            <label htmlFor="invite-link" className="visually-hidden">
              Invitation link
            </label>
            <input
              id="invite-link"
              ref={linkRef}
              className="text-input mono"
              readOnly
              value={invitationUrl(latestToken)}
              data-testid="invite-link"
              onFocus={(event) => event.target.select()}
            />
            <button
              type="button"
              className="button"
              data-testid="copy-invite-link"
              onClick={() => void copy(latest, linkRef.current)}
            >
              {copied === latest ? 'Copied' : 'Copy'}
            </button>
          </div>
        </div>
      )}
      <FieldError error={loadError} />
      {active && active.length > 0 && (
        <ul className="rows" data-testid="invitation-list">
          {active.map((invitation) => (
            <li key={invitation.id} className="row" data-testid="invitation-row">
              <div className="row-main">
                <span className="row-title">
                  {invitation.label ?? 'Link'}{' '}
                  <span className={`badge role-${invitation.role}`}>{ROLE_WORDS[invitation.role].name}</span>
                </span>
                <span className="row-meta">{invitationState(invitation)}</span>
                <FieldError error={rowErrors[invitation.id]} />
              </div>
              {tokens[invitation.id] && (
                <button
                  type="button"
                  className="button small"
                  aria-label={`Copy the link “${invitation.label ?? invitation.role}”`}
                  data-testid="copy-invitation"
                  onClick={() => void copy(invitation.id)}
                >
                  {copied === invitation.id ? 'Copied' : 'Copy'}
                </button>
              )}
              <button
                type="button"
                className="button small danger"
                aria-label={`Revoke the link “${invitation.label ?? invitation.role}”`}
                data-testid="revoke-invitation"
                onClick={() => void revoke(invitation)}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function invitationState(invitation: Invitation): string {
  const uses =
    invitation.maxUses === null
      ? `used ${invitation.uses} ${invitation.uses === 1 ? 'time' : 'times'}`
      : `${invitation.uses} of ${invitation.maxUses} uses`;
  const expired = invitation.expiresAt !== null && Date.parse(invitation.expiresAt) <= Date.now();
  const usedUp = invitation.maxUses !== null && invitation.uses >= invitation.maxUses;
  const expiry = invitation.expiresAt
    ? `${expired ? 'expired' : 'expires'} ${new Date(invitation.expiresAt).toLocaleDateString()}`
    : 'never expires';
  return `${usedUp ? 'Used up' : uses} · ${expiry} · by @${invitation.createdBy.username}`;
}

function VisibilitySection({ board, owner }: { board: Board; owner: boolean }) {
  const [pending, setPending] = useState<{ visibility?: Visibility; listed?: boolean }>({});
  const [error, setError] = useState<string>();
  const visibility = pending.visibility ?? board.visibility;
  const listed = pending.listed ?? board.listed;

  const change = async (patch: { visibility?: Visibility; listed?: boolean }): Promise<void> => {
    setError(undefined);
    setPending(patch);
    try {
      await client.setAccess(board.id, patch);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setPending({});
    }
  };

  if (!owner) {
    return (
      <section className="dialog-section" aria-labelledby="visibility-heading">
        <h3 id="visibility-heading">Who can see it</h3>
        <p data-testid="visibility-text">
          <strong>{VISIBILITY_WORDS[board.visibility].name}.</strong>{' '}
          {VISIBILITY_WORDS[board.visibility].detail}
          {board.visibility !== 'private' &&
            (board.listed ? ' Listed on everyone’s home page.' : ' Not listed.')}
        </p>
      </section>
    );
  }
  return (
    <section className="dialog-section" aria-labelledby="visibility-heading">
      <fieldset className="choices" aria-describedby={error ? 'visibility-error' : undefined}>
        <legend id="visibility-heading">
          <h3>Who can see it</h3>
        </legend>
        {VISIBILITIES.map((choice) => (
          <label key={choice} className="choice">
            <input
              type="radio"
              name="visibility"
              value={choice}
              checked={visibility === choice}
              data-testid={`visibility-${choice}`}
              onChange={() => void change({ visibility: choice })}
            />
            <span>
              <strong>{VISIBILITY_WORDS[choice].name}</strong>
              <span className="muted"> {VISIBILITY_WORDS[choice].detail}</span>
            </span>
          </label>
        ))}
        <label className="choice">
          <input
            type="checkbox"
            checked={listed && visibility !== 'private'}
            disabled={visibility === 'private'}
            data-testid="listed"
            onChange={(event) => void change({ listed: event.target.checked })}
          />
          <span>
            <strong>Listed</strong>
            <span className="muted"> on everyone’s home page (public boards only).</span>
          </span>
        </label>
      </fieldset>
      <FieldError id="visibility-error" error={error} testId="visibility-error" />
    </section>
  );
}

function Leave({ board, user }: { board: Board; user: User }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const leave = async (): Promise<void> => {
    if (!confirming) return setConfirming(true);
    setBusy(true);
    setError(undefined);
    try {
      await client.removeMember(board.id, user.id);
      navigate('/');
    } catch (failure) {
      setError(describeError(failure));
      setConfirming(false);
      setBusy(false);
    }
  };

  return (
    <section className="dialog-section leave" aria-labelledby="leave-heading">
      <h3 id="leave-heading" className="visually-hidden">
        Leave
      </h3>
      <button
        type="button"
        className={`button danger${confirming ? ' is-confirming' : ''}`}
        disabled={busy}
        data-testid="leave-board"
        onClick={() => void leave()}
        onBlur={() => setConfirming(false)}
      >
        {confirming ? 'Leave this board now?' : 'Leave this board'}
      </button>
      <FieldError error={error} testId="leave-error" />
    </section>
  );
}

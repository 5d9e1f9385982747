import { sha256Hex, newInvitationSecret } from '../accounts/secrets.js';
import { INVITATION_PREVIEWS_PER_ADDRESS, type AccountService } from '../accounts/account-service.js';
import type { Principal } from '../accounts/principal.js';
import { LiveboardError, boardNotFound, roleOf, type Role } from '../domain/index.js';
import { invitationState, type InvitationRecord } from '../store/accounts.js';
import type { Store } from '../store/store.js';
import type { BoardWriter } from '../writer/board-writer.js';

export interface InvitationView {
  id: string;
  boardId: string;
  role: Role;
  label: string | null;
  createdBy: { userId: string; username: string };
  createdAt: string;
  expiresAt: string | null;
  maxUses: number | null;
  uses: number;
}

/**
 * Invitation links: a secret that adds whoever accepts it to a board with a role. Kept beside the
 * board (not in its log: an invitation changes nobody's access until it is accepted, and then the
 * `member_added` is in the log like any other). A link is only as good as its creator: it dies when
 * they stop being an owner of the board.
 */
export class Invitations {
  constructor(
    private readonly store: Store,
    private readonly writer: BoardWriter,
    private readonly accountService: AccountService,
  ) {}

  async create(
    boardId: string,
    principal: Principal,
    input: {
      role: Role;
      label?: string | null | undefined;
      expiresInDays?: number | undefined;
      maxUses?: number | undefined;
    },
  ): Promise<{ invitation: InvitationView; token: string }> {
    if (principal.kind !== 'user') throw new LiveboardError('unauthenticated', 'sign in to invite');
    const token = newInvitationSecret();
    const now = new Date();
    const invitation = await this.store.accounts.createInvitation({
      hash: sha256Hex(token),
      boardId,
      role: input.role,
      label: input.label ?? null,
      createdBy: principal.user.id,
      now,
      expiresAt:
        input.expiresInDays === undefined ? null : new Date(now.getTime() + input.expiresInDays * 86_400_000),
      maxUses: input.maxUses ?? null,
    });
    return { invitation: invitationView(invitation), token };
  }

  async list(boardId: string): Promise<InvitationView[]> {
    return (await this.store.accounts.listInvitations(boardId)).map(invitationView);
  }

  async revoke(boardId: string, invitationId: string): Promise<void> {
    await this.store.accounts.revokeInvitation(boardId, invitationId, new Date());
  }

  /** What the invitation offers; a guessed token is 404 and counts against the address's throttle. */
  async preview(
    token: string,
    address: string,
  ): Promise<{ boardId: string; boardTitle: string; role: Role; invitedBy: { username: string } }> {
    const bucket = `invitation:addr:${address}`;
    await this.accountService.throttle(bucket, INVITATION_PREVIEWS_PER_ADDRESS);
    const invitation = await this.store.accounts.invitationByHash(sha256Hex(token));
    if (!invitation) {
      await this.accountService.recordAttempt(bucket);
      throw new LiveboardError('invitation_not_found', 'no such invitation: check the link');
    }
    const board = await this.usableBoard(invitation);
    return {
      boardId: board.id,
      boardTitle: board.title,
      role: invitation.role,
      invitedBy: { username: invitation.createdByUsername },
    };
  }

  /** Takes a use of the invitation and makes the caller a member (or gives a member the better role). */
  async accept(token: string, principal: Principal): Promise<{ boardId: string; role: Role }> {
    if (principal.kind !== 'user')
      throw new LiveboardError('unauthenticated', 'sign in to accept an invitation');
    const invitation = await this.store.accounts.invitationByHash(sha256Hex(token));
    if (!invitation) throw new LiveboardError('invitation_not_found', 'no such invitation: check the link');
    const board = await this.usableBoard(invitation);
    const current = roleOf(board, principal.user.id);
    if (current !== null && RANK[current] >= RANK[invitation.role]) {
      return { boardId: board.id, role: current };
    }
    if (!(await this.store.accounts.consumeInvitation(invitation.id, new Date()))) throw unavailable();
    const command =
      current === null
        ? {
            type: 'add_member' as const,
            userId: principal.user.id,
            username: principal.user.username,
            role: invitation.role,
          }
        : { type: 'update_member' as const, userId: principal.user.id, role: invitation.role };
    // The invitation's creator vouches for the new member: the change is theirs, decided with an
    // owner's rights as the board stands in the write transaction.
    await this.writer.execute(board.id, command, {
      by: { userId: invitation.createdBy, username: invitation.createdByUsername },
    });
    return { boardId: board.id, role: invitation.role };
  }

  private async usableBoard(invitation: InvitationRecord) {
    const board = await this.store.getBoard(invitation.boardId);
    if (!board) throw boardNotFound(invitation.boardId);
    if (invitationState(invitation, new Date()) !== 'usable') throw unavailable();
    if (roleOf(board, invitation.createdBy) !== 'owner') throw unavailable();
    return board;
  }
}

const RANK: Record<Role, number> = { viewer: 1, editor: 2, owner: 3 };

function unavailable(): LiveboardError {
  return new LiveboardError(
    'invitation_unavailable',
    'this invitation has been used up, has expired or was withdrawn: ask for a new one',
  );
}

export function invitationView(invitation: InvitationRecord): InvitationView {
  return {
    id: invitation.id,
    boardId: invitation.boardId,
    role: invitation.role,
    label: invitation.label,
    createdBy: { userId: invitation.createdBy, username: invitation.createdByUsername },
    createdAt: invitation.createdAt,
    expiresAt: invitation.expiresAt,
    maxUses: invitation.maxUses,
    uses: invitation.uses,
  };
}

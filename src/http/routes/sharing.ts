import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { normalizeUsername } from '../../domain/accounts.js';
import { LiveboardError, permissionsOf, type Action } from '../../domain/index.js';
import { userIdOf } from '../../accounts/principal.js';
import {
  AccessReply,
  AddMemberBody,
  CreatedInvitationReply,
  CreateInvitationBody,
  InvitationAcceptedReply,
  InvitationParams,
  InvitationPreviewReply,
  InvitationsReply,
  InvitationTokenBody,
  MemberParams,
  MembersReply,
  UpdateAccessBody,
  UpdateMemberBody,
} from '../account-schemas.js';
import { requireWriteScope } from '../access.js';
import type { AppDependencies } from '../dependencies.js';
import type { Invitations } from '../invitations.js';
import { BoardParams } from '../schemas.js';
import { executeAndReply } from '../write-reply.js';

/** Leaving is removing oneself: any member may; removing someone else is an owner's. */
const removeMemberAction = (request: FastifyRequest): Action =>
  (request.params as { userId?: string }).userId === userIdOf(request.principal) ? 'leave' : 'manage';

/** A board's visibility, members and invitations (docs/ACCOUNTS.md). */
export function sharingRoutes(deps: AppDependencies & { invitations: Invitations }): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<TypeBoxTypeProvider>();

    routes.get(
      '/boards/:boardId/access',
      {
        schema: { params: BoardParams, response: { 200: AccessReply } },
        config: { access: { kind: 'board', action: 'read' } },
      },
      async (request, reply) => {
        const board = request.board!;
        const { role } = permissionsOf(board, userIdOf(request.principal));
        return reply.send({ visibility: board.visibility, listed: board.listed, role });
      },
    );

    routes.patch(
      '/boards/:boardId/access',
      {
        schema: { params: BoardParams, body: UpdateAccessBody },
        config: { access: { kind: 'board', action: 'manage' } },
      },
      async (request, reply) =>
        executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'set_visibility',
          visibility: request.body.visibility,
          listed: request.body.listed,
        }),
    );

    routes.get(
      '/boards/:boardId/members',
      {
        schema: { params: BoardParams, response: { 200: MembersReply } },
        config: { access: { kind: 'board', action: 'read' } },
      },
      async (request, reply) => reply.send({ members: request.board!.members }),
    );

    routes.post(
      '/boards/:boardId/members',
      {
        schema: { params: BoardParams, body: AddMemberBody },
        config: { access: { kind: 'board', action: 'manage' }, errors: ['user_not_found', 'already_member'] },
      },
      async (request, reply) => {
        const user = await deps.store.accounts.userByUsername(normalizeUsername(request.body.username));
        if (!user) {
          throw new LiveboardError('user_not_found', `no user '${request.body.username}'`, {
            field: 'username',
          });
        }
        return executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'add_member',
          userId: user.id,
          username: user.username,
          role: request.body.role,
        });
      },
    );

    routes.patch(
      '/boards/:boardId/members/:userId',
      {
        schema: { params: MemberParams, body: UpdateMemberBody },
        config: { access: { kind: 'board', action: 'manage' }, errors: ['member_not_found', 'last_owner'] },
      },
      async (request, reply) =>
        executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'update_member',
          userId: request.params.userId,
          role: request.body.role,
        }),
    );

    routes.delete(
      '/boards/:boardId/members/:userId',
      {
        schema: { params: MemberParams },
        config: {
          access: { kind: 'board', action: removeMemberAction },
          errors: ['member_not_found', 'last_owner'],
        },
      },
      async (request, reply) =>
        executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'remove_member',
          userId: request.params.userId,
        }),
    );

    routes.get(
      '/boards/:boardId/invitations',
      {
        schema: { params: BoardParams, response: { 200: InvitationsReply } },
        config: { access: { kind: 'board', action: 'manage' } },
      },
      async (request, reply) =>
        reply.send({ invitations: await deps.invitations.list(request.params.boardId) }),
    );

    routes.post(
      '/boards/:boardId/invitations',
      {
        schema: {
          params: BoardParams,
          body: CreateInvitationBody,
          response: { 201: CreatedInvitationReply },
        },
        config: { access: { kind: 'board', action: 'manage' } },
      },
      async (request, reply) => {
        const created = await deps.invitations.create(
          request.params.boardId,
          request.principal,
          request.body,
        );
        return reply.code(201).send(created);
      },
    );

    routes.delete(
      '/boards/:boardId/invitations/:invitationId',
      {
        schema: { params: InvitationParams },
        config: { access: { kind: 'board', action: 'manage' }, errors: ['invitation_not_found'] },
      },
      async (request, reply) => {
        await deps.invitations.revoke(request.params.boardId, request.params.invitationId);
        return reply.code(204).send();
      },
    );

    routes.post(
      '/invitations/preview',
      {
        schema: { body: InvitationTokenBody, response: { 200: InvitationPreviewReply } },
        config: {
          access: { kind: 'public' },
          errors: ['invitation_not_found', 'invitation_unavailable', 'too_many_attempts'],
        },
      },
      async (request, reply) =>
        reply
          .header('X-Robots-Tag', 'noindex')
          .send(await deps.invitations.preview(request.body.token, request.principal.address)),
    );

    routes.post(
      '/invitations/accept',
      {
        schema: { body: InvitationTokenBody, response: { 200: InvitationAcceptedReply } },
        config: {
          access: { kind: 'signed_in' },
          errors: ['invitation_not_found', 'invitation_unavailable', 'insufficient_scope'],
        },
      },
      async (request, reply) => {
        requireWriteScope(request.principal);
        return reply.send(await deps.invitations.accept(request.body.token, request.principal));
      },
    );
  };
}

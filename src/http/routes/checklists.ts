import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDependencies } from '../dependencies.js';
import {
  BoardParams,
  ChecklistParams,
  ChecklistReply,
  CreateChecklistBody,
  CreateItemBody,
  CreateLinkBody,
  Deleted,
  ItemParams,
  ItemReply,
  LinkParams,
  LinkReply,
  UpdateChecklistBody,
  UpdateItemBody,
  UpdateLinkBody,
} from '../schemas.js';
import { executeAndReply } from '../write-reply.js';

/**
 * A card's checklists, their items and its links, flat under the board like labels and comments
 * (the card, or the checklist, named in the create body): whoever may change the board's tasks may
 * change them. An id of another board's is not found, like any unknown id.
 */
export function checklistRoutes(deps: AppDependencies): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<TypeBoxTypeProvider>();
    const edit = { kind: 'board', action: 'edit' } as const;

    routes.post(
      '/boards/:boardId/checklists',
      {
        schema: { params: BoardParams, body: CreateChecklistBody, response: { 201: ChecklistReply } },
        config: {
          access: edit,
          errors: ['task_not_found', 'id_taken', 'invalid_position', 'limit_reached'],
        },
      },
      async (request, reply) => {
        return executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'add_checklist',
          ...request.body,
        });
      },
    );

    routes.patch(
      '/boards/:boardId/checklists/:checklistId',
      {
        schema: { params: ChecklistParams, body: UpdateChecklistBody, response: { 200: ChecklistReply } },
        config: { access: edit, errors: ['checklist_not_found', 'invalid_position'] },
      },
      async (request, reply) => {
        return executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'update_checklist',
          checklistId: request.params.checklistId,
          ...request.body,
        });
      },
    );

    routes.delete(
      '/boards/:boardId/checklists/:checklistId',
      {
        schema: { params: ChecklistParams, response: { 204: Deleted } },
        config: { access: edit, errors: ['checklist_not_found'] },
      },
      async (request, reply) => {
        return executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'delete_checklist',
          checklistId: request.params.checklistId,
        });
      },
    );

    routes.post(
      '/boards/:boardId/items',
      {
        schema: { params: BoardParams, body: CreateItemBody, response: { 201: ItemReply } },
        config: {
          access: edit,
          errors: ['checklist_not_found', 'id_taken', 'invalid_position', 'limit_reached'],
        },
      },
      async (request, reply) => {
        return executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'add_item',
          ...request.body,
        });
      },
    );

    routes.patch(
      '/boards/:boardId/items/:itemId',
      {
        schema: { params: ItemParams, body: UpdateItemBody, response: { 200: ItemReply } },
        config: {
          access: edit,
          errors: [
            'item_not_found',
            'checklist_not_found',
            'invalid_position',
            'limit_reached',
            'version_conflict',
          ],
        },
      },
      async (request, reply) => {
        return executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'update_item',
          itemId: request.params.itemId,
          ...request.body,
        });
      },
    );

    routes.delete(
      '/boards/:boardId/items/:itemId',
      {
        schema: { params: ItemParams, response: { 204: Deleted } },
        config: { access: edit, errors: ['item_not_found'] },
      },
      async (request, reply) => {
        return executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'delete_item',
          itemId: request.params.itemId,
        });
      },
    );

    routes.post(
      '/boards/:boardId/links',
      {
        schema: { params: BoardParams, body: CreateLinkBody, response: { 201: LinkReply } },
        config: { access: edit, errors: ['task_not_found', 'id_taken', 'limit_reached'] },
      },
      async (request, reply) => {
        return executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'add_link',
          ...request.body,
        });
      },
    );

    routes.patch(
      '/boards/:boardId/links/:linkId',
      {
        schema: { params: LinkParams, body: UpdateLinkBody, response: { 200: LinkReply } },
        config: { access: edit, errors: ['link_not_found'] },
      },
      async (request, reply) => {
        return executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'update_link',
          linkId: request.params.linkId,
          ...request.body,
        });
      },
    );

    routes.delete(
      '/boards/:boardId/links/:linkId',
      {
        schema: { params: LinkParams, response: { 204: Deleted } },
        config: { access: edit, errors: ['link_not_found'] },
      },
      async (request, reply) => {
        return executeAndReply(request, reply, deps, request.params.boardId, {
          type: 'remove_link',
          linkId: request.params.linkId,
        });
      },
    );
  };
}

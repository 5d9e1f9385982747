/**
 * The web app's one door to the server: the project's SDK (src/client), same origin, so that
 * `npm start` serves the page and the API together. Nothing here talks HTTP by itself.
 */
import { LiveboardClient } from '../client/index.js';

export {
  Backoff,
  isTemporary,
  LiveboardApiError,
  LiveboardClient,
  LiveboardNetworkError,
  newId,
} from '../client/index.js';
export type { ConnectionStatus, FieldConflict, TaskPatch, Written } from '../client/index.js';
export type { Access, ApiToken, Invitation, InvitationPreview, TokenScope, User } from '../client/index.js';

export const client = new LiveboardClient({ baseUrl: '' });

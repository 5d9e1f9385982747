import type { Author, Role, Visibility } from './model.js';

/**
 * What a client may ask of a board. Each valid command becomes exactly one event (see decide.ts).
 * `id` on the create commands is the id the new thing gets (proposed by a client, or the demo board's
 * known ids); without it the server makes one. An id is never used twice: see the store's id claim.
 */
export interface Placement {
  beforeId?: string | undefined;
  afterId?: string | undefined;
}

export type BoardCommand =
  | { type: 'update_board'; title: string }
  | { type: 'delete_board' }
  | ({ type: 'create_list'; title: string; id?: string } & Placement)
  | ({ type: 'update_list'; listId: string; title?: string | undefined } & Placement)
  | { type: 'delete_list'; listId: string }
  | ({
      type: 'create_task';
      listId: string;
      title: string;
      description?: string | undefined;
      id?: string;
    } & Placement)
  | ({
      type: 'update_task';
      taskId: string;
      title?: string | undefined;
      description?: string | undefined;
      listId?: string | undefined;
      version?: number | undefined;
    } & Placement)
  | { type: 'delete_task'; taskId: string }
  | { type: 'set_visibility'; visibility?: Visibility | undefined; listed?: boolean | undefined }
  | { type: 'add_member'; userId: string; username: string; role: Role }
  | { type: 'update_member'; userId: string; role: Role }
  | { type: 'remove_member'; userId: string };

export interface CreateBoardCommand {
  title: string;
  id?: string;
  /** Who creates it, and so owns it; none for an ownerless board (the demo board). */
  owner?: Author | undefined;
  /** Default: private, unlisted. */
  visibility?: Visibility | undefined;
  listed?: boolean | undefined;
}

/** Text limits, in UTF-16 code units; the HTTP schemas, the web forms and the CLI take them from here. */
export const LIMITS = {
  titleLength: 200,
  descriptionLength: 10_000,
} as const;

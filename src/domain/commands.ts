import type { Author, Role, Visibility } from './model.js';
import type { CoverColor, LabelColor } from './palette.js';

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
  | ({
      type: 'create_list';
      title: string;
      id?: string;
      wipLimit?: number | null;
      wipHard?: boolean;
    } & Placement)
  | ({
      type: 'update_list';
      listId: string;
      title?: string | undefined;
      wipLimit?: number | null | undefined;
      wipHard?: boolean | undefined;
    } & Placement)
  | { type: 'delete_list'; listId: string }
  | ({
      type: 'create_task';
      listId: string;
      title: string;
      description?: string | undefined;
      id?: string;
    } & CardFields &
      Placement & { labelIds?: string[] | undefined; assigneeIds?: string[] | undefined })
  | ({
      type: 'update_task';
      taskId: string;
      title?: string | undefined;
      description?: string | undefined;
      listId?: string | undefined;
      /** The version the client saw: checked only against the fields this command sets. */
      version?: number | undefined;
      /** Set a value, never toggle, so that retries converge. */
      archived?: boolean | undefined;
      labels?: SetChange | undefined;
      assignees?: SetChange | undefined;
    } & CardFields &
      Placement)
  | { type: 'delete_task'; taskId: string }
  | ({ type: 'create_label'; name: string; color: LabelColor | null; id?: string } & Placement)
  | ({
      type: 'update_label';
      labelId: string;
      name?: string | undefined;
      color?: LabelColor | null | undefined;
    } & Placement)
  | { type: 'delete_label'; labelId: string }
  | ChecklistCommand
  | { type: 'add_link'; taskId: string; url: string; title?: string | undefined; id?: string }
  | { type: 'update_link'; linkId: string; url?: string | undefined; title?: string | undefined }
  | { type: 'remove_link'; linkId: string }
  | { type: 'add_comment'; taskId: string; body: string; id?: string }
  | { type: 'edit_comment'; commentId: string; body: string }
  | { type: 'delete_comment'; commentId: string }
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

/** Ids to add to and remove from a set (labels, assignees): never a conflict, whatever others did meanwhile. */
export interface SetChange {
  add?: string[] | undefined;
  remove?: string[] | undefined;
}

/** A card's dates and looks, as a create or a PATCH may set them (null clears). */
export interface CardFields {
  startAt?: string | null | undefined;
  dueAt?: string | null | undefined;
  dueComplete?: boolean | undefined;
  reminder?: number | null | undefined;
  coverColor?: CoverColor | null | undefined;
}

/** A card's checklists and their items (see decide-checklist.ts). Placement is among the checklist's siblings. */
export type ChecklistCommand =
  | ({
      type: 'add_checklist';
      taskId: string;
      title: string;
      id?: string;
      /** Its first items, in order (at most LIMITS.itemsPerChecklist). */
      items?: NewItem[] | undefined;
    } & Placement)
  | ({ type: 'update_checklist'; checklistId: string; title?: string | undefined } & Placement)
  | { type: 'delete_checklist'; checklistId: string }
  | ({
      type: 'add_item';
      checklistId: string;
      text: string;
      done?: boolean | undefined;
      id?: string;
    } & Placement)
  | ({
      type: 'update_item';
      itemId: string;
      text?: string | undefined;
      /** Set, never toggled. */
      done?: boolean | undefined;
      /** The item's version the client saw: checked against its text only. */
      version?: number | undefined;
      /** Another checklist of the same card to move it to. */
      checklistId?: string | undefined;
    } & Placement)
  | { type: 'delete_item'; itemId: string };

export interface NewItem {
  text: string;
  done?: boolean | undefined;
}

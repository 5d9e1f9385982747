/**
 * Every size limit of a board, in one place: the HTTP schemas, the domain's checks, the web forms,
 * the CLI and the SDK take them from here, and docs/API.md's limits table is kept in step with this
 * object by src/http/limits-docs.test.ts. Text lengths are in UTF-16 code units (JavaScript's
 * `length`), as every client measures them. The card limits are Trello's, so that an import fits.
 */
export const LIMITS = {
  /** Board, list and task titles. */
  titleLength: 200,
  /** A task's description (and, with comments, a comment's body). */
  descriptionLength: 16_384,
  commentLength: 16_384,
  /** A label's name (it may be empty: a colour alone). */
  labelNameLength: 100,
  /** Labels a board may define. */
  labelsPerBoard: 1_000,
  /** Labels on one card. */
  labelsPerCard: 50,
  /** Assignees on one card: as many as labels, which no board of people comes near. */
  assigneesPerCard: 50,
  /** A checklist item's text. */
  itemTextLength: 2_000,
  /** Items of one checklist. */
  itemsPerChecklist: 200,
  /** Links on one card. */
  linksPerCard: 100,
  /** A link's URL. */
  urlLength: 2_048,
  /** A list's WIP limit: 1 to this, or none. */
  wipLimitMax: 999,
  /** A reminder, in minutes before the due date: 0 to four weeks. */
  reminderMaxMinutes: 40_320,
  /** Due and start dates: years from 1970 to this. */
  maxYear: 2999,
} as const;

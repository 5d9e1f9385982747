/**
 * Liveboard's client SDK: typed REST, typed events, and live subscriptions that resume without
 * loss or repetition. Runs in browsers and Node (no `node:` imports; Node passes an EventSource).
 */
export { LiveboardClient } from './client.js';
export {
  LiveboardApiError,
  LiveboardNetworkError,
  isTemporary,
  type ApiErrorCode,
  type FieldConflict,
} from './errors.js';
/** The one reducer, which folds both the per-field events and the whole-task ones of older logs. */
export { applyEvent, applyEvents } from '../domain/index.js';
/**
 * Cards: the label and cover palettes, every limit, whether a card is overdue or due soon (from the
 * time now: time passing is never an event), and the board filter the web app and the CLI use.
 */
export {
  COVER_COLORS,
  DUE_SOON_MS,
  LABEL_COLORS,
  LIMITS,
  dueStatus,
  filterTasks,
  isCoverColor,
  isLabelColor,
  taskMatcher,
} from '../domain/index.js';
/** What a caller may do on a board (read, edit, rename, manage, delete), from its members and visibility. */
export { permissionsOf } from '../domain/index.js';
/** Ids a client proposes for what it creates (`task-…`): the kind, then the time and 8 random base-36 characters. */
export { newId } from '../domain/index.js';
/** One sentence per event ("Ana moved this card from To do to Doing"), and the reducer to keep names current. */
export { describeEvent } from '../domain/index.js';
export { Backoff, type BackoffOptions } from './backoff.js';
export { StreamSequencer, type Verdict } from './stream-sequencer.js';
export type { WatchHandlers, WatchOptions } from './watch-board.js';
export type { BoardPosition, MultiBoardMessage, MultiBoardPollResult } from './shared/board-positions.js';
export type {
  BroadcastChannelConstructor,
  BroadcastChannelLike,
  LockManagerLike,
  SharingEnvironment,
  SharingTiming,
} from './shared/sharing-environment.js';
export type {
  ActivityPage,
  ChecklistPatch,
  ClientOptions,
  ItemPatch,
  LinkPatch,
  NewChecklist,
  NewItem,
  NewLink,
  CommentPage,
  SearchPage,
  SearchResult,
  ConnectionStatus,
  Access,
  ApiToken,
  EventSourceConstructor,
  EventSourceInitLike,
  EventSourceLike,
  Invitation,
  InvitationPreview,
  PollResult,
  SubscribeOptions,
  TaskPatch,
  TokenScope,
  Transport,
  User,
  WriteOptions,
  Written,
} from './types.js';
export type {
  Author,
  Board,
  BoardEvent,
  BoardInfo,
  CardFields,
  ChangedField,
  Checklist,
  ChecklistItem,
  ChecklistItemUpdated,
  ChecklistUpdated,
  ItemChanges,
  Link,
  LinkChanges,
  LinkUpdated,
  EventChecklist,
  EventChecklistItem,
  TaskChecklist,
  TaskChecklistItem,
  TaskLink,
  Comment,
  CoverColor,
  DescribeOptions,
  DueStatus,
  ErrorCode,
  FieldVersion,
  FilterClock,
  Highlight,
  Label,
  LabelColor,
  List,
  ListInfo,
  Member,
  Permissions,
  ResetMessage,
  Role,
  SetChange,
  SetDelta,
  StreamMessage,
  Task,
  TaskChanges,
  TaskFilter,
  ValueChange,
  VersionedField,
  Visibility,
} from '../domain/index.js';

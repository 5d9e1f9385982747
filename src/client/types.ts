import type {
  Author,
  Board,
  BoardEvent,
  CardFields,
  Comment,
  Highlight,
  Role,
  SetChange,
  StreamMessage,
  Visibility,
} from '../domain/index.js';
import type { BackoffOptions } from './backoff.js';
import type { BoardSetReader } from './shared/board-set-connection.js';
import type { SharingEnvironment } from './shared/sharing-environment.js';
import type { TabHub } from './shared/tab-hub.js';

/** What the SDK needs of an EventSource: the browser's built-in one and the `eventsource` package's both fit. */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: 'open' | 'error', listener: (event: unknown) => void): void;
  /** `message`, and the server's named events: `revoked` (access ended), `notice` (e.g. too many streams). */
  addEventListener(type: string, listener: (event: { data: unknown; lastEventId?: string }) => void): void;
  close(): void;
}

/**
 * The browser's EventSource, or the `eventsource` package's (v4), which also takes `fetch`: the SDK
 * passes a fetch that adds `Authorization: Bearer` when the client has a token. The browser's
 * ignores the second argument but `withCredentials` (never set: the same-origin cookie is sent anyway).
 */
export type EventSourceConstructor = new (url: string, init?: EventSourceInitLike) => EventSourceLike;

export interface EventSourceInitLike {
  withCredentials?: boolean;
  fetch?: (input: string | URL, init?: RequestInit) => Promise<Response>;
}

export interface ClientOptions {
  /** '' (same origin) in the browser; e.g. 'http://127.0.0.1:3000' in Node. */
  baseUrl?: string;
  /** Default globalThis.fetch. */
  fetch?: typeof fetch;
  /**
   * An API token (`lbp_…`, see `createToken` or `liveboard login`): sent as `Authorization: Bearer`
   * on every request, the stream and the long poll included. Not for browsers: a page is signed in
   * by its same-origin session cookie, which the SDK sends on its own.
   */
  token?: string;
  /** Default globalThis.EventSource (browser); in Node pass the `eventsource` package's. */
  EventSource?: EventSourceConstructor;
  /** Delays between the SDK's own reconnect attempts (the server's `retry:` paces EventSource's). */
  backoff?: BackoffOptions;
  /**
   * How the browser's tabs share one connection. Default: in a browser page, its own
   * BroadcastChannel and Web Locks (`navigator.locks`); elsewhere (Node) no sharing. `false`: every
   * subscription keeps a connection of its own. Tests pass their own environment.
   */
  sharing?: SharingEnvironment | false;
}

export interface WriteOptions {
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** Every write resolves with what the server returned and the seq of the event it became. */
export interface Written<T> {
  data: T;
  seq: number;
  replayed: boolean;
}

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export type Transport = 'sse' | 'poll' | 'auto';

export interface SubscribeOptions {
  /** Resume after this seq (e.g. the snapshot's seq); omitted = from now. */
  from?: number;
  /** auto (default): SSE, falling back to the long poll when EventSource is missing or never connects. */
  transport?: Transport;
  signal?: AbortSignal;
  onStatus?: (status: ConnectionStatus) => void;
  /** How long one long-poll request waits on the server (default 25 s; the shared connection's is the client's). */
  pollTimeoutSeconds?: number;
  /**
   * Share the browser's one connection with the other tabs (default `true`; it applies where tabs
   * can share: a browser page with BroadcastChannel). `false`: a connection of this subscription's own.
   */
  share?: boolean;
}

export interface PollResult {
  events: StreamMessage[];
  seq: number;
}

/**
 * What following a board needs of LiveboardClient: its reads, its stream URL and its settings.
 * subscribe() and watchBoard() take this rather than the client, which calls them, so that neither
 * imports the client back.
 */
export interface LiveReader extends BoardSetReader {
  readonly backoff: BackoffOptions;
  readonly EventSource: EventSourceConstructor | undefined;
  /** The client's user, when it knows it (after signUp, signIn or me()): tells its own removal from another's. */
  readonly user?: User | null | undefined;
  getBoard(boardId: string, options?: { signal?: AbortSignal }): Promise<Board>;
  poll(
    boardId: string,
    options?: { after?: number; timeoutSeconds?: number; signal?: AbortSignal },
  ): Promise<PollResult>;
  eventsUrl(boardId: string, lastEventId?: number): string;
  /** This tab's share of the browser's one connection for `transport`; undefined where tabs do not share. */
  tabHub(transport: Transport): TabHub | undefined;
  subscribe(boardId: string, options?: SubscribeOptions): AsyncIterableIterator<StreamMessage>;
}

/** A user as anyone may see them (never a password hash, e-mail or token). */
export interface User {
  id: string;
  username: string;
  displayName: string;
  createdAt: string;
}

/** Who may read a board beyond its members, whether it is listed, and the caller's own role (null: guest). */
export interface Access {
  visibility: Visibility;
  listed: boolean;
  role: Role | null;
}

export type TokenScope = 'read' | 'write';

/** An API token as listed: never its secret, which is shown once, by `createToken`. */
export interface ApiToken {
  id: string;
  name: string;
  scope: TokenScope;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

/** A link that makes whoever opens it a member of a board (its secret token is shown once, by `createInvitation`). */
export interface Invitation {
  id: string;
  boardId: string;
  role: Role;
  label: string | null;
  createdBy: Author;
  createdAt: string;
  expiresAt: string | null;
  maxUses: number | null;
  uses: number;
  revokedAt: string | null;
}

/** What `previewInvitation` tells before anyone accepts: the board, the role, and who invites. */
export interface InvitationPreview {
  boardId: string;
  boardTitle: string;
  role: Role;
  invitedBy: { username: string };
}

/**
 * A task PATCH: only the fields given change. With `version` (the version the client saw), each
 * field the PATCH would change is checked against that field's own version: a 409 names the fields
 * that someone else changed since (`LiveboardApiError.conflicts`). `labels` and `assignees` add and
 * remove ids and never conflict; `archived` and `dueComplete` set a value.
 */
export interface TaskPatch extends CardFields {
  title?: string;
  description?: string;
  listId?: string;
  beforeId?: string;
  afterId?: string;
  version?: number;
  archived?: boolean;
  labels?: SetChange;
  assignees?: SetChange;
}

/** A new checklist: on the card `taskId`, with its first items (at most LIMITS.itemsPerChecklist). */
export interface NewChecklist {
  taskId: string;
  title: string;
  /** An id of your own making (`checklist-…`, see newId), so that a retry cannot make two. */
  id?: string;
  items?: Array<{ text: string; done?: boolean }>;
  beforeId?: string;
  afterId?: string;
}

/** A checklist PATCH: a new title, a new place among the card's checklists, or both. */
export interface ChecklistPatch {
  title?: string;
  beforeId?: string;
  afterId?: string;
}

/** A new checklist item, at the end of `checklistId` unless placed. */
export interface NewItem {
  checklistId: string;
  text: string;
  done?: boolean;
  id?: string;
  beforeId?: string;
  afterId?: string;
}

/**
 * An item PATCH: only the fields given change. `done` sets (never toggles), so a retry converges;
 * with `version` (the item's version the client saw) a text edit is refused with 409 if the text
 * changed since, and ticks and moves never conflict. `checklistId` moves it to another checklist of
 * the same card.
 */
export interface ItemPatch {
  text?: string;
  done?: boolean;
  version?: number;
  checklistId?: string;
  beforeId?: string;
  afterId?: string;
}

/** A new link on the card `taskId`: an http, https or mailto URL (at most LIMITS.urlLength). */
export interface NewLink {
  taskId: string;
  url: string;
  title?: string;
  id?: string;
}

/** A link PATCH: a new title (`""` takes it off), a new URL (http, https or mailto), or both. */
export interface LinkPatch {
  title?: string;
  url?: string;
}

/** A page of a task's comments, newest first (GET /boards/:b/comments). */
export interface CommentPage {
  comments: Comment[];
  /** `before` for the next page; null on the last. */
  nextBefore: number | null;
}

/** A page of a board's (or a task's) stored events, newest first (GET /boards/:b/activity). */
export interface ActivityPage {
  events: BoardEvent[];
  nextBefore: number | null;
  /** The first seq the log still holds once older events were pruned; null while none were. */
  historyStartsAt: number | null;
}

/** One field that holds every word of a search (GET /boards/:b/search). */
export interface SearchResult {
  taskId: string;
  field: 'title' | 'description' | 'comment' | 'item';
  /** For `field: 'comment'`. */
  commentId?: string;
  /** For `field: 'item'`: the checklist item the words are in. */
  itemId?: string;
  /** Plain text: the field, or a window of it (starting at `offset` in the field). */
  text: string;
  offset: number;
  /** The matching words, as UTF-16 offsets into `text`. */
  highlights: Highlight[];
}

export interface SearchPage {
  results: SearchResult[];
  /** `cursor` for the next page; null on the last. */
  nextCursor: string | null;
}

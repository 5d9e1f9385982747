import type {
  Board,
  BoardInfo,
  CardFields,
  Comment,
  Label,
  LabelColor,
  List,
  Member,
  Role,
  StreamMessage,
  Task,
  TaskChecklist,
  TaskChecklistItem,
  TaskLink,
  Visibility,
} from '../domain/index.js';
import type { BackoffOptions } from './backoff.js';
import { LiveboardApiError, LiveboardNetworkError, apiErrorFrom, isAbortError } from './errors.js';
import { boardsParam, type BoardPosition, type MultiBoardPollResult } from './shared/board-positions.js';
import { browserSharing, type SharingEnvironment } from './shared/sharing-environment.js';
import { TabHub } from './shared/tab-hub.js';
import { subscribe } from './subscribe.js';
import type {
  Access,
  ActivityPage,
  ApiToken,
  ChecklistPatch,
  ItemPatch,
  LinkPatch,
  NewChecklist,
  NewItem,
  NewLink,
  CommentPage,
  SearchPage,
  ClientOptions,
  EventSourceConstructor,
  EventSourceLike,
  Invitation,
  InvitationPreview,
  LiveReader,
  PollResult,
  SubscribeOptions,
  TaskPatch,
  TokenScope,
  Transport,
  User,
  WriteOptions,
  Written,
} from './types.js';
import { watchBoard, type WatchHandlers, type WatchOptions } from './watch-board.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * The typed client of Liveboard's HTTP API, in the browser and in Node.
 *
 * ```ts
 * const client = new LiveboardClient({ baseUrl: 'http://127.0.0.1:3000', EventSource });
 * const board = await client.getBoard('board-1');
 * for await (const event of client.subscribe('board-1', { from: board.seq })) console.log(event);
 * ```
 */
export class LiveboardClient implements LiveReader {
  readonly baseUrl: string;
  readonly backoff: BackoffOptions;
  private readonly fetchImpl: typeof fetch;
  /** Whether the caller passed a fetch of its own: EventSource then goes through it too. */
  private readonly ownFetch: boolean;
  private readonly token: string | undefined;
  private knownUser: User | null | undefined;
  private readonly eventSourceImpl: EventSourceConstructor | undefined;
  private readonly sharing: SharingEnvironment | undefined;
  private readonly hubs = new Map<Transport, TabHub>();

  constructor(options: ClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
    // Bound so that a browser's fetch is not called with the client as `this` ("Illegal invocation").
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.ownFetch = options.fetch !== undefined;
    this.token = options.token || undefined;
    this.eventSourceImpl =
      options.EventSource ?? (globalThis as { EventSource?: EventSourceConstructor }).EventSource;
    this.backoff = options.backoff ?? {};
    this.sharing = options.sharing === false ? undefined : (options.sharing ?? browserSharing());
  }

  /** The EventSource constructor in use, if any (none in Node unless passed in the options). */
  get EventSource(): EventSourceConstructor | undefined {
    return this.eventSourceImpl;
  }

  /**
   * The user this client acts for, as far as it knows: set by signUp, signIn and me(), cleared by
   * signOut (undefined: not asked yet). Subscriptions use it to tell their own removal from a board.
   */
  get user(): User | null | undefined {
    return this.knownUser;
  }

  /**
   * Opens an EventSource on `url` with this client's credentials: the page's cookie in a browser
   * (nothing to do), `Authorization: Bearer` when the client has a token, through the `eventsource`
   * package's `fetch` option (the browser's EventSource has no such option, so it cannot send a
   * token). With a `fetch` of the caller's own, the stream goes through it too.
   */
  openEventSource(url: string): EventSourceLike {
    const EventSourceImpl = this.eventSourceImpl;
    if (!EventSourceImpl) throw new Error('openEventSource: no EventSource in ClientOptions');
    const token = this.token;
    if (token === undefined && !this.ownFetch) return new EventSourceImpl(url);
    return new EventSourceImpl(url, {
      fetch: (input, init) => {
        const headers = { ...(init?.headers as Record<string, string> | undefined) };
        if (token !== undefined) headers.authorization = `Bearer ${token}`;
        return this.fetchImpl(input, { ...init, headers });
      },
    });
  }

  // ---- Accounts (docs/ACCOUNTS.md). A browser is signed in by the cookie these set; a token client needs none of them.

  /** Makes an account and signs in (the session cookie). `invitation`: an invitation token, needed when sign-up is by invitation only. */
  async signUp(input: {
    username: string;
    password: string;
    displayName?: string;
    invitation?: string;
  }): Promise<User> {
    const { body } = await this.request<{ user: User }>('POST', '/auth/signup', input);
    this.knownUser = body.user;
    return body.user;
  }

  /** Signs in with a username and password: a new session (cookie). 401 `invalid_credentials`; 429 `too_many_attempts`. */
  async signIn(input: { username: string; password: string }): Promise<User> {
    const { body } = await this.request<{ user: User }>('POST', '/auth/signin', input);
    this.knownUser = body.user;
    return body.user;
  }

  /** Ends this session (and its streams). */
  async signOut(): Promise<void> {
    await this.request('POST', '/auth/signout');
    this.knownUser = null;
  }

  /** Ends every session of the user, in every browser, this one included. */
  async signOutEverywhere(): Promise<void> {
    await this.request('POST', '/auth/signout-everywhere');
    this.knownUser = null;
  }

  /** Who this client is signed in as; null when it is not (a 401). */
  async me(options: { signal?: AbortSignal } = {}): Promise<User | null> {
    try {
      const { body } = await this.request<{ user: User }>('GET', '/me', undefined, options);
      this.knownUser = body.user;
      return body.user;
    } catch (error) {
      if (error instanceof LiveboardApiError && error.status === 401) {
        this.knownUser = null;
        return null;
      }
      throw error;
    }
  }

  async updateMe(patch: { displayName: string }): Promise<User> {
    const { body } = await this.request<{ user: User }>('PATCH', '/me', patch);
    this.knownUser = body.user;
    return body.user;
  }

  /** Changes the password; every other session of the user ends (this one stays). Session only: not with a token. */
  async changePassword(input: { currentPassword: string; newPassword: string }): Promise<void> {
    await this.request('POST', '/me/password', input);
  }

  /** The user's API tokens (never their secrets). Session only. */
  async listTokens(): Promise<ApiToken[]> {
    return (await this.request<{ tokens: ApiToken[] }>('GET', '/me/tokens')).body.tokens;
  }

  /** A new API token; `secret` (`lbp_…`) is shown this once. Session only. */
  async createToken(input: {
    name: string;
    scope: TokenScope;
    expiresInDays?: number;
  }): Promise<{ token: ApiToken; secret: string }> {
    return (await this.request<{ token: ApiToken; secret: string }>('POST', '/me/tokens', input)).body;
  }

  /** Revokes a token (its open streams end). 404 `token_not_found`, also for another user's token. */
  async revokeToken(tokenId: string): Promise<void> {
    await this.request('DELETE', `/me/tokens/${encodeURIComponent(tokenId)}`);
  }

  // ---- A board's access: visibility, members, invitations (owners change them; readers read them).

  async getAccess(boardId: string): Promise<Access> {
    return (await this.request<Access>('GET', `${boardPath(boardId)}/access`)).body;
  }

  /** Owners: the event `visibility_changed`. */
  async setAccess(boardId: string, patch: { visibility?: Visibility; listed?: boolean }): Promise<Access> {
    return (await this.request<Access>('PATCH', `${boardPath(boardId)}/access`, patch)).body;
  }

  async listMembers(boardId: string): Promise<Member[]> {
    return (await this.request<{ members: Member[] }>('GET', `${boardPath(boardId)}/members`)).body.members;
  }

  /** Owners: the event `member_added`. 404 `user_not_found`, 409 `already_member`. */
  async addMember(boardId: string, input: { username: string; role: Role }): Promise<Member> {
    return (await this.request<Member>('POST', `${boardPath(boardId)}/members`, input)).body;
  }

  /** Owners: the event `member_updated`. 409 `last_owner` when it would leave the board without one. */
  async updateMember(boardId: string, userId: string, patch: { role: Role }): Promise<Member> {
    return (await this.request<Member>('PATCH', memberPath(boardId, userId), patch)).body;
  }

  /** Owners; or any member with their own id, to leave. The event `member_removed`. */
  async removeMember(boardId: string, userId: string): Promise<void> {
    await this.request('DELETE', memberPath(boardId, userId));
  }

  /** Owners. */
  async listInvitations(boardId: string): Promise<Invitation[]> {
    return (await this.request<{ invitations: Invitation[] }>('GET', `${boardPath(boardId)}/invitations`))
      .body.invitations;
  }

  /** Owners. `token` is shown this once: the link to hand out is `<server>/invite#<token>`. */
  async createInvitation(
    boardId: string,
    input: { role: Role; label?: string; expiresInDays?: number; maxUses?: number },
  ): Promise<{ invitation: Invitation; token: string }> {
    const path = `${boardPath(boardId)}/invitations`;
    return (await this.request<{ invitation: Invitation; token: string }>('POST', path, input)).body;
  }

  /** Owners. */
  async revokeInvitation(boardId: string, invitationId: string): Promise<void> {
    await this.request('DELETE', `${boardPath(boardId)}/invitations/${encodeURIComponent(invitationId)}`);
  }

  /** What an invitation is for, before accepting it. 404 `invitation_not_found`; 410 `invitation_unavailable`. */
  async previewInvitation(token: string): Promise<InvitationPreview> {
    return (await this.request<InvitationPreview>('POST', '/invitations/preview', { token })).body;
  }

  /** Signed in: become a member of the invitation's board (the event `member_added`). */
  async acceptInvitation(token: string): Promise<{ boardId: string; role: Role }> {
    return (await this.request<{ boardId: string; role: Role }>('POST', '/invitations/accept', { token }))
      .body;
  }

  // ---- Boards, lists and tasks.

  async listBoards(): Promise<BoardInfo[]> {
    const { body } = await this.request<{ boards: BoardInfo[] }>('GET', '/boards');
    return body.boards;
  }

  async getBoard(boardId: string, options: { signal?: AbortSignal } = {}): Promise<Board> {
    return (await this.request<Board>('GET', boardPath(boardId), undefined, options)).body;
  }

  /** Signed in only (anonymous: 401); the board is yours, `private` and unlisted unless said. */
  createBoard(
    input: { title: string; id?: string; visibility?: Visibility; listed?: boolean },
    options?: WriteOptions,
  ): Promise<Written<Board>> {
    return this.write('POST', '/boards', input, options);
  }

  updateBoard(boardId: string, patch: { title: string }, options?: WriteOptions): Promise<Written<Board>> {
    return this.write('PATCH', boardPath(boardId), patch, options);
  }

  deleteBoard(boardId: string, options?: WriteOptions): Promise<Written<null>> {
    return this.write('DELETE', boardPath(boardId), undefined, options);
  }

  createList(
    boardId: string,
    input: {
      title: string;
      id?: string;
      wipLimit?: number | null;
      wipHard?: boolean;
      beforeId?: string;
      afterId?: string;
    },
    options?: WriteOptions,
  ): Promise<Written<List>> {
    return this.write('POST', `${boardPath(boardId)}/lists`, input, options);
  }

  updateList(
    boardId: string,
    listId: string,
    patch: {
      title?: string;
      wipLimit?: number | null;
      wipHard?: boolean;
      beforeId?: string;
      afterId?: string;
    },
    options?: WriteOptions,
  ): Promise<Written<List>> {
    return this.write('PATCH', `${boardPath(boardId)}/lists/${encodeURIComponent(listId)}`, patch, options);
  }

  deleteList(boardId: string, listId: string, options?: WriteOptions): Promise<Written<null>> {
    return this.write(
      'DELETE',
      `${boardPath(boardId)}/lists/${encodeURIComponent(listId)}`,
      undefined,
      options,
    );
  }

  createTask(
    boardId: string,
    input: {
      listId: string;
      title: string;
      id?: string;
      description?: string;
      /** The card's first labels and assignees: labels of this board, members of it. */
      labelIds?: string[];
      assigneeIds?: string[];
      beforeId?: string;
      afterId?: string;
    } & CardFields,
    options?: WriteOptions,
  ): Promise<Written<Task>> {
    return this.write('POST', `${boardPath(boardId)}/tasks`, input, options);
  }

  updateTask(
    boardId: string,
    taskId: string,
    patch: TaskPatch,
    options?: WriteOptions,
  ): Promise<Written<Task>> {
    return this.write('PATCH', `${boardPath(boardId)}/tasks/${encodeURIComponent(taskId)}`, patch, options);
  }

  deleteTask(boardId: string, taskId: string, options?: WriteOptions): Promise<Written<null>> {
    return this.write(
      'DELETE',
      `${boardPath(boardId)}/tasks/${encodeURIComponent(taskId)}`,
      undefined,
      options,
    );
  }

  /** A board's label: `name` 0–100 characters, `color` one of LABEL_COLORS or null. */
  createLabel(
    boardId: string,
    input: { name: string; color: LabelColor | null; id?: string; beforeId?: string; afterId?: string },
    options?: WriteOptions,
  ): Promise<Written<Label>> {
    return this.write('POST', `${boardPath(boardId)}/labels`, input, options);
  }

  updateLabel(
    boardId: string,
    labelId: string,
    patch: { name?: string; color?: LabelColor | null; beforeId?: string; afterId?: string },
    options?: WriteOptions,
  ): Promise<Written<Label>> {
    return this.write('PATCH', labelPath(boardId, labelId), patch, options);
  }

  /** Deletes the label and takes it off every card that has it, in one event. */
  deleteLabel(boardId: string, labelId: string, options?: WriteOptions): Promise<Written<null>> {
    return this.write('DELETE', labelPath(boardId, labelId), undefined, options);
  }

  // ---- Checklists and links on cards (docs/API.md).

  /** The event `checklist_added`; 409 `limit_reached` past 200 first items. */
  addChecklist(
    boardId: string,
    input: NewChecklist,
    options?: WriteOptions,
  ): Promise<Written<TaskChecklist>> {
    return this.write('POST', `${boardPath(boardId)}/checklists`, input, options);
  }

  /** Renames or reorders a checklist: `checklist_updated` (200 and no event when nothing changes). */
  updateChecklist(
    boardId: string,
    checklistId: string,
    patch: ChecklistPatch,
    options?: WriteOptions,
  ): Promise<Written<TaskChecklist>> {
    return this.write('PATCH', partPath(boardId, 'checklists', checklistId), patch, options);
  }

  /** Deletes a checklist with its items: `checklist_deleted`. 404 `checklist_not_found`. */
  deleteChecklist(boardId: string, checklistId: string, options?: WriteOptions): Promise<Written<null>> {
    return this.write('DELETE', partPath(boardId, 'checklists', checklistId), undefined, options);
  }

  /** The event `checklist_item_added`; 409 `limit_reached` for the 201st item. */
  addItem(boardId: string, input: NewItem, options?: WriteOptions): Promise<Written<TaskChecklistItem>> {
    return this.write('POST', `${boardPath(boardId)}/items`, input, options);
  }

  /** Ticks, edits or moves an item: `checklist_item_updated` (see ItemPatch for conflicts). */
  updateItem(
    boardId: string,
    itemId: string,
    patch: ItemPatch,
    options?: WriteOptions,
  ): Promise<Written<TaskChecklistItem>> {
    return this.write('PATCH', partPath(boardId, 'items', itemId), patch, options);
  }

  /** `checklist_item_deleted`. 404 `item_not_found`. */
  deleteItem(boardId: string, itemId: string, options?: WriteOptions): Promise<Written<null>> {
    return this.write('DELETE', partPath(boardId, 'items', itemId), undefined, options);
  }

  /** The event `link_added`; 400 for an unsafe URL, 409 `limit_reached` for the 101st link. */
  addLink(boardId: string, input: NewLink, options?: WriteOptions): Promise<Written<TaskLink>> {
    return this.write('POST', `${boardPath(boardId)}/links`, input, options);
  }

  /**
   * Edits a link's title (`""` takes it off) or URL, or both: `link_updated` (200 and no event when
   * nothing changes). The URL is checked as on add (400 with `field: "url"`); 404 `link_not_found`.
   */
  updateLink(
    boardId: string,
    linkId: string,
    patch: LinkPatch,
    options?: WriteOptions,
  ): Promise<Written<TaskLink>> {
    return this.write('PATCH', partPath(boardId, 'links', linkId), patch, options);
  }

  /** `link_removed`. 404 `link_not_found`. */
  removeLink(boardId: string, linkId: string, options?: WriteOptions): Promise<Written<null>> {
    return this.write('DELETE', partPath(boardId, 'links', linkId), undefined, options);
  }

  // ---- Comments, a task's history, search (docs/API.md).

  /** A task's comments, newest first; pass the page's `nextBefore` as `before` for the next page. */
  async listComments(
    boardId: string,
    taskId: string,
    page: { before?: number; limit?: number } = {},
  ): Promise<CommentPage> {
    const query = pageQuery({ taskId, ...page });
    return (await this.request<CommentPage>('GET', `${boardPath(boardId)}/comments?${query}`)).body;
  }

  /** The event `comment_added`. 400 (blank or over 16,384 characters), 404 `task_not_found`. */
  addComment(
    boardId: string,
    input: { taskId: string; body: string; id?: string },
    options?: WriteOptions,
  ): Promise<Written<Comment>> {
    return this.write('POST', `${boardPath(boardId)}/comments`, input, options);
  }

  /** Its author only (403 `forbidden` for anyone else): the event `comment_edited`. */
  editComment(
    boardId: string,
    commentId: string,
    patch: { body: string },
    options?: WriteOptions,
  ): Promise<Written<Comment>> {
    return this.write('PATCH', commentPath(boardId, commentId), patch, options);
  }

  /** Its author, or a board owner: the event `comment_deleted`. 404 `comment_not_found`. */
  deleteComment(boardId: string, commentId: string, options?: WriteOptions): Promise<Written<null>> {
    return this.write('DELETE', commentPath(boardId, commentId), undefined, options);
  }

  /**
   * The board's stored events newest first, or one task's (`taskId`): tell each with
   * `describeEvent`. `historyStartsAt` is set once older events were pruned.
   */
  async activity(
    boardId: string,
    page: { taskId?: string; before?: number; limit?: number } = {},
  ): Promise<ActivityPage> {
    const query = pageQuery(page);
    const suffix = query.size > 0 ? `?${query}` : '';
    return (await this.request<ActivityPage>('GET', `${boardPath(boardId)}/activity${suffix}`)).body;
  }

  /** Titles, descriptions and comments holding every word of `q` (prefix matching); pass `nextCursor` on. */
  async search(
    boardId: string,
    q: string,
    page: { limit?: number; cursor?: string } = {},
  ): Promise<SearchPage> {
    const query = pageQuery({ q, ...page });
    return (await this.request<SearchPage>('GET', `${boardPath(boardId)}/search?${query}`)).body;
  }

  /** One long-poll request: events after `after` (or, without it, the next one), at most `timeoutSeconds` of waiting. */
  async poll(
    boardId: string,
    options: { after?: number; timeoutSeconds?: number; signal?: AbortSignal } = {},
  ): Promise<PollResult> {
    const query = new URLSearchParams();
    if (options.after !== undefined) query.set('after', String(options.after));
    if (options.timeoutSeconds !== undefined) query.set('timeout', String(options.timeoutSeconds));
    const suffix = query.size > 0 ? `?${query}` : '';
    const init = options.signal ? { signal: options.signal } : {};
    return (await this.request<PollResult>('GET', `${boardPath(boardId)}/poll${suffix}`, undefined, init))
      .body;
  }

  /**
   * One long-poll request for several boards (at most 32), each after its seq: at once when any has
   * something to say, else after up to `timeoutSeconds`.
   */
  async pollBoards(
    boards: readonly BoardPosition[],
    options: { timeoutSeconds?: number; signal?: AbortSignal } = {},
  ): Promise<MultiBoardPollResult> {
    const timeout = options.timeoutSeconds === undefined ? '' : `&timeout=${options.timeoutSeconds}`;
    const init = options.signal ? { signal: options.signal } : {};
    const path = `/poll?boards=${boardsParam(boards)}${timeout}`;
    return (await this.request<MultiBoardPollResult>('GET', path, undefined, init)).body;
  }

  /** The URL of the SSE stream of several boards (at most 32), each resumed after its seq. */
  boardsEventsUrl(boards: readonly BoardPosition[]): string {
    return `${this.baseUrl}/events?boards=${boardsParam(boards)}`;
  }

  /**
   * This tab's share of the browser's one connection for `transport` (made on first use), or
   * undefined where tabs do not share: subscribe() uses it by itself.
   */
  tabHub(transport: Transport): TabHub | undefined {
    if (!this.sharing) return undefined;
    let hub = this.hubs.get(transport);
    if (!hub) {
      const name = `liveboard|${this.baseUrl}|${transport}`;
      hub = new TabHub(this.sharing, { name, reader: this, transport });
      this.hubs.set(transport, hub);
    }
    return hub;
  }

  /**
   * Hands this tab's part in sharing on (the connection, if it holds it) and leaves the channel.
   * A browser does this by itself when the page goes away; call it when a client is done with
   * before its page is (tests do).
   */
  close(): void {
    for (const hub of this.hubs.values()) hub.close();
    this.hubs.clear();
  }

  /** The URL of a board's SSE stream, resuming after `lastEventId` when given. */
  eventsUrl(boardId: string, lastEventId?: number): string {
    const suffix = lastEventId === undefined ? '' : `?lastEventId=${lastEventId}`;
    return `${this.baseUrl}${boardPath(boardId)}/events${suffix}`;
  }

  /**
   * Events of a board as an async iterator: reconnects by itself (honours `retry:`, backoff with
   * jitter), resumes from the last seq it yielded, never yields a seq twice or skips one; yields a
   * `{type:'reset'}` message when the server cannot replay (the caller refetches the snapshot; the
   * iterator continues from the reset's seq). `from`: resume after this seq (e.g. the snapshot's
   * seq); omitted = from now. Ends when `signal` aborts or after `board_deleted`.
   */
  subscribe(boardId: string, options: SubscribeOptions = {}): AsyncIterableIterator<StreamMessage> {
    return subscribe(this, boardId, options);
  }

  /**
   * Snapshot + live, the usual way to follow a board: calls onBoard with each new Board state
   * (fetches the snapshot, subscribes from its seq, folds events with the shared applyEvent,
   * refetches on reset). Returns a stop function.
   */
  watchBoard(boardId: string, handlers: WatchHandlers, options: WatchOptions = {}): () => void {
    return watchBoard(this, boardId, handlers, options);
  }

  private async write<T>(
    method: Method,
    path: string,
    body: unknown,
    options: WriteOptions = {},
  ): Promise<Written<T>> {
    const response = await this.request<T>(method, path, body, options);
    return { data: response.body, seq: response.seq, replayed: response.replayed };
  }

  private async request<T>(
    method: Method,
    path: string,
    body?: unknown,
    options: WriteOptions = {},
  ): Promise<{ body: T; seq: number; replayed: boolean }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    // Said outright: a page's requests carry its own origin's cookie, and no other origin's.
    const init: RequestInit = { method, headers, credentials: 'same-origin' };
    if (body !== undefined) init.body = JSON.stringify(body);
    if (options.signal) init.signal = options.signal;

    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, init);
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw new LiveboardNetworkError(
        `cannot reach Liveboard at ${this.baseUrl || 'this origin'}: ${describe(error)}`,
        {
          cause: error,
        },
      );
    }
    if (!response.ok) throw await apiErrorFrom(response);
    const seq = Number(response.headers.get('board-seq') ?? Number.NaN);
    const replayed = response.headers.get('idempotent-replayed') === 'true';
    let parsed: unknown = null;
    if (response.status !== 204) {
      const text = await response.text();
      parsed = text ? JSON.parse(text) : null;
    }
    return { body: parsed as T, seq, replayed };
  }
}

function boardPath(boardId: string): string {
  return `/boards/${encodeURIComponent(boardId)}`;
}

function labelPath(boardId: string, labelId: string): string {
  return `${boardPath(boardId)}/labels/${encodeURIComponent(labelId)}`;
}

function partPath(boardId: string, kind: 'checklists' | 'items' | 'links', id: string): string {
  return `${boardPath(boardId)}/${kind}/${encodeURIComponent(id)}`;
}

function commentPath(boardId: string, commentId: string): string {
  return `${boardPath(boardId)}/comments/${encodeURIComponent(commentId)}`;
}

/** A query string of the fields that are set. */
function pageQuery(fields: Record<string, string | number | undefined>): URLSearchParams {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) query.set(name, String(value));
  return query;
}

function memberPath(boardId: string, userId: string): string {
  return `${boardPath(boardId)}/members/${encodeURIComponent(userId)}`;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const code = cause && typeof cause === 'object' ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? `${error.message} (${code})` : error.message;
}

import {
  ACCESS_EVENT_TYPES,
  isPublic,
  roleOf,
  type EventBody,
  type Role,
  type Visibility,
} from '../domain/index.js';
import type { BoardHead, LoggedEvent } from '../store/store.js';

/**
 * What a subscription knows of its reader's access to one board: the reader's role and the board's
 * visibility as of `seq`. It starts from the BoardHead the reader was authorized against, and only
 * the board's access events move it (pure: from the events alone), so every process that follows
 * the board's log cuts a reader off at the very same event.
 */
export interface ReaderAccess {
  readonly userId: string | null;
  readonly role: Role | null;
  readonly visibility: Visibility;
  /** The seq these facts are as of: events up to it are already in them. */
  readonly seq: number;
}

/** The reader's access as the board's head shows it: what a stream or poll starts from. */
export function readerAccessAt(head: BoardHead, userId: string | null): ReaderAccess {
  return { userId, role: roleOf(head, userId), visibility: head.visibility, seq: head.seq };
}

export function mayRead(access: ReaderAccess): boolean {
  return access.role !== null || isPublic(access.visibility);
}

/** Where the reader stands after `events` (in seq order), and the first one after which it may not read. */
export interface AccessFollowed {
  access: ReaderAccess;
  /** The seq of the event that took the reader's read access away; undefined if none did. */
  cutSeq: number | undefined;
}

/**
 * Follows the access events of `events` from `access`. Events at or before `access.seq` are already
 * in it (a resuming reader replays them: it was authorized against the board as it is now, after
 * them); anything but an access event leaves it as it is. Stops at the first event after which the
 * reader may no longer read the board: that event is the last the reader gets.
 */
export function followAccess(access: ReaderAccess, events: readonly LoggedEvent[]): AccessFollowed {
  let current = access;
  for (const event of events) {
    if (event.seq <= current.seq) continue;
    const change = accessChangeOf(event);
    if (!change) continue;
    current = accessAfter(current, change, event.seq);
    if (!mayRead(current)) return { access: current, cutSeq: event.seq };
  }
  return { access: current, cutSeq: undefined };
}

/** The part of `events` a reader at `access` gets: all of them, or up to the one that cut it off. */
export function readableEvents(
  access: ReaderAccess,
  events: readonly LoggedEvent[],
): { events: readonly LoggedEvent[]; cut: boolean } {
  const { cutSeq } = followAccess(access, events);
  if (cutSeq === undefined) return { events, cut: false };
  return { events: events.filter((event) => event.seq <= cutSeq), cut: true };
}

type AccessChange = Extract<
  EventBody,
  { type: 'member_added' | 'member_updated' | 'member_removed' | 'visibility_changed' }
>;

function accessAfter(access: ReaderAccess, change: AccessChange, seq: number): ReaderAccess {
  switch (change.type) {
    case 'member_added':
    case 'member_updated':
      return change.member.userId === access.userId
        ? { ...access, role: change.member.role, seq }
        : { ...access, seq };
    case 'member_removed':
      return change.userId === access.userId ? { ...access, role: null, seq } : { ...access, seq };
    case 'visibility_changed':
      return { ...access, visibility: change.visibility, seq };
  }
}

/**
 * An access event's body, parsed from its JSON once per event held in memory (the broadcaster's
 * recent events are shared by every subscriber's batch), not once per subscriber.
 */
const changesByEvent = new WeakMap<LoggedEvent, AccessChange>();

function accessChangeOf(event: LoggedEvent): AccessChange | undefined {
  if (!ACCESS_EVENT_TYPES.has(event.type)) return undefined;
  let change = changesByEvent.get(event);
  if (!change) {
    change = JSON.parse(event.json) as AccessChange;
    changesByEvent.set(event, change);
  }
  return change;
}

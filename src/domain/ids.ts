export type IdKind = 'board' | 'list' | 'task' | 'label' | 'comment' | 'checklist' | 'item' | 'link';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Random characters after the time: 8 base-36 characters, 41 bits, for the ids made in one millisecond. */
const RANDOM_LENGTH = 8;
/** The time's width: milliseconds in base 36 take 8 characters until 2059, and 9 after it. */
const TIME_LENGTH = 9;
/**
 * Random bytes drawn a hundred ids at a time: each call of getRandomValues costs about 12 µs in Node
 * whatever its size (2% of the server's CPU under 64 writers when drawn per id).
 */
const pool = new Uint8Array(RANDOM_LENGTH * 100);
let poolOffset = pool.length;

/**
 * A new id such as `task-0mx3vf4w0cdq0km06`: its kind, then the time in milliseconds (9 base-36
 * characters) and 8 random ones. Ids in the order they were made: each table and index keyed by an
 * id (tasks, used_ids, the search rows, the log's task index) takes a new one on the page it took
 * the last one on, where random ids took one page each. 64 writers on 64 boards dirtied about four
 * index pages more per write on SQLite: that is what each commit wrote, synced and checkpointed.
 */
export function newId(kind: IdKind): string {
  if (poolOffset + RANDOM_LENGTH > pool.length) {
    globalThis.crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  let suffix = Date.now().toString(36).padStart(TIME_LENGTH, '0');
  for (let index = 0; index < RANDOM_LENGTH; index++) suffix += ALPHABET[pool[poolOffset + index]! % 36];
  poolOffset += RANDOM_LENGTH;
  return `${kind}-${suffix}`;
}

/**
 * The shape of an id a client may propose for a new thing of this kind: its kind's prefix, then 8
 * to 40 lower-case letters and digits. Room for a random suffix that cannot collide in practice,
 * and nothing that needs escaping in a URL, a log line or a CSS selector. (The demo board's known
 * ids, like `list-todo`, are seeded by the server and need not fit it.)
 */
export function proposedIdPattern(kind: IdKind): string {
  return `^${kind}-[a-z0-9]{8,40}$`;
}

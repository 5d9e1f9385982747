export type IdKind = 'board' | 'list' | 'task' | 'label' | 'comment' | 'checklist' | 'item' | 'link';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A new id such as `task-k3j9x0q2m7ab`: its kind first, then 12 random base-36 characters (62 bits). */
export function newId(kind: IdKind): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  let suffix = '';
  for (const byte of bytes) suffix += ALPHABET[byte % 36];
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

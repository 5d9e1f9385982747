export type IdKind = 'board' | 'list' | 'task';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A new id such as `task-k3j9x0q2m7ab`: its kind first, then 12 random base-36 characters (62 bits). */
export function newId(kind: IdKind): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  let suffix = '';
  for (const byte of bytes) suffix += ALPHABET[byte % 36];
  return `${kind}-${suffix}`;
}

import { LiveboardError } from '../domain/index.js';
import type { SearchPosition } from '../store/store.js';

/**
 * A search page's cursor: the last result's place in the order, base64url JSON. It is not secret (it
 * only says where a page starts, on a board the caller may read), but it is checked field by field:
 * anything that is not one we could have made is a 400, never a query.
 */
export function encodeCursor(position: SearchPosition): string {
  return Buffer.from(JSON.stringify([position.rank, position.updatedAt, position.docKey])).toString(
    'base64url',
  );
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function decodeCursor(cursor: string): SearchPosition {
  const refused = new LiveboardError('validation_failed', 'cursor: is not a cursor this server gave', {
    field: 'cursor',
  });
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw refused;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refused;
  }
  if (!Array.isArray(value) || value.length !== 3) throw refused;
  const [rank, updatedAt, docKey] = value as unknown[];
  if (!Number.isInteger(rank) || (rank as number) < 0 || (rank as number) > 99) throw refused;
  if (typeof updatedAt !== 'string' || !ISO_INSTANT.test(updatedAt)) throw refused;
  if (typeof docKey !== 'string' || docKey.length === 0 || docKey.length > 300) throw refused;
  return { rank: rank as number, updatedAt, docKey };
}

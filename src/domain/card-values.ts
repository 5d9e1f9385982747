import { LiveboardError, invalid } from './errors.js';
import { LIMITS } from './limits.js';
import { isCoverColor, isLabelColor, type CoverColor, type LabelColor } from './palette.js';

/**
 * The checks of a card's values that hold on every store and every door (HTTP's schemas check
 * types and shapes first; the SDK and the CLI reach here too). Each refuses with the field at fault.
 */

/** `2026-12-03T17:00:00Z`, `2026-12-03T17:00:00.5+01:00`: a date, a time and a zone, all three. */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO 8601 instant with its zone, in UTC as the wire carries it (`…T16:00:00.000Z`). A date
 * without a time, a time without a zone, a day that does not exist (`2026-02-30`) or a year outside
 * 1970–2999 is refused rather than guessed at: a due date read in the wrong zone is a missed one.
 */
export function instant(field: string, value: unknown): string {
  if (typeof value !== 'string')
    throw invalid(field, 'must be an ISO 8601 instant, e.g. 2026-12-03T17:00:00Z');
  const match = INSTANT.exec(value);
  if (!match) {
    throw invalid(field, 'must be an ISO 8601 instant with a time and a zone, e.g. 2026-12-03T17:00:00Z');
  }
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (
    calendar.getUTCMonth() !== month - 1 ||
    calendar.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw invalid(field, 'is not a date and time that exists');
  }
  const time = new Date(value);
  const utcYear = time.getUTCFullYear();
  if (
    Number.isNaN(time.getTime()) ||
    year < 1970 ||
    utcYear < 1970 ||
    year > LIMITS.maxYear ||
    utcYear > LIMITS.maxYear
  ) {
    throw invalid(field, `must fall in the years 1970 to ${LIMITS.maxYear}`);
  }
  return time.toISOString();
}

export function reminderMinutes(value: unknown): number {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 0 ||
    value > LIMITS.reminderMaxMinutes
  ) {
    throw invalid('reminder', `must be a whole number of minutes from 0 to ${LIMITS.reminderMaxMinutes}`);
  }
  return value;
}

export function wipLimit(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > LIMITS.wipLimitMax) {
    throw invalid('wipLimit', `must be a whole number from 1 to ${LIMITS.wipLimitMax}, or null`);
  }
  return value;
}

export function boolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalid(field, 'must be true or false');
  return value;
}

export function labelColor(value: unknown): LabelColor | null {
  if (value === null) return null;
  if (!isLabelColor(value)) {
    throw invalid('color', 'must be one of the 30 label colours (green, green_dark, green_light, …) or null');
  }
  return value;
}

export function coverColor(value: unknown): CoverColor | null {
  if (value === null) return null;
  if (!isCoverColor(value)) {
    throw invalid(
      'coverColor',
      'must be one of green, yellow, orange, red, purple, blue, sky, lime, pink, black, or null',
    );
  }
  return value;
}

/** A list of distinct ids, at most `max`. */
export function idSet(field: string, value: unknown, max: number): string[] {
  if (
    !Array.isArray(value) ||
    value.some((id) => typeof id !== 'string' || id.length === 0 || id.length > 100)
  ) {
    throw invalid(field, 'must be a list of ids');
  }
  const ids = value as string[];
  if (ids.length > max) throw invalid(field, `must name at most ${max} ids`);
  if (new Set(ids).size !== ids.length) throw invalid(field, 'must not name an id twice');
  return ids;
}

/** `limit_reached`: the thing would hold more than its limit allows. */
export function limitReached(field: string, what: string, limit: number, count: number): LiveboardError {
  return new LiveboardError('limit_reached', `${what}: at most ${limit}`, { field, limit, count });
}

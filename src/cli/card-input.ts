import { LABEL_COLORS, LIMITS, isLabelColor, type LabelColor } from '../client/index.js';
import { UsageError } from './exit-codes.js';

/**
 * What people type for a card's fields, read into what the API takes. Pure (the time now is given),
 * so each rule is tested on its own; the commands in card-field-commands.ts only resolve names.
 */

/**
 * A day given without a time is due at noon, local time: the middle of the day people meant, and
 * the same calendar day in UTC for every zone from UTC−11 to UTC+11 (midnight or 23:59 would move
 * the day for half the world as soon as the date is shown in UTC, as history and the API do).
 */
export const DEFAULT_DUE_HOUR = 12;

export const WHEN_HELP = `A date is one of:
  none                    clears it
  today, tomorrow         that day at ${DEFAULT_DUE_HOUR}:00 in your time zone
  +3d, +2w                3 days, 2 weeks from today, at ${DEFAULT_DUE_HOUR}:00 (+1d is tomorrow)
  +2h, +30m               2 hours, 30 minutes from now
  2026-12-03              that day at ${DEFAULT_DUE_HOUR}:00 in your time zone
  2026-12-03 17:00        that day and time in your time zone (also 2026-12-03T17:00)
  2026-12-03T17:00:00Z    an instant with its zone (Z or +01:00), as the API takes it
A day may be followed by a time: tomorrow 17:00, +3d 09:30.
Your time zone is the system's (TZ=Europe/Paris to say another); the server is sent UTC.`;

/**
 * The instant `words` name, as an ISO string in UTC, or null for `none`. Local days and times are
 * read in the process's time zone (`TZ`), so "tomorrow" is the viewer's tomorrow.
 */
export function parseWhen(words: readonly string[], now: Date, what = 'date'): string | null {
  const text = words.join(' ').trim();
  const fail = (): never => {
    throw new UsageError(`cannot read '${text}' as a ${what}\n${WHEN_HELP}`);
  };
  if (text === '') fail();
  if (/^none$/i.test(text)) return null;

  const offset = /^\+(\d{1,4})\s*([mh])$/i.exec(text);
  if (offset) {
    const minutes = Number(offset[1]) * (offset[2]!.toLowerCase() === 'h' ? 60 : 1);
    return checked(new Date(now.getTime() + minutes * 60_000), text, fail);
  }
  // A zone said outright (Z, +01:00): an instant, whatever the local zone.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text)) {
    const instant = new Date(text);
    if (!sameFields(text, instant)) fail();
    return checked(instant, text, fail);
  }

  const match = /^(\S+?)(?:[T ](\d{1,2}):(\d{2}))?$/i.exec(text);
  if (!match) return fail();
  const [, dayWord, hourText, minuteText] = match;
  const day = localDay(dayWord!, now);
  if (!day) return fail();
  const hour = hourText === undefined ? DEFAULT_DUE_HOUR : Number(hourText);
  const minute = minuteText === undefined ? 0 : Number(minuteText);
  if (hour > 23 || minute > 59) fail();
  const local = new Date(day.year, day.month, day.date, hour, minute, 0, 0);
  // new Date(2026, 1, 30) quietly becomes 2 March: a day that does not exist is refused instead.
  if (local.getFullYear() !== day.year || local.getMonth() !== day.month || local.getDate() !== day.date) {
    fail();
  }
  return checked(local, text, fail);
}

function localDay(word: string, now: Date): { year: number; month: number; date: number } | undefined {
  const lower = word.toLowerCase();
  const from = (days: number) => {
    const day = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days, 12);
    return { year: day.getFullYear(), month: day.getMonth(), date: day.getDate() };
  };
  if (lower === 'today') return from(0);
  if (lower === 'tomorrow') return from(1);
  const relative = /^\+(\d{1,4})([dw])$/.exec(lower);
  if (relative) return from(Number(relative[1]) * (relative[2] === 'w' ? 7 : 1));
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(word);
  if (iso) return { year: Number(iso[1]), month: Number(iso[2]) - 1, date: Number(iso[3]) };
  return undefined;
}

/** `2026-02-30T10:00Z` parses as 2 March: the date part must read back as written. */
function sameFields(text: string, instant: Date): boolean {
  if (Number.isNaN(instant.getTime())) return false;
  const [year, month, day] = text.slice(0, 10).split('-').map(Number);
  // The day as written, checked in UTC with the time zeroed (an offset may move the instant's day).
  const written = new Date(Date.UTC(year!, month! - 1, day!));
  return written.getUTCMonth() === month! - 1 && written.getUTCDate() === day;
}

function checked(instant: Date, text: string, fail: () => never): string {
  if (Number.isNaN(instant.getTime())) fail();
  const year = instant.getUTCFullYear();
  if (year < 1970 || year > LIMITS.maxYear) {
    throw new UsageError(`'${text}' is outside the years 1970–${LIMITS.maxYear}`);
  }
  return instant.toISOString();
}

/** Minutes before the due date (0 to 4 weeks), or null for `none`. */
export function parseReminder(raw: string): number | null {
  if (/^none$/i.test(raw)) return null;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > LIMITS.reminderMaxMinutes) {
    throw new UsageError(
      `--remind takes minutes before the due date, 0 to ${LIMITS.reminderMaxMinutes} (4 weeks), or none; got '${raw}'`,
    );
  }
  return Number(raw);
}

/** A list's WIP limit, 1–999, or null for `none`. */
export function parseWipLimit(raw: string): number | null {
  if (/^none$/i.test(raw)) return null;
  if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1) {
    throw new UsageError(
      `a WIP limit is a whole number from 1 to ${LIMITS.wipLimitMax}, or none; got '${raw}'`,
    );
  }
  return Number(raw);
}

/**
 * A label colour by its palette name. People type `Green`, `green-dark` or `green dark`; the API
 * takes `green_dark` only, so the CLI reads those as it. `none` is no colour.
 */
export function parseColor(raw: string): LabelColor | null {
  const name = raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (name === 'none') return null;
  if (isLabelColor(name)) return name;
  throw new UsageError(
    `'${raw}' is not a label colour; the colours are: ${LABEL_COLORS.join(', ')}, or none`,
  );
}

/** `+bug -urgent bug` → what to add (a bare name too) and what to remove, in the order given. */
export interface SetEdits {
  add: string[];
  remove: string[];
}

export function parseSetEdits(words: readonly string[], what: string): SetEdits {
  const edits: SetEdits = { add: [], remove: [] };
  for (const word of words) {
    if (word.startsWith('--')) throw new UsageError(`unknown option '${word}'`);
    const sign = word[0] === '-' ? 'remove' : 'add';
    const name = word[0] === '-' || word[0] === '+' ? word.slice(1) : word;
    if (name.trim() === '') throw new UsageError(`'${word}' names no ${what}: +name adds, -name removes`);
    edits[sign].push(name);
  }
  return edits;
}

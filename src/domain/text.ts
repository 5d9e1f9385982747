import { LIMITS } from './limits.js';
import { invalid } from './errors.js';

/**
 * Text people type, checked once for every store: the same input gets the same answer on SQLite
 * and PostgreSQL. PostgreSQL cannot store U+0000 at all, and a lone surrogate has no UTF-8 form (a
 * driver would silently store U+FFFD), so both are refused here rather than answered differently
 * by each database. Titles are one line, so no control characters at all; descriptions keep tab,
 * line feed and carriage return. Bidirectional controls and emoji are text like any other.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const C0_IN_TITLE = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- as above
const C0_IN_DESCRIPTION = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Titles are trimmed, must keep at least one character, stay on one line, and have a length limit. */
export function requiredText(field: string, value: string): string {
  const text = value.trim();
  if (text.length === 0) throw invalid(field, 'must not be blank');
  if (text.length > LIMITS.titleLength)
    throw invalid(field, `must be at most ${LIMITS.titleLength} characters`);
  if (C0_IN_TITLE.test(text)) throw invalid(field, 'must not contain control characters');
  wellFormed(field, text);
  return text;
}

/** A description: any length up to the limit, several lines allowed. */
export function optionalText(field: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.length > LIMITS.descriptionLength) {
    throw invalid(field, `must be at most ${LIMITS.descriptionLength} characters`);
  }
  if (C0_IN_DESCRIPTION.test(value)) {
    throw invalid(field, 'must not contain control characters other than tab and line breaks');
  }
  wellFormed(field, value);
  return value;
}

function wellFormed(field: string, text: string): void {
  if (LONE_SURROGATE.test(text))
    throw invalid(field, 'must be well-formed Unicode (a lone surrogate was found)');
}

/**
 * A one-line name that may be empty (a label's: a colour alone is a label): trimmed, at most `max`
 * characters, no control characters, well-formed.
 */
export function lineText(field: string, value: string, max: number): string {
  const text = value.trim();
  if (text.length > max) throw invalid(field, `must be at most ${max} characters`);
  if (C0_IN_TITLE.test(text)) throw invalid(field, 'must be one line without control characters');
  wellFormed(field, text);
  return text;
}

/**
 * A comment's body, kept as typed (Markdown may start with an indented block), but never blank:
 * an empty comment says nothing and only costs every subscriber an event.
 */
export function commentText(field: string, value: string): string {
  if (value.trim().length === 0) throw invalid(field, 'must not be blank');
  if (value.length > LIMITS.commentLength) {
    throw invalid(field, `must be at most ${LIMITS.commentLength} characters`);
  }
  if (C0_IN_DESCRIPTION.test(value)) {
    throw invalid(field, 'must not contain control characters other than tab and line breaks');
  }
  wellFormed(field, value);
  return value;
}

/** A checklist item's text: one line like a title, up to LIMITS.itemTextLength characters. */
export function itemText(field: string, value: string): string {
  const text = value.trim();
  if (text.length === 0) throw invalid(field, 'must not be blank');
  if (text.length > LIMITS.itemTextLength)
    throw invalid(field, `must be at most ${LIMITS.itemTextLength} characters`);
  if (C0_IN_TITLE.test(text)) throw invalid(field, 'must be one line without control characters');
  wellFormed(field, text);
  return text;
}

/** The schemes a link may have: the web, and mail. Anything else (javascript:, data:, file:) is refused. */
const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/**
 * A link's URL, as typed (trimmed): absolute, http, https or mailto, at most LIMITS.urlLength
 * characters, with no control characters or spaces. A URL that a browser would run (`javascript:`)
 * or that reads local files is refused here, so no client has to remember to.
 */
export function linkUrl(field: string, value: string): string {
  const url = value.trim();
  if (url.length === 0) throw invalid(field, 'must not be blank');
  if (url.length > LIMITS.urlLength) throw invalid(field, `must be at most ${LIMITS.urlLength} characters`);
  // eslint-disable-next-line no-control-regex -- control characters and spaces are what is refused
  if (/[\u0000-\u0020\u007f]/.test(url))
    throw invalid(field, 'must not contain spaces or control characters');
  wellFormed(field, url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(field, 'must be an absolute URL with its scheme, e.g. https://example.com');
  }
  if (!LINK_SCHEMES.has(parsed.protocol)) throw invalid(field, 'must be an http, https or mailto URL');
  // `https:example.com` parses, but no browser reads it as the link it looks like.
  if (parsed.protocol !== 'mailto:' && !/^https?:\/\//i.test(url))
    throw invalid(field, 'must be an absolute URL with its scheme, e.g. https://example.com');
  return url;
}

/**
 * The one tokenizer of search: what the stores index and what a query asks for are both made of
 * its terms, so SQLite and PostgreSQL match alike (neither database's own parser ever sees the text
 * or the query: see store/search-terms.ts). Words are found by `Intl.Segmenter` (dictionary word
 * breaking for Chinese, Japanese and Thai, where spaces do not separate words), then folded: NFKD,
 * combining marks stripped (é → e, ﬁ → fi), lower case, ß → ss.
 */

export interface Token {
  /** The folded word, as indexed and matched. */
  term: string;
  /** Where the word is in the text, in UTF-16 code units (what JavaScript's string offsets count). */
  start: number;
  end: number;
}

export interface Highlight {
  start: number;
  end: number;
}

/** Longer words are indexed by their first 64 code points: prefix matching still finds them. */
export const MAX_TERM_LENGTH = 64;
export const SEARCH_LIMITS = { queryLength: 200, resultsPerPage: 50 } as const;

// One fixed locale: word breaks must not depend on the server's or a client's settings. Made at
// the first use: loading ICU's word-break dictionaries takes tens of milliseconds of a start.
let segmenter: Intl.Segmenter | undefined;
const MARKS = /\p{M}/gu;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

export function foldTerm(word: string): string {
  const folded = word
    .normalize('NFKD')
    .toLowerCase()
    .normalize('NFKD')
    .replace(MARKS, '')
    .replaceAll('ß', 'ss');
  const codePoints = Array.from(folded);
  return codePoints.length > MAX_TERM_LENGTH ? codePoints.slice(0, MAX_TERM_LENGTH).join('') : folded;
}

/** The words of a text, in order, with where each stands in it. Punctuation, spaces and emoji are not words. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  segmenter ??= new Intl.Segmenter('en', { granularity: 'word' });
  for (const segment of segmenter.segment(text)) {
    if (!segment.isWordLike || !LETTER_OR_DIGIT.test(segment.segment)) continue;
    const term = foldTerm(segment.segment);
    if (term === '') continue;
    tokens.push({ term, start: segment.index, end: segment.index + segment.segment.length });
  }
  return tokens;
}

/** A text's distinct terms, in first-seen order: what is indexed for it. */
export function termsOf(text: string): string[] {
  return [...new Set(tokenize(text).map((token) => token.term))];
}

/**
 * The terms a query asks for: every one must begin a word of the field (prefix matching, so a
 * query can be typed as you go). Empty when the query has no word at all.
 */
export function queryTerms(query: string): string[] {
  return termsOf(query);
}

/** Where a text's words begin with one of the query's terms: what a result shows highlighted. */
export function highlightsOf(text: string, terms: readonly string[]): Highlight[] {
  return tokenize(text)
    .filter((token) => terms.some((term) => token.term.startsWith(term)))
    .map(({ start, end }) => ({ start, end }));
}

/** Whether every term of the query begins some word of the text: the match both stores make. */
export function matches(text: string, terms: readonly string[]): boolean {
  const words = termsOf(text);
  return terms.length > 0 && terms.every((term) => words.some((word) => word.startsWith(term)));
}

export interface Excerpt {
  /** Plain text: a window of the field, the whole field when it is short. */
  text: string;
  /** Where the window starts in the field. */
  offset: number;
  /** Relative to `text`. */
  highlights: Highlight[];
}

/**
 * At most `maxLength` code units of a field around its first highlight, so that a result stays small
 * whatever the field holds; never cuts a surrogate pair in two.
 */
export function excerptOf(text: string, highlights: readonly Highlight[], maxLength = 240): Excerpt {
  if (text.length <= maxLength) return { text, offset: 0, highlights: [...highlights] };
  const first = highlights[0]?.start ?? 0;
  let start = Math.max(0, Math.min(first - Math.floor(maxLength / 4), text.length - maxLength));
  if (isLowSurrogate(text.charCodeAt(start))) start++;
  let end = Math.min(text.length, start + maxLength);
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end--;
  const inside = highlights
    .filter((highlight) => highlight.start >= start && highlight.start < end)
    .map((highlight) => ({ start: highlight.start - start, end: Math.min(highlight.end, end) - start }));
  return { text: text.slice(start, end), offset: start, highlights: inside };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

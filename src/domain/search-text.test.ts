import { describe, expect, it } from 'vitest';
import { excerptOf, foldTerm, highlightsOf, matches, queryTerms, termsOf, tokenize } from './search-text.js';

describe('the search tokenizer', () => {
  it('folds accents, case, compatibility forms and ß; keeps Cyrillic and CJK words', () => {
    expect(termsOf('Crème BRÛLÉE ﬁne Straße')).toEqual(['creme', 'brulee', 'fine', 'strasse']);
    expect(termsOf('Привет, МИР')).toEqual(['привет', 'мир']);
    expect(foldTerm('Ёлка')).toBe('елка');
    // Dictionary word breaking: words where no space separates them.
    expect(termsOf('東京都に住んでいます')).toContain('東京');
  });

  it('emoji and punctuation are not words; hyphens and apostrophes split as Intl.Segmenter says', () => {
    expect(termsOf('🎉 ship it 🚀!!')).toEqual(['ship', 'it']);
    expect(termsOf('e-mail')).toEqual(['e', 'mail']);
    expect(termsOf("don't")).toEqual(["don't"]);
  });

  it('keeps where each word is in the original text, in UTF-16 units, emoji and accents included', () => {
    const text = '🎉 Café au lait';
    expect(tokenize(text)).toEqual([
      { term: 'cafe', start: 3, end: 7 },
      { term: 'au', start: 8, end: 10 },
      { term: 'lait', start: 11, end: 15 },
    ]);
  });

  it('hostile query syntax is just words: FTS5 and tsquery operators never reach a parser', () => {
    expect(queryTerms('" OR NEAR(')).toEqual(['or', 'near']);
    expect(queryTerms('a:*&')).toEqual(['a']);
    expect(queryTerms("'abs")).toEqual(['abs']);
    expect(queryTerms('*&|!()"')).toEqual([]);
  });

  it('caps a term at 64 code points, query and text alike, so prefix matching still finds long words', () => {
    const long = 'x'.repeat(500);
    expect(foldTerm(long)).toHaveLength(64);
    expect(matches(long, queryTerms(long))).toBe(true);
  });

  it('matches when every term begins a word; highlights those words', () => {
    expect(matches('Release the café menu', queryTerms('caf rel'))).toBe(true);
    expect(matches('Release the café menu', queryTerms('caf zzz'))).toBe(false);
    expect(matches('Release', queryTerms('ease'))).toBe(false);
    expect(highlightsOf('Release the café menu', ['caf', 'rel'])).toEqual([
      { start: 0, end: 7 },
      { start: 12, end: 16 },
    ]);
  });

  it('an excerpt is a window around the first highlight, offsets moved, never half a surrogate pair', () => {
    const text = `${'😀'.repeat(200)} needle ${'b'.repeat(300)}`;
    const excerpt = excerptOf(text, highlightsOf(text, ['needle']), 100);
    expect(excerpt.text.length).toBeLessThanOrEqual(100);
    const [highlight] = excerpt.highlights;
    expect(excerpt.text.slice(highlight!.start, highlight!.end)).toBe('needle');
    expect(text.slice(excerpt.offset + highlight!.start, excerpt.offset + highlight!.end)).toBe('needle');
    // encodeURIComponent throws on a lone surrogate.
    expect(() => encodeURIComponent(excerpt.text)).not.toThrow();
    expect(excerptOf('short', [{ start: 0, end: 5 }])).toEqual({
      text: 'short',
      offset: 0,
      highlights: [{ start: 0, end: 5 }],
    });
  });
});

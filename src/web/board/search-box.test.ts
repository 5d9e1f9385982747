import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import { highlighted } from './search-box.js';

const markup = (text: string, highlights: { start: number; end: number }[]): string =>
  renderToStaticMarkup(createElement('span', null, ...highlighted(text, highlights)));

describe('search results’ highlights', () => {
  test('the matched words are <mark>ed and everything else is text, never HTML', () => {
    expect(markup('<b>Crème</b> brûlée <img onerror=x>', [{ start: 3, end: 8 }])).toBe(
      '<span>&lt;b&gt;<mark>Crème</mark>&lt;/b&gt; brûlée &lt;img onerror=x&gt;</span>',
    );
  });

  test('several, in any order; overlapping, empty and out-of-range ones are left out', () => {
    expect(
      markup('release the café', [
        { start: 12, end: 16 },
        { start: 0, end: 3 },
        { start: 1, end: 5 },
        { start: 8, end: 8 },
      ]),
    ).toBe('<span><mark>rel</mark>ease the <mark>café</mark></span>');
    expect(markup('short', [{ start: 2, end: 40 }])).toBe('<span>sh<mark>ort</mark></span>');
  });
});

/**
 * Every label colour's text passes WCAG AA on its background (4.5:1), read from the stylesheet
 * the app ships, so a colour changed there without its text is caught here. (Beside the browser
 * tests because it reads a file: the rest of src/web runs in browsers and may not.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { COVER_COLORS, LABEL_COLORS } from '../../domain/index.js';

const css = readFileSync(new URL('../styles.css', import.meta.url), 'utf8');

function variable(name: string): string {
  const match = new RegExp(`--${name}:\\s*(#[0-9a-f]{6});`, 'i').exec(css);
  if (!match) throw new Error(`styles.css has no --${name}`);
  return match[1]!;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((at) => {
    const channel = parseInt(hex.slice(at, at + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

describe('label colours', () => {
  test.each([...LABEL_COLORS, 'none'])(
    '%s: its text reads at 4.5:1 or more, and a rule applies it',
    (name) => {
      expect(contrast(variable(`label-${name}`), variable(`label-${name}-text`))).toBeGreaterThanOrEqual(4.5);
      if (name !== 'none') expect(css).toContain(`[data-label-color='${name}']`);
    },
  );

  test.each([...COVER_COLORS])('cover %s has its rule', (name) => {
    expect(css).toContain(`[data-cover-color='${name}']`);
  });
});

/**
 * Label colours are Trello's 30 names, so that a later Trello import keeps every colour exactly:
 * ten base names, each also `_dark` and `_light`. The web app maps each to a CSS variable whose text
 * colour passes WCAG AA; the wire carries the name only. Covers take the ten base names.
 */
export const BASE_COLORS = [
  'green',
  'yellow',
  'orange',
  'red',
  'purple',
  'blue',
  'sky',
  'lime',
  'pink',
  'black',
] as const;

export type CoverColor = (typeof BASE_COLORS)[number];
export type LabelColor = CoverColor | `${CoverColor}_dark` | `${CoverColor}_light`;

export const LABEL_COLORS: readonly LabelColor[] = BASE_COLORS.flatMap((base) => [
  base,
  `${base}_dark` as const,
  `${base}_light` as const,
]);
export const COVER_COLORS: readonly CoverColor[] = BASE_COLORS;

export function isLabelColor(value: unknown): value is LabelColor {
  return typeof value === 'string' && (LABEL_COLORS as readonly string[]).includes(value);
}

export function isCoverColor(value: unknown): value is CoverColor {
  return typeof value === 'string' && (COVER_COLORS as readonly string[]).includes(value);
}

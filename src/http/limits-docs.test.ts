import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../domain/index.js';

describe('the documented limits table', () => {
  it('lists exactly the limits of src/domain/limits.ts, each with its value', () => {
    const docs = readFileSync(new URL('../../docs/API.md', import.meta.url), 'utf8');
    const start = docs.indexOf('<!-- limits-table');
    expect(start).toBeGreaterThan(0);
    const table = docs.slice(start, docs.indexOf('\n\n', docs.indexOf('| limit', start)));
    const documented = Object.fromEntries(
      [...table.matchAll(/^\|\s*`([A-Za-z]+)`\s*\|\s*(\d+)\s*\|/gm)].map((match) => [
        match[1],
        Number(match[2]),
      ]),
    );
    expect(documented).toEqual(LIMITS);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../domain/index.js';

describe('the documented error table', () => {
  it('lists exactly the error codes of src/domain/errors.ts, each with its status', () => {
    const docs = readFileSync(new URL('../../docs/API.md', import.meta.url), 'utf8');
    const table = docs.slice(docs.indexOf('<!-- error-table'));
    const documented = Object.fromEntries(
      [...table.matchAll(/^\|\s*`([a-z_]+)`\s*\|\s*(\d{3})\s*\|/gm)].map((match) => [
        match[1],
        Number(match[2]),
      ]),
    );
    expect(documented).toEqual(ERROR_STATUS);
  });
});

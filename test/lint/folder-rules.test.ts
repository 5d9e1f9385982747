import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * STYLE.md's "Each folder knows what it may import", proved on the linter itself: a one-line file
 * placed in each folder (in memory, through eslint.config.js) is refused for each import its folder
 * may not make, and accepted for the imports it may, so the rules cannot pass by refusing everything.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

interface FolderCase {
  /** Where the fixture pretends to live. */
  file: string;
  refused: string[];
  allowed: string[];
  /** The folder's rule, as its refusals of our modules say it (a driver or node: says its own). */
  says: RegExp;
}

const from = (source: string): string => `import '${source}';`;
/** What refusing a package says: which folder may have it, or that browsers cannot. */
const PACKAGE_RULE = /Only src\/store\/(sqlite|postgres)\/ may import|no node: modules/;

const cases: FolderCase[] = [
  {
    file: 'src/domain/x.ts',
    refused: [
      '../store/store.js',
      '../http/app.js',
      '../client/index.js',
      '../config.js',
      'node:crypto',
      'pg',
    ],
    allowed: ['./model.js', 'fractional-indexing'],
    says: /src\/domain\/ is pure/,
  },
  {
    file: 'src/store/x.ts',
    refused: [
      'better-sqlite3',
      'pg',
      '../config.js',
      '../metrics.js',
      '../live/broadcaster.js',
      '../http/app.js',
      '../writer/writer.js',
      '../client/index.js',
      './sqlite/sqlite-store.js',
      './postgres/postgres-store.js',
    ],
    allowed: ['../domain/index.js', './store.js', './board-cache.js', 'node:fs'],
    says: /src\/store\/ imports domain\/ only|Only src\/store\/open-store\.ts picks a backend/,
  },
  {
    file: 'src/store/open-store.ts',
    refused: ['../config.js', '../http/app.js', 'better-sqlite3', 'pg'],
    allowed: ['./sqlite/sqlite-store.js', './postgres/postgres-store.js', '../domain/index.js'],
    says: /src\/store\/ imports domain\/ only|Only src\/store\/open-store\.ts picks a backend/,
  },
  {
    file: 'src/store/contract/x.ts',
    refused: ['../../http/app.js', '../../config.js', '../sqlite/sqlite-store.js', 'pg'],
    allowed: ['../store.js', '../../domain/index.js', 'vitest'],
    says: /src\/store\/ imports domain\/ only|Only src\/store\/open-store\.ts picks a backend/,
  },
  {
    file: 'src/store/sqlite/x.ts',
    refused: ['pg', '../postgres/schema.js', '../../config.js', '../../live/broadcaster.js'],
    allowed: ['better-sqlite3', '../store.js', '../../domain/index.js', './statements.js', 'node:fs'],
    says: /src\/store\/ imports domain\/ only|SQLite backend does not import/,
  },
  {
    file: 'src/store/postgres/x.ts',
    refused: ['better-sqlite3', '../sqlite/schema.js', '../../metrics.js'],
    allowed: ['pg', '../store.js', '../../domain/index.js', './schema.js'],
    says: /src\/store\/ imports domain\/ only|PostgreSQL backend does not import/,
  },
  {
    file: 'src/live/x.ts',
    refused: [
      '../store/sqlite/sqlite-store.js',
      '../store/postgres/postgres-store.js',
      '../store/open-store.js',
      '../http/app.js',
      '../writer/writer.js',
      '../client/index.js',
      '../web/sdk.js',
      '../cli/program.js',
      '../config.js',
      'better-sqlite3',
      'pg',
    ],
    allowed: ['../store/store.js', '../metrics.js', '../domain/index.js', './sse-frame.js', 'node:http'],
    says: /src\/live\/ may import/,
  },
  {
    file: 'src/live/transport/x.ts',
    refused: ['../../store/sqlite/sqlite-store.js', '../../http/app.js', '../../config.js'],
    allowed: ['../../store/store.js', '../../metrics.js', '../broadcaster.js', 'node:net'],
    says: /src\/live\/ may import/,
  },
  {
    file: 'src/writer/x.ts',
    refused: [
      '../http/app.js',
      '../store/sqlite/sqlite-store.js',
      '../store/postgres/postgres-store.js',
      '../client/index.js',
      '../web/sdk.js',
      '../cli/program.js',
      'pg',
    ],
    allowed: ['../store/store.js', '../live/broadcaster.js', '../metrics.js', '../domain/index.js'],
    says: /src\/writer\/ may import/,
  },
  {
    file: 'src/http/x.ts',
    refused: [
      '../store/postgres/postgres-store.js',
      '../store/sqlite/sqlite-store.js',
      '../store/open-store.js',
      '../main.js',
      '../client/index.js',
      '../web/sdk.js',
      '../cli/program.js',
      'better-sqlite3',
      'pg',
    ],
    allowed: [
      '../store/store.js',
      '../live/broadcaster.js',
      '../writer/writer.js',
      '../metrics.js',
      '../domain/index.js',
      'fastify',
      'node:http',
    ],
    says: /src\/http\/ builds the app/,
  },
  {
    file: 'src/http/routes/x.ts',
    refused: ['../../store/sqlite/sqlite-store.js', '../../main.js', '../../client/index.js'],
    allowed: ['../../live/long-poll.js', '../../store/store.js', '../dependencies.js'],
    says: /src\/http\/ builds the app/,
  },
  {
    file: 'src/client/x.ts',
    refused: [
      'node:fs',
      '../store/store.js',
      '../live/broadcaster.js',
      '../http/app.js',
      '../writer/writer.js',
      '../web/sdk.js',
      '../cli/program.js',
    ],
    allowed: ['../domain/index.js', './errors.js'],
    says: /src\/client\/ \(the SDK\) may import/,
  },
  {
    file: 'src/client/x.test.ts',
    refused: ['../http/app.js', '../store/store.js'],
    allowed: ['node:fs', 'vitest', '../domain/index.js', './client.js'],
    says: /src\/client\/ \(the SDK\) may import/,
  },
  {
    file: 'src/web/x.tsx',
    refused: [
      '../http/app.js',
      '../store/store.js',
      '../live/broadcaster.js',
      '../writer/writer.js',
      '../cli/program.js',
      'node:fs',
    ],
    allowed: ['./sdk.js', '../client/index.js', '../domain/index.js', 'react'],
    says: /src\/web\/ talks to the server only through client\//,
  },
  {
    file: 'src/web/board/x.tsx',
    refused: ['../../http/app.js', '../../store/store.js'],
    allowed: ['../sdk.js', '../../client/index.js', '../../domain/index.js'],
    says: /src\/web\/ talks to the server only through client\//,
  },
  {
    file: 'src/web/board/dialogs/x.tsx',
    refused: ['../../../http/app.js', '../../../config.js'],
    allowed: ['../../sdk.js', '../../../domain/index.js'],
    says: /src\/web\/ talks to the server only through client\//,
  },
  {
    file: 'src/web/e2e/x.ts',
    refused: ['../../http/app.js', '../../store/sqlite/sqlite-store.js'],
    allowed: ['node:fs', 'playwright-core', '../../client/index.js'],
    says: /src\/web\/ talks to the server only through client\//,
  },
  {
    file: 'src/cli/x.ts',
    refused: [
      '../main.js',
      '../config.js',
      '../store/open-store.js',
      '../live/broadcaster.js',
      '../http/app.js',
      '../writer/writer.js',
      '../web/sdk.js',
      'pg',
    ],
    allowed: ['../client/index.js', '../domain/index.js', './main.js', 'node:url', 'commander'],
    says: /src\/cli\/ talks to the server only through client\//,
  },
  {
    file: 'src/cli/serve.ts',
    refused: ['../store/open-store.js', '../http/app.js', '../metrics.js', 'better-sqlite3'],
    allowed: ['../main.js', '../config.js', '../client/index.js', './exit-codes.js'],
    says: /src\/cli\/ talks to the server only through client\//,
  },
  {
    file: 'src/metrics.ts',
    refused: ['pg', 'better-sqlite3'],
    allowed: ['prom-client'],
    says: /never/,
  },
  {
    // The composition roots put the parts together, so they may import anything.
    file: 'src/main.ts',
    refused: [],
    allowed: ['./store/sqlite/sqlite-store.js', './http/app.js', './config.js', 'better-sqlite3', 'pg'],
    says: /never/,
  },
];

async function restrictions(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath: `${ROOT}${file}` });
  const messages = result!.messages;
  // A fixture that does not parse, or that no config covers, would prove nothing.
  expect(messages.filter((message) => message.fatal)).toEqual([]);
  return messages
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

describe('eslint.config.js enforces the folder rules of STYLE.md', () => {
  describe.each(cases)('$file', ({ file, refused, allowed, says }) => {
    it.each(refused)('refuses %s', async (source) => {
      const found = await restrictions(file, from(source));
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(source.startsWith('.') ? says : PACKAGE_RULE);
    });
    it.each(allowed)('accepts %s', async (source) => {
      expect(await restrictions(file, from(source))).toEqual([]);
    });
  });

  it('lets src/http/ import the types of config.ts, not its loader', async () => {
    expect(await restrictions('src/http/x.ts', "import type { Config } from '../config.js';")).toEqual([]);
    const found = await restrictions('src/http/x.ts', "import { loadConfig } from '../config.js';");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/src\/http\/.*config\.ts types/);
  });

  it('checks re-exports as well as imports', async () => {
    expect(await restrictions('src/client/x.ts', "export * from '../http/app.js';")).toHaveLength(1);
    expect(await restrictions('src/web/x.tsx', "export { buildApp } from '../http/app.js';")).toHaveLength(1);
  });
});

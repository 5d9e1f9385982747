import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// ─── Folder boundaries ─────────────────────────────────────────────────────────────────────────
// STYLE.md, "Each folder knows what it may import", as rules. ESLint does not merge a rule's options
// across config blocks (the last block that matches a file wins), so each file of src/ falls in
// exactly one block below, and that block lists everything its files may not import.
// `no-restricted-imports` matches the import's text, not the file it resolves to, hence the `**/`
// globs: `../store/x.js` and `../../store/x.js` both match `**/store/**`.

/** Everything inside one of our folders, from any depth. */
const folder = (name) => `**/${name}/**`;
/** One of the modules at the top of src/ (config.js, …), from a folder or a subfolder of one. */
const srcModule = (file) => [`../${file}`, `../../${file}`, `../../../${file}`];
/** The store's interfaces (store/store.ts, store/accounts.ts) and nothing else of store/. */
const storeInterfaceOnly = [folder('store'), '!**/store/store.js', '!**/store/accounts.js'];
const compositionRoot = [...srcModule('main.js'), ...srcModule('cluster.js')];

const NODE = {
  group: ['node:*'],
  message: 'The SDK and the web app run in browsers: no node: modules here (tests and src/web/e2e/ may).',
};
const SQLITE_DRIVER = {
  group: ['better-sqlite3'],
  message: 'Only src/store/sqlite/ may import better-sqlite3.',
};
const PG_DRIVER = { group: ['pg'], message: 'Only src/store/postgres/ may import pg.' };
const DRIVERS = [SQLITE_DRIVER, PG_DRIVER];

/** One block of boundaries: `patterns` are the imports these files may not make. */
function boundary(files, patterns, ignores = []) {
  return { files, ignores, rules: { 'no-restricted-imports': ['error', { patterns }] } };
}

const storeRule = {
  group: [
    ...['accounts', 'live', 'http', 'writer', 'client', 'web', 'cli'].map(folder),
    ...srcModule('config.js'),
    ...srcModule('metrics.js'),
    ...compositionRoot,
  ],
  message:
    'src/store/ imports domain/ only: not config.ts, metrics.ts, accounts/, live/, http/, writer/, client/, web/ or cli/.',
};
const clientRule = {
  group: [
    ...['store', 'live', 'http', 'writer', 'web', 'cli'].map(folder),
    ...srcModule('config.js'),
    ...srcModule('metrics.js'),
    ...compositionRoot,
  ],
  message: 'src/client/ (the SDK) may import domain/ only: not store/, live/, http/, writer/, web/ or cli/.',
};
const webRule = {
  group: [
    ...['store', 'live', 'http', 'writer', 'cli'].map(folder),
    ...srcModule('config.js'),
    ...srcModule('metrics.js'),
    ...compositionRoot,
  ],
  message:
    'src/web/ talks to the server only through client/ (src/web/sdk.ts): it may import domain/ and client/, not store/, live/, http/, writer/ or cli/.',
};
const cliFolders = ['store', 'accounts', 'live', 'http', 'writer', 'web'].map(folder);
const cliMessage =
  'src/cli/ talks to the server only through client/: it may import client/ and domain/, not store/, accounts/, live/, http/, writer/ or web/; only src/cli/serve.ts starts a server (config.ts, main.ts), only src/cli/admin.ts opens the database.';

const folderBoundaries = [
  // Whatever is not in a folder below (config.ts, metrics.ts, …) leaves the drivers to the store;
  // the composition roots may import anything.
  boundary(['src/**/*.ts', 'src/**/*.tsx'], DRIVERS, [
    'src/main.ts',
    'src/cluster.ts',
    'src/{domain,store,accounts,live,writer,http,client,web,cli}/**',
  ]),
  boundary(
    ['src/domain/**/*.ts'],
    [
      {
        group: [
          ...['store', 'accounts', 'live', 'http', 'writer', 'client', 'web', 'cli'].map(folder),
          ...srcModule('config.js'),
          ...srcModule('metrics.js'),
          ...compositionRoot,
        ],
        message: 'src/domain/ is pure: it imports nothing of ours (only other domain/ modules).',
      },
      { group: ['node:*'], message: 'src/domain/ is pure: no node: modules (no I/O).' },
      ...DRIVERS,
    ],
  ),
  boundary(
    ['src/store/**/*.ts'],
    [
      storeRule,
      {
        group: [folder('sqlite'), folder('postgres')],
        message:
          'Only src/store/open-store.ts picks a backend: other shared store code imports store.ts, not sqlite/ or postgres/.',
      },
      ...DRIVERS,
    ],
    ['src/store/open-store.ts', 'src/store/sqlite/**', 'src/store/postgres/**'],
  ),
  boundary(['src/store/open-store.ts'], [storeRule, ...DRIVERS]),
  boundary(
    ['src/store/sqlite/**/*.ts'],
    [
      storeRule,
      { group: [folder('postgres')], message: 'The SQLite backend does not import the PostgreSQL one.' },
      PG_DRIVER,
    ],
  ),
  boundary(
    ['src/store/postgres/**/*.ts'],
    [
      storeRule,
      { group: [folder('sqlite')], message: 'The PostgreSQL backend does not import the SQLite one.' },
      SQLITE_DRIVER,
    ],
  ),
  // Accounts: password hashing and secrets, beside the store's account records they are kept in.
  boundary(
    ['src/accounts/**/*.ts'],
    [
      {
        group: [
          ...storeInterfaceOnly,
          ...['live', 'http', 'writer', 'client', 'web', 'cli'].map(folder),
          ...srcModule('config.js'),
          ...srcModule('metrics.js'),
          ...compositionRoot,
        ],
        message:
          'src/accounts/ may import domain/, store/store.ts and store/accounts.ts (the interfaces): not a store backend, config.ts, metrics.ts, live/, http/, writer/, client/, web/ or cli/.',
      },
      ...DRIVERS,
    ],
  ),
  boundary(
    ['src/live/**/*.ts'],
    [
      {
        group: [
          ...storeInterfaceOnly,
          ...['http', 'writer', 'client', 'web', 'cli'].map(folder),
          ...srcModule('config.js'),
          ...compositionRoot,
        ],
        message:
          'src/live/ may import domain/, store/store.ts and store/accounts.ts (the interfaces) and metrics.ts: not a store backend (sqlite/, postgres/) or other store module, http/, writer/, client/, web/ or cli/.',
      },
      ...DRIVERS,
    ],
  ),
  boundary(
    ['src/writer/**/*.ts'],
    [
      {
        group: [
          ...storeInterfaceOnly,
          ...['http', 'client', 'web', 'cli'].map(folder),
          ...srcModule('config.js'),
          ...compositionRoot,
        ],
        message:
          'src/writer/ may import domain/, store/store.ts and store/accounts.ts (the interfaces), live/ and metrics.ts: not a store backend, http/, client/, web/ or cli/.',
      },
      ...DRIVERS,
    ],
    ['src/writer/**/*.test.ts'],
  ),
  // The write path's tests start the whole server in-process, as main.ts wires it, to prove that a
  // writer that is not HTTP reaches a real stream: only they may reach the composition root.
  boundary(
    ['src/writer/**/*.test.ts'],
    [
      {
        group: [...storeInterfaceOnly, ...['http', 'client', 'web', 'cli'].map(folder)],
        message:
          'src/writer/ tests may start the server through main.ts and config.ts, but otherwise import what src/writer/ may.',
      },
      ...DRIVERS,
    ],
  ),
  boundary(
    ['src/http/**/*.ts'],
    [
      {
        group: [...storeInterfaceOnly, ...['client', 'web', 'cli'].map(folder), ...compositionRoot],
        message:
          'src/http/ builds the app from its dependencies: it may import domain/, store/store.ts and store/accounts.ts (the interfaces), live/, writer/ and metrics.ts, not a store backend, client/, web/, cli/ or main.ts.',
      },
      {
        group: srcModule('config.js'),
        allowTypeImports: true,
        message: 'src/http/ is given its configuration: it may import config.ts types, not the loader.',
      },
      ...DRIVERS,
    ],
  ),
  boundary(['src/client/**/*.ts'], [clientRule, NODE, ...DRIVERS], ['src/client/**/*.test.ts']),
  boundary(['src/client/**/*.test.ts'], [clientRule, ...DRIVERS]),
  boundary(['src/web/**/*.ts', 'src/web/**/*.tsx'], [webRule, NODE, ...DRIVERS], ['src/web/e2e/**']),
  boundary(['src/web/e2e/**/*.ts'], [webRule, ...DRIVERS]),
  boundary(
    ['src/cli/**/*.ts'],
    [
      {
        group: [...cliFolders, ...srcModule('config.js'), ...srcModule('metrics.js'), ...compositionRoot],
        message: cliMessage,
      },
      ...DRIVERS,
    ],
    ['src/cli/serve.ts', 'src/cli/admin.ts'],
  ),
  // `liveboard serve` starts the server through the composition root, exactly as `npm start` does.
  boundary(
    ['src/cli/serve.ts'],
    [
      { group: [...cliFolders, ...srcModule('metrics.js'), ...srcModule('cluster.js')], message: cliMessage },
      ...DRIVERS,
    ],
  ),
  // `liveboard admin` works on the database: it opens the store, writes through the one write path
  // (writer/, with live/'s broadcaster and metrics.ts) and hashes passwords (accounts/). No server.
  boundary(
    ['src/cli/admin.ts'],
    [
      {
        group: [
          folder('store'),
          '!**/store/open-store.js',
          ...['http', 'web'].map(folder),
          ...srcModule('config.js'),
          ...compositionRoot,
        ],
        message:
          'src/cli/admin.ts may open the store (store/open-store.ts) and import writer/, live/, accounts/ and metrics.ts: not a store backend, http/, web/, config.ts or main.ts.',
      },
      ...DRIVERS,
    ],
  ),
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'test-results/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain JavaScript runs in Node (scripts, bench, bin); TypeScript gets its globals from its types.
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...folderBoundaries,
);

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { defineAccountStoreContract } from '../contract/account-contract.js';
import { migrate } from './schema.js';
import { SqliteStore } from './sqlite-store.js';

/** The schema version before the accounts' tables (migration 4). */
const BEFORE_ACCOUNTS = 3;

let folders: string[] = [];
let lastPath: string | undefined;

function freshFile(): string {
  const folder = mkdtempSync(join(tmpdir(), 'liveboard-accounts-'));
  folders.push(folder);
  lastPath = join(folder, 'store.db');
  return lastPath;
}

defineAccountStoreContract(
  'sqlite',
  {
    async open() {
      return new SqliteStore(freshFile());
    },
    async openAgain() {
      return new SqliteStore(lastPath!);
    },
    async openBeforeAccounts(rows) {
      const path = freshFile();
      const db = new Database(path);
      migrate(db, BEFORE_ACCOUNTS);
      for (const sql of rows) db.exec(sql);
      db.close();
      return new SqliteStore(path);
    },
    async cleanup() {
      for (const folder of folders) rmSync(folder, { recursive: true, force: true });
      folders = [];
      lastPath = undefined;
    },
  },
  { revocationsAcrossStores: false },
);

/**
 * Under `npm run cluster` the processes share the file and hear each other's revocations through
 * the primary (commit-feed.ts): a real cluster of two workers on one file, one revoking, one
 * listening, relayed by the primary as cluster.ts does it.
 */
describe('SQLite accounts under npm run cluster', () => {
  const folder = mkdtempSync(join(tmpdir(), 'liveboard-accounts-cluster-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('a revocation in one worker reaches the other, relayed by the primary, once', async () => {
    const here = (file: string) => JSON.stringify(fileURLToPath(new URL(file, import.meta.url)));
    const script = join(folder, 'cluster.mts');
    writeFileSync(
      script,
      `
      import cluster from 'node:cluster';
      import { SqliteStore } from ${here('./sqlite-store.ts')};
      import { relayCommits } from ${here('./commit-feed.ts')};
      const path = ${JSON.stringify(join(folder, 'store.db'))};
      const now = new Date('2026-03-01T12:00:00.000Z');
      if (cluster.isPrimary) {
        const store = new SqliteStore(path);
        const user = await store.accounts.createUser({ username: 'alice', displayName: '', passwordHash: 'h', now });
        await store.accounts.createSession({ idHash: 'session-1', userId: user.id, now, ttlMs: 60_000 });
        await store.close();
        relayCommits();
        const heard = [];
        const done = (result) => {
          console.log(JSON.stringify(result));
          for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
          process.exit(0);
        };
        setTimeout(() => done({ heard, timedOut: true }), 8000);
        cluster.on('message', (_worker, message) => {
          if (message.type === 'test:ready') cluster.fork({ ROLE: 'revoker' });
          if (message.type === 'test:heard') heard.push(message.revocation);
          if (message.type === 'test:revoked') setTimeout(() => done({ heard, local: message.local }), 300);
        });
        cluster.fork({ ROLE: 'listener' });
      } else {
        const store = new SqliteStore(path);
        if (process.env.ROLE === 'listener') {
          await store.accounts.watchRevocations((revocation) => process.send({ type: 'test:heard', revocation }));
          process.send({ type: 'test:ready' });
        } else {
          const local = [];
          await store.accounts.watchRevocations((revocation) => local.push(revocation));
          await store.accounts.revokeSession('session-1');
          process.send({ type: 'test:revoked', local });
        }
      }
      `,
    );
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      timeout: 20_000,
    });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({
      heard: [{ kind: 'session', idHash: 'session-1' }],
      local: [{ kind: 'session', idHash: 'session-1' }],
    });
  });
});

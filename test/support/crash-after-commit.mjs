/**
 * A Liveboard server (the build, configured from the environment as `npm start` is) that dies by
 * SIGKILL right after a write commits, before it is broadcast or answered: the window that
 * Idempotency-Keys exist for. LIVEBOARD_TEST_CRASH_AFTER=N (default 1) picks the Nth write after
 * start; with concurrent writers that is usually in the middle of a group commit, whose other
 * writes are then committed but never answered. The fault is injected at the write path's seam, so
 * the server's own code carries no test switch.
 */
import { loadConfig } from '../../dist/config.js';
import { startLiveboard } from '../../dist/main.js';

const crashAfter = Number(process.env.LIVEBOARD_TEST_CRASH_AFTER ?? 1);
// Armed once the server is up, so that the demo board's seed (written through the same path) is not cut.
let armed = false;
let commits = 0;
await startLiveboard(loadConfig(process.env), {
  afterCommit() {
    if (armed && ++commits >= crashAfter) process.kill(process.pid, 'SIGKILL');
  },
});
armed = true;

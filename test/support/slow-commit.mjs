/**
 * A Liveboard server (the build, configured from the environment as `npm start` is) whose every
 * group commit waits LIVEBOARD_TEST_COMMIT_DELAY_MS (default 200) before its transaction starts, so
 * that writes arriving meanwhile queue behind it on any machine, however fast its store commits (a
 * SQLite commit is synchronous: without the wait, a write that finds the board idle is committed
 * before the next request is even read). The delay is injected at the write path's seam.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { loadConfig } from '../../dist/config.js';
import { startLiveboard } from '../../dist/main.js';

const delayMs = Number(process.env.LIVEBOARD_TEST_COMMIT_DELAY_MS ?? 200);
// Armed once the server is up, so that the demo board's seed is not slowed.
let armed = false;
await startLiveboard(loadConfig(process.env), {
  async beforeCommit() {
    if (armed) await delay(delayMs);
  },
});
armed = true;

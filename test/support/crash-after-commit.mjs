/**
 * A Liveboard server (the build, configured from the environment as `npm start` is) that dies by
 * SIGKILL right after its first write commits, before the write is broadcast or answered: the
 * window that Idempotency-Keys exist for. The fault is injected at the write path's seam, so the
 * server's own code carries no test switch.
 */
import { loadConfig } from '../../dist/config.js';
import { startLiveboard } from '../../dist/main.js';

// Armed once the server is up, so that the demo board's seed (written through the same path) is not cut.
let armed = false;
await startLiveboard(loadConfig(process.env), {
  afterCommit() {
    if (armed) process.kill(process.pid, 'SIGKILL');
  },
});
armed = true;

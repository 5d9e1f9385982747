import type { Config } from '../config.js';
import type { Broadcaster } from '../live/broadcaster.js';
import type { Heartbeat } from '../live/heartbeat.js';
import type { Metrics } from '../metrics.js';
import type { Store } from '../store/store.js';
import type { BoardWriter } from '../writer/board-writer.js';

/** What the HTTP app is built from (main.ts makes them; tests may make their own). */
export interface AppDependencies {
  config: Config;
  /** For reads; every write goes through the writer. */
  store: Store;
  writer: BoardWriter;
  broadcaster: Broadcaster;
  heartbeat: Heartbeat;
  metrics: Metrics;
}

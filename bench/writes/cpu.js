// CPU seconds by who spent them: the server (its process and a cluster's workers), the load
// processes, and the database (every `postgres` process on the machine: its backends, WAL
// writer and checkpointer do the commits' work; SQLite's is done inside the server's process).
import { readdirSync, readFileSync } from 'node:fs';
import { cpuSeconds } from '../lib/procfs.js';

/** CPU seconds of every process whose command name is `name` (others' included: see the README). */
export function cpuSecondsOfCommand(name) {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== name) continue;
    } catch {
      continue; // exited while we looked
    }
    total += cpuSeconds(Number(entry));
  }
  return total;
}

export const databaseCpuSeconds = () => cpuSecondsOfCommand('postgres');

/** This process's own user + system CPU seconds. */
export const ownCpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

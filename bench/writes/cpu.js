// CPU seconds by who spent them: the server (its process and a cluster's workers), the load
// processes, and the database (every `postgres` process on the machine: its backends, WAL
// writer and checkpointer do the commits' work; SQLite's is done inside the server's process).
import { readdirSync, readFileSync } from 'node:fs';
import { cpuSeconds } from '../lib/procfs.js';

/** CPU seconds so far of every process whose command name is `name`, by pid. */
export function cpuByPid(name) {
  const byPid = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== name) continue;
    } catch {
      continue; // exited while we looked
    }
    byPid.set(Number(entry), cpuSeconds(Number(entry)));
  }
  return byPid;
}

/**
 * CPU seconds used between two `cpuByPid` readings: a process that started meanwhile counts from
 * zero; one that exited meanwhile is left out (what it used in the window is lost with it), so the
 * figure never goes negative when connections come and go.
 */
export function cpuBetween(before, after) {
  let total = 0;
  for (const [pid, seconds] of after) total += Math.max(0, seconds - (before.get(pid) ?? 0));
  return total;
}

export const databaseCpu = () => cpuByPid('postgres');

/** This process's own user + system CPU seconds. */
export const ownCpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

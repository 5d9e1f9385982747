// What the kernel knows about a process: resident memory and CPU time, read from /proc.
import { readFileSync, readdirSync } from 'node:fs';
import { monotonicMs } from './clock.js';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** Resident set size in KiB (VmRSS), 0 if the process is gone. */
export function rssKb(pid) {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** User + system CPU seconds the process has used so far. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** The process and its direct children (nginx: the master and its workers). */
export function processFamily(pid) {
  const family = [pid];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) family.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return family;
}

export function familyRssKb(pid) {
  return processFamily(pid).reduce((sum, member) => sum + rssKb(member), 0);
}

export function familyCpuSeconds(pid) {
  return processFamily(pid).reduce((sum, member) => sum + cpuSeconds(member), 0);
}

/**
 * Waits until the processes whose CPU `cpuSeconds()` sums have used less than `share` of a core
 * over `windowMs`, at most `timeoutMs`; says whether they did. A measurement taken while another
 * server still collects the garbage of its own last burst (both share the two cores) would be
 * slower for a reason that is not its own.
 */
export async function waitQuiet(cpuSeconds, { windowMs = 300, share = 0.1, timeoutMs = 5000 } = {}) {
  const deadline = monotonicMs() + timeoutMs;
  let before = cpuSeconds();
  while (monotonicMs() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const now = cpuSeconds();
    if (now - before < (share * windowMs) / 1000) return true;
    before = now;
  }
  return false;
}

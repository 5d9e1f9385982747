// Makes sure nginx and the nchan module are installed, from Debian's packages, before the bench
// needs them. Nothing is started here: Debian's packages would start the default site on port 80
// where services are allowed, so if the install started one we stop exactly that process.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { NCHAN_MODULES } from './targets.js';

const MODULE = `${NCHAN_MODULES}/ngx_nchan_module.so`;

function installed() {
  return existsSync(MODULE) && (existsSync('/usr/sbin/nginx') || spawnSync('nginx', ['-v']).status === 0);
}

function aptGet(args, log) {
  log(`bench: apt-get ${args.join(' ')}`);
  const result = spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', ...args], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 600_000,
  });
  return result.status === 0;
}

function servicePid() {
  try {
    return Number(readFileSync('/run/nginx.pid', 'utf8').trim()) || null;
  } catch {
    return null;
  }
}

/** Returns null when nginx + nchan are ready, or the reason they are not. */
export function ensureNchan(log = console.error) {
  if (installed()) return null;
  const pidBefore = servicePid();
  if (!aptGet(['update'], log)) return 'apt-get update failed';
  const packages = ['libnginx-mod-nchan'];
  if (!aptGet(['install', '-y', '--no-install-recommends', 'nginx-light', ...packages], log)) {
    if (!aptGet(['install', '-y', '--no-install-recommends', 'nginx', ...packages], log)) {
      return 'apt-get install nginx + libnginx-mod-nchan failed';
    }
  }
  const pidAfter = servicePid();
  if (pidAfter && pidAfter !== pidBefore) {
    log(`bench: the install started nginx's default service (pid ${pidAfter}); stopping it`);
    try {
      process.kill(pidAfter, 'SIGQUIT');
    } catch {
      // already gone
    }
  }
  return installed() ? null : `${MODULE} missing after install`;
}

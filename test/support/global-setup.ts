import { execSync } from 'node:child_process';

/** Tests run the server from its build (as `npm start` does): build once, before any test file. */
export default function setup(): void {
  execSync('node scripts/ensure-build.mjs', { stdio: 'inherit' });
}

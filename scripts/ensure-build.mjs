// Builds dist/ when it is missing or older than any source file, so `npm start` on a fresh
// checkout serves the real thing and a second start does not wait for a build it does not need.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const stamp = join(root, 'dist', '.build-stamp');
const inputs = ['src', 'package.json', 'tsconfig.json', 'vite.config.ts'];

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const sourceTime = Math.max(
  ...inputs
    .map((input) => join(root, input))
    .filter(existsSync)
    .map(newestMtime),
);
if (!existsSync(stamp) || statSync(stamp).mtimeMs < sourceTime) {
  console.error('liveboard: building (sources changed since the last build)…');
  execSync('npm run --silent build', { cwd: root, stdio: 'inherit' });
  execSync(
    `node -e "require('fs').writeFileSync(process.argv[1], new Date().toISOString())" ${JSON.stringify(stamp)}`,
  );
}

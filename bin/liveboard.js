#!/usr/bin/env node
// `npx liveboard …`: builds dist/ first if the sources changed (quietly, unless the build fails),
// then runs the CLI from the build. LIVEBOARD_SKIP_BUILD=1 skips the check (tests, CI).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (process.env.LIVEBOARD_SKIP_BUILD !== '1') {
  const build = spawnSync(process.execPath, ['scripts/ensure-build.mjs'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) {
    process.stderr.write(
      `liveboard: could not build dist/ (npm run build):\n${build.stdout ?? ''}${build.stderr ?? ''}`,
    );
    process.exit(1);
  }
}
await import('../dist/cli/main.js');

import { defineConfig } from 'vitest/config';

const shared = {
  // Tests start real servers and browsers: give them room, and run files in separate processes.
  pool: 'forks' as const,
  testTimeout: 30_000,
  hookTimeout: 60_000,
  globalSetup: ['test/support/global-setup.ts'],
};

export default defineConfig({
  test: {
    projects: [
      {
        test: { ...shared, name: 'sqlite', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
      },
      {
        // The wire-contract suites again, with every server on PostgreSQL instead of SQLite.
        test: {
          ...shared,
          name: 'postgres',
          include: ['src/http/*.test.ts', 'src/live/*.test.ts', 'src/store/log-property.test.ts'],
          exclude: [
            'src/live/multi-process.test.ts',
            'src/http/error-docs.test.ts',
            'src/http/limits-docs.test.ts',
          ],
          env: { LIVEBOARD_TEST_STORE: 'postgres' },
        },
      },
    ],
  },
});

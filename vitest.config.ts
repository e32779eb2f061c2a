import { defineConfig } from 'vitest/config';

/**
 * Two projects: `node` (core, shell glue through fakes, real sshd/SQLite/pty) and `e2e` (real Chromium
 * against the browser host). Both run under plain Node; neither needs the Electron binary.
 */
export default defineConfig({
  test: {
    allowOnly: !process.env.CI,
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/node/**/*.test.ts'],
          globalSetup: ['test/support/globalSetup.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

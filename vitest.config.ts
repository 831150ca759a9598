import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the cores: one on the 2-core CI machine. Both cores
    // halve npm test's wall time there (measured 2026-12-06: 128 s with one worker, 77 s with two).
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          // One module graph per worker for all unit files: importing msw, jose and fast-check
          // once instead of per file (tests restore what they change; mocks close their servers).
          isolate: false,
          include: ['src/**/*.test.ts', 'mocks/**/*.test.ts', 'scenarios/**/*.test.ts', 'scripts/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          // RSA keys for every mock of the run, minted once (mocks/state/key-pool.ts).
          globalSetup: ['./vitest.global-setup.ts'],
          setupFiles: ['./src/testing/temp-dirs-setup.ts'],
        },
      },
      {
        test: {
          name: 'conformance',
          isolate: false,
          include: ['specs/**/*.spec.ts'],
          environment: 'node',
          testTimeout: 60_000,
          // Each spec file runs its area in beforeAll.
          hookTimeout: 60_000,
          globalSetup: ['./vitest.global-setup.ts'],
          setupFiles: ['./src/testing/temp-dirs-setup.ts'],
        },
      },
    ],
  },
});

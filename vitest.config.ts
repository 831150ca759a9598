import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'mocks/**/*.test.ts', 'scenarios/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'conformance',
          include: ['specs/**/*.spec.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
    ],
  },
});

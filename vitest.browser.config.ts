import { defineConfig } from 'vitest/config';

/**
 * The pages in a real headless Chromium (`npm run test:browser`): the HTML report and the live
 * view of `serve`. Not part of `npm test`, which must run where no browser is installed; .ci/run
 * installs Debian's chromium and runs this after `npm test`.
 */
export default defineConfig({
  test: {
    name: 'browser',
    include: ['specs/browser/**/*.browser.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    globalSetup: ['./vitest.global-setup.ts'],
    setupFiles: ['./src/testing/temp-dirs-setup.ts'],
  },
});

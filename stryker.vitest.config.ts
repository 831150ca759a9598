import { defineConfig } from 'vitest/config';

/**
 * The vitest configuration `npm run mutation` hands Stryker (stryker.config.json): the six
 * conformance areas under both profiles, one test per area run (specs/mutation/areas.mutation.ts). Stryker mutates the reference
 * (its auth provider, gates, URLs, Apps cache and agent-identity modules) and counts a mutant as
 * killed when a conformance rule fails on it. Not part of `npm test`.
 */
export default defineConfig({
  test: {
    include: ['specs/mutation/areas.mutation.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ['./vitest.global-setup.ts'],
  },
});

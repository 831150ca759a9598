import { defineConfig } from 'vitest/config';

/**
 * The vitest configuration `npm run mutation` hands Stryker (stryker.config.json): only the six
 * area conformance specs, judging the reference under both profiles. Stryker mutates the reference
 * (its auth provider, gates, URLs, Apps cache and agent-identity modules) and counts a mutant as
 * killed when a conformance rule fails on it. Not part of `npm test`.
 */
export default defineConfig({
  test: {
    include: [
      'specs/headers.spec.ts',
      'specs/gating.spec.ts',
      'specs/base-url.spec.ts',
      'specs/agent-identity.spec.ts',
      'specs/cache.spec.ts',
      'specs/refresh.spec.ts',
    ],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ['./vitest.global-setup.ts'],
  },
});

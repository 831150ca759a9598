import { describe, expect, it } from 'vitest';
import { mintedSecrets } from '../src/harness/auth-spec.js';
import { inProcessMockControl } from '../src/harness/in-process-mock-control.js';
import { REPORTER_NAMES, reporterFor } from '../src/harness/reporters/index.js';
import { runConformance } from '../src/harness/runner.js';
import { selectImplementation } from '../src/harness/select-implementation.js';
import { ALL_SUITES } from '../src/harness/suites/index.js';
import { SPEC_PROFILES } from './support/area-run.js';

/**
 * No report may carry a secret the run minted: every credential seeded for a case, every
 * refresh token and API key the mock holds, and every credential that crossed the wire.
 */
describe('secrets in reports', () => {
  for (const profile of SPEC_PROFILES) for (const impl of ['reference', 'mutant:bearer-for-agent-identity', 'mutant:stale-token-after-refresh']) {
    it(`every reporter of a ${impl} run shows credentials only as fingerprints [${profile}]`, async () => {
      const mock = await inProcessMockControl(11);
      try {
        const secrets = new Set<string>();
        // Each case starts from fresh mock state: collect what the mock issued after every case.
        const collect = (): void => {
          for (const key of mock.backend.apiKeys.keys()) secrets.add(key);
          for (const token of mock.backend.refreshTokens.keys()) secrets.add(token);
          for (const token of mock.backend.personalAccessTokens.keys()) secrets.add(token);
        };
        const report = await runConformance({ implementation: await selectImplementation(impl, { profile }), mock, suites: ALL_SUITES, profile, seed: 11, runs: 25, implArg: impl, onCase: collect });
        expect(report.header.profile).toBe(profile);
        for (const s of mintedSecrets(mock.backend)) secrets.add(s);
        for (const entry of mock.allEntries()) {
          const credential = entry.headers['authorization']?.split(' ')[1];
          if (credential !== undefined && credential.length >= 16) secrets.add(credential);
        }
        expect(secrets.size).toBeGreaterThan(10);
        if (impl !== 'reference') expect(report.footer.rules.fail).toBeGreaterThan(0);
        for (const name of REPORTER_NAMES) {
          const text = reporterFor(name)(report);
          const leaked = [...secrets].filter((s) => text.includes(s));
          expect(leaked.length, `${name} reporter leaked ${leaked.length} secret(s)`).toBe(0);
        }
      } finally {
        await mock.close();
      }
    });
  }
});

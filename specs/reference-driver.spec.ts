import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleDriver } from '../src/harness/driver/bundle-driver.js';
import type { MockControl } from '../src/harness/mock-control.js';
import { portMockControl } from '../src/harness/port-mock-control.js';
import { groupByRule, ruleVerdict, type RunReport } from '../src/harness/results.js';
import { runConformance } from '../src/harness/runner.js';
import { selectImplementation } from '../src/harness/select-implementation.js';
import { ALL_SUITES } from '../src/harness/suites/index.js';
import type { ProfileId } from '../src/rules/profiles.js';
import { SPEC_PROFILES } from './support/area-run.js';

/**
 * examples/drivers/reference-driver.ts bundled into one module for plain `node` (same code, a
 * fraction of tsx's start-up per process; the tsx route is covered by serve-implementation.test.ts).
 */
let BUNDLE: string;
beforeAll(async () => {
  BUNDLE = await bundleDriver(fileURLToPath(new URL('../examples/drivers/reference-driver.ts', import.meta.url)));
});
const driverFor = (profile: ProfileId): string => `driver:${process.execPath} ${BUNDLE} --profile ${profile}`;

async function run(impl: string, profile: ProfileId, mock: MockControl): Promise<RunReport> {
  try {
    return await runConformance({ implementation: await selectImplementation(impl, { profile }), mock, suites: ALL_SUITES, rulePrefixes: ['HDR', 'GATE'], profile, seed: 9, runs: 15, implArg: impl });
  } finally {
    await mock.close();
  }
}

/**
 * The protocol carries everything the in-process adapter does: the same verdicts, rule by rule,
 * under each profile. Both run on the same kind of mock (the real-port one a driver needs), so a
 * difference can only come from the protocol.
 */
describe('reference behind the driver protocol', () => {
  for (const profile of SPEC_PROFILES) {
    it(`gives the same verdict on every HDR and GATE rule as the in-process reference [${profile}]`, async () => {
      const inProcess = await run('reference', profile, await portMockControl({ seed: 9 }));
      const overDriver = await run(driverFor(profile), profile, await portMockControl({ seed: 9 }));
      const verdicts = (r: RunReport) => Object.fromEntries([...groupByRule(r.cases)].map(([id, c]) => [id, ruleVerdict(c)]));
      expect(overDriver.header.profile).toBe(profile);
      expect(Object.keys(verdicts(inProcess)).length).toBeGreaterThan(15);
      expect(verdicts(overDriver)).toEqual(verdicts(inProcess));
      // HDR.APPS.002 needs Codex Apps on https://chatgpt.com, which the port mock does not serve: unsupported on both sides.
      expect(Object.entries(verdicts(overDriver)).filter(([, v]) => v !== 'pass')).toEqual(profile === 'codex-0.171' ? [['HDR.APPS.002', 'unsupported']] : []);
      expect(overDriver.footer.ok).toBe(true);
    }, 240_000);
  }
});

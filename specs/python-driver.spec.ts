import { describe, expect, it } from 'vitest';
import { loadExpectationFile } from '../src/harness/expectation-file.js';
import { portMockControl } from '../src/harness/port-mock-control.js';
import { groupByRule, ruleVerdict } from '../src/harness/results.js';
import { runConformance } from '../src/harness/runner.js';
import { selectImplementation } from '../src/harness/select-implementation.js';
import { ALL_SUITES } from '../src/harness/suites/index.js';

const IMPL = 'driver:python3 examples/drivers/python/codex_auth_driver.py';

/**
 * The independent Python driver (standard library only) run through the suites over the driver
 * protocol and the real-port mock, judged as the newest profile (codex-0.171: it reads agent
 * identity JWTs, which PR #18811 did not): it conforms except for the defects the harness found in
 * it, which expectations/python-driver.json records (two seed-era ones, three the 0.171 contract adds).
 * The run is slow on a loaded machine: each failing rule costs a property round.
 */
describe('Python driver through the driver protocol', () => {
  it('conforms on the header, gate, agent and refresh rules of codex-0.171 except its recorded defects', async () => {
    const expectations = await loadExpectationFile('expectations/python-driver.json');
    const mock = await portMockControl({ seed: 5 });
    try {
      const report = await runConformance({
        implementation: await selectImplementation(IMPL),
        mock,
        suites: ALL_SUITES,
        rulePrefixes: ['HDR', 'GATE', 'AGENT', 'REFRESH'],
        profile: 'codex-0.171',
        seed: 5,
        runs: 30,
        implArg: IMPL,
        expectations,
      });
      const verdicts = new Map([...groupByRule(report.cases)].map(([id, cases]) => [id, ruleVerdict(cases)] as const));
      const failing = [...verdicts].filter(([, v]) => v === 'fail' || v === 'error').map(([id]) => id).sort();
      expect(failing).toEqual(expectations.knownFailures.map((k) => k.rule).sort());
      expect(report.cases.filter((c) => c.verdict === 'fail').every((c) => c.expectedFailure !== undefined && c.replay !== undefined)).toBe(true);
      const skipped = [...verdicts].filter(([, v]) => v === 'skip').map(([id]) => id);
      expect(skipped).toEqual(['REFRESH.ERROR.001']);
      // Modes the driver does not declare leave their rules unreached; every other rule is judged.
      expect([...report.footer.rulesNotReached].sort()).toEqual(['GATE.BACKEND.001', 'GATE.BEDROCK.001', 'HDR.APPS.002', 'HDR.HEADERS.001', 'HDR.PAT.001', 'REFRESH.EXTERNAL.002']);
      expect([...verdicts.values()].filter((v) => v === 'pass').length).toBeGreaterThan(25);
    } finally {
      await mock.close();
    }
  }, 900_000);
});

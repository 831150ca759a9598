import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inProcessMockControl } from '../in-process-mock-control.js';
import { REPORTER_NAMES, reporterFor } from '../reporters/index.js';
import { runConformance } from '../runner.js';
import { ALL_SUITES } from '../suites/index.js';
import { probeDriver } from './driver-implementation.js';

const GARBAGE = fileURLToPath(new URL('../../../examples/drivers/broken/garbage-invoke.mjs', import.meta.url));
const SECRET = 'sk-live-garbage-invoke-0123456789';

describe('driver protocol errors during a run', () => {
  it('GATE.APIKEY.001 a driver answering every invoke with <html>502</html> gets error verdicts with the reason and a fingerprinted stderr excerpt, in every reporter', async () => {
    const implementation = await probeDriver([process.execPath, GARBAGE], { timeoutMs: 5000, maxRestarts: 0 });
    const mock = await inProcessMockControl(3);
    let report;
    try {
      report = await runConformance({ implementation, mock, suites: ALL_SUITES, rulePrefixes: ['GATE.APIKEY.001'], seed: 3, runs: 1, implArg: `driver:node ${GARBAGE}` });
    } finally {
      await mock.close();
    }
    const line = report.cases.find((c) => c.ruleId === 'GATE.APIKEY.001');
    expect(line?.verdict, 'an error, not a skip').toBe('error');
    expect(line?.message).toMatch(/driver protocol error at invoke: Driver answered invoke \(seq \d+\) with a line that is not JSON .*\[invalidJson\].*stderr: .*Bearer fp:[0-9a-f]{12}/);
    expect(report.footer.ok).toBe(false);
    for (const name of REPORTER_NAMES) {
      const text = reporterFor(name)(report);
      expect(text, name).toMatch(/driver protocol error at invoke/);
      expect(text, name).toMatch(/stderr: /);
      expect(text, name).not.toContain(SECRET);
    }
  });
});

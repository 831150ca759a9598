import { describe, expect, it } from 'vitest';
import { inProcessMockControl } from '../src/harness/in-process-mock-control.js';
import type { MockControl } from '../src/harness/mock-control.js';
import { portMockControl } from '../src/harness/port-mock-control.js';
import { groupByRule, ruleVerdict, type RunReport } from '../src/harness/results.js';
import { runConformance } from '../src/harness/runner.js';
import { selectImplementation } from '../src/harness/select-implementation.js';
import { ALL_SUITES } from '../src/harness/suites/index.js';

const DRIVER = `driver:${process.execPath} --import tsx examples/drivers/reference-driver.ts`;

async function run(impl: string, mock: MockControl): Promise<RunReport> {
  try {
    return await runConformance({ implementation: await selectImplementation(impl), mock, suites: ALL_SUITES, rulePrefixes: ['HDR', 'GATE'], seed: 9, runs: 15, implArg: impl });
  } finally {
    await mock.close();
  }
}

/** The protocol carries everything the in-process adapter does: the same verdicts, rule by rule. */
describe('reference behind the driver protocol', () => {
  it('gives the same verdict on every HDR and GATE rule as the in-process reference', async () => {
    const inProcess = await run('reference', await inProcessMockControl(9));
    const overDriver = await run(DRIVER, await portMockControl({ seed: 9 }));
    const verdicts = (r: RunReport) => Object.fromEntries([...groupByRule(r.cases)].map(([id, c]) => [id, ruleVerdict(c)]));
    expect(Object.keys(verdicts(inProcess)).length).toBeGreaterThan(15);
    expect(verdicts(overDriver)).toEqual(verdicts(inProcess));
    expect(overDriver.footer.ok).toBe(true);
  }, 900_000); // one driver process per case (examples included): slow on a loaded machine
});

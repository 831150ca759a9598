/**
 * The same run (every suite, 30 cases per property, seed 7) against the reference in process,
 * the reference behind the driver protocol, and the independent Python driver (both on the
 * real-port mock): wall times side by side.
 */
import { inProcessMockControl } from '../src/harness/in-process-mock-control.js';
import type { MockControl } from '../src/harness/mock-control.js';
import { portMockControl } from '../src/harness/port-mock-control.js';
import { groupByRule, ruleVerdict } from '../src/harness/results.js';
import { runConformance } from '../src/harness/runner.js';
import { selectImplementation } from '../src/harness/select-implementation.js';
import { ALL_SUITES } from '../src/harness/suites/index.js';
import { fmt, writeResult } from './stats.js';

const RUNS = 30;
const IMPLS = [
  { label: 'reference, in process', impl: 'reference', port: false },
  { label: 'reference behind the driver protocol', impl: `driver:${process.execPath} --import tsx examples/drivers/reference-driver.ts`, port: true },
  { label: 'Python driver (standard library)', impl: 'driver:python3 examples/drivers/python/codex_auth_driver.py', port: true },
] as const;

export async function drivers() {
  const rows = [];
  const results = [];
  for (const { label, impl, port } of IMPLS) {
    const mock: MockControl = port ? await portMockControl({ seed: 7 }) : await inProcessMockControl(7);
    try {
      const t0 = performance.now();
      const report = await runConformance({ implementation: await selectImplementation(impl), mock, suites: ALL_SUITES, seed: 7, runs: RUNS, implArg: impl });
      const ms = performance.now() - t0;
      const c = report.footer.results;
      const verdicts = [...groupByRule(report.cases)].map(([id, cases]) => ({ id, verdict: ruleVerdict(cases) }));
      const notPassed = verdicts.filter((v) => v.verdict !== 'pass').map((v) => `${v.id}:${v.verdict}`);
      const notReached = report.footer.rulesNotReached;
      results.push({ label, impl, ms, counts: c, rules: verdicts.length, rulesNotPassed: notPassed, rulesNotReached: notReached, requests: mock.allEntries().length });
      const rulesText = `${verdicts.length - notPassed.length}/${verdicts.length} rules pass${notPassed.length === 0 ? '' : ` (not: ${notPassed.join(', ')})`}${notReached.length === 0 ? '' : `; ${notReached.length} rules got no case: ${notReached.join(', ')}`}`;
      rows.push({ measure: `run (${RUNS} cases/property), ${label}`, value: `${fmt(ms / 1000, 1)} s`, target: '', met: `${report.footer.casesRun} cases run; result lines ${c.pass} pass, ${c.fail} fail, ${c.skip} skip, ${c.unsupported} unsupported, ${c.error} error; ${rulesText}` });
    } finally {
      await mock.close();
    }
  }
  await writeResult('drivers', { runs: RUNS, results });
  return rows;
}

/**
 * The same run (every suite, 30 cases per property, seed 7) against the reference in process,
 * the reference behind the driver protocol, and the independent Python driver (both on the
 * real-port mock): wall times side by side, median of REPEATS runs each (interleaved), and each
 * driver run's ratio to the in-process run. Both drivers declare `reset`, so one process serves
 * every case whose rules do not need a fresh one (driver-protocol.md, "Fresh processes"); the
 * counts of processes, reused sessions and fresh starts are recorded. Target: a driver run at
 * most 3x the in-process run.
 */
import { fileURLToPath } from 'node:url';
import { bundleDriver } from '../src/harness/driver/bundle-driver.js';
import { pythonExecutable } from '../src/harness/driver/python-executable.js';
import type { DriverImplementation } from '../src/harness/driver/driver-implementation.js';
import { inProcessMockControl } from '../src/harness/in-process-mock-control.js';
import type { MockControl } from '../src/harness/mock-control.js';
import { portMockControl } from '../src/harness/port-mock-control.js';
import { groupByRule, ruleVerdict } from '../src/harness/results.js';
import { runConformance } from '../src/harness/runner.js';
import { selectImplementation } from '../src/harness/select-implementation.js';
import { ALL_SUITES } from '../src/harness/suites/index.js';
import { fmt, fmtLoad, machineLoad, median, writeResult } from './stats.js';

const RUNS = 30;
const REPEATS = 3;
/** The reference driver is bundled for plain node (bundle-driver.ts): the same code without tsx's per-process start-up. */
async function implementations() {
  const bundle = await bundleDriver(fileURLToPath(new URL('../examples/drivers/reference-driver.ts', import.meta.url)));
  return [
    { key: 'inProcess', label: 'reference, in process', impl: 'reference', port: false },
    { key: 'referenceDriver', label: 'reference behind the driver protocol (bundled, plain node)', impl: `driver:${process.execPath} ${bundle}`, port: true },
    { key: 'pythonDriver', label: 'Python driver (standard library; the interpreter, not the pyenv shim)', impl: `driver:${pythonExecutable()} examples/drivers/python/codex_auth_driver.py`, port: true },
  ] as const;
}

interface OneRun {
  readonly ms: number;
  readonly counts: unknown;
  readonly rules: number;
  readonly rulesNotPassed: readonly string[];
  readonly rulesNotReached: readonly string[];
  readonly requests: number;
  readonly usage?: unknown;
}

async function once(impl: string, port: boolean): Promise<OneRun> {
  const mock: MockControl = port ? await portMockControl({ seed: 7 }) : await inProcessMockControl(7);
  try {
    const t0 = performance.now();
    const implementation = await selectImplementation(impl);
    const report = await runConformance({ implementation, mock, suites: ALL_SUITES, seed: 7, runs: RUNS, implArg: impl });
    const ms = performance.now() - t0;
    const verdicts = [...groupByRule(report.cases)].map(([id, cases]) => ({ id, verdict: ruleVerdict(cases) }));
    const usage = 'usage' in implementation ? (implementation as DriverImplementation).usage : undefined;
    return {
      ms,
      counts: report.footer.results,
      rules: verdicts.length,
      rulesNotPassed: verdicts.filter((v) => v.verdict !== 'pass').map((v) => `${v.id}:${v.verdict}`),
      rulesNotReached: report.footer.rulesNotReached,
      requests: mock.allEntries().length,
      ...(usage !== undefined ? { usage } : {}),
    };
  } finally {
    await mock.close();
  }
}

export async function drivers() {
  const IMPLS = await implementations();
  const loadBefore = machineLoad();
  const runs: Record<string, OneRun[]> = {};
  // Interleaved: every implementation once per repeat, so a load change hits all of them.
  for (let r = 0; r < REPEATS; r += 1) {
    for (const { key, impl, port } of IMPLS) (runs[key] ??= []).push(await once(impl, port));
  }
  const loadAfter = machineLoad();
  const medianMs = (key: string) => median((runs[key] ?? []).map((x) => x.ms));
  const inProcessMs = medianMs('inProcess');
  const results = IMPLS.map(({ key, label, impl }) => ({ key, label, impl, medianMs: medianMs(key), ratioToInProcess: medianMs(key) / inProcessMs, runs: runs[key] }));
  await writeResult('drivers', { runs: RUNS, repeats: REPEATS, loadBefore, loadAfter, results, target: 'driver run <= 3x in-process run' });
  const rows = [];
  for (const r of results) {
    const last = r.runs?.at(-1);
    const notPassed = last?.rulesNotPassed ?? [];
    const notReached = last?.rulesNotReached ?? [];
    const usage = last?.usage as { processes: number; reused: number; fresh: number } | undefined;
    const rulesText = `${(last?.rules ?? 0) - notPassed.length}/${last?.rules ?? 0} rules pass${notPassed.length === 0 ? '' : ` (not: ${notPassed.join(', ')})`}${notReached.length === 0 ? '' : `; ${notReached.length} rules got no case: ${notReached.join(', ')}`}`;
    const usageText = usage === undefined ? '' : `; ${usage.processes} driver processes (${usage.fresh} fresh starts), ${usage.reused} sessions reused after reset`;
    const isDriver = r.key !== 'inProcess';
    rows.push({
      measure: `run (${RUNS} cases/property, median of ${REPEATS}), ${r.label}`,
      value: `${fmt(r.medianMs / 1000, 1)} s${isDriver ? ` (${fmt(r.ratioToInProcess, 1)}x in process)` : ''}`,
      target: isDriver ? '<= 3x' : '',
      met: `${isDriver ? (r.ratioToInProcess <= 3 ? 'yes; ' : 'no; ') : ''}${rulesText}${usageText}`,
    });
  }
  rows.push({ measure: 'machine load during the driver runs', value: `${fmtLoad(loadBefore)} before, ${fmtLoad(loadAfter)} after`, target: '', met: '' });
  return rows;
}

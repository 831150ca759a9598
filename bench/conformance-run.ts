/**
 * The full default conformance run against the reference (what `npm run conformance` runs:
 * every suite, 100 generated cases per property, in-process mock): wall time, median of 3, and
 * its ratio to the same number of bare msw request round trips (fetch through setupServer with a
 * trivial handler) timed in the same process. Target: ratio at most 3.
 */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { inProcessMockControl } from '../src/harness/in-process-mock-control.js';
import { referenceImplementation } from '../src/harness/reference-implementation.js';
import { groupByRule, ruleVerdict } from '../src/harness/results.js';
import { runConformance } from '../src/harness/runner.js';
import { ALL_SUITES } from '../src/harness/suites/index.js';
import { performance as perfHooks } from 'node:perf_hooks';
import { cpuMsSince, fmt, fmtLoad, machineLoad, median, writeResult } from './stats.js';

const RUNS = 100;
const REPEATS = 3;
/** Unmeasured round trips first, so undici and msw warm-up does not count as round-trip cost. */
const WARMUP_ROUND_TRIPS = 100;

interface OneRun {
  readonly ms: number;
  /** Process CPU time of the run (user + system). */
  readonly cpuMs: number;
  /** Event loop utilization during the run (busy share of the wall time). */
  readonly eventLoopBusy: number;
  readonly requests: number;
  readonly ok: boolean;
  readonly rules: number;
  readonly rulesPassed: number;
  readonly rulesNotPassed: readonly string[];
  readonly rulesNotReached: readonly string[];
}

async function oneRun(seed: number): Promise<OneRun> {
  const mock = await inProcessMockControl(seed);
  try {
    const elu = perfHooks.eventLoopUtilization();
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const report = await runConformance({ implementation: referenceImplementation(), mock, suites: ALL_SUITES, seed, runs: RUNS });
    const ms = performance.now() - t0;
    const cpuMs = cpuMsSince(cpu);
    const eventLoopBusy = perfHooks.eventLoopUtilization(elu).utilization;
    const verdicts = [...groupByRule(report.cases)].map(([id, cases]) => ({ id, verdict: ruleVerdict(cases) }));
    const notPassed = verdicts.filter((v) => v.verdict !== 'pass').map((v) => `${v.id}:${v.verdict}`);
    return { ms, cpuMs, eventLoopBusy, requests: mock.allEntries().length, ok: report.footer.ok, rules: verdicts.length, rulesPassed: verdicts.length - notPassed.length, rulesNotPassed: notPassed, rulesNotReached: report.footer.rulesNotReached };
  } finally {
    await mock.close();
  }
}

async function bareRoundTrips(count: number): Promise<{ ms: number; cpuMs: number }> {
  const url = 'http://127.0.0.1:48124/backend-api/wham/tasks/list';
  const server = setupServer(http.get(url, () => HttpResponse.json({ items: [] })));
  server.listen({ onUnhandledRequest: 'error' });
  try {
    for (let i = 0; i < WARMUP_ROUND_TRIPS; i += 1) await (await fetch(url, { headers: { authorization: 'Bearer x' } })).arrayBuffer();
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < count; i += 1) await (await fetch(url, { headers: { authorization: 'Bearer x' } })).arrayBuffer();
    return { ms: performance.now() - t0, cpuMs: cpuMsSince(cpu) };
  } finally {
    server.close();
  }
}

export async function conformanceRun() {
  const loadBefore = machineLoad();
  const runs: (OneRun & { bareMs: number; bareCpuMs: number })[] = [];
  for (let i = 0; i < REPEATS; i += 1) {
    const r = await oneRun(1000 + i);
    const bare = await bareRoundTrips(r.requests);
    runs.push({ ...r, bareMs: bare.ms, bareCpuMs: bare.cpuMs });
  }
  const loadAfter = machineLoad();
  const wall = median(runs.map((r) => r.ms));
  const ratio = median(runs.map((r) => r.ms / r.bareMs));
  const cpuRatio = median(runs.map((r) => r.cpuMs / r.bareCpuMs));
  const busy = median(runs.map((r) => r.eventLoopBusy));
  const perRequestMs = median(runs.map((r) => r.ms / r.requests));
  const perBareMs = median(runs.map((r) => r.bareMs / r.requests));
  await writeResult('conformance-run', { runs: RUNS, repeats: REPEATS, warmupRoundTrips: WARMUP_ROUND_TRIPS, results: runs, medianWallMs: wall, medianRunMsPerRequest: perRequestMs, medianBareMsPerRoundTrip: perBareMs, medianRatio: ratio, medianCpuRatio: cpuRatio, medianEventLoopBusy: busy, loadBefore, loadAfter, target: '<= 3', met: ratio <= 3 });
  const rulesOk = runs.every((r) => r.ok && r.rulesNotPassed.length === 0 && r.rulesNotReached.length === 0);
  const first = runs[0];
  return [
    {
      measure: `full default run vs reference (${RUNS} cases/property, in-process), wall time`,
      value: `${fmt(wall / 1000, 1)} s (${median(runs.map((r) => r.requests))} requests, ${fmt(perRequestMs, 2)} ms per request)`,
      target: '',
      met: rulesOk ? `all ${first?.rules ?? 0} rules pass` : `NOT OK: ${[...new Set(runs.flatMap((r) => [...r.rulesNotPassed, ...r.rulesNotReached.map((id) => `${id}:no case`)]))].join(', ')}`,
    },
    { measure: 'bare msw round trip (fetch through setupServer, one trivial handler)', value: `${fmt(perBareMs, 3)} ms`, target: '', met: '' },
    { measure: 'full run CPU time / CPU time of the same number of bare msw round trips', value: `${fmt(cpuRatio, 2)} (event loop busy ${fmt(busy * 100, 0)}% of the run)`, target: '', met: '' },
    { measure: `full run / the same number of bare msw round trips (${fmtLoad(loadBefore)} before, ${fmtLoad(loadAfter)} after)`, value: `${fmt(ratio, 2)} (per run ${runs.map((r) => fmt(r.ms / r.bareMs, 2)).join(', ')})`, target: '<= 3', met: ratio <= 3 ? 'yes' : 'no' },
  ];
}

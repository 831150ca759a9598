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
import { runConformance } from '../src/harness/runner.js';
import { ALL_SUITES } from '../src/harness/suites/index.js';
import { fmt, median, writeResult } from './stats.js';

const RUNS = 100;
const REPEATS = 3;

async function oneRun(seed: number): Promise<{ ms: number; requests: number; ok: boolean }> {
  const mock = await inProcessMockControl(seed);
  try {
    const t0 = performance.now();
    const report = await runConformance({ implementation: referenceImplementation(), mock, suites: ALL_SUITES, seed, runs: RUNS });
    return { ms: performance.now() - t0, requests: mock.allEntries().length, ok: report.footer.ok };
  } finally {
    await mock.close();
  }
}

async function bareRoundTrips(count: number): Promise<number> {
  const url = 'http://127.0.0.1:48124/backend-api/wham/tasks/list';
  const server = setupServer(http.get(url, () => HttpResponse.json({ items: [] })));
  server.listen({ onUnhandledRequest: 'error' });
  try {
    const t0 = performance.now();
    for (let i = 0; i < count; i += 1) await (await fetch(url, { headers: { authorization: 'Bearer x' } })).arrayBuffer();
    return performance.now() - t0;
  } finally {
    server.close();
  }
}

export async function conformanceRun() {
  const runs: { ms: number; requests: number; ok: boolean; bareMs: number }[] = [];
  for (let i = 0; i < REPEATS; i += 1) {
    const r = await oneRun(1000 + i);
    runs.push({ ...r, bareMs: await bareRoundTrips(r.requests) });
  }
  const wall = median(runs.map((r) => r.ms));
  const ratio = median(runs.map((r) => r.ms / r.bareMs));
  await writeResult('conformance-run', { runs: RUNS, repeats: REPEATS, results: runs, medianWallMs: wall, medianRatio: ratio, target: '<= 3', met: ratio <= 3 });
  return [
    { measure: `full default run vs reference (${RUNS} cases/property, in-process), wall time`, value: `${fmt(wall / 1000, 1)} s (${median(runs.map((r) => r.requests))} requests)`, target: '', met: runs.every((r) => r.ok) ? 'all rules pass' : 'NOT OK' },
    { measure: 'full run / the same number of bare msw round trips', value: fmt(ratio, 2), target: '<= 3', met: ratio <= 3 ? 'yes' : 'no' },
  ];
}

/**
 * Requests per second on the real port with keep-alive, side by side with a bare node:http
 * server answering the same JSON: the mock's full path (routing, bearer JWT verification,
 * account/FedRAMP header checks, journal) over bare. Target: ratio >= 0.5.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { http, HttpResponse } from 'msw';
import { startHttpMock } from '../mocks/http-bridge.js';
import { fmt, median, writeResult } from './stats.js';

const run = promisify(execFile);
const ROUNDS = 5;
const CONCURRENCY = 32;
const DURATION_MS = 3000;
/** One unmeasured round per server first, so JIT warm-up does not land in the first measured round. */
const WARMUP_MS = 1500;
const GENERATOR = fileURLToPath(new URL('./load-generator.ts', import.meta.url));

async function load(url: string, headers: Record<string, string>, durationMs = DURATION_MS): Promise<{ rps: number; errors: number }> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', GENERATOR, url, JSON.stringify(headers), String(CONCURRENCY), String(durationMs)], { timeout: durationMs + 60_000 });
  return JSON.parse(stdout) as { rps: number; errors: number };
}

export async function portThroughput() {
  const mock = await startHttpMock({ host: '127.0.0.1', port: 0, seed: 1 });
  const account = mock.backend.createAccount({ plan: 'enterprise', fedramp: true });
  const tokens = await mock.backend.issueChatgptTokens(account.id, { ttlSeconds: 3600 });
  const headers = { authorization: `Bearer ${tokens.accessToken}`, 'chatgpt-account-id': account.id, 'x-openai-fedramp': 'true' };
  const url = `${mock.origin}/backend-api/wham/tasks/list`;
  const sample = await fetch(url, { headers });
  if (sample.status !== 200) throw new Error(`mock answered ${sample.status}`);
  const body = await sample.text();
  const bare = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const address = bare.address();
  const bareUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/backend-api/wham/tasks/list`;
  // The floor of the design: the same bridge answering through one trivial msw handler (no
  // routing table, verification or journal), to show what msw `getResponse` itself costs.
  const floor = await startHttpMock({ host: '127.0.0.1', port: 0, seed: 1 });
  floor.use(http.get('*/backend-api/wham/tasks/list', () => new HttpResponse(body, { headers: { 'content-type': 'application/json' } })));
  const floorUrl = `${floor.origin}/backend-api/wham/tasks/list`;
  const mockRps: number[] = [];
  const bareRps: number[] = [];
  const floorRps: number[] = [];
  let errors = 0;
  try {
    for (const target of [url, bareUrl, floorUrl]) await load(target, headers, WARMUP_MS);
    mock.journal.clear();
    floor.journal.clear();
    for (let round = 0; round < ROUNDS; round += 1) {
      const m = await load(url, headers);
      mock.journal.clear();
      const b = await load(bareUrl, headers);
      const f = await load(floorUrl, headers);
      floor.journal.clear();
      mockRps.push(m.rps);
      bareRps.push(b.rps);
      floorRps.push(f.rps);
      errors += m.errors + b.errors + f.errors;
    }
  } finally {
    await floor.close();
    await mock.close();
    await new Promise<void>((r) => bare.close(() => r()));
  }
  const ratio = median(mockRps) / median(bareRps);
  const floorRatio = median(floorRps) / median(bareRps);
  // Each round's own ratio (mock and bare measured back to back), to show the spread.
  const roundRatios = mockRps.map((m, i) => m / bareRps[i]!);
  const spread = `${fmt(Math.min(...roundRatios), 2)}–${fmt(Math.max(...roundRatios), 2)}`;
  const result = { rounds: ROUNDS, concurrency: CONCURRENCY, durationMs: DURATION_MS, warmupMs: WARMUP_MS, mockRps, bareRps, floorRps, roundRatios, medianMockRps: median(mockRps), medianBareRps: median(bareRps), medianFloorRps: median(floorRps), ratio, floorRatio, errors, target: '>= 0.5', met: ratio >= 0.5 };
  await writeResult('port-throughput', result);
  return [
    { measure: 'real-port throughput, mock (keep-alive, 32 connections)', value: `${fmt(median(mockRps), 0)} req/s`, target: '', met: '' },
    { measure: 'real-port throughput, bare node:http, same JSON', value: `${fmt(median(bareRps), 0)} req/s`, target: '', met: '' },
    { measure: 'real-port throughput, same bridge with one trivial msw handler (floor)', value: `${fmt(median(floorRps), 0)} req/s (${fmt(floorRatio, 2)} of bare)`, target: '', met: '' },
    { measure: 'real-port throughput ratio mock / bare', value: `${fmt(ratio, 2)} (per round ${spread}; ${errors} non-200 answers)`, target: '>= 0.5', met: ratio >= 0.5 ? 'yes' : 'no' },
  ];
}

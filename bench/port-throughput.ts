/**
 * Requests per second on the real port with keep-alive, side by side with a bare node:http
 * server answering the same JSON: the mock's full path (routing, bearer JWT verification,
 * account/FedRAMP header checks, journal) over bare. Target: ratio >= 0.5.
 *
 * Servers, measured round-robin in each round: the mock (node:http adapter, the default), bare
 * node:http, the same mock through its msw adapter (`adapter: 'msw'`: every request a Fetch
 * Request answered by msw `getResponse`, as the port did before the route table), and the msw
 * floor (one trivial msw handler). Besides requests per second (which the machine's other load
 * moves), the bench process's CPU time per answered request is recorded for each server: every
 * server lives in this process and only one is loaded at a time, so it is the server's own cost,
 * and its ratio to bare is less sensitive to other load than the throughput ratio.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { http, HttpResponse } from 'msw';
import { startHttpMock } from '../mocks/http-bridge.js';
import { cpuMsSince, fmt, fmtLoad, machineLoad, median, writeResult } from './stats.js';

const run = promisify(execFile);
const ROUNDS = 5;
const CONCURRENCY = 32;
const DURATION_MS = 3000;
/** One unmeasured round per server first, so JIT warm-up does not land in the first measured round. */
const WARMUP_MS = 1500;
const GENERATOR = fileURLToPath(new URL('./load-generator.ts', import.meta.url));

interface Round {
  readonly rps: number;
  readonly errors: number;
  /** Bench-process CPU µs per answered request while this server was loaded. */
  readonly cpuUsPerRequest: number;
}

async function load(url: string, headers: Record<string, string>, durationMs = DURATION_MS): Promise<Round> {
  const cpu = process.cpuUsage();
  const { stdout } = await run(process.execPath, ['--import', 'tsx', GENERATOR, url, JSON.stringify(headers), String(CONCURRENCY), String(durationMs)], { timeout: durationMs + 60_000 });
  const cpuMs = cpuMsSince(cpu);
  const r = JSON.parse(stdout) as { rps: number; errors: number; requests: number };
  return { rps: r.rps, errors: r.errors, cpuUsPerRequest: r.requests > 0 ? (cpuMs * 1000) / r.requests : Number.NaN };
}

const SERVERS = ['mock', 'bare', 'mockViaMsw', 'floor'] as const;
type ServerName = (typeof SERVERS)[number];

export async function portThroughput() {
  const loadBefore = machineLoad();
  const mock = await startHttpMock({ host: '127.0.0.1', port: 0, seed: 1 });
  const account = mock.backend.createAccount({ plan: 'enterprise', fedramp: true });
  const tokens = await mock.backend.issueChatgptTokens(account.id, { ttlSeconds: 3600 });
  const headers = { authorization: `Bearer ${tokens.accessToken}`, 'chatgpt-account-id': account.id, 'x-openai-fedramp': 'true' };
  const path = '/backend-api/wham/tasks/list';
  const sample = await fetch(`${mock.origin}${path}`, { headers });
  if (sample.status !== 200) throw new Error(`mock answered ${sample.status}`);
  const body = await sample.text();
  const bare = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const address = bare.address();
  // The same backend (same account and token) served through the msw adapter on its own port.
  const viaMsw = await startHttpMock({ host: '127.0.0.1', port: 0, adapter: 'msw', state: { backend: mock.backend, journal: mock.journal } });
  // The floor of an msw bridge: one trivial msw handler (no routing table, verification or journal).
  const floor = await startHttpMock({ host: '127.0.0.1', port: 0, seed: 1 });
  floor.use(http.get(`*${path}`, () => new HttpResponse(body, { headers: { 'content-type': 'application/json' } })));
  const urls: Record<ServerName, string> = {
    mock: `${mock.origin}${path}`,
    bare: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}${path}`,
    mockViaMsw: `${viaMsw.origin}${path}`,
    floor: `${floor.origin}${path}`,
  };
  const rounds: Record<ServerName, Round[]> = { mock: [], bare: [], mockViaMsw: [], floor: [] };
  try {
    for (const name of SERVERS) await load(urls[name], headers, WARMUP_MS);
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const name of SERVERS) {
        rounds[name].push(await load(urls[name], headers));
        mock.journal.clear();
        floor.journal.clear();
      }
    }
  } finally {
    await floor.close();
    await viaMsw.close();
    await mock.close();
    await new Promise<void>((r) => bare.close(() => r()));
  }
  const loadAfter = machineLoad();
  const rps = (n: ServerName) => median(rounds[n].map((r) => r.rps));
  const cpu = (n: ServerName) => median(rounds[n].map((r) => r.cpuUsPerRequest));
  const ratio = rps('mock') / rps('bare');
  const mswRatio = rps('mockViaMsw') / rps('bare');
  const floorRatio = rps('floor') / rps('bare');
  const cpuRatio = cpu('bare') / cpu('mock');
  const roundRatios = rounds.mock.map((m, i) => m.rps / rounds.bare[i]!.rps);
  const spread = `${fmt(Math.min(...roundRatios), 2)}–${fmt(Math.max(...roundRatios), 2)}`;
  const errors = SERVERS.reduce((n, s) => n + rounds[s].reduce((m, r) => m + r.errors, 0), 0);
  const result = {
    rounds: ROUNDS,
    concurrency: CONCURRENCY,
    durationMs: DURATION_MS,
    warmupMs: WARMUP_MS,
    loadBefore,
    loadAfter,
    perServer: rounds,
    medianRps: Object.fromEntries(SERVERS.map((s) => [s, rps(s)])),
    medianCpuUsPerRequest: Object.fromEntries(SERVERS.map((s) => [s, cpu(s)])),
    roundRatios,
    ratio,
    mswAdapterRatio: mswRatio,
    floorRatio,
    cpuRatio,
    errors,
    target: '>= 0.5',
    met: ratio >= 0.5,
  };
  await writeResult('port-throughput', result);
  const loadText = `${fmtLoad(loadBefore)} before, ${fmtLoad(loadAfter)} after`;
  return [
    { measure: 'real-port throughput, mock (node:http adapter; keep-alive, 32 connections)', value: `${fmt(rps('mock'), 0)} req/s, ${fmt(cpu('mock'), 0)} µs CPU per request`, target: '', met: '' },
    { measure: 'real-port throughput, bare node:http, same JSON', value: `${fmt(rps('bare'), 0)} req/s, ${fmt(cpu('bare'), 0)} µs CPU per request`, target: '', met: '' },
    { measure: 'real-port throughput, same mock through its msw adapter (the port before the route table)', value: `${fmt(rps('mockViaMsw'), 0)} req/s (${fmt(mswRatio, 2)} of bare), ${fmt(cpu('mockViaMsw'), 0)} µs CPU per request`, target: '', met: '' },
    { measure: 'real-port throughput, one trivial msw handler (msw floor)', value: `${fmt(rps('floor'), 0)} req/s (${fmt(floorRatio, 2)} of bare)`, target: '', met: '' },
    { measure: 'real-port CPU per request, bare / mock', value: fmt(cpuRatio, 2), target: '', met: '' },
    { measure: `real-port throughput ratio mock / bare (${loadText})`, value: `${fmt(ratio, 2)} (per round ${spread}; ${errors} non-200 answers)`, target: '>= 0.5', met: ratio >= 0.5 ? 'yes' : 'no' },
  ];
}

import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { namespacesAvailable } from '../isolation/isolated-run.js';

/**
 * The ecosystem plumbing end to end with the local stand-in client (no download): install step,
 * re-execution in the loopback-only namespace, production hosts served over TLS, one fresh
 * driver process per scenario, judging, expectation files, reports, results streams for diff,
 * and a package that crashes or hangs reported while the run goes on.
 */
function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: {}, cwd: process.cwd() } };
}

let dir: string;
let isolated: boolean;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cac-eco-test-'));
  isolated = await namespacesAvailable();
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('ecosystem table (run --impl ecosystem) with the local stand-in client', () => {
  it('HDR.FEDRAMP.001 REFRESH.401.003 judges every scenario from the wire, matches the expectation file, writes reports and results streams', async () => {
    const c = capture();
    const json = join(dir, 'eco.json');
    const results = join(dir, 'results');
    const code = await main(
      ['run', '--impl', 'ecosystem:stand-in', '--expect', 'src/harness/ecosystem/testdata/expectations', '--reporter', 'json', '--output', json, '--results-dir', results, '--timeout-ms', '15000'],
      c.io,
    );
    if (!isolated) {
      expect(code).toBe(2);
      expect(c.err.join('\n')).toMatch(/never run outside one/);
      return;
    }
    expect(c.out.join('\n')).toMatch(/stand-in as recorded/);
    expect(code).toBe(0);
    const doc = JSON.parse(await readFile(json, 'utf8')) as {
      clients: { id: string; ok: boolean; scenarios: { scenario: string; textBack: boolean; requests: string[] }[]; observations: string[]; results: { ruleId: string; verdict: string; caseId: string; expectedFailure?: unknown }[] }[];
    };
    const standIn = doc.clients[0]!;
    expect(standIn.id).toBe('stand-in');
    expect(standIn.scenarios.map((s) => s.scenario)).toHaveLength(13);
    // The mock let the client do its job: text back wherever auth was right.
    expect(standIn.scenarios.find((s) => s.scenario === 'chatgpt')?.textBack).toBe(true);
    expect(standIn.scenarios.find((s) => s.scenario === 'customBaseUrl')?.requests.join('\n')).toMatch(/http:\/\/127\.0\.0\.1:\d+\/__case\/stand-in-customBaseUrl\/backend-api\/codex\/responses/);
    const verdict = (rule: string, scenario: string) => standIn.results.find((r) => r.ruleId === rule && r.caseId === `stand-in-${scenario}`)?.verdict;
    expect(verdict('HDR.FEDRAMP.001', 'fedramp')).toBe('fail');
    expect(verdict('HDR.FEDRAMP.001', 'chatgpt')).toBe('pass');
    expect(verdict('HDR.ACCOUNT.001', 'chatgpt')).toBe('pass');
    expect(verdict('REFRESH.401.003', 'unauthorizedOnce')).toBe('fail');
    expect(verdict('REFRESH.REQUEST.003', 'refreshExpired')).toBe('fail');
    expect(verdict('REFRESH.ERROR.002', 'refreshReused')).toBe('pass');
    expect(verdict('REFRESH.PERSIST.001', 'refreshWindow')).toBeUndefined();
    expect(verdict('URL.BASE.003', 'customBaseUrl')).toBe('pass');
    expect(standIn.results.filter((r) => r.verdict === 'fail').every((r) => r.expectedFailure !== undefined)).toBe(true);
    // Not rules, but reported: a host it tried to resolve and a file it wrote outside CODEX_HOME.
    expect(standIn.observations.join('\n')).toMatch(/telemetry\.example\.com/);
    expect(standIn.observations.join('\n')).toMatch(/wrote outside CODEX_HOME: home\/\.stand-in\/last-run\.json/);
    // No secret in the document.
    const text = await readFile(json, 'utf8');
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
    expect(text).not.toMatch(/rt_mock_/);
    // One results stream per client; diff of a run with itself finds nothing.
    expect(await readdir(results)).toEqual(['stand-in.ndjson']);
    const d = capture();
    expect(await main(['diff', join(results, 'stand-in.ndjson'), join(results, 'stand-in.ndjson')], d.io)).toBe(0);
  }, 240_000);

  it('a package that crashes or hangs is reported as such and the run goes on to the next client', async () => {
    const c = capture();
    const code = await main(['run', '--impl', 'ecosystem:stand-in-crash,stand-in-hang,stand-in', '--scenarios', 'chatgpt', '--timeout-ms', '3000', '--reporter', 'markdown', '--expect', 'src/harness/ecosystem/testdata/expectations'], c.io);
    if (!isolated) {
      expect(code).toBe(2);
      return;
    }
    const out = c.out.join('\n');
    expect(code).toBe(1);
    expect(out).toMatch(/crashed: invoke: the driver exited \(code 3\)/);
    expect(out).toMatch(/hung: invoke: the driver did not answer within 3000 ms/);
    // The client after them still ran and got its text back.
    expect(out).toMatch(/\| chatgpt: plain ChatGPT \(Plus\) account \| crashed[^|]*\| hung[^|]*\| HTTP 200, text back; 1 request\(s\) \|/);
    expect(out).toMatch(/stand-in-crash NOT as recorded, stand-in-hang NOT as recorded, stand-in as recorded/);
  }, 240_000);

  it('refuses unknown clients and scenarios with a usage error (exit 2)', async () => {
    const a = capture();
    expect(await main(['run', '--impl', 'ecosystem:nope'], a.io)).toBe(2);
    expect(a.err.join('\n')).toMatch(/unknown ecosystem client "nope"/);
    const b = capture();
    expect(await main(['run', '--impl', 'ecosystem:stand-in', '--scenarios', 'whatever'], b.io)).toBe(2);
    expect(b.err.join('\n')).toMatch(/unknown scenario "whatever"/);
    const r = capture();
    expect(await main(['run', '--impl', 'reference', '--scenarios', 'chatgpt'], r.io)).toBe(2);
    const j = capture();
    expect(await main(['run', '--impl', 'ecosystem:stand-in', '--reporter', 'junit'], j.io)).toBe(2);
  });
});

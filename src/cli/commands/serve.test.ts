import { spawn } from 'node:child_process';
import { get as httpsGet } from 'node:https';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRunCertificates } from '../../harness/isolation/run-certificates.js';
import { main } from '../main.js';
import { isLoopbackHost, serveUntil, type ServeStarted, type ServedRequestLine } from './serve.js';
import { tempDir } from '../../testing/temp-dirs.js';

function capture(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env, cwd: process.cwd() }, out, err };
}

async function until(predicate: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function control<T>(started: ServeStarted, path: string, body: unknown = {}): Promise<T> {
  const res = await fetch(`${started.controlUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.ok).toBe(true);
  return (await res.json()) as T;
}

describe('serve command', () => {
  it('prints the base URLs, one verdict line per request (no secrets), and writes a redacted journal that check judges', async () => {
    const dir = await tempDir('cac-serve-');
    const journal = join(dir, 'journal.ndjson');
    const c = capture();
    const stop = new AbortController();
    const done = serveUntil({ port: 0, journal, seed: 5 }, c.io, stop.signal);
    await until(() => c.out.length > 0);
    const started = JSON.parse(c.out[0] as string) as ServeStarted;
    expect(started.event).toBe('listening');
    expect(started.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(started.chatgptBaseUrl).toBe(`${started.origin}/backend-api/`);
    expect(started.openaiBaseUrl).toBe(`${started.origin}/v1`);
    expect(started.refreshTokenUrl).toBe(`${started.origin}/oauth/token`);
    expect(started.controlUrl).toBe(`${started.origin}/__control`);

    const account = await control<{ id: string }>(started, '/accounts', { plan: 'enterprise', fedramp: true });
    const tokens = await control<{ accessToken: string }>(started, `/accounts/${account.id}/chatgpt-tokens`);
    const url = `${started.chatgptBaseUrl}wham/tasks/list`;
    const ok = await fetch(url, { headers: { authorization: `Bearer ${tokens.accessToken}`, 'chatgpt-account-id': account.id, 'x-openai-fedramp': 'true' } });
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    const denied = await fetch(`${url}?access_token=${tokens.accessToken}`, { headers: { authorization: 'Bearer sk-not-issued' } });
    await denied.arrayBuffer();
    expect(denied.status).toBeGreaterThanOrEqual(400);

    await until(() => c.out.length >= 3);
    const lines = c.out.slice(1, 3).map((l) => JSON.parse(l) as ServedRequestLine);
    expect(lines[0]).toMatchObject({ event: 'request', method: 'GET', path: '/backend-api/wham/tasks/list', status: 200, credential: 'bearer:chatgptAccess' });
    expect(lines[1]).toMatchObject({ event: 'request', path: '/backend-api/wham/tasks/list', status: denied.status });
    expect(typeof lines[1]?.reason).toBe('string');

    stop.abort();
    expect(await done).toBe(0);
    expect(JSON.parse(c.out.at(-1) as string)).toEqual({ event: 'closed', requests: 2, journal });
    expect(c.out.join('\n')).not.toContain(tokens.accessToken);

    const written = await readFile(journal, 'utf8');
    expect(written.trim().split('\n')).toHaveLength(2);
    expect(written).not.toContain(tokens.accessToken);
    expect(written).toMatch(/"authorization":"Bearer fp:[0-9a-f]{12}"/);
    expect((await stat(journal)).mode & 0o777).toBe(0o600);

    // the journal is the input of `check`: the conforming request passes, the rejected one is judged too
    const checked = capture();
    await main(['check', journal, '--json'], checked.io);
    const report = JSON.parse(checked.out.join('\n')) as { requests: number; results: { ruleId: string; verdict: string }[] };
    expect(report.requests).toBe(2);
    expect(report.results).toContainEqual(expect.objectContaining({ ruleId: 'HDR.FEDRAMP.001', verdict: 'pass' }));
  });

  it('an agent identity session recorded by serve passes check (fingerprinted assertions are not misjudged)', async () => {
    const dir = await tempDir('cac-serve-agent-');
    const journal = join(dir, 'journal.ndjson');
    const c = capture();
    const stop = new AbortController();
    const done = serveUntil({ port: 0, journal }, c.io, stop.signal);
    await until(() => c.out.length > 0);
    const started = JSON.parse(c.out[0] as string) as ServeStarted;
    const account = await control<{ id: string }>(started, '/accounts', { plan: 'team', fedramp: false });
    const identity = await control<{ jwt: string }>(started, `/accounts/${account.id}/agent-identity`);
    const home = await tempDir('cac-serve-home-');
    // A loopback base: 0.171.0 accepts the identity with the authapi override and JWKS base = the base.
    const r = capture({ CODEX_ACCESS_TOKEN: identity.jwt, CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: `${new URL(started.chatgptBaseUrl).origin}/api/accounts`, CODEX_AGENT_IDENTITY_JWKS_BASE_URL: started.chatgptBaseUrl });
    expect(await main(['request', 'cloud-tasks.list', '--codex-home', home, '--chatgpt-base-url', started.chatgptBaseUrl, '--show-secrets', '--json'], r.io)).toBe(0);
    const computed = JSON.parse(r.out.join('\n')) as { method: string; url: string; headers: Record<string, string> };
    const sent = await fetch(computed.url, { method: computed.method, headers: computed.headers });
    expect(sent.status).toBe(200);
    await sent.arrayBuffer();
    stop.abort();
    await done;
    const checked = capture();
    expect(await main(['check', journal], checked.io)).toBe(0);
    const text = checked.out.join('\n');
    expect(text).toMatch(/^PASS AGENT\.TASK\.005/m);
    expect(text).toMatch(/^PASS AGENT\.TASK\.003/m);
    expect(text).not.toMatch(/AGENT\.TASK\.001/);
    expect(text).toMatch(/^PASS AGENT\.ASSERT\.003/m);
    // Listed with the rules the recording could not judge, with the reason (a fingerprint, not the assertion).
    expect(text).toMatch(/^ {2}AGENT\.ASSERT\.001 +AGENT\.ASSERT\.001 not judged on #\d+.*: the recording holds a fingerprint/m);
  });

  it('warns before serving on a non-loopback host (and a host it cannot bind is a typed error, exit 2)', async () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    const c = capture();
    // 192.0.2.1 (TEST-NET-1) is not an address of this machine: the bind fails, nothing is exposed.
    expect(await main(['serve', '--host', '192.0.2.1', '--port', '0'], c.io)).toBe(2);
    expect(c.err[0]).toMatch(/^warning: serving on 192\.0\.2\.1, not loopback/);
    expect(c.err.join('\n')).toMatch(/error \[BAD_CONFIG\]: The mock could not listen on 192\.0\.2\.1/);
  });

  it('bad flags are usage errors (exit 2)', async () => {
    for (const args of [['--port', 'eighty'], ['--port', '70000'], ['--seed', '-1'], ['--host', 'a b'], ['extra']]) {
      const c = capture();
      expect(await main(['serve', ...args], c.io), args.join(' ')).toBe(2);
      expect(c.err.join('\n')).toMatch(/^error \[USAGE\]/);
    }
  });

  it('the bin serves until SIGTERM, then flushes the journal and exits 0', async () => {
    const dir = await tempDir('cac-serve-bin-');
    const journal = join(dir, 'j.ndjson');
    const bin = fileURLToPath(new URL('../../../bin/codex-auth-conformance.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--journal', journal], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const lines = createInterface({ input: child.stdout });
      const iterator = lines[Symbol.asyncIterator]();
      const first = await iterator.next();
      const started = JSON.parse(first.value as string) as ServeStarted;
      const res = await fetch(`${started.openaiBaseUrl}/models`);
      await res.arrayBuffer();
      const second = JSON.parse((await iterator.next()).value as string) as ServedRequestLine;
      expect(second).toMatchObject({ event: 'request', method: 'GET', path: '/v1/models', credential: 'none' });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const written = (await readFile(journal, 'utf8')).trim().split('\n');
      expect(written).toHaveLength(1);
      expect(JSON.parse(written[0] as string)).toMatchObject({ method: 'GET', url: `${started.openaiBaseUrl}/models` });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);

  it('serves HTTPS with --tls-cert/--tls-key (a per-run CA leaf), verifiable with that CA', async () => {
    const dir = await tempDir('cac-serve-tls-');
    const certs = await createRunCertificates(dir);
    const c = capture();
    const stop = new AbortController();
    const done = serveUntil({ port: 0, tls: { cert: certs.leafCertPath, key: certs.leafKeyPath } }, c.io, stop.signal);
    await until(() => c.out.length > 0);
    const started = JSON.parse(c.out[0] as string) as ServeStarted;
    expect(started.origin).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const status = await new Promise<number>((resolveStatus, reject) => {
      httpsGet(`${started.controlUrl}/health`, { ca: certs.caCertPem }, (res) => {
        res.resume();
        resolveStatus(res.statusCode ?? 0);
      }).on('error', reject);
    });
    expect(status).toBe(200);
    stop.abort();
    expect(await done).toBe(0);
  });

  it('--tls-cert without --tls-key is a usage error', async () => {
    const c = capture();
    expect(await main(['serve', '--tls-cert', 'x.pem'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/--tls-cert and --tls-key go together/);
  });
});

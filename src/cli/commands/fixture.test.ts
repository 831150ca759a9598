import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpMock, type HttpMock } from '../../../mocks/http-bridge.js';
import { main } from '../main.js';
import type { FixtureResult } from './fixture.js';
import { tempDir } from '../../testing/temp-dirs.js';

function capture(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env, cwd: process.cwd() }, out, err };
}

let mock: HttpMock;
let base: string;
beforeAll(async () => {
  mock = await startHttpMock({ seed: 11 });
  base = `${mock.baseUrls.chatgpt}/`;
});
afterAll(async () => {
  await mock.close();
});

async function fixture(args: string[]): Promise<{ result: FixtureResult; home: string }> {
  const home = await tempDir('cac-fixture-');
  const c = capture();
  const code = await main(['fixture', ...args, '--codex-home', home, '--base-url', base, '--json'], c.io);
  expect(code, c.err.join('\n')).toBe(0);
  return { result: JSON.parse(c.out.join('\n')) as FixtureResult, home };
}

/** Computes the reference request for the fixture with `request`, sends it, returns the mock's status. */
async function sendReference(callsite: string, home: string, extra: string[], env: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string> }> {
  const c = capture(env);
  const code = await main(['request', callsite, '--codex-home', home, '--chatgpt-base-url', base, '--openai-base-url', mock.baseUrls.openai, ...extra, '--show-secrets', '--json'], c.io);
  expect(code, c.err.join('\n')).toBe(0);
  const computed = JSON.parse(c.out.join('\n')) as { outcome: string; method: string; url: string; headers: Record<string, string>; body?: unknown };
  expect(computed.outcome).toBe('send');
  const res = await fetch(computed.url, { method: computed.method, headers: computed.headers, ...(computed.body !== undefined ? { body: JSON.stringify(computed.body) } : {}) });
  await res.arrayBuffer();
  return { status: res.status, headers: computed.headers };
}

describe('fixture command', () => {
  it('writes config.toml with the mock\'s base URLs, update check and analytics off', async () => {
    const { home } = await fixture(['--mode', 'apiKey']);
    const config = await readFile(join(home, 'config.toml'), 'utf8');
    expect(config).toContain(`chatgpt_base_url = "${base}"`);
    expect(config).toContain(`openai_base_url = "${mock.origin}/v1"`);
    expect(config).toContain('check_for_update_on_startup = false');
    expect(config).toMatch(/\[analytics\]\nenabled = false/);
  });

  it('apiKey: auth.json (0600, no temp files left) holds a key the mock accepts on model traffic', async () => {
    const { home, result } = await fixture(['--mode', 'apiKey']);
    expect((await stat(join(home, 'auth.json'))).mode & 0o777).toBe(0o600);
    expect((await readdir(home)).sort()).toEqual(['auth.json', 'config.toml']);
    const auth = JSON.parse(await readFile(join(home, 'auth.json'), 'utf8')) as { auth_mode: string; OPENAI_API_KEY: string };
    expect(auth.OPENAI_API_KEY).toMatch(/^sk-/);
    expect(auth.auth_mode).toBe('apikey');
    expect(result.credential).toMatch(/^fp:[0-9a-f]{12}$/);
    expect((await sendReference('core.responses', home, [])).status).toBe(200);
  });

  it('HDR.FEDRAMP.001 chatgpt --fedramp --plan enterprise: the account exists in the mock and the reference request is accepted', async () => {
    const { home, result } = await fixture(['--mode', 'chatgpt', '--fedramp', '--plan', 'enterprise']);
    expect(result.account).toMatchObject({ plan: 'enterprise', fedramp: true });
    expect(mock.backend.accounts.get(result.account?.id ?? '')?.isFedramp).toBe(true);
    expect(JSON.parse(await readFile(join(home, 'auth.json'), 'utf8'))).toMatchObject({ auth_mode: 'chatgpt', OPENAI_API_KEY: null });
    expect(result.env['CODEX_REFRESH_TOKEN_URL_OVERRIDE']).toBe(`${mock.origin}/oauth/token`);
    const sent = await sendReference('cloud-tasks.list', home, []);
    expect(sent.headers['x-openai-fedramp']).toBe('true');
    expect(sent.headers['chatgpt-account-id']).toBe(result.account?.id);
    expect(sent.status).toBe(200);
  });

  it('chatgptAuthTokens: host tokens go to host-tokens.json (0600), not auth.json, and work with request --host-tokens', async () => {
    const { home, result } = await fixture(['--mode', 'chatgptAuthTokens', '--plan', 'business']);
    const names = await readdir(home);
    expect(names).not.toContain('auth.json');
    expect((await stat(join(home, 'host-tokens.json'))).mode & 0o777).toBe(0o600);
    const sent = await sendReference('chatgpt.get-task', home, ['--host-tokens', join(home, 'host-tokens.json')]);
    expect(sent.headers['chatgpt-account-id']).toBe(result.account?.id);
    expect(sent.status).toBe(200);
  });

  it('agentIdentity: the JWT goes to agent-identity.jwt (0600) and is not printed without --show-secrets', async () => {
    const home = await tempDir('cac-fixture-agent-');
    const c = capture();
    expect(await main(['fixture', '--mode', 'agentIdentity', '--codex-home', home, '--base-url', base], c.io)).toBe(0);
    const jwtPath = join(home, 'agent-identity.jwt');
    const jwt = (await readFile(jwtPath, 'utf8')).trim();
    expect((await stat(jwtPath)).mode & 0o777).toBe(0o600);
    const text = c.out.join('\n');
    expect(text).not.toContain(jwt);
    expect(text).not.toMatch(/^CODEX_ACCESS_TOKEN=/m);
    expect(text).toContain(`the agent identity JWT is in ${jwtPath}`);
    // A loopback base is neither production nor staging: the fixture names the override pair 0.171.0 accepts there.
    const env = Object.fromEntries([...text.matchAll(/^env {5}(CODEX_AGENT_IDENTITY_\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    expect(env).toEqual({ CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: `${mock.origin}/api/accounts`, CODEX_AGENT_IDENTITY_JWKS_BASE_URL: base });
    // Without it the reference refuses the identity before any request.
    const refused = capture({ CODEX_ACCESS_TOKEN: jwt });
    expect(await main(['request', 'cloud-tasks.list', '--codex-home', home, '--chatgpt-base-url', base], refused.io)).toBe(2);
    expect(refused.err.join('\n')).toMatch(/only supports production and staging/);
    // valid against the mock: JWKS verification and task registration succeed, the request is accepted
    const sent = await sendReference('cloud-tasks.list', home, [], { CODEX_ACCESS_TOKEN: jwt, ...env });
    expect(sent.headers['authorization']).toMatch(/^AgentAssertion /);
    expect(sent.status).toBe(200);
  });

  it('agentIdentity --show-secrets prints the CODEX_ACCESS_TOKEN line (and creates a missing CODEX_HOME, 0700)', async () => {
    const home = join(await tempDir('cac-fixture-agent-'), 'nested', 'home');
    const c = capture();
    expect(await main(['fixture', '--mode', 'agentIdentity', '--codex-home', home, '--base-url', base, '--show-secrets'], c.io)).toBe(0);
    const jwt = (await readFile(join(home, 'agent-identity.jwt'), 'utf8')).trim();
    expect(c.out).toContain(`CODEX_ACCESS_TOKEN=${jwt}`);
    expect((await stat(home)).mode & 0o777).toBe(0o700);
  });

  it('bad input is a typed error (exit 2): unknown mode, unknown plan, plan with apiKey, missing flags, bad URL', async () => {
    const home = await tempDir('cac-fixture-bad-');
    const cases: [string[], string][] = [
      [['--mode', 'password', '--codex-home', home, '--base-url', base], 'USAGE'],
      [['--mode', 'chatgpt', '--plan', 'platinum', '--codex-home', home, '--base-url', base], 'USAGE'],
      [['--mode', 'apiKey', '--fedramp', '--codex-home', home, '--base-url', base], 'USAGE'],
      [['--mode', 'chatgpt', '--codex-home', home], 'USAGE'],
      [['--mode', 'chatgpt', '--codex-home', home, '--base-url', 'not a url'], 'BAD_URL'],
    ];
    for (const [args, code] of cases) {
      const c = capture();
      expect(await main(['fixture', ...args], c.io), args.join(' ')).toBe(2);
      expect(c.err.join('\n'), args.join(' ')).toMatch(new RegExp(`^error \\[${code}\\]`));
    }
    expect(await readdir(home)).toEqual([]);
  });

  it('no mock at the base URL is a typed error naming the fix, and writes nothing', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    const home = await tempDir('cac-fixture-nomock-');
    await writeFile(join(home, 'keep.txt'), 'x');
    const c = capture();
    expect(await main(['fixture', '--mode', 'chatgpt', '--codex-home', home, '--base-url', `http://127.0.0.1:${port}/backend-api/`], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/error \[BAD_CONFIG\]: no mock answers at http:\/\/127\.0\.0\.1:\d+ .*Fix: start the mock first/);
    expect(await readdir(home)).toEqual(['keep.txt']);
  });
});

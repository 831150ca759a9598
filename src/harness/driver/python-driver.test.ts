import { execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CaseSetup } from '../implementation.js';
import { driverImplementation, smoke, type DriverImplementation } from './driver-implementation.js';
import type { DriverSession } from './driver-session.js';
import { CALLSITE_IDS } from '../../callsites/catalog.js';
import { checkAgentAssertion, startLoopbackStub, type LoopbackStub } from './testdata/loopback-stub.js';
import { tempDir } from '../../testing/temp-dirs.js';

const DRIVER = fileURLToPath(new URL('../../../examples/drivers/python/codex_auth_driver.py', import.meta.url));
const COMMAND = ['python3', DRIVER];
const OPTS = { timeoutMs: 15_000, maxRestarts: 1, validate: true } as const;

let stub: LoopbackStub;
let home: string;
let session: DriverSession;
/** One implementation for the file: the driver declares `reset`, so each test gets the same process after a reset. */
let driver: DriverImplementation;

beforeAll(async () => {
  stub = await startLoopbackStub();
  driver = driverImplementation(COMMAND, OPTS);
});
afterAll(async () => {
  await driver.close();
  expect(driver.usage.reused).toBeGreaterThan(0);
  await stub.close();
});
beforeEach(async () => {
  home = await tempDir('py-driver-');
  stub.requests.length = 0;
  stub.rejectBearer = new Set();
  stub.sealTaskIds = false;
  session = await driver.start();
});
afterEach(async () => {
  await session.stop();
  await rm(home, { recursive: true, force: true });
});

/** An unsigned-for-our-purposes id_token (the client only decodes the payload). */
async function idToken(auth: Record<string, unknown>): Promise<string> {
  const { privateKey } = generateKeyPairSync('ed25519');
  return new SignJWT({ email: 'u@example.invalid', 'https://api.openai.com/auth': auth })
    .setProtectedHeader({ alg: 'EdDSA' })
    .sign(privateKey);
}

function setup(partial: Partial<CaseSetup>): CaseSetup {
  return { caseId: 'py', home, files: {}, env: {}, config: { chatgptBaseUrl: `${stub.origin}/backend-api/` }, ...partial };
}

async function chatgptAuthJson(opts: { fedramp: boolean; lastRefresh?: string }): Promise<string> {
  return JSON.stringify({
    OPENAI_API_KEY: null,
    tokens: {
      id_token: await idToken({ chatgpt_account_id: 'acct-1', chatgpt_user_id: 'user-1', chatgpt_plan_type: 'team', chatgpt_account_is_fedramp: opts.fedramp }),
      access_token: 'access-1',
      refresh_token: 'refresh-1',
      account_id: 'acct-1',
    },
    last_refresh: opts.lastRefresh ?? new Date().toISOString(),
  });
}

describe('python driver (examples/drivers/python/codex_auth_driver.py)', () => {
  it('passes smoke and declares its capabilities', async () => {
    const report = await smoke(COMMAND, { timeoutMs: 15_000 });
    expect(report.ok).toBe(true);
    expect(report.ok && report.hello.implementation.language).toBe('python');
    expect(report.ok && report.hello.capabilities.authModes).toContain('agentIdentity');
  });

  it('declares only callsite ids of the harness catalogue (src/callsites/catalog.ts)', async () => {
    const report = await smoke(COMMAND, { timeoutMs: 15_000 });
    const declared = report.ok ? report.hello.capabilities.callsites : ['<smoke failed>'];
    expect(declared.length).toBeGreaterThan(0);
    for (const id of declared) expect(CALLSITE_IDS).toContain(id);
  });

  it('HDR.BEARER.001 protocol version 2: two instances on one CODEX_HOME each send their own credential; invokes from both run in order', async () => {
    expect(session.hello.version).toBe(2);
    expect(session.hello.capabilities.instances).toBe(true);
    const config = { openaiBaseUrl: `${stub.origin}/v1` };
    await session.configure(setup({ files: { 'auth.json': JSON.stringify({ OPENAI_API_KEY: 'sk-test-1' }) }, config }));
    // The second instance shares the home but has its own environment (CODEX_API_KEY comes first).
    await session.configure(setup({ env: { CODEX_API_KEY: 'sk-test-2' }, config }), 'second');
    expect([await session.introspect('authMode'), await session.introspect('authMode', 'second')]).toEqual(['apiKey', 'apiKey']);
    const outcomes = await session.invokeConcurrently([{ callsite: 'core.responses' }, { callsite: 'core.responses', instance: 'second' }]);
    expect(outcomes.map((o) => o.kind)).toEqual(['sent', 'sent']);
    expect(stub.requests.map((r) => r.headers['authorization'])).toEqual(['Bearer sk-test-1', 'Bearer sk-test-2']);
  });

  it('GATE.APIKEY.001 refuses codex-backend callsites for an API key without sending anything', async () => {
    await session.configure(setup({ files: { 'auth.json': JSON.stringify({ OPENAI_API_KEY: 'sk-test-1' }) } }));
    const outcome = await session.invoke('cloud-tasks.list');
    expect(outcome.kind).toBe('refused');
    expect(stub.requests).toEqual([]);
  });

  it('HDR.BEARER.002 sends an API key to the configured OpenAI base without account headers', async () => {
    await session.configure(
      setup({ files: { 'auth.json': JSON.stringify({ OPENAI_API_KEY: 'sk-test-1' }) }, config: { openaiBaseUrl: `${stub.origin}/v1` } }),
    );
    expect(await session.invoke('core.responses')).toMatchObject({ kind: 'sent', status: 200 });
    const [request] = stub.requests;
    expect(request?.path).toBe('/v1/responses');
    expect(request?.headers['authorization']).toBe('Bearer sk-test-1');
    expect(request?.headers['chatgpt-account-id']).toBeUndefined();
    expect(request?.headers['x-openai-fedramp']).toBeUndefined();
  });

  it('HDR.FEDRAMP.001 sends Bearer, ChatGPT-Account-ID and X-OpenAI-Fedramp for a FedRAMP ChatGPT account', async () => {
    await session.configure(setup({ files: { 'auth.json': await chatgptAuthJson({ fedramp: true }) } }));
    expect(await session.invoke('cloud-tasks.list')).toMatchObject({ kind: 'sent', status: 200 });
    const request = stub.requests.at(-1);
    expect(request?.path).toBe('/backend-api/wham/tasks/list');
    expect(request?.headers).toMatchObject({ authorization: 'Bearer access-1', 'chatgpt-account-id': 'acct-1', 'x-openai-fedramp': 'true' });
  });

  it('HDR.FEDRAMP.002 never sends X-OpenAI-Fedramp for a non-FedRAMP account, and uses /api/codex paths off /backend-api', async () => {
    await session.configure(setup({ files: { 'auth.json': await chatgptAuthJson({ fedramp: false }) }, config: { chatgptBaseUrl: stub.origin } }));
    await session.invoke('cloud-tasks.list');
    const request = stub.requests.at(-1);
    expect(request?.path).toBe('/api/codex/tasks/list');
    expect(request?.headers['x-openai-fedramp']).toBeUndefined();
  });

  it('chatgptAuthTokens takes the account id from the host tokens', async () => {
    const access = await idToken({ chatgpt_user_id: 'user-h', chatgpt_account_is_fedramp: false });
    await session.configure(setup({ hostTokens: { accessToken: access, accountId: 'acct-host' } }));
    await session.invoke('cloud-tasks.list');
    expect(stub.requests.at(-1)?.headers).toMatchObject({ authorization: `Bearer ${access}`, 'chatgpt-account-id': 'acct-host' });
    expect(await session.introspect('authMode')).toBe('chatgptAuthTokens');
  });

  it('REFRESH.401.001 refreshes once on a 401 and retries with the new token, writing auth.json back', async () => {
    stub.rejectBearer = new Set(['access-1']);
    await session.configure(
      setup({ files: { 'auth.json': await chatgptAuthJson({ fedramp: false }) }, env: { CODEX_REFRESH_TOKEN_URL_OVERRIDE: `${stub.origin}/oauth/token` } }),
    );
    expect(await session.invoke('cloud-tasks.list')).toMatchObject({ kind: 'sent', status: 200 });
    const bearers = stub.requests.filter((r) => r.path.endsWith('/tasks/list')).map((r) => r.headers['authorization']);
    expect(bearers).toEqual(['Bearer access-1', 'Bearer access-2']);
    expect(JSON.parse(stub.requests.find((r) => r.path === '/oauth/token')?.body ?? '{}')).toMatchObject({ grant_type: 'refresh_token', client_id: 'app_EMoamEEZ73f0CkXaXp7hrann' });
    const written = JSON.parse(await readFile(join(home, 'auth.json'), 'utf8')) as { tokens: { access_token: string } };
    expect(written.tokens.access_token).toBe('access-2');
  });

  it('GATE.APPS.001 refuses Apps when disabled and calls the Apps MCP URL when enabled', async () => {
    await session.configure(setup({ files: { 'auth.json': await chatgptAuthJson({ fedramp: false }) } }));
    expect((await session.invoke('apps-mcp.tools-list')).kind).toBe('refused');
    await session.configure(setup({ files: { 'auth.json': await chatgptAuthJson({ fedramp: false }) }, config: { chatgptBaseUrl: `${stub.origin}/backend-api`, appsEnabled: true } }));
    expect(await session.invoke('apps-mcp.tools-list')).toMatchObject({ kind: 'sent', status: 200 });
    expect(stub.requests.at(-1)).toMatchObject({ method: 'POST', path: '/backend-api/ps/mcp' });
  });

  it.each([false, true])('HDR.AGENT.001 agent identity (sealed task id: %s): verified JWT, one task, signed AgentAssertion', async (sealed) => {
    stub.sealTaskIds = sealed;
    const key = stub.newAgentKey(`runtime-${sealed ? 'sealed' : 'plain'}`);
    const jwt = await stub.mintAgentJwt({ account_id: 'acct-agent', chatgpt_account_is_fedramp: true }, key);
    // codex-0.171 accepts a loopback ChatGPT base for agent identity only with both overrides naming it.
    const base = `${stub.origin}/backend-api`;
    await session.configure(setup({ env: { CODEX_ACCESS_TOKEN: jwt, CODEX_AGENT_IDENTITY_JWKS_BASE_URL: base, CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: base } }));
    expect(await session.invoke('cloud-tasks.list')).toMatchObject({ kind: 'sent', status: 200 });
    expect(await session.invoke('cloud-tasks.list')).toMatchObject({ kind: 'sent', status: 200 });

    const paths = stub.requests.map((r) => r.path);
    expect(paths[0]).toBe('/backend-api/wham/agent-identities/jwks');
    expect(paths[1]).toBe(`/backend-api/v1/agent/${key.runtimeId}/task/register`);
    expect(stub.tasks.get(key.runtimeId)).toHaveLength(1);
    const calls = stub.requests.filter((r) => r.path.endsWith('/tasks/list'));
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      const assertion = checkAgentAssertion(call.headers['authorization'] ?? '', key);
      expect(assertion.ok).toBe(true);
      expect(assertion.keys).toEqual(['agent_runtime_id', 'signature', 'task_id', 'timestamp']);
      expect(assertion.taskId).toBe(stub.tasks.get(key.runtimeId)?.[0]);
      expect(assertion.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(call.headers).toMatchObject({ 'chatgpt-account-id': 'acct-agent', 'x-openai-fedramp': 'true' });
    }
  });

  it('URL.AGENT.004 refuses agent identity on a ChatGPT base outside production and staging: no registration, no assertion', async () => {
    const key = stub.newAgentKey('runtime-refused');
    const jwt = await stub.mintAgentJwt({ account_id: 'acct-agent' }, key);
    const before = stub.requests.length;
    await session.configure(setup({ env: { CODEX_ACCESS_TOKEN: jwt } }));
    const outcome = await session.invoke('cloud-tasks.list');
    expect(outcome).toMatchObject({ kind: 'refused' });
    expect(JSON.stringify(outcome)).toContain('production and staging');
    const sent = stub.requests.slice(before).map((r) => r.path);
    expect(sent.filter((p) => p.includes('/task/register') || p.endsWith('/tasks/list'))).toEqual([]);
  });

  it('AGENT.JWT.001 refuses an identity JWT signed by a foreign key: errored, no assertion request', async () => {
    const key = stub.newAgentKey('runtime-foreign');
    const jwt = await stub.mintAgentJwt({}, key, { foreignKey: true });
    await session.configure(setup({ env: { CODEX_ACCESS_TOKEN: jwt } }));
    const outcome = await session.invoke('cloud-tasks.list');
    expect(outcome.kind === 'errored' && outcome.message).toMatch(/signature does not verify/);
    expect(stub.requests.map((r) => r.path)).toEqual(['/backend-api/wham/agent-identities/jwks']);
  });

  it('CACHE.KEY.001 introspects the apps cache key from the identity', async () => {
    const key = stub.newAgentKey('runtime-cache');
    await session.configure(setup({ env: { CODEX_ACCESS_TOKEN: await stub.mintAgentJwt({ account_id: 'acct-c', chatgpt_user_id: 'user-c' }, key) } }));
    expect(await session.introspect('appsCacheKey')).toEqual({ accountId: 'acct-c', chatgptUserId: 'user-c', isWorkspaceAccount: true });
  });

  it('never contacts a non-loopback host', async () => {
    await session.configure(setup({ files: { 'auth.json': await chatgptAuthJson({ fedramp: false }) }, config: { chatgptBaseUrl: 'https://chatgpt.com/backend-api/' } }));
    const outcome = await session.invoke('cloud-tasks.list');
    expect(outcome.kind === 'errored' && outcome.message).toMatch(/non-loopback host 'chatgpt.com'/);
  });

  it('counts a name as loopback only when the hosts file maps it to loopback alone, without any DNS query', async () => {
    const hosts = join(await tempDir('py-hosts-'), 'hosts');
    await writeFile(hosts, '127.0.0.1 chatgpt.com auth.openai.com # the namespace\n::1 api.openai.com\n127.0.0.1 mixed.test\n10.0.0.1 mixed.test\n');
    const script = [
      'import sys, socket',
      `sys.path.insert(0, ${JSON.stringify(join(DRIVER, '..'))})`,
      'import codex_auth_driver as d',
      'socket.getaddrinfo = None  # any DNS lookup would raise',
      `f = lambda name: sorted(d._hosts_file_addresses(name, ${JSON.stringify(hosts)}))`,
      "print(f('chatgpt.com'), f('api.openai.com'), f('mixed.test'), f('example.com'))",
      "print(d.is_loopback('https://example.com/x'), d.is_loopback('http://127.0.0.1:1/'), d.is_loopback('http://[::1]:1/'))",
    ].join('\n');
    const out = execFileSync('python3', ['-c', script], { encoding: 'utf8' }).trim().split('\n');
    expect(out[0]).toBe("['127.0.0.1'] ['::1'] ['10.0.0.1', '127.0.0.1'] []");
    expect(out[1]).toBe('False True True');
  });

  it('reports missing credentials as an errored outcome, not a crash', async () => {
    await session.configure(setup({}));
    const outcome = await session.invoke('cloud-tasks.list');
    expect(outcome.kind === 'errored' && outcome.message).toMatch(/no credentials/);
    expect(session.restarts).toBe(0);
  });
});

describe('python driver crypto', () => {
  it('Ed25519 signatures equal node:crypto signatures for random keys and messages (RFC 8032 is deterministic)', async () => {
    const { execFileSync } = await import('node:child_process');
    const { sign } = await import('node:crypto');
    const cases = Array.from({ length: 4 }, (_, i) => {
      const { privateKey } = generateKeyPairSync('ed25519');
      const der = privateKey.export({ format: 'der', type: 'pkcs8' });
      const message = Buffer.from(`runtime-${i}:task-${i}:2025-01-01T00:00:0${i}Z`.repeat(i + 1));
      return { seed: der.subarray(der.length - 32).toString('hex'), message: message.toString('hex'), expected: sign(null, message, privateKey).toString('hex') };
    });
    const script = [
      'import json, sys, ed25519_x25519 as e',
      'cases = json.load(sys.stdin)',
      'print(json.dumps([e.sign(bytes.fromhex(c["seed"]), bytes.fromhex(c["message"])).hex() for c in cases]))',
    ].join('\n');
    const out = execFileSync('python3', ['-c', script], { cwd: join(DRIVER, '..'), input: JSON.stringify(cases) }).toString();
    expect(JSON.parse(out)).toEqual(cases.map((c) => c.expected));
  });
});

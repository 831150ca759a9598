import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpMock, type HttpMock } from '../../../mocks/http-bridge.js';
import { MockBackend } from '../../../mocks/state/mock-backend.js';
import { renderAuthJson } from '../../harness/scenario/codex-home.js';
import { CALLSITE_IDS } from '../../callsites/catalog.js';
import { isModelTraffic } from '../../rules/expectations.js';
import { main } from '../main.js';
import { tempDir } from '../../testing/temp-dirs.js';

function capture(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env, cwd: process.cwd() }, out, err };
}

interface Shown {
  outcome: 'send' | 'refused';
  authMode: string;
  method?: string;
  url?: string;
  reason?: string;
  headers?: Record<string, string>;
  agent?: { runtimeId: string; taskId: string; taskRegistered: boolean };
}

async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; shown: Shown; out: string[]; err: string[] }> {
  const c = capture(env);
  const code = await main(['request', ...args, '--json'], c.io);
  const shown = (code === 0 ? JSON.parse(c.out.join('\n')) : {}) as Shown;
  return { code, shown, out: c.out, err: c.err };
}

async function home(authJson?: string): Promise<string> {
  const dir = await tempDir('cac-request-');
  if (authJson !== undefined) await writeFile(join(dir, 'auth.json'), authJson, { mode: 0o600 });
  return dir;
}

async function file(name: string, text: string): Promise<string> {
  const path = join(await tempDir('cac-request-f-'), name);
  await writeFile(path, text, { mode: 0o600 });
  return path;
}

const BASE = 'http://127.0.0.1:9/backend-api/';
const OPENAI = 'http://127.0.0.1:9/v1';
/** Codex-backend-only callsites (everything but model traffic, which API keys may use). */
const BACKEND_ONLY = CALLSITE_IDS.filter((id) => !isModelTraffic(id));

let backend: MockBackend;
beforeAll(async () => {
  backend = await MockBackend.create({ seed: 7 });
});

describe('request command: header sets per mode (codex-auth-facts §2)', () => {
  it('HDR.FEDRAMP.001 a FedRAMP workspace ChatGPT account sends Bearer, ChatGPT-Account-ID and X-OpenAI-Fedramp: true', async () => {
    const account = backend.createAccount({ plan: 'enterprise', fedramp: true });
    const t = await backend.issueChatgptTokens(account.id);
    const dir = await home(renderAuthJson({ mode: 'chatgpt', idToken: t.idToken, accessToken: t.accessToken, refreshToken: t.refreshToken, accountId: account.id }));
    const r = await run(['backend-client.rate-limits', '--codex-home', dir, '--chatgpt-base-url', BASE]);
    expect(r.code).toBe(0);
    expect(r.shown.outcome).toBe('send');
    expect(r.shown.authMode).toBe('chatgpt');
    expect(r.shown.url?.startsWith('http://127.0.0.1:9/backend-api/wham/')).toBe(true);
    expect(Object.keys(r.shown.headers ?? {}).sort()).toEqual(['authorization', 'chatgpt-account-id', 'x-openai-fedramp']);
    expect(r.shown.headers?.['chatgpt-account-id']).toBe(account.id);
    expect(r.shown.headers?.['x-openai-fedramp']).toBe('true');
    expect(r.shown.headers?.['authorization']).toMatch(/^Bearer fp:[0-9a-f]{12}$/);
    expect(r.out.join('\n')).not.toContain(t.accessToken);
  });

  it('HDR.FEDRAMP.002 a non-FedRAMP ChatGPT account sends no X-OpenAI-Fedramp at all; --show-secrets shows the token', async () => {
    const account = backend.createAccount({ plan: 'plus', fedramp: false });
    const t = await backend.issueChatgptTokens(account.id);
    const dir = await home(renderAuthJson({ mode: 'chatgpt', idToken: t.idToken, accessToken: t.accessToken, refreshToken: t.refreshToken, accountId: account.id }));
    const r = await run(['cloud-tasks.list', '--codex-home', dir, '--chatgpt-base-url', BASE, '--show-secrets']);
    expect(r.code).toBe(0);
    expect(r.shown.headers).toEqual({ authorization: `Bearer ${t.accessToken}`, 'chatgpt-account-id': account.id });
  });

  it('HDR.ACCOUNT.001 chatgptAuthTokens (host tokens file) sends the host token and its account id', async () => {
    const account = backend.createAccount({ plan: 'business', fedramp: true });
    const t = await backend.issueChatgptTokens(account.id, { kind: 'hostAccess' });
    const hostTokens = await file('host.json', JSON.stringify({ accessToken: t.accessToken, accountId: account.id, planType: 'business' }));
    const r = await run(['chatgpt.get-task', '--codex-home', await home(), '--chatgpt-base-url', BASE, '--host-tokens', hostTokens, '--show-secrets']);
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(r.shown.authMode).toBe('chatgptAuthTokens');
    expect(r.shown.headers).toEqual({ authorization: `Bearer ${t.accessToken}`, 'chatgpt-account-id': account.id, 'x-openai-fedramp': 'true' });
  });

  it('HDR.AGENT.002 an agent identity (--jwks FILE, --task-id) sends AgentAssertion plus account and FedRAMP from its claims', async () => {
    const account = backend.createAccount({ plan: 'enterprise', fedramp: true });
    const identity = await backend.createAgentIdentity(account.id);
    const jwks = await file('jwks.json', JSON.stringify(backend.agentIdentityKeys.jwks()));
    const r = await run(
      ['cloud-requirements.fetch', '--codex-home', await home(), '--chatgpt-base-url', BASE, '--jwks', jwks, '--task-id', 'task_given', '--show-secrets'],
      { CODEX_ACCESS_TOKEN: identity.jwt },
    );
    expect(r.code).toBe(0);
    expect(r.shown.authMode).toBe('agentIdentity');
    expect(Object.keys(r.shown.headers ?? {}).sort()).toEqual(['authorization', 'chatgpt-account-id', 'x-openai-fedramp']);
    expect(r.shown.headers?.['chatgpt-account-id']).toBe(account.id);
    const assertion = r.shown.headers?.['authorization'] ?? '';
    expect(assertion).toMatch(/^AgentAssertion [A-Za-z0-9_-]+$/);
    const payload = JSON.parse(Buffer.from(assertion.slice('AgentAssertion '.length), 'base64url').toString('utf8')) as Record<string, string>;
    expect(Object.keys(payload)).toEqual(['agent_runtime_id', 'signature', 'task_id', 'timestamp']);
    expect(payload['task_id']).toBe('task_given');
    expect(payload['agent_runtime_id']).toBe(identity.runtimeId);
    expect(r.shown.agent).toEqual({ runtimeId: identity.runtimeId, taskId: 'task_given', taskRegistered: false });
  });

  it('HDR.BEARER.002 an API key sends only Bearer on model traffic, to the OpenAI base', async () => {
    const key = backend.createApiKey();
    const dir = await home(renderAuthJson({ mode: 'apiKey', apiKey: key }));
    const r = await run(['core.responses', '--codex-home', dir, '--chatgpt-base-url', BASE, '--openai-base-url', OPENAI, '--show-secrets']);
    expect(r.code).toBe(0);
    expect(r.shown.method).toBe('POST');
    expect(r.shown.url).toBe('http://127.0.0.1:9/v1/responses');
    expect(r.shown.headers).toEqual({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });
    // API-key model discovery (0.155.0 on) is off with a configured openai_base_url: no catalogue request.
    const models = await run(['models.refresh', '--codex-home', dir, '--chatgpt-base-url', BASE, '--openai-base-url', OPENAI]);
    expect(models.code).toBe(0);
    expect(models.shown.outcome).toBe('refused');
    expect(models.shown.reason).toMatch(/openai_base_url/);
  });

  it('URL.APIKEY.002 an API key without openai_base_url lists models at the constant https://chatgpt.com/backend-api/codex (API-key model discovery), Bearer only', async () => {
    const key = backend.createApiKey();
    const dir = await home(renderAuthJson({ mode: 'apiKey', apiKey: key }));
    const models = await run(['models.refresh', '--codex-home', dir, '--chatgpt-base-url', BASE, '--show-secrets']);
    expect(models.code).toBe(0);
    expect(models.shown).toMatchObject({ outcome: 'send', method: 'GET', url: 'https://chatgpt.com/backend-api/codex/models' });
    expect(models.shown.headers).toEqual({ authorization: `Bearer ${key}` });
  });

  it('URL.MODEL.001 ChatGPT model traffic goes to the constant https://chatgpt.com/backend-api/codex, not under --chatgpt-base-url', async () => {
    const account = backend.createAccount({ plan: 'plus', fedramp: false });
    const t = await backend.issueChatgptTokens(account.id);
    const dir = await home(renderAuthJson({ mode: 'chatgpt', idToken: t.idToken, accessToken: t.accessToken, refreshToken: t.refreshToken, accountId: account.id }));
    expect((await run(['core.responses', '--codex-home', dir, '--chatgpt-base-url', BASE])).shown.url).toBe('https://chatgpt.com/backend-api/codex/responses');
    expect((await run(['core.responses', '--codex-home', dir, '--chatgpt-base-url', BASE, '--openai-base-url', OPENAI])).shown.url).toBe('http://127.0.0.1:9/v1/responses');
  });

  it('GATE.APIKEY.001 an API key is refused on every codex-backend-only callsite, with the gate\'s reason', async () => {
    const dir = await home(renderAuthJson({ mode: 'apiKey', apiKey: backend.createApiKey() }));
    expect(BACKEND_ONLY.length).toBe(CALLSITE_IDS.length - 2);
    for (const id of BACKEND_ONLY) {
      const r = await run([id, '--codex-home', dir, '--chatgpt-base-url', BASE, '--apps-enabled']);
      expect(r.code, id).toBe(0);
      expect(r.shown.outcome, id).toBe('refused');
      expect(r.shown.reason, id).toMatch(/requires Codex backend auth \(mode apiKey/);
      expect(r.shown.headers, id).toBeUndefined();
    }
  });

  it('text output names method, URL, headers and says nothing was sent', async () => {
    const dir = await home(renderAuthJson({ mode: 'apiKey', apiKey: backend.createApiKey() }));
    const c = capture();
    expect(await main(['request', 'core.responses', '--codex-home', dir, '--openai-base-url', OPENAI], c.io)).toBe(0);
    const text = c.out.join('\n');
    expect(text).toMatch(/^request {3}POST http:\/\/127\.0\.0\.1:9\/v1\/responses$/m);
    expect(text).toMatch(/^header {4}authorization: Bearer fp:[0-9a-f]{12}$/m);
    expect(text).toMatch(/computed, not sent/);
  });

  it('--list names every callsite of the catalogue', async () => {
    const c = capture();
    expect(await main(['request', '--list', '--json'], c.io)).toBe(0);
    expect((JSON.parse(c.out.join('\n')) as { id: string }[]).map((r) => r.id)).toEqual([...CALLSITE_IDS]);
  });
});

describe('request command: agent identity against a running mock (JWKS fetched, task registered)', () => {
  let mock: HttpMock;
  beforeAll(async () => {
    mock = await startHttpMock({ seed: 3 });
  });
  afterAll(async () => {
    await mock.close();
  });

  it('AGENT.TASK.002 registers one task at the authapi the override pair names for a loopback base and uses the issued task id', async () => {
    const account = mock.backend.createAccount({ plan: 'team', fedramp: false });
    const identity = await mock.backend.createAgentIdentity(account.id);
    const base = `${mock.baseUrls.chatgpt}/`;
    const root = new URL(base).origin;
    // A loopback base is neither production nor staging: 0.171.0 accepts it only with the authapi
    // override and a JWKS base equal to the configured base.
    const refused = await run(['cloud-tasks.list', '--codex-home', await home(), '--chatgpt-base-url', base], { CODEX_ACCESS_TOKEN: identity.jwt });
    expect(refused.code).toBe(2);
    expect(refused.err.join('\n')).toMatch(/only supports production and staging/);
    const before = mock.journal.list().length;
    const r = await run(['cloud-tasks.list', '--codex-home', await home(), '--chatgpt-base-url', base], {
      CODEX_ACCESS_TOKEN: identity.jwt,
      CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: `${root}/api/accounts`,
      CODEX_AGENT_IDENTITY_JWKS_BASE_URL: base,
    });
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(r.shown.agent?.taskRegistered).toBe(true);
    expect(mock.backend.tasks.get(r.shown.agent?.taskId ?? '')?.runtimeId).toBe(identity.runtimeId);
    const paths = mock.journal.list().slice(before).map((e) => `${e.method} ${new URL(e.url).pathname}`);
    expect(paths).toEqual(['GET /backend-api/wham/agent-identities/jwks', `POST /api/accounts/v1/agent/${identity.runtimeId}/task/register`]);
    expect(r.shown.headers?.['authorization']).toMatch(/^AgentAssertion fp:[0-9a-f]{12}$/);
    expect(r.out.join('\n')).not.toContain(identity.jwt);
  });
});

describe('request command: bad input is a typed error (exit 2), no stack, no secret', () => {
  async function expectError(args: string[], env: Record<string, string>, code: string, secret?: string): Promise<void> {
    const c = capture(env);
    expect(await main(['request', ...args], c.io)).toBe(2);
    const text = c.err.join('\n');
    expect(text).toMatch(new RegExp(`^error \\[${code}\\]: `));
    expect(text).not.toMatch(/\n\s+at /);
    if (secret !== undefined) expect(text).not.toContain(secret);
    expect(c.out).toEqual([]);
  }

  it('malformed auth.json -> AUTH_JSON_MALFORMED', async () => {
    await expectError(['cloud-tasks.list', '--codex-home', await home('{"OPENAI_API_KEY": 42}')], {}, 'AUTH_JSON_MALFORMED');
  });

  it('unknown callsite -> UNKNOWN_CALLSITE; missing --codex-home -> USAGE', async () => {
    await expectError(['no.such.callsite', '--codex-home', await home()], {}, 'UNKNOWN_CALLSITE');
    await expectError(['cloud-tasks.list'], {}, 'USAGE');
  });

  it('a JWT that is not a JWT -> JWT_MALFORMED', async () => {
    await expectError(['cloud-tasks.list', '--codex-home', await home(), '--chatgpt-base-url', BASE, '--task-id', 't'], { CODEX_ACCESS_TOKEN: 'not-a-jwt' }, 'JWT_MALFORMED', 'not-a-jwt');
  });

  it('alg none -> JWT_ALG_REJECTED', async () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    // A kid the JWKS holds: the source looks the kid up before it checks the alg (an unknown kid is JWT_UNKNOWN_KID).
    const jwt = `${b64({ alg: 'none', kid: backend.agentIdentityKeys.jwks().keys[0]!.kid })}.${b64({ agent_runtime_id: 'r' })}.sig`;
    const jwks = await file('jwks.json', JSON.stringify(backend.agentIdentityKeys.jwks()));
    await expectError(['cloud-tasks.list', '--codex-home', await home(), '--chatgpt-base-url', BASE, '--jwks', jwks, '--task-id', 't'], { CODEX_ACCESS_TOKEN: jwt }, 'JWT_ALG_REJECTED', jwt);
  });

  it('unknown kid -> JWT_UNKNOWN_KID; expired -> JWT_EXPIRED', async () => {
    const account = backend.createAccount({ plan: 'plus' });
    const other = await MockBackend.create({ seed: 9 });
    const jwksOther = await file('other.json', JSON.stringify(other.agentIdentityKeys.jwks()));
    const identity = await backend.createAgentIdentity(account.id);
    await expectError(['cloud-tasks.list', '--codex-home', await home(), '--chatgpt-base-url', BASE, '--jwks', jwksOther, '--task-id', 't'], { CODEX_ACCESS_TOKEN: identity.jwt }, 'JWT_UNKNOWN_KID', identity.jwt);
    const expired = await backend.createAgentIdentity(account.id, { expired: true });
    const jwks = await file('jwks.json', JSON.stringify(backend.agentIdentityKeys.jwks()));
    await expectError(['cloud-tasks.list', '--codex-home', await home(), '--chatgpt-base-url', BASE, '--jwks', jwks, '--task-id', 't'], { CODEX_ACCESS_TOKEN: expired.jwt }, 'JWT_EXPIRED', expired.jwt);
  });

  it('a verified identity whose agent_private_key is not PKCS#8 -> PKCS8_INVALID', async () => {
    const account = backend.createAccount({ plan: 'plus' });
    const identity = await backend.createAgentIdentity(account.id);
    const key = backend.agentIdentityKeys.current();
    const badKey = Buffer.from('not a pkcs8 key at all!!').toString('base64');
    const jwt = await new SignJWT({ ...identity.claims, agent_private_key: badKey })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .sign(key.privateKey);
    const jwks = await file('jwks.json', JSON.stringify(backend.agentIdentityKeys.jwks()));
    await expectError(['cloud-tasks.list', '--codex-home', await home(), '--chatgpt-base-url', BASE, '--jwks', jwks, '--task-id', 't'], { CODEX_ACCESS_TOKEN: jwt }, 'PKCS8_INVALID', badKey);
  });

  it('a JWKS file without keys -> JWKS_UNAVAILABLE; a host tokens file without accountId -> BAD_CONFIG (token not echoed)', async () => {
    const jwks = await file('jwks.json', '{"nokeys": true}');
    await expectError(['cloud-tasks.list', '--codex-home', await home(), '--jwks', jwks], {}, 'JWKS_UNAVAILABLE');
    const host = await file('host.json', JSON.stringify({ accessToken: 'secret-host-token' }));
    await expectError(['cloud-tasks.list', '--codex-home', await home(), '--host-tokens', host], {}, 'BAD_CONFIG', 'secret-host-token');
  });

  it('no credentials at all -> NO_CREDENTIALS', async () => {
    await expectError(['cloud-tasks.list', '--codex-home', await home()], {}, 'NO_CREDENTIALS');
  });
});

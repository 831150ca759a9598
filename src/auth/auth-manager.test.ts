import { generateKeyPairSync } from 'node:crypto';
import { readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthManager } from './auth-manager.js';
import type { AuthManagerConfig, RegisterAgentTask } from './auth-manager-config.js';
import { CLIENT_PROFILES } from './client-profile.js';
import type { AgentIdentityClaims } from './codex-auth.js';
import { RefreshFailedError } from './token-refresh.js';
import { unsignedJwt } from './unsigned-jwt.js';
import { tempDir } from '../testing/temp-dirs.js';

const AUTH = 'https://api.openai.com/auth';
const TOKEN_URL = 'http://127.0.0.1:1455/oauth/token';
const NOW = new Date('2025-03-10T12:00:00.000Z');
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const idJwt = (user: string) => unsignedJwt({ email: `${user}@example.com`, [AUTH]: { chatgpt_user_id: user, chatgpt_plan_type: 'team' } });

function chatgptFile(over: { access?: string; refresh?: string; account?: string; lastRefresh?: string } = {}) {
  return {
    OPENAI_API_KEY: null,
    tokens: {
      id_token: idJwt('user-1'),
      access_token: over.access ?? 'at-old',
      refresh_token: over.refresh ?? 'rt-old',
      account_id: over.account ?? 'acct-1',
    },
    last_refresh: over.lastRefresh ?? '2025-03-01T00:00:00Z', // 9.5 days before NOW: stale
  };
}

const claims: AgentIdentityClaims = {
  agentRuntimeId: 'runtime-1',
  agentPrivateKey: generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  accountId: 'acct-agent',
  isFedramp: true,
  iat: 0,
  exp: 9_999_999_999,
};

/** The decoded agent identity record PR #18811-era auth.json stores (no JWT). */
function agentRecordFile() {
  return {
    auth_mode: 'agentIdentity',
    OPENAI_API_KEY: null,
    agent_identity: {
      agent_runtime_id: 'runtime-rec',
      agent_private_key: claims.agentPrivateKey,
      account_id: 'acct-rec',
      chatgpt_user_id: 'user-rec',
      email: 'rec@example.com',
      plan_type: 'business',
      chatgpt_account_is_fedramp: false,
    },
  };
}

let home: string;
beforeEach(async () => {
  home = await tempDir('codex-home-');
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const writeAuth = (obj: unknown) => writeFile(join(home, 'auth.json'), JSON.stringify(obj), { mode: 0o600 });
const readAuthFile = async () => JSON.parse(await readFile(join(home, 'auth.json'), 'utf8')) as Record<string, any>;

function manager(over: Partial<AuthManagerConfig> = {}): AuthManager {
  return new AuthManager({
    codexHome: home,
    env: { CODEX_REFRESH_TOKEN_URL_OVERRIDE: TOKEN_URL },
    now: () => NOW,
    verifyAgentIdentity: () => Promise.resolve(claims),
    registerAgentTask: () => Promise.resolve('task-1'),
    ...over,
  });
}

function tokenEndpoint(respond: () => Response = () => HttpResponse.json({ access_token: 'at-new', refresh_token: 'rt-new', id_token: idJwt('user-1') })) {
  const calls: unknown[] = [];
  server.use(
    http.post(TOKEN_URL, async ({ request }) => {
      calls.push(await request.json());
      return respond();
    }),
  );
  return calls;
}

function headersOf(provider: { applyHeaders(h: Headers): void }): Record<string, string> {
  const h = new Headers();
  provider.applyHeaders(h);
  return Object.fromEntries(h.entries());
}

describe('AuthManager.auth', () => {
  it('loads once: later changes to auth.json are not seen until reload()', async () => {
    await writeAuth(chatgptFile());
    const m = manager();
    const first = await m.auth();
    await writeAuth(chatgptFile({ access: 'at-other' }));
    expect(await m.auth()).toBe(first);
    expect(await m.reload()).toBe(true);
    expect((await m.auth()).mode === 'chatgpt' && (await m.auth() as any).tokens.accessToken).toBe('at-other');
  });

  it('concurrent first calls share one load (one verification)', async () => {
    const verify = vi.fn(() => Promise.resolve(claims));
    const m = manager({ env: { CODEX_ACCESS_TOKEN: 'agent.jwt.x' }, verifyAgentIdentity: verify });
    const [a, b] = await Promise.all([m.auth(), m.auth()]);
    expect(a).toBe(b);
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('passes the configured ChatGPT base URL to agent identity verification', async () => {
    const verify = vi.fn(() => Promise.resolve(claims));
    await manager({ env: { CODEX_ACCESS_TOKEN: 'agent.jwt.x' }, chatgptBaseUrl: 'https://chatgpt-staging.com/backend-api/', verifyAgentIdentity: verify }).auth();
    expect(verify).toHaveBeenCalledWith('agent.jwt.x', { chatgptBaseUrl: 'https://chatgpt-staging.com/backend-api/' });
  });

  it('a failed load is not cached', async () => {
    const m = manager();
    await expect(m.auth()).rejects.toMatchObject({ code: 'NO_CREDENTIALS' });
    await writeAuth({ OPENAI_API_KEY: 'sk-later' });
    expect(await m.auth()).toEqual({ mode: 'apiKey', apiKey: 'sk-later' });
  });
});

describe('AuthManager.refreshIfStale', () => {
  it('refreshes stale ChatGPT auth and writes new tokens + last_refresh atomically (0600)', async () => {
    await writeAuth(chatgptFile());
    const calls = tokenEndpoint();
    const m = manager();
    expect(await m.refreshIfStale()).toBe(true);
    expect(calls).toEqual([{ client_id: 'app_EMoamEEZ73f0CkXaXp7hrann', grant_type: 'refresh_token', refresh_token: 'rt-old' }]);
    const file = await readAuthFile();
    expect(file.tokens).toMatchObject({ access_token: 'at-new', refresh_token: 'rt-new', account_id: 'acct-1' });
    expect(file.last_refresh).toBe(NOW.toISOString());
    expect((await stat(join(home, 'auth.json'))).mode & 0o777).toBe(0o600);
    expect(await readdir(home)).toEqual(['auth.json']);
    const auth = await m.auth();
    expect(auth.mode === 'chatgpt' && auth.tokens.accessToken).toBe('at-new');
  });

  it('keeps tokens the endpoint did not return', async () => {
    await writeAuth(chatgptFile());
    tokenEndpoint(() => HttpResponse.json({ access_token: 'at-only' }));
    await manager().refreshIfStale();
    expect((await readAuthFile()).tokens).toMatchObject({ access_token: 'at-only', refresh_token: 'rt-old' });
  });

  it('does nothing when the auth is fresh (no request)', async () => {
    await writeAuth(chatgptFile({ lastRefresh: '2025-03-09T00:00:00Z' }));
    expect(await manager().refreshIfStale()).toBe(false);
  });

  it('does nothing for API keys', async () => {
    await writeAuth({ OPENAI_API_KEY: 'sk' });
    expect(await manager().refreshIfStale()).toBe(false);
  });

  it('concurrent callers make one refresh request', async () => {
    await writeAuth(chatgptFile());
    const calls = tokenEndpoint();
    const m = manager();
    await m.auth();
    expect(await Promise.all([m.refreshIfStale(), m.refreshIfStale(), m.refreshIfStale()])).toEqual([true, true, true]);
    expect(calls).toHaveLength(1);
  });

  it('guarded reload: when another process already refreshed auth.json, no request is made', async () => {
    await writeAuth(chatgptFile());
    const m = manager();
    await m.auth();
    await writeAuth(chatgptFile({ access: 'at-by-other-process', lastRefresh: '2025-03-10T11:00:00Z' }));
    expect(await m.refreshIfStale()).toBe(true);
    const auth = await m.auth();
    expect(auth.mode === 'chatgpt' && auth.tokens.accessToken).toBe('at-by-other-process');
  });

  it('does not refresh when auth.json now belongs to another account', async () => {
    await writeAuth(chatgptFile());
    const m = manager();
    await m.auth();
    await writeAuth(chatgptFile({ account: 'acct-2' }));
    await expect(m.refreshIfStale()).rejects.toMatchObject({ code: 'REFRESH_FAILED', reason: 'accountMismatch' });
  });

  it('a permanent failure is typed, remembered, and not retried against the network', async () => {
    await writeAuth(chatgptFile());
    const calls = tokenEndpoint(() => HttpResponse.json({ error: { code: 'refresh_token_expired' } }, { status: 401 }));
    const m = manager();
    const err = await m.refreshIfStale().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RefreshFailedError);
    expect(err).toMatchObject({ code: 'REFRESH_FAILED', reason: 'expired', status: 401, permanent: true });
    await expect(m.refreshIfStale()).rejects.toMatchObject({ reason: 'expired' });
    expect(calls).toHaveLength(1);
    expect(m.lastRefreshFailure?.reason).toBe('expired');
    expect((await readAuthFile()).tokens.access_token).toBe('at-old');
  });

  it('a transient failure is retried on the next call', async () => {
    await writeAuth(chatgptFile());
    const calls = tokenEndpoint(() => new HttpResponse('busy', { status: 503 }));
    const m = manager();
    await expect(m.refreshIfStale()).rejects.toMatchObject({ permanent: false });
    await expect(m.refreshIfStale()).rejects.toMatchObject({ permanent: false });
    expect(calls).toHaveLength(2);
  });
});

describe('AuthManager.onUnauthorized', () => {
  it('ChatGPT: refreshes and reports new tokens', async () => {
    await writeAuth(chatgptFile({ lastRefresh: '2025-03-10T00:00:00Z' }));
    const calls = tokenEndpoint();
    const m = manager();
    expect(await m.onUnauthorized()).toBe(true);
    expect(calls).toHaveLength(1);
    const provider = await m.provider();
    expect(headersOf(provider).authorization).toBe('Bearer at-new');
  });

  it('ChatGPT: a refused refresh returns false', async () => {
    await writeAuth(chatgptFile());
    tokenEndpoint(() => HttpResponse.json({ error: 'refresh_token_reused' }, { status: 400 }));
    const m = manager();
    expect(await m.onUnauthorized()).toBe(false);
    expect(m.lastRefreshFailure?.reason).toBe('reused');
  });

  it('API keys and agent identities have nothing to refresh', async () => {
    await writeAuth({ OPENAI_API_KEY: 'sk' });
    expect(await manager().onUnauthorized()).toBe(false);
    expect(await manager({ env: { CODEX_ACCESS_TOKEN: 'a.b.c' } }).onUnauthorized()).toBe(false);
  });

  it('host tokens: asks the host for new tokens when it can, else false', async () => {
    const access = (n: string) => unsignedJwt({ [AUTH]: { chatgpt_user_id: n } });
    const hostTokens = { accessToken: access('u1'), accountId: 'acct-h' };
    expect(await manager({ hostTokens }).onUnauthorized()).toBe(false);
    const refreshHostTokens = vi.fn(() => Promise.resolve({ accessToken: access('u2'), accountId: 'acct-h' }));
    const m = manager({ hostTokens, refreshHostTokens });
    expect(await m.onUnauthorized()).toBe(true);
    expect(refreshHostTokens).toHaveBeenCalledWith({ previousAccountId: 'acct-h' });
    expect(headersOf(await m.provider()).authorization).toBe(`Bearer ${access('u2')}`);
  });
});

describe('AuthManager.provider', () => {
  it('bearer modes: API key', async () => {
    await writeAuth({ OPENAI_API_KEY: 'sk-file' });
    expect(headersOf(await manager().provider())).toEqual({ authorization: 'Bearer sk-file' });
  });

  it('ChatGPT: refreshes stale tokens before building the provider', async () => {
    await writeAuth(chatgptFile());
    tokenEndpoint();
    expect(headersOf(await manager().provider())).toEqual({ authorization: 'Bearer at-new', 'chatgpt-account-id': 'acct-1' });
  });

  it('ChatGPT: a failed proactive refresh keeps the old tokens', async () => {
    await writeAuth(chatgptFile());
    tokenEndpoint(() => new HttpResponse('down', { status: 500 }));
    expect(headersOf(await manager().provider()).authorization).toBe('Bearer at-old');
  });

  it('agentIdentity (codex-0.171): registers the task once for concurrent callers, at the authapi the override pair allows for a loopback base', async () => {
    const register = vi.fn<RegisterAgentTask>(() => Promise.resolve('task-42'));
    const m = manager({
      env: { CODEX_ACCESS_TOKEN: 'agent.jwt.x', CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: 'http://127.0.0.1:4000/api/accounts/', CODEX_AGENT_IDENTITY_JWKS_BASE_URL: 'http://127.0.0.1:4000/backend-api/' },
      chatgptBaseUrl: 'http://127.0.0.1:4000/backend-api/',
      registerAgentTask: register,
    });
    const providers = await Promise.all([m.provider(), m.provider(), m.provider()]);
    expect(providers).toHaveLength(3);
    expect(register).toHaveBeenCalledTimes(1);
    expect(register.mock.calls[0]?.[0]).toMatchObject({ authapiBaseUrl: 'http://127.0.0.1:4000/api/accounts', claims, now: NOW });
    expect(await m.agentTaskId()).toBe('task-42');
    const headers = headersOf(providers[0]!);
    expect(headers.authorization).toMatch(/^AgentAssertion [A-Za-z0-9_-]+$/);
    expect(headers['chatgpt-account-id']).toBe('acct-agent');
    expect(headers['x-openai-fedramp']).toBe('true');
  });

  it('agentIdentity (codex-0.171): a loopback base without the override pair is refused before any registration', async () => {
    const register = vi.fn<RegisterAgentTask>(() => Promise.resolve('t'));
    const m = manager({ env: { CODEX_ACCESS_TOKEN: 'agent.jwt.x' }, chatgptBaseUrl: 'http://127.0.0.1:4000/backend-api/', registerAgentTask: register });
    await expect(m.provider()).rejects.toMatchObject({ code: 'BAD_CONFIG', message: expect.stringContaining('only supports production and staging') });
    expect(register).not.toHaveBeenCalled();
  });

  it('agentIdentity (pr18811): the auth.json record registers at the normalized configured base itself', async () => {
    await writeAuth(agentRecordFile());
    const register = vi.fn<RegisterAgentTask>(() => Promise.resolve('task-7'));
    const m = manager({ profile: CLIENT_PROFILES.pr18811, chatgptBaseUrl: 'http://127.0.0.1:4000/backend-api/codex/', registerAgentTask: register });
    const headers = headersOf(await m.provider());
    expect(register).toHaveBeenCalledTimes(1);
    expect(register.mock.calls[0]?.[0].authapiBaseUrl).toBe('http://127.0.0.1:4000/backend-api');
    expect(register.mock.calls[0]?.[0].claims).toMatchObject({ agentRuntimeId: 'runtime-rec', accountId: 'acct-rec', isFedramp: false });
    expect(headers.authorization).toMatch(/^AgentAssertion [A-Za-z0-9_-]+$/);
    expect(headers['chatgpt-account-id']).toBe('acct-rec');
  });

  it('uses an injected providerFor with the registered task id', async () => {
    const providerFor = vi.fn(() => ({ applyHeaders: (h: Headers) => h.set('authorization', 'Injected') }));
    const m = manager({ env: { CODEX_ACCESS_TOKEN: 'agent.jwt.x' }, registerAgentTask: () => Promise.resolve('task-x'), providerFor });
    expect(headersOf(await m.provider())).toEqual({ authorization: 'Injected' });
    expect(providerFor).toHaveBeenCalledWith(expect.objectContaining({ mode: 'agentIdentity' }), expect.objectContaining({ taskId: 'task-x' }));
  });

  it('agentIdentity without a configured base URL registers at https://auth.openai.com/api/accounts (codex-0.171) or https://chatgpt.com/backend-api (pr18811), never the gateway host', async () => {
    const register = vi.fn<RegisterAgentTask>(() => Promise.resolve('t'));
    await manager({ env: { CODEX_ACCESS_TOKEN: 'agent.jwt.x' }, registerAgentTask: register }).provider();
    expect(register.mock.calls[0]?.[0].authapiBaseUrl).toBe('https://auth.openai.com/api/accounts');
    await writeAuth(agentRecordFile());
    await manager({ profile: CLIENT_PROFILES.pr18811, registerAgentTask: register }).provider();
    expect(register.mock.calls[1]?.[0].authapiBaseUrl).toBe('https://chatgpt.com/backend-api');
    for (const call of register.mock.calls) expect(call[0].authapiBaseUrl).not.toMatch(/gateway\.unified-7\.internal/u);
  });

  it('agentIdentity: a failed registration is retried by the next call', async () => {
    const register = vi
      .fn<RegisterAgentTask>()
      .mockRejectedValueOnce(new Error('authapi down'))
      .mockResolvedValueOnce('task-2');
    const m = manager({ env: { CODEX_ACCESS_TOKEN: 'agent.jwt.x' }, registerAgentTask: register });
    await expect(m.provider()).rejects.toThrow('authapi down');
    await expect(m.provider()).resolves.toBeDefined();
    expect(register).toHaveBeenCalledTimes(2);
  });
});

describe('AuthManager with other processes on one CODEX_HOME (SHARE)', () => {
  it('a logout elsewhere is the guarded reload\'s Skipped: no token request, the another-account failure, auth.json not recreated', async () => {
    await writeAuth(chatgptFile());
    const calls = tokenEndpoint();
    const m = manager();
    await m.auth();
    await rm(join(home, 'auth.json'));
    await expect(m.refreshIfStale()).rejects.toMatchObject({ reason: 'accountMismatch', permanent: true });
    expect(calls).toEqual([]);
    expect(await readdir(home)).toEqual([]);
  });

  it('two managers that refresh at once under codex-0.171 redeem once: the second finds the first one\'s tokens under auth.json.lock', async () => {
    await writeAuth(chatgptFile());
    const calls = tokenEndpoint();
    const [a, b] = [manager({ profile: CLIENT_PROFILES['codex-0.171'] }), manager({ profile: CLIENT_PROFILES['codex-0.171'] })];
    await Promise.all([a.auth(), b.auth()]);
    expect(await Promise.all([a.refreshIfStale(), b.refreshIfStale()])).toEqual([true, true]);
    expect(calls).toHaveLength(1);
    for (const m of [a, b]) expect(((await m.auth()) as { tokens: { refreshToken: string } }).tokens.refreshToken).toBe('rt-new');
    expect((await readdir(home)).sort()).toEqual(['auth.json']);
  });

  it('without the cross-process lock (pr18811) the same pair of managers redeems twice: the race the source left open', async () => {
    await writeAuth(chatgptFile());
    const calls = tokenEndpoint();
    const [a, b] = [manager({ profile: CLIENT_PROFILES.pr18811 }), manager({ profile: CLIENT_PROFILES.pr18811 })];
    await Promise.all([a.auth(), b.auth()]);
    await Promise.all([a.refreshIfStale(), b.refreshIfStale()]);
    expect(calls).toHaveLength(2);
  });
});

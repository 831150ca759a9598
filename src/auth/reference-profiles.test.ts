import { ConformanceInputError } from '../errors.js';
/**
 * The reference client behaving as each contract profile (src/auth/client-profile.ts): what it
 * loads, where it registers tasks and how often it retries, when it refreshes and which refresh
 * failures it treats as permanent, and what Codex Apps gets on which origin. Every network call
 * goes to an injected recording fetch: nothing leaves the process.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuthProvider } from './auth-provider.js';
import type { AuthSource } from '../callsites/callsite.js';
import { invokeCallsite } from '../callsites/invoke.js';
import { isInputError } from '../errors.js';
import { registerAgentTask, TaskRegistrationError } from './agent-identity/task-registration.js';
import { AuthManager } from './auth-manager.js';
import type { AuthManagerConfig } from './auth-manager-config.js';
import { authProviderFor } from './auth-provider-for.js';
import { CLIENT_PROFILES, clientProfile, type ClientProfile } from './client-profile.js';
import type { AgentIdentityClaims, CodexAuth } from './codex-auth.js';
import { contractFeatures } from '../rules/contract/features.js';
import { PROFILE_IDS } from '../rules/profiles.js';
import { RefreshFailedError } from './token-refresh.js';
import { unsignedJwt } from './unsigned-jwt.js';

const PR = CLIENT_PROFILES.pr18811;
const NEW = CLIENT_PROFILES['codex-0.171'];
const NOW = new Date('2025-03-10T12:00:00.000Z');
const AUTH_CLAIM = 'https://api.openai.com/auth';
const TOKEN_URL = 'http://127.0.0.1:1455/oauth/token';

interface Sent {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** A fetch that answers from `answer` and records every request; it never touches the network. */
function recordingFetch(answer: (req: Sent, n: number) => Response | Promise<Response>): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const fn: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const req = { method: request.method, url: request.url, headers: Object.fromEntries(request.headers.entries()), body: await request.text() };
    sent.push(req);
    return answer(req, sent.length);
  };
  return { fetch: fn, sent };
}

const claims: AgentIdentityClaims = {
  agentRuntimeId: 'runtime-1',
  agentPrivateKey: generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  accountId: 'acct-agent',
  isFedramp: false,
  iat: 0,
  exp: 9_999_999_999,
};

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'codex-home-profiles-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const writeAuth = (obj: unknown) => writeFile(join(home, 'auth.json'), JSON.stringify(obj), { mode: 0o600 });

function manager(profile: ClientProfile, over: Partial<AuthManagerConfig> = {}): AuthManager {
  return new AuthManager({
    codexHome: home,
    env: { CODEX_REFRESH_TOKEN_URL_OVERRIDE: TOKEN_URL },
    profile,
    now: () => NOW,
    verifyAgentIdentity: () => Promise.resolve(claims),
    registerAgentTask,
    ...over,
  });
}

function headersOf(provider: AuthProvider): Record<string, string> {
  const h = new Headers();
  provider.applyHeaders(h);
  return Object.fromEntries(h.entries());
}

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
      chatgpt_account_is_fedramp: true,
    },
  };
}

const whoami = { chatgpt_user_id: 'user-pat', chatgpt_account_id: 'acct-pat', chatgpt_plan_type: 'Enterprise', chatgpt_account_is_fedramp: true, email: 'pat@example.com' };

describe('the reference as each profile: loading auth', () => {
  it('the reference\'s knobs for each profile match the contract\'s own feature table (kept apart on purpose, compared here)', () => {
    for (const id of PROFILE_IDS) {
      const knobs = clientProfile(id);
      const contract = contractFeatures(id);
      expect([...knobs.modes].sort(), id).toEqual([...contract.modes].sort());
      expect(knobs.agentIdentity, id).toBe(contract.agentIdentity);
      expect(knobs.authapi, id).toBe(contract.authapi);
      expect(knobs.registrationAttempts, id).toBe(contract.registrationAttempts);
      expect(knobs.appsMcp, id).toBe(contract.appsPath);
      expect(knobs.appsTrustedOriginOnly, id).toBe(contract.appsTrust !== 'none');
      expect(knobs.refreshWindowMs, id).toBe(contract.refreshWindowSeconds * 1000);
      expect(knobs.permanentRefreshFailures, id).toBe(({ unauthorizedOnly: 'unauthorizedOnly', knownCodes: undefined, knownCodesAndInvalidGrant: 'codesAndInvalidGrant' } as const)[contract.permanentRefresh]);
      expect(knobs.apiKeyModelDiscovery, id).toBe(contract.apiKeyModelDiscovery);
      expect(knobs.personalAccessTokens, id).toBe(contract.modes.includes('personalAccessToken'));
    }
  });

  it('clientProfile knows both profiles and refuses another with a typed error', () => {
    expect(clientProfile('pr18811')).toBe(PR);
    expect(clientProfile('codex-0.171')).toBe(NEW);
    expect(() => clientProfile('codex-9' as never)).toThrow(/no behaviour for profile/);
    expect(PR.modes).toEqual(['apiKey', 'chatgpt', 'chatgptAuthTokens', 'agentIdentity']);
    expect([...NEW.modes].sort()).toEqual(['agentIdentity', 'apiKey', 'bedrockApiKey', 'chatgpt', 'chatgptAuthTokens', 'headers', 'personalAccessToken']);
  });

  it('codex-0.171: CODEX_ACCESS_TOKEN starting at- is a personal access token described by GET {authapi}/v1/user-auth-credential/whoami', async () => {
    const { fetch, sent } = recordingFetch(() => Response.json(whoami));
    const m = manager(NEW, { env: { CODEX_ACCESS_TOKEN: ' at-secret-pat ' }, fetch });
    const auth = await m.auth();
    expect(await m.source()).toBe('env:CODEX_ACCESS_TOKEN');
    expect(auth).toEqual({ mode: 'personalAccessToken', token: 'at-secret-pat', accountId: 'acct-pat', chatgptUserId: 'user-pat', email: 'pat@example.com', planType: 'enterprise', isFedramp: true });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'GET', url: 'https://auth.openai.com/api/accounts/v1/user-auth-credential/whoami' });
    expect(sent[0]?.headers['authorization']).toBe('Bearer at-secret-pat');
    // HDR.PAT.001: Bearer <PAT> with the whoami account and FedRAMP flag.
    expect(headersOf(await m.provider())).toEqual({ authorization: 'Bearer at-secret-pat', 'chatgpt-account-id': 'acct-pat', 'x-openai-fedramp': 'true' });
    // A PAT is never refreshed by the client.
    expect(await m.onUnauthorized()).toBe(false);
    expect(sent).toHaveLength(1);
  });

  it('codex-0.171: CODEX_AUTHAPI_BASE_URL moves whoami; a failed whoami is a typed error that never shows the token', async () => {
    const moved = recordingFetch(() => Response.json(whoami));
    await manager(NEW, { env: { CODEX_ACCESS_TOKEN: 'at-secret-pat', CODEX_AUTHAPI_BASE_URL: 'http://127.0.0.1:9/api/accounts/' }, fetch: moved.fetch }).auth();
    expect(moved.sent[0]?.url).toBe('http://127.0.0.1:9/api/accounts/v1/user-auth-credential/whoami');
    for (const answer of [() => new Response('no', { status: 401 }), () => new Response('not json'), () => Response.json({ ...whoami, chatgpt_account_is_fedramp: 'yes' })]) {
      const { fetch } = recordingFetch(answer);
      const error = await manager(NEW, { env: { CODEX_ACCESS_TOKEN: 'at-secret-pat' }, fetch }).auth().then(() => undefined, (e: unknown) => e);
      expect(isInputError(error) && error.code).toBe('BAD_CONFIG');
      expect(String((error as Error).message)).not.toContain('at-secret-pat');
    }
  });

  it('codex-0.171: any other CODEX_ACCESS_TOKEN is an agent identity JWT, verified against the configured base', async () => {
    const verify = vi.fn(() => Promise.resolve(claims));
    const auth = await manager(NEW, { env: { CODEX_ACCESS_TOKEN: 'agent.jwt.value' }, chatgptBaseUrl: 'https://chatgpt-staging.com/backend-api/', verifyAgentIdentity: verify }).auth();
    expect(auth).toEqual({ mode: 'agentIdentity', jwt: 'agent.jwt.value', claims });
    expect(verify).toHaveBeenCalledWith('agent.jwt.value', { chatgptBaseUrl: 'https://chatgpt-staging.com/backend-api/' });
  });

  it('pr18811: CODEX_ACCESS_TOKEN is not read at all (no PAT, no JWT identity); auth.json is', async () => {
    const verify = vi.fn(() => Promise.resolve(claims));
    const { fetch, sent } = recordingFetch(() => Response.json(whoami));
    for (const token of ['at-secret-pat', 'agent.jwt.value']) {
      await expect(manager(PR, { env: { CODEX_ACCESS_TOKEN: token }, fetch, verifyAgentIdentity: verify }).auth()).rejects.toMatchObject({ code: 'NO_CREDENTIALS' });
    }
    await writeAuth({ OPENAI_API_KEY: 'sk-file' });
    expect(await manager(PR, { env: { CODEX_ACCESS_TOKEN: 'at-secret-pat' }, fetch }).auth()).toEqual({ mode: 'apiKey', apiKey: 'sk-file' });
    expect(verify).not.toHaveBeenCalled();
    expect(sent).toHaveLength(0);
  });

  it('pr18811: an agent identity is the decoded auth.json record, used without any verification; codex-0.171 refuses that record', async () => {
    await writeAuth(agentRecordFile());
    const verify = vi.fn(() => Promise.resolve(claims));
    const auth = await manager(PR, { verifyAgentIdentity: verify }).auth();
    expect(auth.mode).toBe('agentIdentity');
    expect(auth.mode === 'agentIdentity' && auth.claims).toMatchObject({ agentRuntimeId: 'runtime-rec', accountId: 'acct-rec', chatgptUserId: 'user-rec', planType: 'business', isFedramp: true });
    expect(auth.mode === 'agentIdentity' && auth.jwt).toBeUndefined();
    expect(verify).not.toHaveBeenCalled();
    await expect(manager(NEW).auth()).rejects.toMatchObject({ code: 'BAD_CONFIG' });
  });

  it('codex-0.171: an agent identity JWT in auth.json is verified; pr18811 refuses a JWT there', async () => {
    await writeAuth({ auth_mode: 'agentIdentity', OPENAI_API_KEY: null, agent_identity: 'stored.agent.jwt' });
    expect(await manager(NEW).auth()).toMatchObject({ mode: 'agentIdentity', jwt: 'stored.agent.jwt' });
    await expect(manager(PR).auth()).rejects.toMatchObject({ code: 'BAD_CONFIG' });
  });

  it('codex-0.171: a host header map is headers auth, names lower-cased, sent verbatim with nothing of Codex\'s own; pr18811 refuses it', async () => {
    const m = manager(NEW, { hostHeaders: { Authorization: 'Bearer gateway', 'X-Gateway-Token': 'g-1' } });
    expect(await m.auth()).toEqual({ mode: 'headers', headers: { authorization: 'Bearer gateway', 'x-gateway-token': 'g-1' } });
    expect(await m.source()).toBe('hostHeaders');
    expect(headersOf(await m.provider())).toEqual({ authorization: 'Bearer gateway', 'x-gateway-token': 'g-1' });
    expect(await m.onUnauthorized()).toBe(false);
    await expect(manager(PR, { hostHeaders: { 'x-gateway-token': 'g-1' } }).auth()).rejects.toMatchObject({ code: 'BAD_CONFIG' });
  });

  it('codex-0.171: bedrock_api_key in auth.json is Bedrock auth, which no OpenAI or codex-backend provider accepts; pr18811 refuses the mode', async () => {
    await writeAuth({ OPENAI_API_KEY: null, bedrock_api_key: { api_key: 'bedrock-secret', region: 'us-west-2' } });
    const m = manager(NEW);
    expect(await m.auth()).toEqual({ mode: 'bedrockApiKey', apiKey: 'bedrock-secret', region: 'us-west-2' });
    await expect(m.provider()).rejects.toMatchObject({ code: 'CALLSITE_REFUSED' });
    expect(() => authProviderFor({ mode: 'bedrockApiKey', apiKey: 'bedrock-secret', region: 'us-west-2' })).toThrow(/Amazon Bedrock/);
    await expect(manager(PR).auth()).rejects.toMatchObject({ code: 'BAD_CONFIG' });
  });
});

describe('the reference as each profile: task registration', () => {
  const ok = () => Response.json({ task_id: 'task-ok' });

  it('a registration failure is retryable exactly after 429, 5xx or a transport error', async () => {
    const attempt = async (answer: () => Response | Promise<Response>) => {
      const { fetch } = recordingFetch(answer);
      return registerAgentTask({ authapiBaseUrl: 'http://127.0.0.1:9/api/accounts', claims, fetch, now: NOW }).then(() => undefined, (e: unknown) => e);
    };
    for (const status of [429, 500, 502, 503]) {
      const e = await attempt(() => new Response('x', { status }));
      expect(e, String(status)).toBeInstanceOf(TaskRegistrationError);
      expect((e as TaskRegistrationError).retryable, String(status)).toBe(true);
    }
    for (const status of [400, 401, 403, 404]) expect(((await attempt(() => new Response('x', { status }))) as TaskRegistrationError).retryable, String(status)).toBe(false);
    const network = await attempt(() => Promise.reject(new TypeError('connection refused')));
    expect((network as TaskRegistrationError).retryable).toBe(true);
  });

  it('codex-0.171 retries a retryable failure within one load, up to 3 attempts', async () => {
    const env = { CODEX_ACCESS_TOKEN: 'agent.jwt.x' };
    const statuses = [503, 429];
    const flaky = recordingFetch((_req, n) => (n <= statuses.length ? new Response('busy', { status: statuses[n - 1]! }) : ok()));
    const headers = headersOf(await manager(NEW, { env, fetch: flaky.fetch }).provider());
    expect(flaky.sent.map((s) => `${s.method} ${s.url}`)).toEqual(Array(3).fill('POST https://auth.openai.com/api/accounts/v1/agent/runtime-1/task/register'));
    expect(headers.authorization).toMatch(/^AgentAssertion /);

    const down = recordingFetch(() => new Response('down', { status: 503 }));
    await expect(manager(NEW, { env, fetch: down.fetch }).provider()).rejects.toMatchObject({ code: 'TASK_REGISTRATION_FAILED' });
    expect(down.sent).toHaveLength(3);

    const refused = recordingFetch(() => new Response('no', { status: 403 }));
    await expect(manager(NEW, { env, fetch: refused.fetch }).provider()).rejects.toMatchObject({ code: 'TASK_REGISTRATION_FAILED' });
    expect(refused.sent).toHaveLength(1);
  });

  it('pr18811 makes one attempt per load: no retry after a 5xx, the next call registers again', async () => {
    await writeAuth(agentRecordFile());
    const flaky = recordingFetch((_req, n) => (n === 1 ? new Response('busy', { status: 503 }) : ok()));
    const m = manager(PR, { fetch: flaky.fetch });
    await expect(m.provider()).rejects.toMatchObject({ code: 'TASK_REGISTRATION_FAILED' });
    expect(flaky.sent).toHaveLength(1);
    expect(flaky.sent[0]?.url).toBe('https://chatgpt.com/backend-api/v1/agent/runtime-rec/task/register');
    expect(headersOf(await m.provider()).authorization).toMatch(/^AgentAssertion /);
    expect(flaky.sent).toHaveLength(2);
  });

  it('both profiles register once per loaded auth value and again after a reload (never once per process)', async () => {
    await writeAuth(agentRecordFile());
    for (const [profile, env] of [[PR, {}], [NEW, { CODEX_ACCESS_TOKEN: 'agent.jwt.x' }]] as const) {
      const { fetch, sent } = recordingFetch(ok);
      const m = manager(profile, { env, fetch });
      await m.provider();
      await m.provider();
      expect(sent, profile.id).toHaveLength(1);
      await m.reload();
      await m.provider();
      expect(sent, profile.id).toHaveLength(2);
      // A second manager in the same process (another load) registers too.
      await manager(profile, { env, fetch }).provider();
      expect(sent, profile.id).toHaveLength(3);
    }
  });
});

describe('the reference as each profile: refresh', () => {
  const idJwt = unsignedJwt({ email: 'u@example.com', [AUTH_CLAIM]: { chatgpt_user_id: 'user-1', chatgpt_plan_type: 'team' } });
  function chatgptFile(accessExpiresInMs: number) {
    return {
      OPENAI_API_KEY: null,
      tokens: { id_token: idJwt, access_token: unsignedJwt({ exp: Math.floor((NOW.getTime() + accessExpiresInMs) / 1000) }), refresh_token: 'rt-old', account_id: 'acct-1' },
      last_refresh: NOW.toISOString(),
    };
  }
  const refreshed = () => Response.json({ access_token: unsignedJwt({ exp: Math.floor(NOW.getTime() / 1000) + 3600 }), refresh_token: 'rt-new', id_token: idJwt });

  it('codex-0.171 refreshes an access token expiring within 5 minutes; pr18811 waits until it has expired', async () => {
    for (const [inMs, wantNew, wantPr] of [[3 * 60_000, 1, 0], [-1000, 1, 1], [10 * 60_000, 0, 0]] as const) {
      for (const [profile, want] of [[NEW, wantNew], [PR, wantPr]] as const) {
        await writeAuth(chatgptFile(inMs));
        const { fetch, sent } = recordingFetch(refreshed);
        const changed = await manager(profile, { fetch }).refreshIfStale();
        expect(sent.length, `${profile.id}, exp in ${inMs} ms`).toBe(want);
        expect(changed).toBe(want === 1);
        if (want === 1) expect(sent[0]).toMatchObject({ method: 'POST', url: TOKEN_URL, headers: expect.objectContaining({ 'content-type': 'application/json' }) });
      }
    }
  });

  it('a 401 from the token endpoint is permanent under both profiles: remembered, never retried for the same credentials', async () => {
    for (const profile of [PR, NEW]) {
      await writeAuth(chatgptFile(-1000));
      const { fetch, sent } = recordingFetch(() => Response.json({ error: { code: 'refresh_token_reused' } }, { status: 401 }));
      const m = manager(profile, { fetch });
      const first = await m.refreshIfStale().then(() => undefined, (e: unknown) => e);
      expect(first, profile.id).toBeInstanceOf(RefreshFailedError);
      expect((first as RefreshFailedError).permanent).toBe(true);
      await expect(m.refreshIfStale()).rejects.toBeInstanceOf(RefreshFailedError);
      expect(sent, profile.id).toHaveLength(1);
    }
  });

  it('a 400 invalid_grant or a known code at 400 is permanent at codex-0.171 and transient at pr18811', async () => {
    const bodies = [{ error: 'invalid_grant' }, { error: { code: 'refresh_token_expired' } }, { code: 'refresh_token_invalidated' }];
    for (const body of bodies) {
      for (const [profile, permanent, calls] of [[NEW, true, 1], [PR, false, 2]] as const) {
        await writeAuth(chatgptFile(-1000));
        const { fetch, sent } = recordingFetch(() => Response.json(body, { status: 400 }));
        const m = manager(profile, { fetch });
        const first = await m.refreshIfStale().then(() => undefined, (e: unknown) => e);
        expect((first as RefreshFailedError).permanent, `${profile.id} ${JSON.stringify(body)}`).toBe(permanent);
        await expect(m.refreshIfStale()).rejects.toBeInstanceOf(RefreshFailedError);
        expect(sent.length, `${profile.id} ${JSON.stringify(body)}`).toBe(calls);
      }
    }
  });

  it('a 5xx is transient under both profiles', async () => {
    for (const profile of [PR, NEW]) {
      await writeAuth(chatgptFile(-1000));
      const { fetch, sent } = recordingFetch(() => new Response('down', { status: 503 }));
      const m = manager(profile, { fetch });
      await expect(m.refreshIfStale()).rejects.toMatchObject({ permanent: false });
      await expect(m.refreshIfStale()).rejects.toMatchObject({ permanent: false });
      expect(sent, profile.id).toHaveLength(2);
    }
  });
});

describe('the reference as each profile: callsites', () => {
  const LOCAL = 'http://127.0.0.1:7777/backend-api/';
  const chatgpt: CodexAuth = { mode: 'chatgpt', tokens: { idToken: { isFedramp: true, rawJwt: 'e30.e30.sig', chatgptUserId: 'u' }, accessToken: 'access-secret', refreshToken: 'r', accountId: 'acct-1' } };

  /** An AuthSource over a fixed auth, counting provider builds. */
  function sourceFor(auth: CodexAuth): { source: AuthSource; builds: () => number } {
    let builds = 0;
    return {
      source: {
        auth: () => Promise.resolve(auth),
        provider: () => {
          builds += 1;
          return Promise.resolve(authProviderFor(auth));
        },
        onUnauthorized: () => Promise.resolve(false),
      },
      builds: () => builds,
    };
  }

  const tools = () => Response.json({ jsonrpc: '2.0', id: 1, result: { tools: [] } });

  it('URL.AGENT.004 codex-0.171 loads an agent identity even for an untrusted Apps origin: refused outside production and staging, nothing sent', async () => {
    const { fetch, sent } = recordingFetch(tools);
    const agent: CodexAuth = { mode: 'agentIdentity', jwt: 'agent.jwt.value', claims: { agentRuntimeId: 'rt', agentPrivateKey: 'k', accountId: 'acct-1', isFedramp: false, iat: 0, exp: 0 } } as CodexAuth;
    let builds = 0;
    const source: AuthSource = {
      auth: () => Promise.resolve(agent),
      provider: () => {
        builds += 1;
        return Promise.reject(new ConformanceInputError('BAD_CONFIG', 'Agent Identity only supports production and staging ChatGPT environments', 'set the overrides'));
      },
      onUnauthorized: () => Promise.resolve(false),
    };
    const outcome = await invokeCallsite('apps-mcp.tools-list', { source, profile: NEW, chatgptBaseUrl: LOCAL, appsEnabled: true, fetch }).catch((e: unknown) => ({ kind: 'thrown', e }));
    expect(outcome.kind).not.toBe('sent');
    expect(sent).toHaveLength(0);
    expect(builds).toBe(1);
  });

  it('codex-0.171 sends Codex Apps no ChatGPT credentials on an untrusted origin, with X-OpenAI-Product-Sku: codex', async () => {
    const { fetch, sent } = recordingFetch(tools);
    const { source, builds } = sourceFor(chatgpt);
    expect(await invokeCallsite('apps-mcp.tools-list', { source, profile: NEW, chatgptBaseUrl: LOCAL, appsEnabled: true, fetch })).toMatchObject({ kind: 'sent', status: 200 });
    expect(sent[0]?.url).toBe('http://127.0.0.1:7777/backend-api/ps/mcp');
    expect(sent[0]?.headers['x-openai-product-sku']).toBe('codex');
    for (const h of ['authorization', 'chatgpt-account-id', 'x-openai-fedramp']) expect(sent[0]?.headers[h], h).toBeUndefined();
    expect(builds()).toBe(0);
  });

  it('codex-0.171 sends Codex Apps the codex-backend headers on the trusted origins (chatgpt.com, the configured https staging base)', async () => {
    for (const [base, url] of [[undefined, 'https://chatgpt.com/backend-api/ps/mcp'], ['https://chatgpt-staging.com/backend-api/', 'https://chatgpt-staging.com/backend-api/ps/mcp']] as const) {
      const { fetch, sent } = recordingFetch(tools);
      await invokeCallsite('apps-mcp.tools-list', { source: sourceFor(chatgpt).source, profile: NEW, ...(base !== undefined ? { chatgptBaseUrl: base } : {}), appsEnabled: true, fetch });
      expect(sent[0]?.url).toBe(url);
      expect(sent[0]?.headers).toMatchObject({ authorization: 'Bearer access-secret', 'chatgpt-account-id': 'acct-1', 'x-openai-fedramp': 'true', 'x-openai-product-sku': 'codex' });
    }
  });

  it('pr18811 has no trust gate: /wham/apps on any origin gets the codex-backend headers, and no product SKU', async () => {
    const { fetch, sent } = recordingFetch(tools);
    await invokeCallsite('apps-mcp.tools-list', { source: sourceFor(chatgpt).source, profile: PR, chatgptBaseUrl: LOCAL, appsEnabled: true, fetch });
    expect(sent[0]?.url).toBe('http://127.0.0.1:7777/backend-api/wham/apps');
    expect(sent[0]?.headers).toMatchObject({ authorization: 'Bearer access-secret', 'chatgpt-account-id': 'acct-1' });
    expect(sent[0]?.headers['x-openai-product-sku']).toBeUndefined();
  });

  it('API-key model discovery: codex-0.171 lists models at the constant ChatGPT codex base without openai_base_url; pr18811 refuses', async () => {
    const key: CodexAuth = { mode: 'apiKey', apiKey: 'sk-discovery' };
    const { fetch, sent } = recordingFetch(() => Response.json({ models: [] }));
    expect(await invokeCallsite('models.refresh', { source: sourceFor(key).source, profile: NEW, chatgptBaseUrl: LOCAL, fetch })).toMatchObject({ kind: 'sent' });
    expect(sent[0]).toMatchObject({ method: 'GET', url: 'https://chatgpt.com/backend-api/codex/models' });
    expect(sent[0]?.headers['authorization']).toBe('Bearer sk-discovery');
    expect(sent[0]?.headers['chatgpt-account-id']).toBeUndefined();
    expect((await invokeCallsite('models.refresh', { source: sourceFor(key).source, profile: NEW, openaiBaseUrl: 'http://127.0.0.1:7777/v1', fetch })).kind).toBe('refused');
    expect((await invokeCallsite('models.refresh', { source: sourceFor(key).source, profile: PR, fetch })).kind).toBe('refused');
    expect(sent).toHaveLength(1);
  });

  it('codex-0.171 admits PAT and Headers auth on codex-backend callsites and refuses Bedrock everywhere before any request', async () => {
    const { fetch, sent } = recordingFetch(() => Response.json({ ok: true }));
    const pat: CodexAuth = { mode: 'personalAccessToken', token: 'at-1', accountId: 'acct-p', chatgptUserId: 'u', isFedramp: false };
    const headers: CodexAuth = { mode: 'headers', headers: { authorization: 'Bearer gw' } };
    for (const auth of [pat, headers]) expect(await invokeCallsite('cloud-tasks.list', { source: sourceFor(auth).source, profile: NEW, chatgptBaseUrl: LOCAL, fetch }), auth.mode).toMatchObject({ kind: 'sent' });
    expect(sent.map((s) => s.headers['authorization'])).toEqual(['Bearer at-1', 'Bearer gw']);
    const bedrock = sourceFor({ mode: 'bedrockApiKey', apiKey: 'b', region: 'us-east-1' });
    for (const id of ['cloud-tasks.list', 'core.responses', 'models.refresh', 'apps-mcp.tools-list', 'openai-files.upload']) {
      expect((await invokeCallsite(id, { source: bedrock.source, profile: NEW, chatgptBaseUrl: LOCAL, appsEnabled: true, fetch })).kind, id).toBe('refused');
    }
    expect(bedrock.builds()).toBe(0);
    expect(sent).toHaveLength(2);
  });
});

import { describe, expect, it } from 'vitest';
import type { CodexAuth } from '../auth/codex-auth.js';
import { checkObserved, classifyUrlMismatch, type CheckContext } from './check.js';
import { expectRequest, type Expectation, type ExpectationConfig } from './expectations.js';
import type { ObservedRequest } from './observed-request.js';
import { PROFILE_IDS, type ProfileId } from './profiles.js';
import type { RuleResult } from './result.js';
import { AUTHS, agentAuth, agentKeys, assertionToken, observed } from './test-fixtures.js';

const LOCAL = 'http://127.0.0.1:4010/backend-api/';
const ROOT = 'http://127.0.0.1:4010';
/** The override pair that lets a 0.171 agent identity work on a loopback base (JWKS base = configured base). */
const AGENT_ENV = { CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: `${ROOT}/api/accounts`, CODEX_AGENT_IDENTITY_JWKS_BASE_URL: LOCAL };
const keys = agentKeys();
const agent = agentAuth(keys, { accountId: 'acct-a', isFedramp: true });
const NOW = '2025-03-04T05:06:07Z';
const DEFAULT_CONFIG: ExpectationConfig = { chatgptBaseUrl: LOCAL, appsEnabled: true, env: AGENT_ENV };

function verdicts(results: readonly RuleResult[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of results) if (out[r.ruleId] !== 'fail') out[r.ruleId] = r.verdict;
  return out;
}

function run(
  profile: ProfileId,
  auth: CodexAuth,
  callsiteId: string,
  reqs: (exp: Extract<Expectation, { kind: 'send' }>) => ObservedRequest[],
  config: ExpectationConfig = DEFAULT_CONFIG,
  ctx: Partial<CheckContext> = {},
) {
  const exp = expectRequest({ auth, callsiteId, config, profile });
  if (exp.kind !== 'send') throw new Error(`expected a send expectation, got ${exp.ruleId}`);
  const results = checkObserved(reqs(exp), exp, { auth, profile, config, ...ctx });
  return { exp, results, v: verdicts(results) };
}

/** A refusal expectation and the verdicts of `reqs` against it. */
function refusal(profile: ProfileId, auth: CodexAuth, callsiteId: string, config: ExpectationConfig, reqs: ObservedRequest[]) {
  const exp = expectRequest({ auth, callsiteId, config, profile });
  if (exp.kind !== 'refuse') throw new Error('expected a refusal');
  const results = checkObserved(reqs, exp, { auth, profile, config });
  return { exp, results, v: verdicts(results) };
}

const chatgptHeaders = { authorization: 'Bearer access-token-1', 'chatgpt-account-id': 'acct-1' };

function agentHeaders(over: Partial<{ runtime: string; task: string; ts: string; padded: boolean }> = {}) {
  const token = assertionToken(keys, { agentRuntimeId: over.runtime ?? 'rt-1', taskId: over.task ?? 'task-1', timestamp: over.ts ?? NOW, ...(over.padded ? { padded: true } : {}) });
  return { authorization: `AgentAssertion ${token}`, 'chatgpt-account-id': 'acct-a', 'x-openai-fedramp': 'true' };
}

describe('checkObserved: header rules', () => {
  for (const profile of PROFILE_IDS) {
    it(`HDR.BEARER.001 HDR.ACCOUNT.001 HDR.FEDRAMP.001 HDR.AUTH.001 pass a conforming chatgpt request (${profile})`, () => {
      const { v, results } = run(profile, AUTHS.chatgpt, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: chatgptHeaders })]);
      expect(results.filter((r) => r.verdict === 'fail')).toEqual([]);
      const norm = profile === 'pr18811' ? 'URL.NORM.001' : 'URL.NORM.002';
      for (const id of ['HDR.BEARER.001', 'HDR.ACCOUNT.001', 'HDR.FEDRAMP.001', 'HDR.FEDRAMP.002', 'HDR.AUTH.001', 'URL.BASE.001', 'URL.STYLE.001', 'URL.PATH.001', norm, 'URL.BASE.003']) expect(v[id], id).toBe('pass');
    });
  }

  it('HDR.BEARER.001 fails another token and never prints it', () => {
    for (const profile of PROFILE_IDS) {
      const { v, results } = run(profile, AUTHS.chatgpt, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { ...chatgptHeaders, authorization: 'Bearer stale-secret-token' } })]);
      expect(v['HDR.BEARER.001']).toBe('fail');
      const msg = results.find((r) => r.ruleId === 'HDR.BEARER.001')?.message ?? '';
      expect(msg).toMatch(/expected "Bearer fp:[0-9a-f]{12}", got "Bearer fp:[0-9a-f]{12}"/);
      expect(msg).not.toContain('stale-secret-token');
      expect(msg).not.toContain('access-token-1');
    }
  });

  it('HDR.ACCOUNT.001 fails a wrong or missing account id', () => {
    for (const profile of PROFILE_IDS) {
      expect(run(profile, AUTHS.chatgpt, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { ...chatgptHeaders, 'chatgpt-account-id': 'acct-2' } })]).v['HDR.ACCOUNT.001']).toBe('fail');
      expect(run(profile, AUTHS.chatgpt, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { authorization: 'Bearer access-token-1' } })]).v['HDR.ACCOUNT.001']).toBe('fail');
    }
  });

  it('HDR.ACCOUNT.002 passes without and fails with an account header when the auth has none', () => {
    for (const profile of PROFILE_IDS) {
      const ok = run(profile, AUTHS.chatgptNoAccount, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { authorization: 'Bearer access-token-2' } })]);
      expect(ok.v['HDR.ACCOUNT.002']).toBe('pass');
      for (const placeholder of ['', 'undefined', 'null']) {
        const bad = run(profile, AUTHS.chatgptNoAccount, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { authorization: 'Bearer access-token-2', 'chatgpt-account-id': placeholder } })]);
        expect(bad.v['HDR.ACCOUNT.002'], JSON.stringify(placeholder)).toBe('fail');
      }
    }
  });

  it('HDR.FEDRAMP.001 fails a missing header for FedRAMP and a present one otherwise', () => {
    const fed = { authorization: 'Bearer access-token-f', 'chatgpt-account-id': 'acct-f' };
    for (const profile of PROFILE_IDS) {
      expect(run(profile, AUTHS.chatgptFedramp, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { ...fed, 'x-openai-fedramp': 'true' } })]).v['HDR.FEDRAMP.001']).toBe('pass');
      expect(run(profile, AUTHS.chatgptFedramp, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: fed })]).v['HDR.FEDRAMP.001']).toBe('fail');
      expect(run(profile, AUTHS.chatgpt, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { ...chatgptHeaders, 'x-openai-fedramp': 'true' } })]).v['HDR.FEDRAMP.001']).toBe('fail');
    }
  });

  it('HDR.FEDRAMP.002 fails "false"', () => {
    for (const profile of PROFILE_IDS) {
      expect(run(profile, AUTHS.chatgpt, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { ...chatgptHeaders, 'x-openai-fedramp': 'false' } })]).v['HDR.FEDRAMP.002']).toBe('fail');
    }
  });

  for (const profile of PROFILE_IDS) {
    it(`HDR.BEARER.002 passes a bare API-key request and fails one with account or FedRAMP headers (${profile})`, () => {
      const cfg = { openaiBaseUrl: `${ROOT}/v1`, chatgptBaseUrl: LOCAL, appsEnabled: true };
      const ok = run(profile, AUTHS.apiKey, 'core.responses', (e) => [observed({ method: 'POST', url: e.url, headers: { authorization: 'Bearer sk-test-key-000' } })], cfg);
      expect(ok.v['HDR.BEARER.002']).toBe('pass');
      expect(ok.v[profile === 'pr18811' ? 'URL.APIKEY.001' : 'URL.APIKEY.002']).toBe('pass');
      expect(ok.v[profile === 'pr18811' ? 'URL.APIKEY.002' : 'URL.APIKEY.001']).toBeUndefined();
      const bad = run(profile, AUTHS.apiKey, 'core.responses', (e) => [observed({ method: 'POST', url: e.url, headers: { authorization: 'Bearer sk-test-key-000', 'x-openai-fedramp': 'true' } })], cfg);
      expect(bad.v['HDR.BEARER.002']).toBe('fail');
    });
  }

  it('HDR.AUTH.001 fails a second credential header beside the provider\'s', () => {
    for (const profile of PROFILE_IDS) {
      expect(run(profile, AUTHS.chatgpt, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { ...chatgptHeaders, 'x-api-key': 'sk-other' } })]).v['HDR.AUTH.001']).toBe('fail');
      for (const name of ['agentassertion', 'agent-assertion', 'proxy-authorization', 'api-key', 'openai-api-key']) {
        const named = run(profile, AUTHS.chatgpt, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { ...chatgptHeaders, [name]: 'second-credential-value' } })]);
        expect(named.v['HDR.AUTH.001'], name).toBe('fail');
        const message = named.results.find((r) => r.ruleId === 'HDR.AUTH.001' && r.verdict === 'fail')?.message ?? '';
        expect(message).toContain(`${name} on GET`);
        expect(message).not.toContain('second-credential-value');
      }
    }
  });

  it('HDR.PAT.001 codex-0.171 passes Bearer <PAT> with the whoami identity and fails another token or a dropped account', () => {
    const pat = { authorization: 'Bearer at-pat-token-1', 'chatgpt-account-id': 'acct-p', 'x-openai-fedramp': 'true' };
    const ok = run('codex-0.171', AUTHS.pat, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: pat })]);
    expect(ok.results.filter((r) => r.verdict === 'fail')).toEqual([]);
    expect(ok.v['HDR.PAT.001']).toBe('pass');
    expect(run('codex-0.171', AUTHS.pat, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { ...pat, authorization: 'Bearer at-other' } })]).v['HDR.PAT.001']).toBe('fail');
    expect(run('codex-0.171', AUTHS.pat, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { authorization: pat.authorization, 'x-openai-fedramp': 'true' } })]).v['HDR.PAT.001']).toBe('fail');
    expect(run('codex-0.171', AUTHS.pat, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { authorization: pat.authorization, 'chatgpt-account-id': 'acct-p' } })]).v['HDR.PAT.001']).toBe('fail');
  });

  it('HDR.HEADERS.001 codex-0.171 passes the caller\'s map verbatim and fails an altered, dropped or added credential', () => {
    const map = AUTHS.headers.headers;
    const ok = run('codex-0.171', AUTHS.headers, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { ...map } })]);
    expect(ok.results.filter((r) => r.verdict === 'fail')).toEqual([]);
    expect(ok.v['HDR.HEADERS.001']).toBe('pass');
    expect(run('codex-0.171', AUTHS.headers, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { ...map, authorization: 'Bearer rewritten' } })]).v['HDR.HEADERS.001']).toBe('fail');
    const { 'x-caller': _dropped, ...withoutCaller } = map;
    expect(run('codex-0.171', AUTHS.headers, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: withoutCaller })]).v['HDR.HEADERS.001']).toBe('fail');
    // A map without a credential: Codex adds no Bearer, account or FedRAMP header of its own.
    const bare = AUTHS.headersNoAuth.headers;
    expect(run('codex-0.171', AUTHS.headersNoAuth, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { ...bare } })]).v['HDR.HEADERS.001']).toBe('pass');
    expect(run('codex-0.171', AUTHS.headersNoAuth, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { ...bare, authorization: 'Bearer codex-own' } })]).v['HDR.HEADERS.001']).toBe('fail');
  });
});

describe('checkObserved: agent identity', () => {
  const ctx = { taskIdsIssued: ['task-1'] };

  for (const profile of PROFILE_IDS) {
    it(`HDR.AGENT.001 HDR.AGENT.002 GATE.AGENT.001 AGENT.ASSERT.001-006 pass a conforming assertion request (${profile})`, () => {
      const { v, results } = run(profile, agent, 'chatgpt.get-task', (e) => [observed({ url: e.url, headers: agentHeaders() })], undefined, ctx);
      expect(results.filter((r) => r.verdict !== 'pass')).toEqual([]);
      for (const id of ['HDR.AGENT.001', 'HDR.AGENT.002', 'GATE.AGENT.001', 'AGENT.ASSERT.001', 'AGENT.ASSERT.002', 'AGENT.ASSERT.003', 'AGENT.ASSERT.004', 'AGENT.ASSERT.005', 'AGENT.ASSERT.006']) expect(v[id], id).toBe('pass');
    });
  }

  it('HDR.AGENT.001 fails a Bearer token from an agent identity', () => {
    for (const profile of PROFILE_IDS) {
      expect(run(profile, agent, 'chatgpt.get-task', (e) => [observed({ url: e.url, headers: { ...agentHeaders(), authorization: 'Bearer agent.jwt.value' } })], undefined, ctx).v['HDR.AGENT.001']).toBe('fail');
    }
  });

  it('HDR.AGENT.002 fails account and FedRAMP headers not taken from the identity', () => {
    for (const profile of PROFILE_IDS) {
      expect(run(profile, agent, 'chatgpt.get-task', (e) => [observed({ url: e.url, headers: { authorization: agentHeaders().authorization } })], undefined, ctx).v['HDR.AGENT.002']).toBe('fail');
      expect(run(profile, agent, 'chatgpt.get-task', (e) => [observed({ url: e.url, headers: { ...agentHeaders(), 'chatgpt-account-id': 'acct-other' } })], undefined, ctx).v['HDR.AGENT.002']).toBe('fail');
    }
  });

  it('AGENT.ASSERT.001 AGENT.ASSERT.005 AGENT.ASSERT.006 fail a padded token, an unissued task and a foreign runtime', () => {
    for (const profile of PROFILE_IDS) {
      // The scheme is right, so a padded assertion breaks AGENT.ASSERT.001, not HDR.AGENT.001.
      const padded = run(profile, agent, 'chatgpt.get-task', (e) => [observed({ url: e.url, headers: agentHeaders({ padded: true }) })], undefined, ctx);
      expect(padded.v['AGENT.ASSERT.001']).toBe('fail');
      expect(padded.v['HDR.AGENT.001']).toBe('pass');
      expect(run(profile, agent, 'chatgpt.get-task', (e) => [observed({ url: e.url, headers: agentHeaders({ task: 'task-9' }) })], undefined, ctx).v['AGENT.ASSERT.005']).toBe('fail');
      const foreign = run(profile, agent, 'chatgpt.get-task', (e) => [observed({ url: e.url, headers: agentHeaders({ runtime: 'rt-2' }) })], undefined, { taskIdsIssued: new Map([['rt-1', ['task-1']]]) });
      expect(foreign.v['AGENT.ASSERT.006']).toBe('fail');
    }
  });

  it('GATE.AGENT.001 fails when an agent identity is refused on a codex-backend callsite', () => {
    for (const profile of PROFILE_IDS) {
      const { v } = run(profile, agent, 'chatgpt.get-task', () => [], undefined, ctx);
      expect(v['GATE.AGENT.001']).toBe('fail');
      expect(v['URL.PATH.001']).toBe('fail');
      expect(v['HDR.AGENT.001']).toBe('skip');
    }
  });

  it('URL.AGENT.005 pr18811 passes registration at the normalized ChatGPT base and fails any authapi host', () => {
    // PR #18811 (login/src/auth/agent_identity.rs, content of 0.125.0): POST
    // {normalize_chatgpt_base_url(chatgpt_base_url)}/v1/agent/{id}/task/register; no authapi host, no override.
    const config = { chatgptBaseUrl: LOCAL, appsEnabled: false };
    const at = (url: string) => run('pr18811', agent, 'chatgpt.get-task', (e) => [observed({ seq: 0, method: 'POST', url }), observed({ seq: 1, url: e.url, headers: agentHeaders() })], config, ctx);
    const good = at(`${ROOT}/backend-api/v1/agent/rt-1/task/register`);
    expect(good.v['URL.AGENT.005']).toBe('pass');
    expect(good.v['URL.AGENT.003']).toBeUndefined();
    expect(at('https://auth.openai.com/api/accounts/v1/agent/rt-1/task/register').v['URL.AGENT.005']).toBe('fail');
    // The seed stack's gateway host never shipped in a release.
    expect(at('https://authapi-login-provider.gateway.unified-7.internal.api.openai.org/api/accounts/v1/agent/rt-1/task/register').v['URL.AGENT.005']).toBe('fail');
    // The remote-control suffix and a trailing /codex are stripped from the base first.
    const suffixed = run('pr18811', agent, 'chatgpt.get-task', (e) => [observed({ seq: 0, method: 'POST', url: `${ROOT}/backend-api/v1/agent/rt-1/task/register` }), observed({ seq: 1, url: e.url, headers: agentHeaders() })], { chatgptBaseUrl: `${ROOT}/backend-api/codex/` }, ctx);
    expect(suffixed.v['URL.AGENT.005']).toBe('pass');
  });

  it('URL.AGENT.003 codex-0.171 passes registration at the environment\'s authapi (or the accepted override) and fails the ChatGPT base', () => {
    // 0.171.0 (agent-identity/src/lib.rs ChatGptEnvironment): production -> https://auth.openai.com/api/accounts,
    // staging -> https://auth.api.openai.org/api/accounts; CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL as the source allows.
    const reg = (config: ExpectationConfig, url: string) =>
      run('codex-0.171', agent, 'chatgpt.get-task', (e) => [observed({ seq: 0, method: 'POST', url }), observed({ seq: 1, url: e.url, headers: agentHeaders() })], config, ctx).v['URL.AGENT.003'];
    expect(reg({ chatgptBaseUrl: LOCAL, env: AGENT_ENV }, `${ROOT}/api/accounts/v1/agent/rt-1/task/register`)).toBe('pass');
    expect(reg({ chatgptBaseUrl: LOCAL, env: AGENT_ENV }, `${ROOT}/backend-api/v1/agent/rt-1/task/register`)).toBe('fail');
    expect(reg({}, 'https://auth.openai.com/api/accounts/v1/agent/rt-1/task/register')).toBe('pass');
    expect(reg({}, 'https://chatgpt.com/backend-api/v1/agent/rt-1/task/register')).toBe('fail');
    expect(reg({}, 'https://authapi-login-provider.gateway.unified-7.internal.api.openai.org/api/accounts/v1/agent/rt-1/task/register')).toBe('fail');
    expect(reg({ chatgptBaseUrl: 'https://chatgpt-staging.com/backend-api/' }, 'https://auth.api.openai.org/api/accounts/v1/agent/rt-1/task/register')).toBe('pass');
    expect(reg({ chatgptBaseUrl: 'https://chatgpt-staging.com/backend-api/' }, 'https://auth.openai.com/api/accounts/v1/agent/rt-1/task/register')).toBe('fail');
  });

  it('URL.AGENT.002 codex-0.171 passes the JWKS at the URL derived from the base and fails another; pr18811 fetches no JWKS to judge', () => {
    const config = { chatgptBaseUrl: LOCAL, env: AGENT_ENV };
    const jwks = (profile: ProfileId, url: string) => run(profile, agent, 'chatgpt.get-task', (e) => [observed({ seq: 0, url }), observed({ seq: 1, url: e.url, headers: agentHeaders() })], config, ctx).v['URL.AGENT.002'];
    expect(jwks('codex-0.171', `${ROOT}/backend-api/wham/agent-identities/jwks`)).toBe('pass');
    expect(jwks('codex-0.171', 'https://chatgpt.com/backend-api/wham/agent-identities/jwks')).toBe('fail');
    expect(jwks('codex-0.171', `${ROOT}/backend-api/api/codex/agent-identities/jwks`)).toBe('fail');
    expect(jwks('pr18811', `${ROOT}/backend-api/wham/agent-identities/jwks`)).toBeUndefined();
  });

  it('URL.AGENT.004 codex-0.171 passes a silent refusal outside production and staging and fails a registration or an assertion', () => {
    const config = { chatgptBaseUrl: LOCAL, appsEnabled: false };
    expect(refusal('codex-0.171', agent, 'cloud-tasks.list', config, []).v).toEqual({ 'URL.AGENT.004': 'pass' });
    expect(refusal('codex-0.171', agent, 'cloud-tasks.list', config, [observed({ method: 'POST', url: `${ROOT}/backend-api/v1/agent/rt-1/task/register` })]).v['URL.AGENT.004']).toBe('fail');
    expect(refusal('codex-0.171', agent, 'cloud-tasks.list', config, [observed({ url: `${ROOT}/backend-api/wham/tasks/list`, headers: agentHeaders() })]).v['URL.AGENT.004']).toBe('fail');
  });
});

describe('checkObserved: URLs and gates', () => {
  it('URL.STYLE.001 fails /api/codex paths under a /backend-api base', () => {
    for (const profile of PROFILE_IDS) {
      expect(run(profile, AUTHS.chatgpt, 'cloud-tasks.list', () => [observed({ url: `${ROOT}/backend-api/api/codex/tasks/list`, headers: chatgptHeaders })]).v['URL.STYLE.001']).toBe('fail');
    }
  });

  it('URL.NORM.001 pr18811 fails a doubled slash from an untrimmed base', () => {
    const { v } = run('pr18811', AUTHS.chatgpt, 'cloud-tasks.list', () => [observed({ url: `${ROOT}/backend-api//wham/tasks/list`, headers: chatgptHeaders })]);
    expect(v['URL.NORM.001']).toBe('fail');
    expect(v['URL.NORM.002']).toBeUndefined();
  });

  it('URL.NORM.002 codex-0.171 fails a doubled slash and a kept trailing slash, and passes the trimmed URL', () => {
    expect(run('codex-0.171', AUTHS.chatgpt, 'cloud-tasks.list', () => [observed({ url: `${ROOT}/backend-api//wham/tasks/list`, headers: chatgptHeaders })]).v['URL.NORM.002']).toBe('fail');
    expect(run('codex-0.171', AUTHS.chatgpt, 'cloud-tasks.list', () => [observed({ url: `${ROOT}/backend-api/wham/tasks/list/`, headers: chatgptHeaders })]).v['URL.NORM.002']).toBe('fail');
    const ok = run('codex-0.171', AUTHS.chatgpt, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: chatgptHeaders })], { chatgptBaseUrl: `${ROOT}/backend-api///` });
    expect(ok.v['URL.NORM.002']).toBe('pass');
    expect(ok.v['URL.NORM.001']).toBeUndefined();
  });

  it('URL.PATH.001 fails the wrong endpoint and the wrong method', () => {
    for (const profile of PROFILE_IDS) {
      expect(run(profile, AUTHS.chatgpt, 'cloud-tasks.list', () => [observed({ url: `${ROOT}/backend-api/wham/usage`, headers: chatgptHeaders })]).v['URL.PATH.001']).toBe('fail');
      expect(run(profile, AUTHS.chatgpt, 'cloud-tasks.list', (e) => [observed({ method: 'POST', url: e.url, headers: chatgptHeaders })]).v['URL.PATH.001']).toBe('fail');
    }
  });

  it('URL.BASE.001 fails a request to another origin', () => {
    for (const profile of PROFILE_IDS) {
      expect(run(profile, AUTHS.chatgpt, 'cloud-tasks.list', () => [observed({ url: 'http://127.0.0.1:9999/backend-api/wham/tasks/list', headers: chatgptHeaders })]).v['URL.BASE.001']).toBe('fail');
    }
  });

  for (const profile of PROFILE_IDS) {
    it(`URL.BASE.003 fails a production-host request with another base configured, and passes what the source sends there by design (${profile})`, () => {
      const bad = run(profile, AUTHS.chatgpt, 'cloud-tasks.list', (e) => [
        observed({ seq: 0, url: e.url, headers: chatgptHeaders }),
        observed({ seq: 1, url: 'https://chatgpt.com/backend-api/wham/accounts/check', headers: chatgptHeaders }),
      ]);
      expect(bad.v['URL.BASE.003']).toBe('fail');
      expect(bad.results.find((r) => r.ruleId === 'URL.BASE.003')?.message).toContain('https://chatgpt.com/backend-api/wham/accounts/check');
      // The public curated-plugins export (core-plugins/src/startup_sync.rs) uses a constant URL.
      const curated = run(profile, AUTHS.chatgpt, 'cloud-tasks.list', (e) => [
        observed({ seq: 0, url: e.url, headers: chatgptHeaders }),
        observed({ seq: 1, url: 'https://chatgpt.com/backend-api/plugins/export/curated' }),
      ]);
      expect(curated.v['URL.BASE.003']).toBe('pass');
      // Model traffic without openai_base_url goes to CHATGPT_CODEX_BASE_URL whatever chatgpt_base_url says.
      const model = run(profile, AUTHS.chatgpt, 'core.responses', (e) => [observed({ method: 'POST', url: e.url, headers: chatgptHeaders })], { chatgptBaseUrl: LOCAL });
      expect(model.exp.url).toBe('https://chatgpt.com/backend-api/codex/responses');
      expect(model.v['URL.BASE.003']).toBe('pass');
      expect(model.v['URL.MODEL.001']).toBe('pass');
      // ... but with openai_base_url configured, the constant host is no longer by design.
      const configured = run(profile, AUTHS.chatgpt, 'core.responses', () => [observed({ method: 'POST', url: 'https://chatgpt.com/backend-api/codex/responses', headers: chatgptHeaders })], { chatgptBaseUrl: LOCAL, openaiBaseUrl: `${ROOT}/v1` });
      expect(configured.v['URL.BASE.003']).toBe('fail');
    });
  }

  for (const profile of PROFILE_IDS) {
    it(`URL.MODEL.001 fails model traffic sent under chatgpt_base_url and passes the constant codex base (${profile})`, () => {
      // model-provider-info/src/lib.rs to_api_provider: CHATGPT_CODEX_BASE_URL for codex-backend auth unless base_url is set.
      const old = run(profile, AUTHS.chatgpt, 'core.responses', () => [observed({ method: 'POST', url: `${ROOT}/backend-api/codex/responses`, headers: chatgptHeaders })], { chatgptBaseUrl: LOCAL });
      expect(old.v['URL.MODEL.001']).toBe('fail');
      const models = run(profile, AUTHS.hostTokens, 'models.refresh', (e) => [observed({ url: `${e.url}?client_version=0.171.0`, headers: { authorization: 'Bearer host-token-1', 'chatgpt-account-id': 'acct-h' } })], { chatgptBaseUrl: LOCAL });
      expect(models.v['URL.MODEL.001']).toBe('pass');
      const configured = run(profile, AUTHS.chatgpt, 'core.responses', (e) => [observed({ method: 'POST', url: e.url, headers: chatgptHeaders })], { chatgptBaseUrl: LOCAL, openaiBaseUrl: `${ROOT}/v1/` });
      expect(configured.exp.url).toBe(`${ROOT}/v1/responses`);
      expect(configured.v['URL.MODEL.001']).toBe('pass');
    });
  }

  it('URL.APIKEY.001 pr18811 fails API-key model traffic sent to the ChatGPT base', () => {
    const cfg = { openaiBaseUrl: `${ROOT}/v1`, chatgptBaseUrl: LOCAL, appsEnabled: true };
    const { v } = run('pr18811', AUTHS.apiKey, 'core.responses', () => [observed({ method: 'POST', url: `${ROOT}/backend-api/codex/responses`, headers: { authorization: 'Bearer sk-test-key-000' } })], cfg);
    expect(v['URL.APIKEY.001']).toBe('fail');
  });

  it('URL.APIKEY.002 codex-0.171 fails API-key inference sent to the ChatGPT base, and passes discovery at the constant host or a listing at the OpenAI base', () => {
    const cfg = { openaiBaseUrl: `${ROOT}/v1`, chatgptBaseUrl: LOCAL, appsEnabled: true };
    const key = { authorization: 'Bearer sk-test-key-000' };
    expect(run('codex-0.171', AUTHS.apiKey, 'core.responses', () => [observed({ method: 'POST', url: `${ROOT}/backend-api/codex/responses`, headers: key })], cfg).v['URL.APIKEY.002']).toBe('fail');
    expect(run('codex-0.171', AUTHS.apiKey, 'core.responses', () => [observed({ method: 'POST', url: 'https://chatgpt.com/backend-api/codex/responses', headers: key })], { chatgptBaseUrl: LOCAL }).v['URL.APIKEY.002']).toBe('fail');
    // API-key model discovery (model-provider/src/models_endpoint.rs): "Codex metadata is served by the Codex backend".
    const discovery = run('codex-0.171', AUTHS.apiKey, 'models.refresh', (e) => [observed({ url: e.url, headers: key })], {});
    expect(discovery.v['URL.APIKEY.002']).toBe('pass');
    expect(discovery.v['GATE.APIKEY.003']).toBe('pass');
    expect(run('codex-0.171', AUTHS.apiKey, 'models.refresh', () => [observed({ url: 'https://api.openai.com/v1/models', headers: key })], {}).v['URL.APIKEY.002']).toBe('pass');
    expect(run('codex-0.171', AUTHS.apiKey, 'models.refresh', () => [], {}).results).toEqual([]);
  });

  it('URL.APPS.001 HDR.APPS.001 GATE.APPS.001 pr18811 pass an authenticated /wham/apps call on any origin and fail a wrong URL or missing auth', () => {
    const ok = run('pr18811', AUTHS.chatgpt, 'apps-mcp.tools-list', (e) => [observed({ method: 'POST', url: e.url, headers: chatgptHeaders })]);
    expect(ok.exp.url).toBe(`${ROOT}/backend-api/wham/apps`);
    for (const id of ['URL.APPS.001', 'HDR.APPS.001', 'GATE.APPS.001']) expect(ok.v[id], id).toBe('pass');
    expect(run('pr18811', AUTHS.chatgpt, 'apps-mcp.tools-list', () => [observed({ method: 'POST', url: `${ROOT}/backend-api/ps/mcp`, headers: chatgptHeaders })]).v['URL.APPS.001']).toBe('fail');
    const bare = run('pr18811', AUTHS.chatgpt, 'apps-mcp.tools-list', (e) => [observed({ method: 'POST', url: e.url, headers: {} })]);
    expect(bare.v['HDR.APPS.001']).toBe('fail');
    expect(bare.v['HDR.BEARER.001']).toBe('fail');
  });

  it('HDR.APPS.002 codex-0.171 passes the codex-backend headers to a trusted origin and fails a trusted request without them', () => {
    // codex-mcp/src/mcp/mod.rs is_trusted_chatgpt_mcp_server: https://chatgpt.com, or the configured https staging origin.
    const prod = { appsEnabled: true };
    const ok = run('codex-0.171', AUTHS.chatgpt, 'apps-mcp.tools-list', (e) => [observed({ method: 'POST', url: e.url, headers: { ...chatgptHeaders, 'x-openai-product-sku': 'codex' } })], prod);
    expect(ok.exp.url).toBe('https://chatgpt.com/backend-api/ps/mcp');
    for (const id of ['URL.APPS.001', 'HDR.APPS.002', 'GATE.APPS.001']) expect(ok.v[id], id).toBe('pass');
    expect(run('codex-0.171', AUTHS.chatgpt, 'apps-mcp.tools-list', () => [observed({ method: 'POST', url: 'https://chatgpt.com/backend-api/wham/apps', headers: chatgptHeaders })], prod).v['URL.APPS.001']).toBe('fail');
    expect(run('codex-0.171', AUTHS.chatgpt, 'apps-mcp.tools-list', (e) => [observed({ method: 'POST', url: e.url, headers: {} })], prod).v['HDR.APPS.002']).toBe('fail');
    const staging = { appsEnabled: true, chatgptBaseUrl: 'https://chatgpt-staging.com/backend-api/' };
    expect(run('codex-0.171', AUTHS.chatgpt, 'apps-mcp.tools-list', (e) => [observed({ method: 'POST', url: e.url, headers: chatgptHeaders })], staging).v['HDR.APPS.002']).toBe('pass');
  });

  it('HDR.APPS.003 codex-0.171 passes an untrusted-origin Apps request without ChatGPT credentials and fails one that carries any', () => {
    const ok = run('codex-0.171', AUTHS.chatgptFedramp, 'apps-mcp.tools-list', (e) => [observed({ method: 'POST', url: e.url, headers: { 'x-openai-product-sku': 'codex' } })]);
    expect(ok.exp.url).toBe(`${ROOT}/backend-api/ps/mcp`);
    expect(ok.v['HDR.APPS.003']).toBe('pass');
    expect(ok.v['HDR.APPS.002']).toBeUndefined();
    for (const leaked of [{ authorization: 'Bearer access-token-f' }, { 'chatgpt-account-id': 'acct-f' }, { 'x-openai-fedramp': 'true' }]) {
      const bad = run('codex-0.171', AUTHS.chatgptFedramp, 'apps-mcp.tools-list', (e) => [observed({ method: 'POST', url: e.url, headers: leaked })]);
      expect(bad.v['HDR.APPS.003'], Object.keys(leaked)[0]).toBe('fail');
      for (const r of bad.results) expect(r.message).not.toContain('access-token-f');
    }
  });

  for (const profile of PROFILE_IDS) {
    it(`GATE.APIKEY.001 passes a silent refusal and fails a request made anyway (${profile})`, () => {
      const { results, v } = refusal(profile, AUTHS.apiKey, 'cloud-tasks.list', {}, []);
      expect(results).toMatchObject([{ ruleId: 'GATE.APIKEY.001', verdict: 'pass' }]);
      expect(v).toEqual({ 'GATE.APIKEY.001': 'pass' });
      const bad = refusal(profile, AUTHS.apiKey, 'cloud-tasks.list', {}, [observed({ url: 'https://chatgpt.com/backend-api/wham/tasks/list', headers: { authorization: 'Bearer sk-test-key-000' } })]);
      expect(bad.results).toMatchObject([{ ruleId: 'GATE.APIKEY.001', verdict: 'fail' }]);
      expect(bad.results[0]?.message).not.toContain('sk-test-key-000');
    });
  }

  it('GATE.UPLOAD.001 fails an upload attempted with an API key', () => {
    for (const profile of PROFILE_IDS) {
      expect(refusal(profile, AUTHS.apiKey, 'openai-files.upload', {}, []).results[0]?.verdict).toBe('pass');
      expect(refusal(profile, AUTHS.apiKey, 'openai-files.upload', {}, [observed({ method: 'POST', url: 'https://chatgpt.com/backend-api/files' })]).results[0]).toMatchObject({ ruleId: 'GATE.UPLOAD.001', verdict: 'fail' });
    }
  });

  it('GATE.APPS.001 fails an apps call with apps disabled', () => {
    for (const profile of PROFILE_IDS) {
      expect(refusal(profile, AUTHS.chatgpt, 'apps-mcp.tools-list', { appsEnabled: false }, []).results[0]?.verdict).toBe('pass');
      expect(refusal(profile, AUTHS.chatgpt, 'apps-mcp.tools-list', { appsEnabled: false }, [observed({ method: 'POST', url: 'https://chatgpt.com/backend-api/ps/mcp' })]).results[0]).toMatchObject({ ruleId: 'GATE.APPS.001', verdict: 'fail' });
    }
  });

  it('GATE.PLAN.001 fails a requirements fetch for a plan outside the profile\'s list', () => {
    for (const profile of PROFILE_IDS) {
      expect(refusal(profile, AUTHS.chatgpt, 'cloud-requirements.fetch', {}, []).results[0]?.verdict).toBe('pass');
      expect(refusal(profile, AUTHS.chatgpt, 'cloud-requirements.fetch', {}, [observed({ url: 'https://chatgpt.com/backend-api/wham/config/requirements' })]).results[0]?.verdict).toBe('fail');
    }
    // ent26 is business-like in 0.171.0 only.
    const ent26: CodexAuth = { ...AUTHS.hostTokens, planType: 'ent26' };
    expect(refusal('pr18811', ent26, 'cloud-requirements.fetch', {}, [observed({ url: 'https://chatgpt.com/backend-api/wham/config/requirements' })]).v['GATE.PLAN.001']).toBe('fail');
    const ok = run('codex-0.171', ent26, 'cloud-requirements.fetch', (e) => [observed({ url: e.url, headers: { authorization: 'Bearer host-token-1', 'chatgpt-account-id': 'acct-h' } })], {});
    expect(ok.v['GATE.PLAN.001']).toBe('pass');
  });

  it('GATE.BACKEND.001 codex-0.171 passes a PAT and a Headers request on a codex-backend callsite and fails their refusal', () => {
    const pat = { authorization: 'Bearer at-pat-token-1', 'chatgpt-account-id': 'acct-p', 'x-openai-fedramp': 'true' };
    expect(run('codex-0.171', AUTHS.pat, 'remote-control.enroll', (e) => [observed({ method: 'POST', url: e.url, headers: pat })]).v['GATE.BACKEND.001']).toBe('pass');
    expect(run('codex-0.171', AUTHS.headers, 'chatgpt.get-task', (e) => [observed({ url: e.url, headers: { ...AUTHS.headers.headers } })]).v['GATE.BACKEND.001']).toBe('pass');
    for (const auth of [AUTHS.pat, AUTHS.headers]) {
      const refused = run('codex-0.171', auth, 'cloud-tasks.list', () => []);
      expect(refused.v['GATE.BACKEND.001'], auth.mode).toBe('fail');
      expect(refused.v['URL.PATH.001']).toBe('fail');
    }
  });

  it('GATE.BEDROCK.001 codex-0.171 passes a silent refusal and fails any request with Bedrock auth', () => {
    expect(refusal('codex-0.171', AUTHS.bedrock, 'core.responses', {}, []).v).toEqual({ 'GATE.BEDROCK.001': 'pass' });
    const bad = refusal('codex-0.171', AUTHS.bedrock, 'core.responses', {}, [observed({ method: 'POST', url: 'https://api.openai.com/v1/responses', headers: { authorization: 'Bearer bedrock-key-1' } })]);
    expect(bad.v['GATE.BEDROCK.001']).toBe('fail');
    expect(bad.results[0]?.message).not.toContain('bedrock-key-1');
    expect(refusal('codex-0.171', AUTHS.bedrock, 'cloud-tasks.list', {}, [observed({ url: 'https://chatgpt.com/backend-api/wham/tasks/list' })]).v['GATE.BEDROCK.001']).toBe('fail');
  });

  it('classifies a mismatch by the most specific URL rule', () => {
    const rules = ['URL.BASE.001', 'URL.BASE.003', 'URL.STYLE.001', 'URL.PATH.001', 'URL.NORM.001'];
    const want = `${ROOT}/backend-api/wham/tasks/list`;
    expect(classifyUrlMismatch(want, 'https://chatgpt.com/backend-api/wham/tasks/list', rules, false)).toBe('URL.BASE.003');
    expect(classifyUrlMismatch(want, `${ROOT}/backend-api/wham/remote/control/server/wham/tasks/list`, rules, false)).toBe('URL.NORM.001');
    expect(classifyUrlMismatch(want, `${ROOT}/backend-api//wham/tasks/list`, ['URL.NORM.002', 'URL.PATH.001'], false)).toBe('URL.NORM.002');
    expect(classifyUrlMismatch(want, want, rules, true)).toBe('URL.PATH.001');
    expect(classifyUrlMismatch(want, `${ROOT}/backend-api/api/codex/tasks/list`, rules, false)).toBe('URL.STYLE.001');
    expect(classifyUrlMismatch(want, `${ROOT}/other/wham/tasks/list`, rules, false)).toBe('URL.BASE.001');
    expect(classifyUrlMismatch(want, `${ROOT}/backend-api/wham/usage`, rules, false)).toBe('URL.PATH.001');
    expect(classifyUrlMismatch(want, 'http://127.0.0.1:9/backend-api/wham/tasks/list', rules, false)).toBe('URL.BASE.001');
    expect(classifyUrlMismatch('https://chatgpt.com/backend-api/codex/responses', `${ROOT}/backend-api/codex/responses`, ['URL.MODEL.001', 'URL.BASE.003', 'URL.PATH.001'], false)).toBe('URL.MODEL.001');
    expect(classifyUrlMismatch('not a url', want, rules, false)).toBe('URL.PATH.001');
  });

  it('URL.STYLE.001 names a request at the callsite\'s URL under the other style even without /wham/ or /api/codex/ in it (file upload)', () => {
    const rules = ['URL.BASE.001', 'URL.STYLE.001', 'URL.PATH.001', 'URL.NORM.001'];
    const want = `${ROOT}/api/codex/api/files`;
    const other = `${ROOT}/api/codex/files`;
    expect(classifyUrlMismatch(want, other, rules, false, other)).toBe('URL.STYLE.001');
    expect(classifyUrlMismatch(want, other, rules, false), 'without the other-style URL the classifier cannot tell').toBe('URL.BASE.001');
    expect(classifyUrlMismatch(want, `${ROOT}/api/codex/uploads`, rules, false, other)).toBe('URL.PATH.001');
  });
});

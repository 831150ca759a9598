import { describe, expect, it } from 'vitest';
import type { CredentialAttribution, ObservedRequest } from '../../../rules/observed-request.js';
import type { RuleResult } from '../../../rules/result.js';
import type { ProfileId } from '../../../rules/profiles.js';
import { isModelTraffic, judgeCodexCliRun as judgeAs, type RecordedRun } from './judge-run.js';
import type { RunExpectation } from './case-view.js';

// Recorded journals of each mode, shaped like what the mock saw from @openai/codex 0.171.0.
const API_KEY = 'sk-mock-0123456789abcdef0123456789abcdef';
const ACCESS = 'eyJhbGciOiJSUzI1NiJ9.access.signature';
const ACCOUNT = 'acc-1';
const RUNTIME = 'agent-runtime-1';
let seq = 0;

function req(method: string, url: string, headers: Record<string, string> = {}, credential: CredentialAttribution = { kind: 'none' }, status = 200, reason?: string): ObservedRequest {
  seq += 1;
  return { seq, time: '2026-01-01T00:00:00Z', method, url, headers, credential, verdict: { status, handled: true, ...(reason === undefined ? {} : { reason }) } };
}

const bearer = (token: string, issued?: Extract<CredentialAttribution, { kind: 'bearer' }>['issued']): CredentialAttribution => ({ kind: 'bearer', fingerprint: 'fp:x', ...(issued === undefined ? {} : { issued }) });
const chatgptCred = (isFedramp = false) => bearer(ACCESS, { tokenKind: 'chatgptAccess', accountId: ACCOUNT, isFedramp, expired: false });
const apiKeyCred = bearer(API_KEY, { tokenKind: 'apiKey', expired: false });

function run(expectation: Partial<RunExpectation> & Pick<RunExpectation, 'mode'>, entries: ObservedRequest[], completed = true, config: RecordedRun['config'] = {}): RecordedRun {
  return {
    expectation: { caseId: expectation.mode, isFedramp: false, forgedJwt: false, ...expectation },
    config,
    entries,
    outcome: { completed, description: completed ? 'exit 0' : 'exit 1' },
  };
}

/** The judge under the newest profile, the one the recordings come from (0.171.0). */
function judgeCodexCliRun(r: RecordedRun, profile: ProfileId = 'codex-0.171'): RuleResult[] {
  return judgeAs(r, profile);
}

function verdict(results: readonly RuleResult[], ruleId: string): 'pass' | 'fail' | 'none' {
  const mine = results.filter((r) => r.ruleId === ruleId);
  if (mine.length === 0) return 'none';
  return mine.some((r) => r.verdict === 'fail') ? 'fail' : 'pass';
}

describe('judging a recorded API-key run', () => {
  const clean = [
    req('GET', 'https://api.openai.com/v1/responses', { authorization: `Bearer ${API_KEY}`, upgrade: 'websocket' }, apiKeyCred, 426),
    req('POST', 'https://api.openai.com/v1/responses', { authorization: `Bearer ${API_KEY}` }, apiKeyCred),
  ];
  const discovery = () => req('GET', 'https://chatgpt.com/backend-api/codex/models?client_version=0.171.0', { authorization: `Bearer ${API_KEY}` }, apiKeyCred, 200);

  it('GATE.APIKEY.003 and URL.APIKEY.002 pass API-key model discovery at chatgpt.com/backend-api/codex/models (codex-0.171: intended since 0.155.0)', () => {
    // model-provider/src/models_endpoint.rs: "Codex metadata is served by the Codex backend, not the public /v1/models API."
    const results = judgeCodexCliRun(run({ mode: 'apiKey', bearer: API_KEY }, [...clean, discovery()]));
    expect(verdict(results, 'GATE.APIKEY.003')).toBe('pass');
    expect(verdict(results, 'URL.APIKEY.002')).toBe('pass');
    expect(verdict(results, 'URL.MODEL.001')).toBe('pass');
    expect(verdict(results, 'GATE.APIKEY.002')).toBe('none');
    expect(results.filter((r) => r.verdict === 'fail')).toEqual([]);
  });

  it('GATE.APIKEY.002 and URL.APIKEY.001 fail the same discovery under pr18811, which had no API-key model discovery', () => {
    const results = judgeCodexCliRun(run({ mode: 'apiKey', bearer: API_KEY }, [...clean, discovery()]), 'pr18811');
    expect(verdict(results, 'GATE.APIKEY.002')).toBe('fail');
    expect(verdict(results, 'URL.APIKEY.001')).toBe('fail');
    expect(verdict(results, 'GATE.APIKEY.003')).toBe('none');
    expect(results.map((r) => r.message).join('\n')).not.toContain(API_KEY);
  });

  it('GATE.APIKEY.003 and URL.APIKEY.002 fail an API key sent anywhere else on the ChatGPT backend (codex-0.171)', () => {
    const inference = req('POST', 'https://chatgpt.com/backend-api/codex/responses', { authorization: `Bearer ${API_KEY}` }, apiKeyCred, 401);
    const results = judgeCodexCliRun(run({ mode: 'apiKey', bearer: API_KEY }, [...clean, inference]));
    expect(verdict(results, 'GATE.APIKEY.003')).toBe('fail');
    expect(verdict(results, 'URL.APIKEY.002')).toBe('fail');
    expect(verdict(results, 'URL.MODEL.001')).toBe('fail');
    expect(results.map((r) => r.message).join('\n')).not.toContain(API_KEY);
  });

  it('URL.APIKEY.002 GATE.APIKEY.001 HDR.BEARER.001/002 GATE.APPS.001 pass API-key traffic that stays on the OpenAI base', () => {
    for (const profile of ['pr18811', 'codex-0.171'] as const) {
      const results = judgeCodexCliRun(run({ mode: 'apiKey', bearer: API_KEY }, clean), profile);
      const urlRule = profile === 'pr18811' ? 'URL.APIKEY.001' : 'URL.APIKEY.002';
      for (const id of [urlRule, 'HDR.BEARER.001', 'HDR.BEARER.002', 'GATE.APIKEY.001', 'GATE.APPS.001', 'REFRESH.EXTERNAL.001', 'URL.MODEL.001']) expect(verdict(results, id), `${profile} ${id}`).toBe('pass');
      expect(verdict(results, 'GATE.APIKEY.002')).toBe('none');
    }
  });

  it('GATE.APIKEY.001 fails for a codex-backend-only endpoint called with the API key', () => {
    for (const profile of ['pr18811', 'codex-0.171'] as const) {
      const results = judgeCodexCliRun(run({ mode: 'apiKey', bearer: API_KEY }, [...clean, req('GET', 'https://chatgpt.com/backend-api/wham/tasks/list', { authorization: `Bearer ${API_KEY}` }, apiKeyCred, 401)]), profile);
      expect(verdict(results, 'GATE.APIKEY.001'), profile).toBe('fail');
    }
  });

  it('REFRESH.EXTERNAL.001 fails when API-key auth calls the OAuth token endpoint', () => {
    const results = judgeCodexCliRun(run({ mode: 'apiKey', bearer: API_KEY }, [...clean, req('POST', 'https://auth.openai.com/oauth/token', { 'content-type': 'application/json' })]));
    expect(verdict(results, 'REFRESH.EXTERNAL.001')).toBe('fail');
  });
});

describe('judging a recorded ChatGPT run', () => {
  const h = (fedramp?: string) => ({ authorization: `Bearer ${ACCESS}`, 'chatgpt-account-id': ACCOUNT, ...(fedramp === undefined ? {} : { 'x-openai-fedramp': fedramp }) });
  const entries = (fedramp?: string, isFedramp = false) => [
    req('GET', 'https://chatgpt.com/backend-api/wham/accounts/check', h(fedramp), chatgptCred(isFedramp)),
    req('POST', 'https://chatgpt.com/backend-api/ps/mcp', h(fedramp), chatgptCred(isFedramp)),
    req('POST', 'https://chatgpt.com/backend-api/codex/responses', h(fedramp), chatgptCred(isFedramp)),
  ];

  it('HDR.BEARER.001 HDR.ACCOUNT.001 URL.BASE.001 URL.NORM.002 URL.APPS.001 HDR.APPS.002 GATE.APPS.001 pass for the observed 0.171.0 traffic (codex-0.171)', () => {
    const results = judgeCodexCliRun(run({ mode: 'chatgpt', bearer: ACCESS, accountId: ACCOUNT, plan: 'plus' }, entries()));
    for (const id of ['HDR.BEARER.001', 'HDR.ACCOUNT.001', 'HDR.FEDRAMP.001', 'URL.BASE.001', 'URL.STYLE.001', 'URL.NORM.002', 'URL.APPS.001', 'GATE.APPS.001', 'GATE.PLAN.001', 'HDR.APPS.002', 'URL.MODEL.001']) {
      expect(verdict(results, id), id).toBe('pass');
    }
    expect(results.filter((r) => r.verdict === 'fail')).toEqual([]);
    for (const id of ['HDR.APPS.001', 'URL.NORM.001']) expect(verdict(results, id), id).toBe('none');
  });

  it('URL.APPS.001 fails the 0.171.0 /ps/mcp traffic under pr18811 (Apps at /wham/apps then); HDR.APPS.001 and URL.NORM.001 are judged instead', () => {
    const results = judgeCodexCliRun(run({ mode: 'chatgpt', bearer: ACCESS, accountId: ACCOUNT, plan: 'plus' }, entries()), 'pr18811');
    expect(verdict(results, 'URL.APPS.001')).toBe('fail');
    expect(verdict(results, 'HDR.APPS.001')).toBe('pass');
    expect(verdict(results, 'URL.NORM.001')).toBe('pass');
    expect(verdict(results, 'HDR.APPS.002')).toBe('none');
  });

  it('HDR.APPS.002 fails a trusted Apps request without credentials (codex-0.171)', () => {
    const bare = req('POST', 'https://chatgpt.com/backend-api/ps/mcp', {}, { kind: 'none' });
    expect(verdict(judgeCodexCliRun(run({ mode: 'chatgpt', bearer: ACCESS, accountId: ACCOUNT }, [...entries(), bare])), 'HDR.APPS.002')).toBe('fail');
  });

  it('URL.MODEL.001 fails model traffic moved under another host when no openai_base_url is configured', () => {
    const moved = req('POST', 'https://chat.openai.com/backend-api/codex/responses', h(), chatgptCred());
    expect(verdict(judgeCodexCliRun(run({ mode: 'chatgpt', bearer: ACCESS, accountId: ACCOUNT }, [...entries(), moved])), 'URL.MODEL.001')).toBe('fail');
  });

  it('HDR.FEDRAMP.001 fails when a FedRAMP account sends no X-OpenAI-Fedramp, and passes when it sends "true"', () => {
    expect(verdict(judgeCodexCliRun(run({ mode: 'chatgpt', bearer: ACCESS, accountId: ACCOUNT, isFedramp: true }, entries(undefined, true))), 'HDR.FEDRAMP.001')).toBe('fail');
    expect(verdict(judgeCodexCliRun(run({ mode: 'chatgpt', bearer: ACCESS, accountId: ACCOUNT, isFedramp: true }, entries('true', true))), 'HDR.FEDRAMP.001')).toBe('pass');
  });

  it('HDR.BEARER.001 fails for a Bearer that is not the mode\'s own token', () => {
    const other = req('GET', 'https://chatgpt.com/backend-api/wham/settings/user', { authorization: 'Bearer someone-else', 'chatgpt-account-id': ACCOUNT }, bearer('someone-else'));
    expect(verdict(judgeCodexCliRun(run({ mode: 'chatgpt', bearer: ACCESS, accountId: ACCOUNT }, [...entries(), other])), 'HDR.BEARER.001')).toBe('fail');
  });

  it('URL.BASE.001 fails for a backend request outside the configured base', () => {
    const off = req('GET', 'https://chat.openai.com/backend-api/wham/settings/user', h(), chatgptCred());
    expect(verdict(judgeCodexCliRun(run({ mode: 'chatgpt', bearer: ACCESS, accountId: ACCOUNT }, [...entries(), off])), 'URL.BASE.001')).toBe('fail');
  });

  it('GATE.APPS.001 fails when a completed codex-backend turn never opened Codex Apps', () => {
    expect(verdict(judgeCodexCliRun(run({ mode: 'chatgpt', bearer: ACCESS, accountId: ACCOUNT }, entries().filter((e) => !e.url.endsWith('/ps/mcp')))), 'GATE.APPS.001')).toBe('fail');
  });

  it('GATE.PLAN.001 fails when a plus account fetches cloud requirements, and judges ent26 by profile', () => {
    const req2 = () => req('GET', 'https://chatgpt.com/backend-api/wham/config/requirements', h(), chatgptCred());
    expect(verdict(judgeCodexCliRun(run({ mode: 'chatgpt', bearer: ACCESS, accountId: ACCOUNT, plan: 'plus' }, [...entries(), req2()])), 'GATE.PLAN.001')).toBe('fail');
    // ent26 is business-like from 0.171.0 on.
    expect(verdict(judgeCodexCliRun(run({ mode: 'chatgpt', bearer: ACCESS, accountId: ACCOUNT, plan: 'ent26' }, [...entries(), req2()])), 'GATE.PLAN.001')).toBe('none');
    expect(verdict(judgeCodexCliRun(run({ mode: 'chatgpt', bearer: ACCESS, accountId: ACCOUNT, plan: 'ent26' }, [...entries(), req2()]), 'pr18811'), 'GATE.PLAN.001')).toBe('fail');
  });

  it('HDR.BACKEND.001 does not judge the public curated-plugins export fetched without auth', () => {
    const curated = req('GET', 'https://chatgpt.com/backend-api/plugins/export/curated', {});
    const results = judgeCodexCliRun(run({ mode: 'chatgptAuthTokens', bearer: ACCESS, accountId: ACCOUNT }, [...entries(), curated]));
    expect(verdict(results, 'HDR.BACKEND.001')).toBe('pass');
    const other = req('GET', 'https://chatgpt.com/backend-api/wham/settings/user', {});
    expect(verdict(judgeCodexCliRun(run({ mode: 'chatgptAuthTokens', bearer: ACCESS, accountId: ACCOUNT }, [...entries(), other])), 'HDR.BACKEND.001')).toBe('fail');
  });
});

describe('judging a recorded agent-identity run', () => {
  const assertion = (runtime = RUNTIME): CredentialAttribution => ({ kind: 'agentAssertion', agentRuntimeId: runtime, taskId: 't1', accountId: ACCOUNT, isFedramp: false, signatureValid: true, taskIssuedToRuntime: true });
  const registration = (url = `https://auth.openai.com/api/accounts/v1/agent/${RUNTIME}/task/register`) => req('POST', url, { 'content-type': 'application/json' });
  const jwks = () => req('GET', 'https://chatgpt.com/backend-api/wham/agent-identities/jwks');
  const agentCall = (runtime = RUNTIME) => req('POST', 'https://chatgpt.com/backend-api/codex/responses', { authorization: 'AgentAssertion eyJhYmMiOiJkZWYifQ', 'chatgpt-account-id': ACCOUNT }, assertion(runtime));
  const x = { mode: 'agentIdentity' as const, accountId: ACCOUNT, agentRuntimeId: RUNTIME, plan: 'plus' };

  it('AGENT.TASK.005 passes 4 loads registering 4 times in one process, each after its own JWKS verification (observed from 0.171.0)', () => {
    const results = judgeCodexCliRun(run(x, [jwks(), registration(), jwks(), registration(), jwks(), registration(), jwks(), registration(), agentCall()]));
    expect(verdict(results, 'AGENT.TASK.005')).toBe('pass');
    expect(verdict(results, 'URL.AGENT.003')).toBe('pass');
    expect(verdict(results, 'URL.AGENT.002')).toBe('pass');
    expect(verdict(results, 'AGENT.JWT.002')).toBe('pass');
    expect(verdict(results, 'GATE.AGENT.001')).toBe('pass');
    expect(verdict(results, 'AGENT.TASK.003')).toBe('pass');
  });

  it('AGENT.TASK.005 fails a second successful registration within one load (no new verification)', () => {
    expect(verdict(judgeCodexCliRun(run(x, [jwks(), registration(), registration(), agentCall()])), 'AGENT.TASK.005')).toBe('fail');
  });

  it('URL.AGENT.003 fails registration anywhere but the environment\'s authapi (the seed gateway host, the ChatGPT base)', () => {
    for (const url of [`https://authapi-login-provider.gateway.unified-7.internal.api.openai.org/api/accounts/v1/agent/${RUNTIME}/task/register`, `https://chatgpt.com/backend-api/v1/agent/${RUNTIME}/task/register`]) {
      expect(verdict(judgeCodexCliRun(run(x, [jwks(), registration(url), agentCall()])), 'URL.AGENT.003'), url).toBe('fail');
    }
  });

  it('URL.AGENT.005 judges a pr18811-era recording: registration at the normalized ChatGPT base passes, the 0.171.0 authapi fails', () => {
    const seed = judgeCodexCliRun(run(x, [registration(`https://chatgpt.com/backend-api/v1/agent/${RUNTIME}/task/register`), agentCall()]), 'pr18811');
    expect(verdict(seed, 'URL.AGENT.005')).toBe('pass');
    expect(verdict(seed, 'URL.AGENT.003')).toBe('none');
    expect(verdict(seed, 'URL.AGENT.002')).toBe('none');
    expect(verdict(judgeCodexCliRun(run(x, [registration(), agentCall()]), 'pr18811'), 'URL.AGENT.005')).toBe('fail');
  });

  it('URL.AGENT.004 fails a registration with a loopback base and no accepted override; the override pair moves it (URL.AGENT.003)', () => {
    const base = 'http://127.0.0.1:9/backend-api/';
    const local = (path: string) => req('POST', `http://127.0.0.1:9${path}`, { 'content-type': 'application/json' });
    const refused = judgeCodexCliRun(run(x, [local(`/backend-api/v1/agent/${RUNTIME}/task/register`)], false, { chatgptBaseUrl: base }));
    expect(verdict(refused, 'URL.AGENT.004')).toBe('fail');
    const env = { CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: 'http://127.0.0.1:9/api/accounts/', CODEX_AGENT_IDENTITY_JWKS_BASE_URL: base };
    const moved = judgeCodexCliRun(run(x, [local(`/api/accounts/v1/agent/${RUNTIME}/task/register`)], false, { chatgptBaseUrl: base, env }));
    expect(verdict(moved, 'URL.AGENT.003')).toBe('pass');
    expect(verdict(moved, 'URL.AGENT.004')).toBe('none');
  });

  it('AGENT.JWT.002 fails when an AgentAssertion request precedes the JWKS fetch', () => {
    expect(verdict(judgeCodexCliRun(run(x, [registration(), agentCall(), jwks()])), 'AGENT.JWT.002')).toBe('fail');
  });

  it('HDR.AGENT.001 fails for a Bearer token in agent-identity mode; AGENT.ASSERT.006 fails for another runtime id', () => {
    const bearerCall = req('GET', 'https://chatgpt.com/backend-api/wham/settings/user', { authorization: 'Bearer x' }, bearer('x'));
    expect(verdict(judgeCodexCliRun(run(x, [jwks(), registration(), agentCall(), bearerCall])), 'HDR.AGENT.001')).toBe('fail');
    expect(verdict(judgeCodexCliRun(run(x, [jwks(), registration(), agentCall('agent-runtime-other')])), 'AGENT.ASSERT.006')).toBe('fail');
  });

  it('AGENT.TASK.002 fails for a registration the mock could not verify, but not for a refused replay', () => {
    const bad = req('POST', `https://auth.openai.com/api/accounts/v1/agent/${RUNTIME}/task/register`, {}, { kind: 'none' }, 401, 'bad_signature');
    expect(verdict(judgeCodexCliRun(run(x, [jwks(), bad])), 'AGENT.TASK.002')).toBe('fail');
    const replay = req('POST', `https://auth.openai.com/api/accounts/v1/agent/${RUNTIME}/task/register`, {}, { kind: 'none' }, 409, 'registration_replayed');
    expect(verdict(judgeCodexCliRun(run(x, [jwks(), registration(), replay, agentCall()])), 'AGENT.TASK.002')).toBe('pass');
  });

  it('AGENT.JWT.001 passes when a forged identity JWT leads to no registration and no AgentAssertion, and fails otherwise', () => {
    const unauth = req('POST', 'https://api.openai.com/v1/responses', {}, { kind: 'none' }, 401);
    expect(verdict(judgeCodexCliRun(run({ ...x, forgedJwt: true }, [jwks(), unauth], false)), 'AGENT.JWT.001')).toBe('pass');
    expect(verdict(judgeCodexCliRun(run({ ...x, forgedJwt: true }, [jwks(), registration(), agentCall()], false)), 'AGENT.JWT.001')).toBe('fail');
  });

  it('GATE.AGENT.001 fails when no AgentAssertion request was served by the codex backend', () => {
    expect(verdict(judgeCodexCliRun(run(x, [jwks(), registration()], false)), 'GATE.AGENT.001')).toBe('fail');
  });
});

describe('the judge reports only rules of its profile', () => {
  it('never reports a withdrawn id or a rule of another profile', async () => {
    const { ruleById } = await import('../../../rules/catalogue.js');
    const key = run({ mode: 'apiKey', bearer: API_KEY }, [req('GET', 'https://chatgpt.com/backend-api/codex/models', { authorization: `Bearer ${API_KEY}` }, apiKeyCred)]);
    const agentRun = run({ mode: 'agentIdentity', accountId: ACCOUNT, agentRuntimeId: RUNTIME }, [req('GET', 'https://chatgpt.com/backend-api/wham/agent-identities/jwks'), req('POST', `https://auth.openai.com/api/accounts/v1/agent/${RUNTIME}/task/register`)]);
    for (const profile of ['pr18811', 'codex-0.171'] as const) {
      for (const r of [...judgeCodexCliRun(key, profile), ...judgeCodexCliRun(agentRun, profile)]) {
        expect(ruleById(r.ruleId)?.profiles, `${profile}: ${r.ruleId}`).toContain(profile);
      }
    }
  });
});

describe('URL helpers of the judge', () => {
  it('model traffic is /codex|v1 /responses|/models only', () => {
    expect(isModelTraffic('https://chatgpt.com/backend-api/codex/models?client_version=1')).toBe(true);
    expect(isModelTraffic('https://api.openai.com/v1/responses')).toBe(true);
    expect(isModelTraffic('https://chatgpt.com/backend-api/wham/tasks/list')).toBe(false);
    expect(isModelTraffic('not a url')).toBe(false);
  });
});

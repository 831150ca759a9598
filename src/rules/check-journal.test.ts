import { describe, expect, it } from 'vitest';
import { checkJournal } from './check-journal.js';
import { checkAuthJsonPersisted } from './check-refresh.js';
import { PROFILE_IDS, type ProfileId } from './profiles.js';
import type { CredentialAttribution, ObservedRequest } from './observed-request.js';
import type { RuleResult } from './result.js';
import { agentKeys, assertionToken, observed } from './test-fixtures.js';

const B = 'http://127.0.0.1:4010/backend-api';
const keys = agentKeys();
const token = assertionToken(keys, { agentRuntimeId: 'rt-1', taskId: 'task-1', timestamp: '2025-03-04T05:06:07Z' });

function v(results: readonly RuleResult[], id: string): string | undefined {
  const mine = results.filter((r) => r.ruleId === id);
  if (mine.some((r) => r.verdict === 'fail')) return 'fail';
  return mine[0]?.verdict;
}

const chatgptCred = (accountId = 'acct-1', isFedramp = false, fp = 'fp:aaaaaaaaaaaa'): CredentialAttribution => ({
  kind: 'bearer',
  fingerprint: fp,
  issued: { tokenKind: 'chatgptAccess', accountId, isFedramp, expired: false },
});
const agentCred = (over: Partial<Extract<CredentialAttribution, { kind: 'agentAssertion' }>> = {}): CredentialAttribution => ({
  kind: 'agentAssertion', agentRuntimeId: 'rt-1', taskId: 'task-1', accountId: 'acct-a', isFedramp: false, signatureValid: true, taskIssuedToRuntime: true, ...over,
});

const good: ObservedRequest = observed({ url: `${B}/wham/tasks/list`, headers: { authorization: 'Bearer tok', 'chatgpt-account-id': 'acct-1' }, credential: chatgptCred() });

const reg = (seq: number, status = 200, rt = 'rt-1', caseId?: string): ObservedRequest =>
  observed({ seq, method: 'POST', url: `${B}/v1/agent/${rt}/task/register`, verdict: { status, handled: true }, ...(caseId !== undefined ? { caseId } : {}) });
const jwks = (seq: number): ObservedRequest => observed({ seq, url: `${B}/wham/agent-identities/jwks` });
const refresh = (seq: number, over: Partial<ObservedRequest> = {}): ObservedRequest =>
  observed({ seq, method: 'POST', url: 'http://127.0.0.1:4010/oauth/token', headers: { 'content-type': 'application/json' }, ...over });

describe('checkJournal', () => {
  for (const profile of PROFILE_IDS) {
    it(`HDR.BACKEND.001 HDR.ACCOUNT.001 HDR.FEDRAMP.001 HDR.AUTH.001 GATE.APIKEY.002 GATE.APIKEY.003 pass conforming ChatGPT traffic (${profile})`, () => {
      const r = checkJournal([good], { profile });
      expect(r.filter((x) => x.verdict === 'fail')).toEqual([]);
      const gate = profile === 'pr18811' ? 'GATE.APIKEY.002' : 'GATE.APIKEY.003';
      for (const id of ['HDR.BACKEND.001', 'HDR.ACCOUNT.001', 'HDR.ACCOUNT.002', 'HDR.FEDRAMP.001', 'HDR.AUTH.001', gate]) expect(v(r, id), id).toBe('pass');
      expect(v(r, profile === 'pr18811' ? 'GATE.APIKEY.003' : 'GATE.APIKEY.002')).toBeUndefined();
    });
  }

  it('judges the newest profile when none is named', () => {
    const r = checkJournal([good]);
    expect(v(r, 'GATE.APIKEY.003')).toBe('pass');
    expect(v(r, 'GATE.APIKEY.002')).toBeUndefined();
  });

  it('HDR.BACKEND.001 fails a codex-backend request without authorization and exempts the public plugin catalogue', () => {
    for (const profile of PROFILE_IDS) {
      expect(v(checkJournal([observed({ url: `${B}/wham/usage` })], { profile }), 'HDR.BACKEND.001')).toBe('fail');
      // core-plugins/src/startup_sync.rs: the curated export is fetched without auth by design; the featured list may be.
      const pub = checkJournal([observed({ url: 'https://chatgpt.com/backend-api/plugins/export/curated' }), observed({ seq: 1, url: `${B}/plugins/featured` })], { profile });
      expect(v(pub, 'HDR.BACKEND.001')).toBeUndefined();
      expect(pub.filter((x) => x.verdict === 'fail')).toEqual([]);
    }
  });

  it('HDR.ACCOUNT.001 fails an account id other than the token\'s', () => {
    const r = checkJournal([{ ...good, headers: { ...good.headers, 'chatgpt-account-id': 'acct-2' } }]);
    expect(v(r, 'HDR.ACCOUNT.001')).toBe('fail');
    expect(r.find((x) => x.verdict === 'fail')?.message).toMatch(/#0 GET .*expected "acct-1", got "acct-2"/);
  });

  it('HDR.ACCOUNT.002 fails an empty account header', () => {
    expect(v(checkJournal([{ ...good, headers: { ...good.headers, 'chatgpt-account-id': ' ' } }]), 'HDR.ACCOUNT.002')).toBe('fail');
  });

  it('HDR.ACCOUNT.002 fails placeholder and padded account ids ("undefined", "null", " acct-1")', () => {
    for (const value of ['undefined', 'null', 'NaN', '[object Object]', ' acct-1', 'acct-1 ', '']) {
      expect(v(checkJournal([{ ...good, headers: { ...good.headers, 'chatgpt-account-id': value } }]), 'HDR.ACCOUNT.002'), JSON.stringify(value)).toBe('fail');
    }
    expect(v(checkJournal([good]), 'HDR.ACCOUNT.002')).toBe('pass');
  });

  it('HDR.BEARER.001 fails a placeholder credential ("Bearer undefined") even in a HAR', () => {
    const r = checkJournal([{ ...good, headers: { ...good.headers, authorization: 'Bearer undefined' } }]);
    expect(v(r, 'HDR.BEARER.001')).toBe('fail');
    expect(v(checkJournal([{ ...good, headers: { ...good.headers, authorization: 'AgentAssertion null' } }]), 'HDR.AGENT.001')).toBe('fail');
  });

  it('HDR.BEARER.001 with the mock\'s attribution: a token the mock never issued fails, an issued one passes', () => {
    const unknown = { ...good, credential: { kind: 'bearer', fingerprint: 'fp:bbbbbbbbbbbb' } as CredentialAttribution, verdict: { status: 401, handled: true, reason: 'token_unknown' } };
    expect(v(checkJournal([unknown], { mockAttribution: true }), 'HDR.BEARER.001')).toBe('fail');
    expect(checkJournal([unknown], { mockAttribution: true }).find((r) => r.verdict === 'fail' && r.ruleId === 'HDR.BEARER.001')?.message).toMatch(/never issued \(fp:bbbbbbbbbbbb, answered 401 token_unknown\)/);
    expect(v(checkJournal([good], { mockAttribution: true }), 'HDR.BEARER.001')).toBe('pass');
    // A HAR carries no attribution: an unattributed bearer is not judged there.
    expect(v(checkJournal([unknown]), 'HDR.BEARER.001')).toBeUndefined();
  });

  it('REFRESH.401.003 with the mock\'s attribution: a managed ChatGPT token refused again after the retry is refreshed', () => {
    const rejected = { ...good, seq: 1, verdict: { status: 401, handled: true, reason: 'token_expired' } };
    const rejectedAgain = { ...rejected, seq: 2 };
    const refresh = observed({ seq: 3, method: 'POST', url: 'http://127.0.0.1:4010/oauth/token', headers: { 'content-type': 'application/json' } });
    const retry = { ...good, seq: 4 };
    for (const profile of PROFILE_IDS) {
      expect(v(checkJournal([rejected, rejectedAgain, refresh, retry], { mockAttribution: true, profile }), 'REFRESH.401.003')).toBe('pass');
      expect(v(checkJournal([rejected, rejectedAgain, retry], { mockAttribution: true, profile }), 'REFRESH.401.003')).toBe('fail');
      // One 401 needs no refresh: the source reloads auth.json and retries first.
      expect(v(checkJournal([rejected, { ...good, seq: 2 }], { mockAttribution: true, profile }), 'REFRESH.401.003')).toBeUndefined();
    }
    const hostToken = { ...rejected, credential: { kind: 'bearer', fingerprint: 'fp:cccccccccccc', issued: { tokenKind: 'hostAccess', accountId: 'acct-1', expired: false } } as CredentialAttribution };
    expect(v(checkJournal([hostToken, { ...hostToken, seq: 2 }], { mockAttribution: true }), 'REFRESH.401.003'), 'host tokens are refreshed by the host').toBeUndefined();
  });

  it('HDR.FEDRAMP.001 fails a missing header for a FedRAMP token and an extra one otherwise', () => {
    expect(v(checkJournal([{ ...good, credential: chatgptCred('acct-1', true) }]), 'HDR.FEDRAMP.001')).toBe('fail');
    expect(v(checkJournal([{ ...good, headers: { ...good.headers, 'x-openai-fedramp': 'true' } }]), 'HDR.FEDRAMP.001')).toBe('fail');
    expect(v(checkJournal([{ ...good, credential: chatgptCred('acct-1', true), headers: { ...good.headers, 'x-openai-fedramp': 'true' } }]), 'HDR.FEDRAMP.001')).toBe('pass');
  });

  it('HDR.FEDRAMP.002 passes "true" and fails "false"', () => {
    expect(v(checkJournal([{ ...good, credential: chatgptCred('acct-1', true), headers: { ...good.headers, 'x-openai-fedramp': 'true' } }]), 'HDR.FEDRAMP.002')).toBe('pass');
    expect(v(checkJournal([{ ...good, headers: { ...good.headers, 'x-openai-fedramp': 'false' } }]), 'HDR.FEDRAMP.002')).toBe('fail');
  });

  it('HDR.BEARER.002 passes a bare API key and fails one with ChatGPT headers', () => {
    const key: ObservedRequest = observed({ method: 'POST', url: 'http://127.0.0.1:4010/v1/responses', headers: { authorization: 'Bearer sk-1' }, credential: { kind: 'bearer', fingerprint: 'fp:bbbbbbbbbbbb', issued: { tokenKind: 'apiKey', expired: false } } });
    for (const profile of PROFILE_IDS) {
      expect(v(checkJournal([key], { profile }), 'HDR.BEARER.002')).toBe('pass');
      expect(v(checkJournal([{ ...key, headers: { ...key.headers, 'chatgpt-account-id': 'acct-1' } }], { profile }), 'HDR.BEARER.002')).toBe('fail');
    }
  });

  const apiKeyCred: CredentialAttribution = { kind: 'bearer', fingerprint: 'fp:cccccccccccc', issued: { tokenKind: 'apiKey', expired: false } };
  const discovery = observed({ url: 'https://chatgpt.com/backend-api/codex/models?client_version=0.171.0', headers: { authorization: 'Bearer sk-live-secret' }, credential: apiKeyCred });

  it('GATE.APIKEY.002 pr18811 fails an API key sent to the ChatGPT backend, discovery included, never printing it', () => {
    const r = checkJournal([observed({ url: `${B}/wham/tasks/list`, headers: { authorization: 'Bearer sk-live-secret' }, credential: apiKeyCred })], { profile: 'pr18811' });
    expect(v(r, 'GATE.APIKEY.002')).toBe('fail');
    for (const x of r) expect(x.message).not.toContain('sk-live-secret');
    // No API-key model discovery before 0.155.0: the catalogue at the ChatGPT codex base is off limits too.
    expect(v(checkJournal([discovery], { profile: 'pr18811' }), 'GATE.APIKEY.002')).toBe('fail');
    // A key the mock did not issue but that looks like one is caught by its shape.
    expect(v(checkJournal([observed({ url: `${B}/wham/usage`, headers: { authorization: 'Bearer sk-proj-abc' } })], { profile: 'pr18811' }), 'GATE.APIKEY.002')).toBe('fail');
  });

  it('GATE.APIKEY.003 codex-0.171 passes API-key model discovery at the constant host and fails an API key anywhere else on the backend', () => {
    // model-provider/src/models_endpoint.rs: "Codex metadata is served by the Codex backend, not the public /v1/models API."
    const ok = checkJournal([discovery], { profile: 'codex-0.171' });
    expect(v(ok, 'GATE.APIKEY.003')).toBe('pass');
    expect(ok.filter((x) => x.verdict === 'fail')).toEqual([]);
    const elsewhere = [
      observed({ url: `${B}/wham/tasks/list`, headers: { authorization: 'Bearer sk-live-secret' }, credential: apiKeyCred }),
      observed({ url: `${B}/codex/models`, headers: { authorization: 'Bearer sk-live-secret' }, credential: apiKeyCred }),
      observed({ method: 'POST', url: 'https://chatgpt.com/backend-api/codex/responses', headers: { authorization: 'Bearer sk-live-secret' }, credential: apiKeyCred }),
    ];
    for (const e of elsewhere) {
      const r = checkJournal([e], { profile: 'codex-0.171' });
      expect(v(r, 'GATE.APIKEY.003'), e.url).toBe('fail');
      for (const x of r) expect(x.message).not.toContain('sk-live-secret');
    }
  });

  it('HDR.AUTH.001 fails a second credential header and an unknown scheme', () => {
    expect(v(checkJournal([{ ...good, headers: { ...good.headers, 'x-api-key': 'k' } }]), 'HDR.AUTH.001')).toBe('fail');
    expect(v(checkJournal([{ ...good, headers: { ...good.headers, authorization: 'Basic dXNlcjpwdw==' } }]), 'HDR.AUTH.001')).toBe('fail');
  });

  it('HDR.APPS.001 pr18811 passes an authenticated apps call on any origin and fails an unauthenticated POST', () => {
    expect(v(checkJournal([{ ...good, method: 'POST', url: `${B}/wham/apps` }], { profile: 'pr18811' }), 'HDR.APPS.001')).toBe('pass');
    expect(v(checkJournal([observed({ method: 'POST', url: `${B}/wham/apps` })], { profile: 'pr18811' }), 'HDR.APPS.001')).toBe('fail');
    expect(v(checkJournal([observed({ method: 'POST', url: `${B}/wham/apps` })], { profile: 'codex-0.171' }), 'HDR.APPS.001')).toBeUndefined();
  });

  it('HDR.APPS.002 codex-0.171 passes credentials to the trusted origin and fails a trusted request without them', () => {
    const trusted = 'https://chatgpt.com/backend-api/ps/mcp';
    expect(v(checkJournal([{ ...good, method: 'POST', url: trusted }], { profile: 'codex-0.171' }), 'HDR.APPS.002')).toBe('pass');
    expect(v(checkJournal([observed({ method: 'POST', url: trusted })], { profile: 'codex-0.171' }), 'HDR.APPS.002')).toBe('fail');
    // A staging origin is trusted only when it is the configured https base.
    const staging = 'https://chatgpt-staging.com/backend-api/ps/mcp';
    expect(v(checkJournal([observed({ method: 'POST', url: staging })], { profile: 'codex-0.171', chatgptBaseUrl: 'https://chatgpt-staging.com/backend-api/' }), 'HDR.APPS.002')).toBe('fail');
    expect(v(checkJournal([observed({ method: 'POST', url: staging })], { profile: 'codex-0.171' }), 'HDR.APPS.003')).toBe('pass');
  });

  it('HDR.APPS.003 codex-0.171 passes an untrusted origin without ChatGPT credentials and fails each credential sent there', () => {
    const untrusted = `${B}/ps/mcp`;
    expect(v(checkJournal([observed({ method: 'POST', url: untrusted, headers: { 'x-openai-product-sku': 'codex' } })], { profile: 'codex-0.171', chatgptBaseUrl: `${B}/` }), 'HDR.APPS.003')).toBe('pass');
    for (const leaked of [{ authorization: 'Bearer tok' }, { 'chatgpt-account-id': 'acct-1' }, { 'x-openai-fedramp': 'true' }]) {
      const r = checkJournal([observed({ method: 'POST', url: untrusted, headers: leaked })], { profile: 'codex-0.171', chatgptBaseUrl: `${B}/` });
      expect(v(r, 'HDR.APPS.003'), Object.keys(leaked)[0]).toBe('fail');
    }
    // pr18811 has no trust gate: the same credentials there are HDR.APPS.001's due.
    expect(v(checkJournal([{ ...good, method: 'POST', url: `${B}/wham/apps` }], { profile: 'pr18811' }), 'HDR.APPS.003')).toBeUndefined();
  });

  it('HDR.AGENT.001 HDR.AGENT.002 AGENT.ASSERT.003 AGENT.ASSERT.005 pass a valid, bound assertion', () => {
    for (const profile of PROFILE_IDS) {
      const r = checkJournal([observed({ url: `${B}/wham/tasks/list`, headers: { authorization: `AgentAssertion ${token}`, 'chatgpt-account-id': 'acct-a' }, credential: agentCred() })], { profile });
      expect(r.filter((x) => x.verdict === 'fail')).toEqual([]);
      for (const id of ['HDR.AGENT.001', 'HDR.AGENT.002', 'AGENT.ASSERT.001', 'AGENT.ASSERT.002', 'AGENT.ASSERT.003', 'AGENT.ASSERT.004', 'AGENT.ASSERT.005']) expect(v(r, id), id).toBe('pass');
    }
  });

  it('HDR.AGENT.001 fails a Bearer token the mock attributes to an agent identity', () => {
    expect(v(checkJournal([observed({ url: `${B}/wham/tasks/list`, headers: { authorization: 'Bearer x' }, credential: agentCred() })]), 'HDR.AGENT.001')).toBe('fail');
  });

  it('HDR.AGENT.002 AGENT.ASSERT.003 AGENT.ASSERT.005 fail wrong identity headers, bad signatures and unbound tasks', () => {
    const base = observed({ url: `${B}/wham/tasks/list`, headers: { authorization: `AgentAssertion ${token}`, 'chatgpt-account-id': 'acct-a' }, credential: agentCred() });
    expect(v(checkJournal([{ ...base, credential: agentCred({ isFedramp: true }) }]), 'HDR.AGENT.002')).toBe('fail');
    expect(v(checkJournal([{ ...base, credential: agentCred({ signatureValid: false }) }]), 'AGENT.ASSERT.003')).toBe('fail');
    expect(v(checkJournal([{ ...base, credential: agentCred({ taskIssuedToRuntime: false }) }]), 'AGENT.ASSERT.005')).toBe('fail');
  });

  it('AGENT.ASSERT.002 fails unsorted assertion keys in recorded traffic', () => {
    const payload = { timestamp: '2025-03-04T05:06:07Z', task_id: 't', signature: 'A'.repeat(86) + '==', agent_runtime_id: 'rt-1' };
    const bad = assertionToken(keys, { agentRuntimeId: 'rt-1', taskId: 't', timestamp: payload.timestamp, payload });
    expect(v(checkJournal([observed({ url: `${B}/wham/usage`, headers: { authorization: `AgentAssertion ${bad}` } })]), 'AGENT.ASSERT.002')).toBe('fail');
  });

  it('no registration count is judged per process: two loads registering twice is no failure (AGENT.TASK.001 withdrawn)', () => {
    for (const profile of PROFILE_IDS) {
      const r = checkJournal([jwks(0), reg(1), jwks(2), reg(3)], { profile, callStarts: [-1, 1] });
      expect(r.filter((x) => x.verdict === 'fail'), profile).toEqual([]);
    }
  });

  it('AGENT.TASK.004 codex-0.171 passes a retry after 429 or 5xx within three attempts and fails a retry after a refusal or a fourth attempt', () => {
    // login/src/auth/agent_identity.rs register_task_for_record_with_retries (0.142.0 on): 3 attempts, retry on 429/5xx/transport.
    const opts = { profile: 'codex-0.171' as const, callStarts: [-1] };
    expect(v(checkJournal([reg(0, 503), reg(1, 200)], opts), 'AGENT.TASK.004')).toBe('pass');
    expect(v(checkJournal([reg(0, 429), reg(1, 502), reg(2, 200)], opts), 'AGENT.TASK.004')).toBe('pass');
    expect(v(checkJournal([reg(0, 403), reg(1, 200)], opts), 'AGENT.TASK.004')).toBe('fail');
    expect(v(checkJournal([reg(0, 400), reg(1, 200)], opts), 'AGENT.TASK.004')).toBe('fail');
    const fourth = checkJournal([reg(0, 503), reg(1, 503), reg(2, 503), reg(3, 200)], opts);
    expect(v(fourth, 'AGENT.TASK.004')).toBe('fail');
    expect(fourth.find((x) => x.ruleId === 'AGENT.TASK.004' && x.verdict === 'fail')?.message).toContain('at most 3 attempt(s)');
    // A later call (a new load) may try again after any failure.
    expect(v(checkJournal([reg(0, 403), reg(1, 200)], { profile: 'codex-0.171', callStarts: [-1, 0] }), 'AGENT.TASK.004')).toBe('pass');
    // So may a new verification (a JWKS fetch marks a new load).
    expect(v(checkJournal([reg(0, 403), jwks(1), reg(2, 200)], opts), 'AGENT.TASK.004')).toBe('pass');
  });

  it('AGENT.TASK.004 AGENT.TASK.005 REFRESH.PERSIST.001 a correct client with a transient registration failure and a late refresh passes', () => {
    // codex-0.171: the registration is retried after a 503 (up to 3 attempts, by design), then the
    // assertion is used; later a 401 leads to one refresh whose token auth.json holds, although the
    // first backend request (before the refresh) carried the old token.
    const assertionCall = observed({ seq: 3, url: `${B}/wham/tasks/list`, headers: { authorization: `AgentAssertion ${token}`, 'chatgpt-account-id': 'acct-a' }, credential: agentCred() });
    const results = checkJournal([jwks(0), reg(1, 503), reg(2, 200), assertionCall], { profile: 'codex-0.171', callStarts: [-1] });
    expect(results.filter((r) => r.verdict === 'fail').map((r) => r.ruleId)).toEqual([]);
    expect(v(results, 'AGENT.TASK.004')).toBe('pass');
    const call = (seq: number, status: number, bearer: string) => observed({ seq, url: `${B}/wham/usage`, headers: { authorization: `Bearer ${bearer}` }, verdict: { status, handled: true } });
    const sent = [call(0, 200, 'old'), call(1, 401, 'old'), refresh(2), call(3, 200, 'new')];
    const persisted = checkAuthJsonPersisted({ tokens: { access_token: 'new' }, last_refresh: '2025-01-02T00:00:00Z' }, { accessToken: 'old', lastRefresh: '2025-01-01T00:00:00Z' }, sent, (t) => t === 'new');
    expect(persisted).toMatchObject({ ruleId: 'REFRESH.PERSIST.001', verdict: 'pass' });
  });

  it('AGENT.TASK.004 pr18811 allows one attempt per call: no retry even after a 5xx', () => {
    // PR #18811: the once-cell forgets a failure, so only the next call registers again; no retry loop.
    expect(v(checkJournal([reg(0, 503), reg(1, 200)], { profile: 'pr18811', callStarts: [-1] }), 'AGENT.TASK.004')).toBe('fail');
    expect(v(checkJournal([reg(0, 503), reg(1, 200)], { profile: 'pr18811', callStarts: [-1, 0] }), 'AGENT.TASK.004')).toBe('pass');
    expect(v(checkJournal([reg(0, 200)], { profile: 'pr18811', callStarts: [-1] }), 'AGENT.TASK.004')).toBe('pass');
  });

  it('AGENT.TASK.004 is not judged without call boundaries (a retry cannot be told from a new load)', () => {
    for (const profile of PROFILE_IDS) expect(v(checkJournal([reg(0, 403), reg(1, 200)], { profile }), 'AGENT.TASK.004')).toBeUndefined();
  });

  it('AGENT.TASK.005 codex-0.171 passes one registration per verification and fails a second success within one load', () => {
    expect(v(checkJournal([jwks(0), reg(1), jwks(2), reg(3)], { profile: 'codex-0.171' }), 'AGENT.TASK.005')).toBe('pass');
    expect(v(checkJournal([jwks(0), reg(1, 503), reg(2, 200)], { profile: 'codex-0.171' }), 'AGENT.TASK.005')).toBe('pass');
    const twice = checkJournal([jwks(0), reg(1), reg(2)], { profile: 'codex-0.171' });
    expect(v(twice, 'AGENT.TASK.005')).toBe('fail');
    expect(v(checkJournal([jwks(0), reg(1), reg(2, 200, 'rt-2')], { profile: 'codex-0.171' }), 'AGENT.TASK.005')).toBe('pass');
    // Separate cases are separate processes.
    expect(v(checkJournal([jwks(0), reg(1, 200, 'rt-1', 'c1'), reg(2, 200, 'rt-1', 'c2')], { profile: 'codex-0.171' }), 'AGENT.TASK.005')).toBe('pass');
    // pr18811 has no JWT to verify: the rule is not in that profile.
    expect(v(checkJournal([jwks(0), reg(1), reg(2)], { profile: 'pr18811' }), 'AGENT.TASK.005')).toBeUndefined();
  });

  it('AGENT.TASK.003 AGENT.JWT.002 pass JWKS and registration first, and fail an assertion sent before them', () => {
    const call = (seq: number) => observed({ seq, url: `${B}/wham/usage`, headers: { authorization: `AgentAssertion ${token}`, 'chatgpt-account-id': 'acct-a' }, credential: agentCred() });
    const ok = checkJournal([jwks(0), reg(1), call(2)]);
    expect(v(ok, 'AGENT.TASK.003')).toBe('pass');
    expect(v(ok, 'AGENT.JWT.002')).toBe('pass');
    const early = checkJournal([call(0), jwks(1), reg(2)]);
    expect(v(early, 'AGENT.TASK.003')).toBe('fail');
    expect(v(early, 'AGENT.JWT.002')).toBe('fail');
    // pr18811 verifies no JWT: AGENT.JWT.002 is not judged there, AGENT.TASK.003 is.
    const seed = checkJournal([call(0), reg(1)], { profile: 'pr18811' });
    expect(v(seed, 'AGENT.TASK.003')).toBe('fail');
    expect(v(seed, 'AGENT.JWT.002')).toBeUndefined();
  });

  it('REFRESH.REQUEST.001 REFRESH.REQUEST.002 judge the full token URL: a refresh that ignores CODEX_REFRESH_TOKEN_URL_OVERRIDE fails', () => {
    const override = 'http://127.0.0.1:4010/oauth/token';
    for (const [profile, rule] of [['pr18811', 'REFRESH.REQUEST.001'], ['codex-0.171', 'REFRESH.REQUEST.002']] as const) {
      expect(v(checkJournal([refresh(0)], { profile, tokenUrl: override }), rule)).toBe('pass');
      expect(v(checkJournal([refresh(0, { url: `${override}?x=1` })], { profile, tokenUrl: override }), rule)).toBe('pass');
      // Same path, production host: only the full URL tells it from the override.
      const ignored = checkJournal([refresh(0, { url: 'https://auth.openai.com/oauth/token' })], { profile, tokenUrl: override });
      expect(v(ignored, rule)).toBe('fail');
      expect(ignored.find((r) => r.verdict === 'fail')?.message).toContain('https://auth.openai.com/oauth/token');
      // No override: production is expected and the mock's origin is wrong.
      expect(v(checkJournal([refresh(0)], { profile, tokenUrl: 'https://auth.openai.com/oauth/token' }), rule)).toBe('fail');
      expect(v(checkJournal([refresh(0, { url: 'http://127.0.0.1:4011/oauth/token' })], { profile, tokenUrl: override }), rule)).toBe('fail');
    }
  });

  it('REFRESH.REQUEST.001 pr18811 passes a JSON POST and fails a form-encoded refresh', () => {
    expect(v(checkJournal([refresh(0)], { profile: 'pr18811' }), 'REFRESH.REQUEST.001')).toBe('pass');
    expect(v(checkJournal([refresh(0, { headers: { 'content-type': 'application/x-www-form-urlencoded' } })], { profile: 'pr18811' }), 'REFRESH.REQUEST.001')).toBe('fail');
    expect(v(checkJournal([refresh(0)], { profile: 'codex-0.171' }), 'REFRESH.REQUEST.001')).toBeUndefined();
  });

  it('REFRESH.REQUEST.002 codex-0.171 passes JSON and form-encoded refreshes and fails another encoding, a GET or an unreadable body', () => {
    const opts = { profile: 'codex-0.171' as const };
    expect(v(checkJournal([refresh(0)], opts), 'REFRESH.REQUEST.002')).toBe('pass');
    expect(v(checkJournal([refresh(0, { headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } })], opts), 'REFRESH.REQUEST.002')).toBe('pass');
    expect(v(checkJournal([refresh(0, { headers: { 'content-type': 'text/plain' } })], opts), 'REFRESH.REQUEST.002')).toBe('fail');
    expect(v(checkJournal([refresh(0, { method: 'GET' })], opts), 'REFRESH.REQUEST.002')).toBe('fail');
    expect(v(checkJournal([refresh(0, { verdict: { status: 400, handled: true, reason: 'invalid_request' } })], opts), 'REFRESH.REQUEST.002')).toBe('fail');
  });

  it('REFRESH.REQUEST.003 codex-0.171 (SHOULD) passes a JSON body and fails a form-encoded one', () => {
    const opts = { profile: 'codex-0.171' as const };
    expect(v(checkJournal([refresh(0)], opts), 'REFRESH.REQUEST.003')).toBe('pass');
    const form = checkJournal([refresh(0, { headers: { 'content-type': 'application/x-www-form-urlencoded' } })], opts);
    expect(v(form, 'REFRESH.REQUEST.003')).toBe('fail');
    expect(v(form, 'REFRESH.REQUEST.002')).toBe('pass');
  });

  it('REFRESH.TOKEN.001 passes the new token after a refresh and fails the rejected one', () => {
    const old = { ...good, seq: 0, credential: chatgptCred('acct-1', false, 'fp:000000000001'), verdict: { status: 401, handled: true } };
    for (const profile of PROFILE_IDS) {
      expect(v(checkJournal([old, refresh(1), { ...good, seq: 2, credential: chatgptCred('acct-1', false, 'fp:000000000002') }], { profile }), 'REFRESH.TOKEN.001')).toBe('pass');
      expect(v(checkJournal([old, refresh(1), { ...old, seq: 2 }], { profile }), 'REFRESH.TOKEN.001')).toBe('fail');
    }
  });

  it('REFRESH.ERROR.002 passes a single refresh after a 401 and fails a retry, under both profiles', () => {
    const failed = refresh(0, { verdict: { status: 401, handled: true, reason: 'refresh_token_reused' } });
    for (const profile of PROFILE_IDS) {
      expect(v(checkJournal([failed], { profile }), 'REFRESH.ERROR.002')).toBe('pass');
      expect(v(checkJournal([failed, { ...failed, seq: 1 }], { profile }), 'REFRESH.ERROR.002')).toBe('fail');
    }
  });

  it('REFRESH.ERROR.002 judges the profile\'s permanent classes: a 400 invalid_grant or a known code at 400 is permanent only in codex-0.171', () => {
    for (const reason of ['invalid_grant', 'refresh_token_expired', 'refresh_token_invalidated']) {
      const failed = refresh(0, { verdict: { status: 400, handled: true, reason } });
      const retried = [failed, { ...failed, seq: 1 }];
      expect(v(checkJournal(retried, { profile: 'codex-0.171' }), 'REFRESH.ERROR.002'), reason).toBe('fail');
      // PR #18811: only a 401 is permanent; a 400 is transient and may be retried.
      expect(v(checkJournal(retried, { profile: 'pr18811' }), 'REFRESH.ERROR.002'), reason).toBeUndefined();
    }
    // A 500 is transient in both.
    const down = refresh(0, { verdict: { status: 500, handled: true } });
    for (const profile of PROFILE_IDS) expect(v(checkJournal([down, { ...down, seq: 1 }], { profile }), 'REFRESH.ERROR.002')).toBeUndefined();
  });

  it('skips structure rules on a fingerprinted (redacted) assertion', () => {
    const r = checkJournal([observed({ url: `${B}/wham/usage`, headers: { authorization: 'AgentAssertion fp:0123456789ab', 'chatgpt-account-id': 'acct-a' }, credential: agentCred() })]);
    expect(v(r, 'AGENT.ASSERT.001')).toBe('skip');
    expect(v(r, 'AGENT.ASSERT.003')).toBe('pass');
  });

  it('reports only rules of the judged profile', async () => {
    const { ruleIdsInProfile } = await import('./catalogue.js');
    const journal = [good, jwks(1), reg(2), reg(3, 503), refresh(4), observed({ seq: 5, method: 'POST', url: `${B}/ps/mcp` }), observed({ seq: 6, method: 'POST', url: `${B}/wham/apps` })];
    for (const profile of PROFILE_IDS as readonly ProfileId[]) {
      const inProfile = new Set(ruleIdsInProfile(profile));
      const r = checkJournal(journal, { profile, callStarts: [-1] });
      expect(r.length).toBeGreaterThan(5);
      for (const x of r) expect(inProfile.has(x.ruleId), `${profile}: ${x.ruleId}`).toBe(true);
    }
  });
});

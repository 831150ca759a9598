import { describe, expect, it } from 'vitest';
import { checkJournal } from './check-journal.js';
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

describe('checkJournal', () => {
  it('HDR.BACKEND.001 HDR.ACCOUNT.001 HDR.FEDRAMP.001 HDR.AUTH.001 GATE.APIKEY.002 pass conforming ChatGPT traffic', () => {
    const r = checkJournal([good]);
    expect(r.filter((x) => x.verdict === 'fail')).toEqual([]);
    for (const id of ['HDR.BACKEND.001', 'HDR.ACCOUNT.001', 'HDR.ACCOUNT.002', 'HDR.FEDRAMP.001', 'HDR.AUTH.001', 'GATE.APIKEY.002']) expect(v(r, id), id).toBe('pass');
  });

  it('HDR.BACKEND.001 fails a codex-backend request without authorization', () => {
    expect(v(checkJournal([observed({ url: `${B}/wham/usage` })]), 'HDR.BACKEND.001')).toBe('fail');
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

  it('REFRESH.401.001 with the mock\'s attribution: a 401 to a managed ChatGPT token is followed by a refresh', () => {
    const rejected = { ...good, seq: 1, verdict: { status: 401, handled: true, reason: 'token_expired' } };
    const refresh = observed({ seq: 2, method: 'POST', url: 'http://127.0.0.1:4010/oauth/token', headers: { 'content-type': 'application/json' } });
    const retry = { ...good, seq: 3 };
    expect(v(checkJournal([rejected, refresh, retry], { mockAttribution: true }), 'REFRESH.401.001')).toBe('pass');
    expect(v(checkJournal([rejected, retry], { mockAttribution: true }), 'REFRESH.401.001')).toBe('fail');
    const hostToken = { ...rejected, credential: { kind: 'bearer', fingerprint: 'fp:cccccccccccc', issued: { tokenKind: 'hostAccess', accountId: 'acct-1', expired: false } } as CredentialAttribution };
    expect(v(checkJournal([hostToken], { mockAttribution: true }), 'REFRESH.401.001'), 'host tokens are refreshed by the host').toBeUndefined();
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
    expect(v(checkJournal([key]), 'HDR.BEARER.002')).toBe('pass');
    expect(v(checkJournal([{ ...key, headers: { ...key.headers, 'chatgpt-account-id': 'acct-1' } }]), 'HDR.BEARER.002')).toBe('fail');
  });

  it('GATE.APIKEY.002 fails an API key sent to the ChatGPT backend, never printing it', () => {
    const r = checkJournal([observed({ url: `${B}/wham/tasks/list`, headers: { authorization: 'Bearer sk-live-secret' }, credential: { kind: 'bearer', fingerprint: 'fp:cccccccccccc', issued: { tokenKind: 'apiKey', expired: false } } })]);
    expect(v(r, 'GATE.APIKEY.002')).toBe('fail');
    for (const x of r) expect(x.message).not.toContain('sk-live-secret');
  });

  it('HDR.AUTH.001 fails a second credential header and an unknown scheme', () => {
    expect(v(checkJournal([{ ...good, headers: { ...good.headers, 'x-api-key': 'k' } }]), 'HDR.AUTH.001')).toBe('fail');
    expect(v(checkJournal([{ ...good, headers: { ...good.headers, authorization: 'Basic dXNlcjpwdw==' } }]), 'HDR.AUTH.001')).toBe('fail');
  });

  it('HDR.APPS.001 passes an authenticated apps call and fails an unauthenticated POST /ps/mcp', () => {
    expect(v(checkJournal([{ ...good, method: 'POST', url: `${B}/ps/mcp` }]), 'HDR.APPS.001')).toBe('pass');
    expect(v(checkJournal([observed({ method: 'POST', url: `${B}/ps/mcp` })]), 'HDR.APPS.001')).toBe('fail');
  });

  it('HDR.AGENT.001 HDR.AGENT.002 AGENT.ASSERT.003 AGENT.ASSERT.005 pass a valid, bound assertion', () => {
    const r = checkJournal([observed({ url: `${B}/wham/tasks/list`, headers: { authorization: `AgentAssertion ${token}`, 'chatgpt-account-id': 'acct-a' }, credential: agentCred() })]);
    expect(r.filter((x) => x.verdict === 'fail')).toEqual([]);
    for (const id of ['HDR.AGENT.001', 'HDR.AGENT.002', 'AGENT.ASSERT.001', 'AGENT.ASSERT.002', 'AGENT.ASSERT.003', 'AGENT.ASSERT.004', 'AGENT.ASSERT.005']) expect(v(r, id), id).toBe('pass');
  });

  it('HDR.AGENT.001 fails a Bearer token the mock attributes to an agent identity', () => {
    expect(v(checkJournal([observed({ url: `${B}/wham/tasks/list`, headers: { authorization: 'Bearer x' }, credential: agentCred() })]), 'HDR.AGENT.001')).toBe('fail');
  });

  it('HDR.AGENT.002 AGENT.ASSERT.003 AGENT.ASSERT.005 fail wrong claims headers, bad signatures and unbound tasks', () => {
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

  it('AGENT.TASK.001 passes one registration and fails a second in the same case', () => {
    const reg = (seq: number) => observed({ seq, caseId: 'c1', method: 'POST', url: `${B}/v1/agent/rt-1/task/register` });
    expect(v(checkJournal([reg(0)]), 'AGENT.TASK.001')).toBe('pass');
    expect(v(checkJournal([reg(0), reg(1)]), 'AGENT.TASK.001')).toBe('fail');
    expect(v(checkJournal([reg(0), { ...reg(1), caseId: 'c2' }]), 'AGENT.TASK.001')).toBe('pass');
  });

  it('AGENT.TASK.003 AGENT.JWT.002 pass JWKS and registration first, and fail an assertion sent before them', () => {
    const jwks = observed({ seq: 0, url: `${B}/wham/agent-identities/jwks` });
    const reg = observed({ seq: 1, method: 'POST', url: `${B}/v1/agent/rt-1/task/register` });
    const call = (seq: number) => observed({ seq, url: `${B}/wham/usage`, headers: { authorization: `AgentAssertion ${token}`, 'chatgpt-account-id': 'acct-a' }, credential: agentCred() });
    const ok = checkJournal([jwks, reg, call(2)]);
    expect(v(ok, 'AGENT.TASK.003')).toBe('pass');
    expect(v(ok, 'AGENT.JWT.002')).toBe('pass');
    const early = checkJournal([call(0), { ...jwks, seq: 1 }, { ...reg, seq: 2 }]);
    expect(v(early, 'AGENT.TASK.003')).toBe('fail');
    expect(v(early, 'AGENT.JWT.002')).toBe('fail');
  });

  it('REFRESH.REQUEST.001 passes a JSON POST and fails a form-encoded refresh', () => {
    const refresh = observed({ method: 'POST', url: 'http://127.0.0.1:4010/oauth/token', headers: { 'content-type': 'application/json' } });
    expect(v(checkJournal([refresh]), 'REFRESH.REQUEST.001')).toBe('pass');
    expect(v(checkJournal([{ ...refresh, headers: { 'content-type': 'application/x-www-form-urlencoded' } }]), 'REFRESH.REQUEST.001')).toBe('fail');
  });

  it('REFRESH.TOKEN.001 passes the new token after a refresh and fails the rejected one', () => {
    const old = { ...good, seq: 0, credential: chatgptCred('acct-1', false, 'fp:000000000001'), verdict: { status: 401, handled: true } };
    const refresh = observed({ seq: 1, method: 'POST', url: 'http://127.0.0.1:4010/oauth/token', headers: { 'content-type': 'application/json' } });
    expect(v(checkJournal([old, refresh, { ...good, seq: 2, credential: chatgptCred('acct-1', false, 'fp:000000000002') }]), 'REFRESH.TOKEN.001')).toBe('pass');
    expect(v(checkJournal([old, refresh, { ...old, seq: 2 }]), 'REFRESH.TOKEN.001')).toBe('fail');
  });

  it('REFRESH.ERROR.002 passes a single refresh after a permanent failure and fails a retry', () => {
    const failed = observed({ seq: 0, method: 'POST', url: 'http://127.0.0.1:4010/oauth/token', headers: { 'content-type': 'application/json' }, verdict: { status: 401, handled: true, reason: 'refresh_token_reused' } });
    expect(v(checkJournal([failed]), 'REFRESH.ERROR.002')).toBe('pass');
    expect(v(checkJournal([failed, { ...failed, seq: 1 }]), 'REFRESH.ERROR.002')).toBe('fail');
  });

  it('skips structure rules on a fingerprinted (redacted) assertion', () => {
    const r = checkJournal([observed({ url: `${B}/wham/usage`, headers: { authorization: 'AgentAssertion fp:0123456789ab', 'chatgpt-account-id': 'acct-a' }, credential: agentCred() })]);
    expect(v(r, 'AGENT.ASSERT.001')).toBe('skip');
    expect(v(r, 'AGENT.ASSERT.003')).toBe('pass');
  });
});

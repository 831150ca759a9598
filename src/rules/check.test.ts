import { describe, expect, it } from 'vitest';
import { checkObserved, classifyUrlMismatch, type CheckContext } from './check.js';
import { expectRequest, type Expectation } from './expectations.js';
import type { ObservedRequest } from './observed-request.js';
import type { RuleResult } from './result.js';
import { AUTHS, agentAuth, agentKeys, assertionToken, observed } from './test-fixtures.js';
import type { CodexAuth } from '../auth/codex-auth.js';

const LOCAL = 'http://127.0.0.1:4010/backend-api/';
const keys = agentKeys();
const agent = agentAuth(keys, { accountId: 'acct-a', isFedramp: true });
const NOW = '2025-03-04T05:06:07Z';

function verdicts(results: readonly RuleResult[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of results) if (out[r.ruleId] !== 'fail') out[r.ruleId] = r.verdict;
  return out;
}

function run(auth: CodexAuth, callsiteId: string, reqs: (exp: Extract<Expectation, { kind: 'send' }>) => ObservedRequest[], config = { chatgptBaseUrl: LOCAL, appsEnabled: true }, ctx: Partial<CheckContext> = {}) {
  const exp = expectRequest({ auth, callsiteId, config });
  if (exp.kind !== 'send') throw new Error(`expected a send expectation, got ${exp.ruleId}`);
  const results = checkObserved(reqs(exp), exp, { auth, ...ctx });
  return { exp, results, v: verdicts(results) };
}

const chatgptHeaders = { authorization: 'Bearer access-token-1', 'chatgpt-account-id': 'acct-1' };

function agentHeaders(over: Partial<{ runtime: string; task: string; ts: string; padded: boolean }> = {}) {
  const token = assertionToken(keys, { agentRuntimeId: over.runtime ?? 'rt-1', taskId: over.task ?? 'task-1', timestamp: over.ts ?? NOW, ...(over.padded ? { padded: true } : {}) });
  return { authorization: `AgentAssertion ${token}`, 'chatgpt-account-id': 'acct-a', 'x-openai-fedramp': 'true' };
}

describe('checkObserved: header rules', () => {
  it('HDR.BEARER.001 HDR.ACCOUNT.001 HDR.FEDRAMP.001 HDR.AUTH.001 pass a conforming chatgpt request', () => {
    const { v, results } = run(AUTHS.chatgpt, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: chatgptHeaders })]);
    expect(results.filter((r) => r.verdict === 'fail')).toEqual([]);
    for (const id of ['HDR.BEARER.001', 'HDR.ACCOUNT.001', 'HDR.FEDRAMP.001', 'HDR.FEDRAMP.002', 'HDR.AUTH.001', 'URL.BASE.001', 'URL.STYLE.001', 'URL.PATH.001', 'URL.NORM.001', 'URL.BASE.002']) expect(v[id], id).toBe('pass');
  });

  it('HDR.BEARER.001 fails another token and never prints it', () => {
    const { v, results } = run(AUTHS.chatgpt, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { ...chatgptHeaders, authorization: 'Bearer stale-secret-token' } })]);
    expect(v['HDR.BEARER.001']).toBe('fail');
    const msg = results.find((r) => r.ruleId === 'HDR.BEARER.001')?.message ?? '';
    expect(msg).toMatch(/expected "Bearer fp:[0-9a-f]{12}", got "Bearer fp:[0-9a-f]{12}"/);
    expect(msg).not.toContain('stale-secret-token');
    expect(msg).not.toContain('access-token-1');
  });

  it('HDR.ACCOUNT.001 fails a wrong or missing account id', () => {
    expect(run(AUTHS.chatgpt, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { ...chatgptHeaders, 'chatgpt-account-id': 'acct-2' } })]).v['HDR.ACCOUNT.001']).toBe('fail');
    expect(run(AUTHS.chatgpt, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { authorization: 'Bearer access-token-1' } })]).v['HDR.ACCOUNT.001']).toBe('fail');
  });

  it('HDR.ACCOUNT.002 passes without and fails with an account header when the auth has none', () => {
    const ok = run(AUTHS.chatgptNoAccount, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { authorization: 'Bearer access-token-2' } })]);
    expect(ok.v['HDR.ACCOUNT.002']).toBe('pass');
    const bad = run(AUTHS.chatgptNoAccount, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { authorization: 'Bearer access-token-2', 'chatgpt-account-id': '' } })]);
    expect(bad.v['HDR.ACCOUNT.002']).toBe('fail');
  });

  it('HDR.FEDRAMP.001 fails a missing header for FedRAMP and a present one otherwise', () => {
    const fed = { authorization: 'Bearer access-token-f', 'chatgpt-account-id': 'acct-f' };
    expect(run(AUTHS.chatgptFedramp, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { ...fed, 'x-openai-fedramp': 'true' } })]).v['HDR.FEDRAMP.001']).toBe('pass');
    expect(run(AUTHS.chatgptFedramp, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: fed })]).v['HDR.FEDRAMP.001']).toBe('fail');
    expect(run(AUTHS.chatgpt, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { ...chatgptHeaders, 'x-openai-fedramp': 'true' } })]).v['HDR.FEDRAMP.001']).toBe('fail');
  });

  it('HDR.FEDRAMP.002 fails "false"', () => {
    const { v } = run(AUTHS.chatgpt, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { ...chatgptHeaders, 'x-openai-fedramp': 'false' } })]);
    expect(v['HDR.FEDRAMP.002']).toBe('fail');
  });

  it('HDR.BEARER.002 passes a bare API-key request and fails one with account or FedRAMP headers', () => {
    const cfg = { openaiBaseUrl: 'http://127.0.0.1:4010/v1', chatgptBaseUrl: LOCAL, appsEnabled: true };
    const ok = run(AUTHS.apiKey, 'core.responses', (e) => [observed({ method: 'POST', url: e.url, headers: { authorization: 'Bearer sk-test-key-000' } })], cfg);
    expect(ok.v['HDR.BEARER.002']).toBe('pass');
    expect(ok.v['URL.APIKEY.001']).toBe('pass');
    const bad = run(AUTHS.apiKey, 'core.responses', (e) => [observed({ method: 'POST', url: e.url, headers: { authorization: 'Bearer sk-test-key-000', 'chatgpt-account-id': 'acct-1' } })], cfg);
    expect(bad.v['HDR.BEARER.002']).toBe('fail');
  });

  it('HDR.AUTH.001 fails a second credential header', () => {
    const { v } = run(AUTHS.chatgpt, 'cloud-tasks.list', (e) => [observed({ url: e.url, headers: { ...chatgptHeaders, 'x-api-key': 'sk-other' } })]);
    expect(v['HDR.AUTH.001']).toBe('fail');
  });
});

describe('checkObserved: agent identity', () => {
  const ctx = { taskIdsIssued: ['task-1'] };

  it('HDR.AGENT.001 HDR.AGENT.002 GATE.AGENT.001 AGENT.ASSERT.001-006 pass a conforming assertion request', () => {
    const { v, results } = run(agent, 'chatgpt.get-task', (e) => [observed({ url: e.url, headers: agentHeaders() })], undefined, ctx);
    expect(results.filter((r) => r.verdict !== 'pass')).toEqual([]);
    for (const id of ['HDR.AGENT.001', 'HDR.AGENT.002', 'GATE.AGENT.001', 'AGENT.ASSERT.001', 'AGENT.ASSERT.002', 'AGENT.ASSERT.003', 'AGENT.ASSERT.004', 'AGENT.ASSERT.005', 'AGENT.ASSERT.006']) expect(v[id], id).toBe('pass');
  });

  it('HDR.AGENT.001 fails a Bearer token from an agent identity', () => {
    const { v } = run(agent, 'chatgpt.get-task', (e) => [observed({ url: e.url, headers: { ...agentHeaders(), authorization: 'Bearer agent.jwt.value' } })], undefined, ctx);
    expect(v['HDR.AGENT.001']).toBe('fail');
  });

  it('HDR.AGENT.002 fails headers not taken from the claims', () => {
    const { v } = run(agent, 'chatgpt.get-task', (e) => [observed({ url: e.url, headers: { authorization: agentHeaders().authorization } })], undefined, ctx);
    expect(v['HDR.AGENT.002']).toBe('fail');
  });

  it('AGENT.ASSERT.001 AGENT.ASSERT.005 AGENT.ASSERT.006 fail a padded token, an unissued task and a foreign runtime', () => {
    expect(run(agent, 'chatgpt.get-task', (e) => [observed({ url: e.url, headers: agentHeaders({ padded: true }) })], undefined, ctx).v['HDR.AGENT.001']).toBe('fail');
    expect(run(agent, 'chatgpt.get-task', (e) => [observed({ url: e.url, headers: agentHeaders({ task: 'task-9' }) })], undefined, ctx).v['AGENT.ASSERT.005']).toBe('fail');
    const foreign = run(agent, 'chatgpt.get-task', (e) => [observed({ url: e.url, headers: agentHeaders({ runtime: 'rt-2' }) })], undefined, { taskIdsIssued: new Map([['rt-1', ['task-1']]]) });
    expect(foreign.v['AGENT.ASSERT.006']).toBe('fail');
  });

  it('GATE.AGENT.001 fails when an agent identity is refused on a codex-backend callsite', () => {
    const { v } = run(agent, 'chatgpt.get-task', () => [], undefined, ctx);
    expect(v['GATE.AGENT.001']).toBe('fail');
    expect(v['URL.PATH.001']).toBe('fail');
    expect(v['HDR.AGENT.001']).toBe('skip');
  });

  it('URL.AGENT.001 URL.AGENT.002 judge registration and JWKS targets against the configured base', () => {
    const config = { chatgptBaseUrl: LOCAL, appsEnabled: false };
    const good = run(agent, 'chatgpt.get-task', (e) => [
      observed({ seq: 0, url: 'http://127.0.0.1:4010/backend-api/wham/agent-identities/jwks' }),
      observed({ seq: 1, method: 'POST', url: 'http://127.0.0.1:4010/backend-api/v1/agent/rt-1/task/register' }),
      observed({ seq: 2, url: e.url, headers: agentHeaders() }),
    ], config, { ...ctx, config });
    expect(good.v['URL.AGENT.001']).toBe('pass');
    expect(good.v['URL.AGENT.002']).toBe('pass');
    const prod = run(agent, 'chatgpt.get-task', (e) => [
      observed({ seq: 0, url: 'https://chatgpt.com/backend-api/wham/agent-identities/jwks' }),
      observed({ seq: 1, method: 'POST', url: 'https://authapi-login-provider.gateway.unified-7.internal.api.openai.org/api/accounts/v1/agent/rt-1/task/register' }),
      observed({ seq: 2, url: e.url, headers: agentHeaders() }),
    ], config, { ...ctx, config });
    expect(prod.v['URL.AGENT.001']).toBe('fail');
    expect(prod.v['URL.AGENT.002']).toBe('fail');
  });
});

describe('checkObserved: URLs and gates', () => {
  it('URL.STYLE.001 fails /api/codex paths under a /backend-api base', () => {
    const { v } = run(AUTHS.chatgpt, 'cloud-tasks.list', () => [observed({ url: 'http://127.0.0.1:4010/backend-api/api/codex/tasks/list', headers: chatgptHeaders })]);
    expect(v['URL.STYLE.001']).toBe('fail');
  });

  it('URL.NORM.001 fails a doubled slash from an untrimmed base', () => {
    const { v } = run(AUTHS.chatgpt, 'cloud-tasks.list', () => [observed({ url: 'http://127.0.0.1:4010/backend-api//wham/tasks/list', headers: chatgptHeaders })]);
    expect(v['URL.NORM.001']).toBe('fail');
  });

  it('URL.PATH.001 fails the wrong endpoint and the wrong method', () => {
    expect(run(AUTHS.chatgpt, 'cloud-tasks.list', () => [observed({ url: 'http://127.0.0.1:4010/backend-api/wham/usage', headers: chatgptHeaders })]).v['URL.PATH.001']).toBe('fail');
    expect(run(AUTHS.chatgpt, 'cloud-tasks.list', (e) => [observed({ method: 'POST', url: e.url, headers: chatgptHeaders })]).v['URL.PATH.001']).toBe('fail');
  });

  it('URL.BASE.001 fails a request to another origin', () => {
    const { v } = run(AUTHS.chatgpt, 'cloud-tasks.list', () => [observed({ url: 'http://127.0.0.1:9999/backend-api/wham/tasks/list', headers: chatgptHeaders })]);
    expect(v['URL.BASE.001']).toBe('fail');
  });

  it('URL.BASE.002 fails any request to the default host when a base is configured', () => {
    const { v, results } = run(AUTHS.chatgpt, 'cloud-tasks.list', (e) => [
      observed({ seq: 0, url: e.url, headers: chatgptHeaders }),
      observed({ seq: 1, url: 'https://chatgpt.com/backend-api/wham/accounts/check', headers: chatgptHeaders }),
    ]);
    expect(v['URL.BASE.002']).toBe('fail');
    expect(results.find((r) => r.ruleId === 'URL.BASE.002')?.message).toContain('https://chatgpt.com/backend-api/wham/accounts/check');
  });

  it('URL.APIKEY.001 fails API-key model traffic sent to the ChatGPT base', () => {
    const cfg = { openaiBaseUrl: 'http://127.0.0.1:4010/v1', chatgptBaseUrl: LOCAL, appsEnabled: true };
    const { v } = run(AUTHS.apiKey, 'core.responses', () => [observed({ method: 'POST', url: 'http://127.0.0.1:4010/backend-api/codex/responses', headers: { authorization: 'Bearer sk-test-key-000' } })], cfg);
    expect(v['URL.APIKEY.001']).toBe('fail');
  });

  it('URL.APPS.001 HDR.APPS.001 GATE.APPS.001 pass an authenticated apps call and fail a wrong URL or missing auth', () => {
    const ok = run(AUTHS.chatgpt, 'apps-mcp.tools-list', (e) => [observed({ method: 'POST', url: e.url, headers: chatgptHeaders })]);
    for (const id of ['URL.APPS.001', 'HDR.APPS.001', 'GATE.APPS.001']) expect(ok.v[id], id).toBe('pass');
    expect(run(AUTHS.chatgpt, 'apps-mcp.tools-list', () => [observed({ method: 'POST', url: 'http://127.0.0.1:4010/backend-api/wham/apps', headers: chatgptHeaders })]).v['URL.APPS.001']).toBe('fail');
    expect(run(AUTHS.chatgpt, 'apps-mcp.tools-list', (e) => [observed({ method: 'POST', url: e.url, headers: {} })]).v['HDR.BEARER.001']).toBe('fail');
  });

  it('GATE.APIKEY.001 passes a silent refusal and fails a request made anyway', () => {
    const exp = expectRequest({ auth: AUTHS.apiKey, callsiteId: 'cloud-tasks.list', config: {} });
    expect(checkObserved([], exp, { auth: AUTHS.apiKey })).toMatchObject([{ ruleId: 'GATE.APIKEY.001', verdict: 'pass' }]);
    const bad = checkObserved([observed({ url: 'https://chatgpt.com/backend-api/wham/tasks/list', headers: { authorization: 'Bearer sk-test-key-000' } })], exp, { auth: AUTHS.apiKey });
    expect(bad).toMatchObject([{ ruleId: 'GATE.APIKEY.001', verdict: 'fail' }]);
    expect(bad[0]?.message).not.toContain('sk-test-key-000');
  });

  it('GATE.UPLOAD.001 fails an upload attempted with an API key', () => {
    const exp = expectRequest({ auth: AUTHS.apiKey, callsiteId: 'openai-files.upload', config: {} });
    expect(checkObserved([], exp, { auth: AUTHS.apiKey })[0]?.verdict).toBe('pass');
    expect(checkObserved([observed({ method: 'POST', url: 'https://chatgpt.com/backend-api/files' })], exp, { auth: AUTHS.apiKey })[0]).toMatchObject({ ruleId: 'GATE.UPLOAD.001', verdict: 'fail' });
  });

  it('GATE.APPS.001 fails an apps call with apps disabled', () => {
    const exp = expectRequest({ auth: AUTHS.chatgpt, callsiteId: 'apps-mcp.tools-list', config: { appsEnabled: false } });
    expect(checkObserved([], exp, { auth: AUTHS.chatgpt })[0]?.verdict).toBe('pass');
    expect(checkObserved([observed({ method: 'POST', url: 'https://chatgpt.com/backend-api/ps/mcp' })], exp, { auth: AUTHS.chatgpt })[0]).toMatchObject({ ruleId: 'GATE.APPS.001', verdict: 'fail' });
  });

  it('GATE.PLAN.001 fails a requirements fetch for a non-business plan', () => {
    const exp = expectRequest({ auth: AUTHS.chatgpt, callsiteId: 'cloud-requirements.fetch', config: {} });
    expect(checkObserved([], exp, { auth: AUTHS.chatgpt })[0]?.verdict).toBe('pass');
    expect(checkObserved([observed({ url: 'https://chatgpt.com/backend-api/wham/config/requirements' })], exp, { auth: AUTHS.chatgpt })[0]?.verdict).toBe('fail');
  });

  it('classifies a mismatch by the most specific URL rule', () => {
    const rules = ['URL.BASE.001', 'URL.BASE.002', 'URL.STYLE.001', 'URL.PATH.001', 'URL.NORM.001'];
    const want = 'http://127.0.0.1:4010/backend-api/wham/tasks/list';
    expect(classifyUrlMismatch(want, 'https://chatgpt.com/backend-api/wham/tasks/list', rules, false)).toBe('URL.BASE.002');
    expect(classifyUrlMismatch(want, 'http://127.0.0.1:4010/backend-api/wham/remote/control/server/wham/tasks/list', rules, false)).toBe('URL.NORM.001');
    expect(classifyUrlMismatch(want, want, rules, true)).toBe('URL.PATH.001');
    expect(classifyUrlMismatch(want, 'http://127.0.0.1:4010/other/wham/tasks/list', rules, false)).toBe('URL.BASE.001');
    expect(classifyUrlMismatch('not a url', want, rules, false)).toBe('URL.PATH.001');
  });
});

import { describe, expect, it } from 'vitest';
import { CALLSITES } from '../callsites/catalog.js';
import { AUTH_MODES } from '../auth/codex-auth.js';
import { expectRequest, type Expectation } from './expectations.js';
import { ruleById } from './catalogue.js';
import { AUTHS, agentAuth, agentKeys } from './test-fixtures.js';

const LOCAL = 'http://127.0.0.1:4010/backend-api/';
const keys = agentKeys();
const agent = agentAuth(keys, { accountId: 'acct-a', isFedramp: true });

function send(e: Expectation): Extract<Expectation, { kind: 'send' }> {
  if (e.kind !== 'send') throw new Error(`expected send, got refuse ${e.ruleId}`);
  return e;
}

describe('expectRequest', () => {
  it('HDR.BEARER.001 HDR.ACCOUNT.001 expects Bearer and the account id for chatgpt', () => {
    const e = send(expectRequest({ auth: AUTHS.chatgpt, callsiteId: 'backend-client.rate-limits', config: { chatgptBaseUrl: LOCAL } }));
    expect(e.url).toBe('http://127.0.0.1:4010/backend-api/wham/usage');
    expect(e.headers.exact).toEqual({ authorization: 'Bearer access-token-1', 'chatgpt-account-id': 'acct-1' });
    expect(e.headers.absent).toContain('x-openai-fedramp');
    expect(e.rules).toEqual(expect.arrayContaining(['HDR.BEARER.001', 'HDR.ACCOUNT.001', 'HDR.FEDRAMP.001', 'URL.BASE.002', 'URL.STYLE.001']));
  });

  it('HDR.ACCOUNT.002 expects no account header when the auth has none', () => {
    const e = send(expectRequest({ auth: AUTHS.chatgptNoAccount, callsiteId: 'cloud-tasks.list', config: {} }));
    expect(e.headers.absent).toContain('chatgpt-account-id');
    expect(e.rules).toContain('HDR.ACCOUNT.002');
    expect(e.url).toBe('https://chatgpt.com/backend-api/wham/tasks/list');
  });

  it('HDR.FEDRAMP.001 expects X-OpenAI-Fedramp: true exactly for FedRAMP accounts', () => {
    const e = send(expectRequest({ auth: AUTHS.chatgptFedramp, callsiteId: 'cloud-tasks.list', config: {} }));
    expect(e.headers.exact['x-openai-fedramp']).toBe('true');
  });

  it('URL.STYLE.001 uses /api/codex paths under a non-backend-api base', () => {
    const e = send(expectRequest({ auth: AUTHS.hostTokens, callsiteId: 'cloud-tasks.list', config: { chatgptBaseUrl: 'http://127.0.0.1:4010/api/codex/' } }));
    expect(e.url).toBe('http://127.0.0.1:4010/api/codex/api/codex/tasks/list');
  });

  it('HDR.AGENT.001 HDR.AGENT.002 expects an AgentAssertion pattern and claims-derived headers', () => {
    const e = send(expectRequest({ auth: agent, callsiteId: 'chatgpt.get-task', config: { chatgptBaseUrl: LOCAL } }));
    expect(e.headers.pattern['authorization']?.test('AgentAssertion abc_-1')).toBe(true);
    expect(e.headers.pattern['authorization']?.test('AgentAssertion abc=')).toBe(false);
    expect(e.headers.exact).toEqual({ 'chatgpt-account-id': 'acct-a', 'x-openai-fedramp': 'true' });
    expect(e.rules).toEqual(expect.arrayContaining(['HDR.AGENT.001', 'HDR.AGENT.002', 'GATE.AGENT.001', 'AGENT.ASSERT.003']));
  });

  it('GATE.APIKEY.001 refuses API keys on every codex-backend-only callsite', () => {
    for (const c of CALLSITES.filter((x) => !x.path('wham').startsWith('/codex/'))) {
      const e = expectRequest({ auth: AUTHS.apiKey, callsiteId: c.id, config: { appsEnabled: true } });
      expect(e.kind, c.id).toBe('refuse');
    }
    const e = expectRequest({ auth: AUTHS.apiKey, callsiteId: 'cloud-tasks.list', config: {} });
    expect(e).toMatchObject({ kind: 'refuse', ruleId: 'GATE.APIKEY.001' });
  });

  it('GATE.UPLOAD.001 refuses file upload for API keys under its own rule', () => {
    expect(expectRequest({ auth: AUTHS.apiKey, callsiteId: 'openai-files.upload', config: {} })).toMatchObject({ kind: 'refuse', ruleId: 'GATE.UPLOAD.001' });
    expect(send(expectRequest({ auth: agent, callsiteId: 'openai-files.upload', config: {} })).rules).toContain('GATE.UPLOAD.001');
  });

  it('GATE.APPS.001 gates apps on appsEnabled and uses_codex_backend (agent identity admitted)', () => {
    expect(expectRequest({ auth: AUTHS.chatgpt, callsiteId: 'apps-mcp.tools-list', config: {} })).toMatchObject({ kind: 'refuse', ruleId: 'GATE.APPS.001' });
    expect(expectRequest({ auth: AUTHS.apiKey, callsiteId: 'apps-mcp.tools-list', config: { appsEnabled: true } })).toMatchObject({ kind: 'refuse', ruleId: 'GATE.APPS.001' });
    const e = send(expectRequest({ auth: agent, callsiteId: 'apps-mcp.tools-list', config: { appsEnabled: true, chatgptBaseUrl: LOCAL } }));
    expect(e.url).toBe('http://127.0.0.1:4010/backend-api/ps/mcp');
    expect(e.rules).toEqual(expect.arrayContaining(['GATE.APPS.001', 'URL.APPS.001', 'HDR.APPS.001']));
  });

  it('GATE.PLAN.001 fetches cloud requirements only for business and enterprise', () => {
    expect(expectRequest({ auth: AUTHS.chatgpt, callsiteId: 'cloud-requirements.fetch', config: {} })).toMatchObject({ kind: 'refuse', ruleId: 'GATE.PLAN.001' });
    expect(expectRequest({ auth: AUTHS.chatgptFedramp, callsiteId: 'cloud-requirements.fetch', config: {} }).kind).toBe('send');
  });

  it('URL.APIKEY.001 sends API-key model traffic to the OpenAI base and ChatGPT modes to {base}/codex', () => {
    const k = send(expectRequest({ auth: AUTHS.apiKey, callsiteId: 'core.responses', config: { openaiBaseUrl: 'http://127.0.0.1:4010/v1/' } }));
    expect(k.url).toBe('http://127.0.0.1:4010/v1/responses');
    expect(k.headers.absent).toEqual(expect.arrayContaining(['chatgpt-account-id', 'x-openai-fedramp']));
    expect(k.rules).toEqual(expect.arrayContaining(['URL.APIKEY.001', 'HDR.BEARER.002']));
    const c = send(expectRequest({ auth: AUTHS.chatgpt, callsiteId: 'models.refresh', config: { chatgptBaseUrl: LOCAL } }));
    expect(c.url).toBe('http://127.0.0.1:4010/backend-api/codex/models');
  });

  it('URL.NORM.001 trims trailing slashes of the configured base before appending paths, and keeps the rest as written', () => {
    const trimmed = send(expectRequest({ auth: AUTHS.chatgpt, callsiteId: 'cloud-tasks.list', config: { chatgptBaseUrl: 'http://127.0.0.1:4010/backend-api//' } }));
    expect(trimmed.url).toBe('http://127.0.0.1:4010/backend-api/wham/tasks/list');
    // The backend client does not strip `/codex` (codex-rs/backend-client/src/client.rs); only the
    // agent-identity authapi normalizer does.
    const kept = send(expectRequest({ auth: AUTHS.chatgpt, callsiteId: 'cloud-tasks.list', config: { chatgptBaseUrl: 'http://127.0.0.1:4010/backend-api/codex//' } }));
    expect(kept.url).toBe('http://127.0.0.1:4010/backend-api/codex/wham/tasks/list');
  });

  it('names only catalogued rules, for every mode and callsite', () => {
    const auths = [AUTHS.apiKey, AUTHS.chatgpt, AUTHS.hostTokens, agent];
    expect(auths.map((a) => a.mode).sort()).toEqual([...AUTH_MODES].sort());
    for (const auth of auths) {
      for (const c of CALLSITES) {
        const e = expectRequest({ auth, callsiteId: c.id, config: { appsEnabled: true, chatgptBaseUrl: LOCAL } });
        const ids = e.kind === 'send' ? e.rules : [e.ruleId];
        for (const id of ids) expect(ruleById(id), `${c.id}/${auth.mode}: ${id}`).toBeDefined();
      }
    }
  });

  it('rejects an unknown callsite with a typed error', () => {
    expect(() => expectRequest({ auth: AUTHS.chatgpt, callsiteId: 'nope', config: {} })).toThrow(/callsite/);
  });
});

import { describe, expect, it } from 'vitest';
import { CALLSITE_IDS } from '../callsites/catalog.js';
import type { CodexAuth } from '../auth/codex-auth.js';
import { isInputError } from '../errors.js';
import { CONTRACT_CALLSITES } from './contract/callsites.js';
import { PROFILE_MODES } from './contract/modes.js';
import { ruleById } from './catalogue.js';
import { expectRequest, type Expectation, type ExpectationConfig } from './expectations.js';
import { PROFILE_IDS, type ProfileId } from './profiles.js';
import { AUTHS, agentAuth, agentKeys } from './test-fixtures.js';

const LOCAL = 'http://127.0.0.1:4010/backend-api/';
/** The override pair that lets a 0.171 agent identity work on a loopback base. */
const AGENT_ENV = { CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: 'http://127.0.0.1:4010/api/accounts', CODEX_AGENT_IDENTITY_JWKS_BASE_URL: LOCAL };
const keys = agentKeys();
const agent = agentAuth(keys, { accountId: 'acct-a', isFedramp: true });

function expectFor(profile: ProfileId, auth: CodexAuth, callsiteId: string, config: ExpectationConfig = {}): Expectation {
  return expectRequest({ auth, callsiteId, config, profile });
}

function send(e: Expectation): Extract<Expectation, { kind: 'send' }> {
  if (e.kind !== 'send') throw new Error(`expected send, got refuse ${e.ruleId}`);
  return e;
}

describe('expectRequest: header sets', () => {
  for (const profile of PROFILE_IDS) {
    it(`HDR.BEARER.001 HDR.ACCOUNT.001 expects Bearer and the account id for chatgpt (${profile})`, () => {
      const e = send(expectFor(profile, AUTHS.chatgpt, 'backend-client.rate-limits', { chatgptBaseUrl: LOCAL }));
      expect(e.url).toBe('http://127.0.0.1:4010/backend-api/wham/usage');
      expect(e.headers.exact).toEqual({ authorization: 'Bearer access-token-1', 'chatgpt-account-id': 'acct-1' });
      expect(e.headers.absent).toContain('x-openai-fedramp');
      expect(e.rules).toEqual(expect.arrayContaining(['HDR.BEARER.001', 'HDR.ACCOUNT.001', 'HDR.FEDRAMP.001', 'URL.BASE.003', 'URL.STYLE.001']));
      expect(e.rules).toContain(profile === 'pr18811' ? 'URL.NORM.001' : 'URL.NORM.002');
      expect(e.rules).not.toContain(profile === 'pr18811' ? 'URL.NORM.002' : 'URL.NORM.001');
    });
  }

  it('HDR.ACCOUNT.002 expects no account header when the auth has none', () => {
    for (const profile of PROFILE_IDS) {
      const e = send(expectFor(profile, AUTHS.chatgptNoAccount, 'cloud-tasks.list'));
      expect(e.headers.absent).toContain('chatgpt-account-id');
      expect(e.rules).toContain('HDR.ACCOUNT.002');
      expect(e.url).toBe('https://chatgpt.com/backend-api/wham/tasks/list');
      // The production base is not "another base": URL.BASE.003 does not apply.
      expect(e.rules).not.toContain('URL.BASE.003');
    }
  });

  it('HDR.FEDRAMP.001 expects X-OpenAI-Fedramp: true exactly for FedRAMP accounts', () => {
    for (const profile of PROFILE_IDS) {
      expect(send(expectFor(profile, AUTHS.chatgptFedramp, 'cloud-tasks.list')).headers.exact['x-openai-fedramp']).toBe('true');
      expect(send(expectFor(profile, AUTHS.chatgpt, 'cloud-tasks.list')).headers.absent).toContain('x-openai-fedramp');
    }
  });

  it('HDR.AUTH.001 names every other credential header as absent for the bearer modes', () => {
    const e = send(expectFor('codex-0.171', AUTHS.hostTokens, 'cloud-tasks.list'));
    expect(e.headers.absent).toEqual(expect.arrayContaining(['x-api-key', 'api-key', 'openai-api-key', 'proxy-authorization']));
    expect(e.rules).toContain('HDR.AUTH.001');
  });

  for (const profile of PROFILE_IDS) {
    it(`HDR.AGENT.001 HDR.AGENT.002 expects an AgentAssertion pattern and identity-derived headers (${profile})`, () => {
      const e = send(expectFor(profile, agent, 'chatgpt.get-task', { chatgptBaseUrl: LOCAL, env: AGENT_ENV }));
      expect(e.headers.pattern['authorization']?.test('AgentAssertion abc_-1')).toBe(true);
      expect(e.headers.pattern['authorization']?.test('AgentAssertion abc=')).toBe(false);
      expect(e.headers.pattern['authorization']?.test('Bearer abc')).toBe(false);
      expect(e.headers.exact).toEqual({ 'chatgpt-account-id': 'acct-a', 'x-openai-fedramp': 'true' });
      expect(e.rules).toEqual(expect.arrayContaining(['HDR.AGENT.001', 'HDR.AGENT.002', 'GATE.AGENT.001', 'AGENT.ASSERT.003']));
    });
  }

  it('HDR.PAT.001 codex-0.171 expects Bearer <PAT> with the whoami account and FedRAMP flag', () => {
    const e = send(expectFor('codex-0.171', AUTHS.pat, 'cloud-tasks.list', { chatgptBaseUrl: LOCAL }));
    expect(e.headers.exact).toEqual({ authorization: 'Bearer at-pat-token-1', 'chatgpt-account-id': 'acct-p', 'x-openai-fedramp': 'true' });
    expect(e.rules).toEqual(expect.arrayContaining(['HDR.PAT.001', 'HDR.AUTH.001', 'GATE.BACKEND.001']));
    expect(e.rules).not.toContain('HDR.BEARER.001');
  });

  it('HDR.HEADERS.001 codex-0.171 expects the caller\'s map verbatim and no credential of Codex\'s own', () => {
    const e = send(expectFor('codex-0.171', AUTHS.headers, 'cloud-tasks.list', { chatgptBaseUrl: LOCAL }));
    expect(e.headers.exact).toEqual({ authorization: 'Bearer caller-token-1', 'chatgpt-account-id': 'acct-x', 'x-caller': 'kept' });
    expect(e.headers.absent).not.toContain('authorization');
    expect(e.rules).toEqual(expect.arrayContaining(['HDR.HEADERS.001', 'GATE.BACKEND.001']));
    // A map without an authorization header: Codex adds none (no Bearer, no account, no FedRAMP).
    const bare = send(expectFor('codex-0.171', AUTHS.headersNoAuth, 'cloud-tasks.list', { chatgptBaseUrl: LOCAL }));
    expect(bare.headers.exact).toEqual({ 'x-gateway-token': 'gw-1' });
    expect(bare.headers.absent).toEqual(expect.arrayContaining(['authorization', 'chatgpt-account-id', 'x-openai-fedramp']));
  });
});

describe('expectRequest: gates', () => {
  it('GATE.APIKEY.001 refuses API keys on every codex-backend-only callsite, under both profiles', () => {
    const backendOnly = CONTRACT_CALLSITES.filter((c) => c.kind !== 'model');
    expect(backendOnly.length).toBe(7);
    for (const profile of PROFILE_IDS) {
      for (const c of backendOnly) expect(expectFor(profile, AUTHS.apiKey, c.id, { appsEnabled: true }).kind, `${profile} ${c.id}`).toBe('refuse');
      expect(expectFor(profile, AUTHS.apiKey, 'cloud-tasks.list')).toMatchObject({ kind: 'refuse', ruleId: 'GATE.APIKEY.001' });
    }
  });

  it('GATE.UPLOAD.001 refuses file upload for API keys under its own rule', () => {
    for (const profile of PROFILE_IDS) {
      expect(expectFor(profile, AUTHS.apiKey, 'openai-files.upload')).toMatchObject({ kind: 'refuse', ruleId: 'GATE.UPLOAD.001' });
      expect(send(expectFor(profile, agent, 'openai-files.upload')).rules).toContain('GATE.UPLOAD.001');
    }
  });

  for (const profile of PROFILE_IDS) {
    it(`GATE.APPS.001 gates apps on appsEnabled and uses_codex_backend, agent identity admitted (${profile})`, () => {
      expect(expectFor(profile, AUTHS.chatgpt, 'apps-mcp.tools-list')).toMatchObject({ kind: 'refuse', ruleId: 'GATE.APPS.001' });
      expect(expectFor(profile, AUTHS.apiKey, 'apps-mcp.tools-list', { appsEnabled: true })).toMatchObject({ kind: 'refuse', ruleId: 'GATE.APPS.001' });
      const e = send(expectFor(profile, agent, 'apps-mcp.tools-list', { appsEnabled: true, chatgptBaseUrl: LOCAL, env: AGENT_ENV }));
      expect(e.rules).toEqual(expect.arrayContaining(['GATE.APPS.001', 'URL.APPS.001']));
    });
  }

  it('GATE.PLAN.001 fetches cloud requirements only for business-like and enterprise plans of the profile', () => {
    const ent26: CodexAuth = { ...AUTHS.hostTokens, planType: 'ent26' };
    const automation: CodexAuth = { ...AUTHS.hostTokens, planType: 'enterprise_cbp_automation' };
    for (const profile of PROFILE_IDS) {
      expect(expectFor(profile, AUTHS.chatgpt, 'cloud-requirements.fetch')).toMatchObject({ kind: 'refuse', ruleId: 'GATE.PLAN.001' });
      expect(expectFor(profile, AUTHS.hostTokens, 'cloud-requirements.fetch')).toMatchObject({ kind: 'refuse', ruleId: 'GATE.PLAN.001' }); // team
      expect(send(expectFor(profile, AUTHS.chatgptFedramp, 'cloud-requirements.fetch')).rules).toContain('GATE.PLAN.001'); // enterprise
      expect(expectFor(profile, { ...AUTHS.hostTokens, planType: 'business' }, 'cloud-requirements.fetch').kind).toBe('send');
    }
    // 0.171.0 adds ent26 and enterprise_cbp_automation to the business-like plans.
    expect(expectFor('pr18811', ent26, 'cloud-requirements.fetch')).toMatchObject({ kind: 'refuse', ruleId: 'GATE.PLAN.001' });
    expect(expectFor('pr18811', automation, 'cloud-requirements.fetch')).toMatchObject({ kind: 'refuse', ruleId: 'GATE.PLAN.001' });
    expect(expectFor('codex-0.171', ent26, 'cloud-requirements.fetch').kind).toBe('send');
    expect(expectFor('codex-0.171', automation, 'cloud-requirements.fetch').kind).toBe('send');
  });

  it('GATE.BACKEND.001 codex-0.171 admits personalAccessToken and headers auth on every codex-backend callsite', () => {
    for (const auth of [AUTHS.pat, AUTHS.headers]) {
      for (const c of CONTRACT_CALLSITES.filter((x) => x.kind === 'backend' || x.kind === 'upload')) {
        const e = send(expectFor('codex-0.171', auth, c.id, { appsEnabled: true }));
        expect(e.rules, `${auth.mode} ${c.id}`).toContain('GATE.BACKEND.001');
      }
      expect(send(expectFor('codex-0.171', auth, 'apps-mcp.tools-list', { appsEnabled: true })).rules).toContain('GATE.APPS.001');
    }
    // Model traffic is no codex-backend callsite gate.
    expect(send(expectFor('codex-0.171', AUTHS.pat, 'core.responses')).rules).not.toContain('GATE.BACKEND.001');
  });

  it('GATE.BEDROCK.001 codex-0.171 refuses Bedrock auth on every callsite, model traffic included', () => {
    for (const c of CONTRACT_CALLSITES) {
      expect(expectFor('codex-0.171', AUTHS.bedrock, c.id, { appsEnabled: true }), c.id).toMatchObject({ kind: 'refuse', ruleId: 'GATE.BEDROCK.001' });
    }
  });

  it('modes a profile does not know are a typed BAD_SCENARIO error, never an expectation', () => {
    for (const auth of [AUTHS.pat, AUTHS.headers, AUTHS.bedrock]) {
      expect(PROFILE_MODES.pr18811).not.toContain(auth.mode);
      try {
        expectFor('pr18811', auth, 'cloud-tasks.list');
        expect.unreachable();
      } catch (e) {
        expect(isInputError(e) && e.code).toBe('BAD_SCENARIO');
      }
    }
  });
});

describe('expectRequest: URLs', () => {
  it('URL.STYLE.001 uses /api/codex paths under a non-backend-api base', () => {
    for (const profile of PROFILE_IDS) {
      expect(send(expectFor(profile, AUTHS.hostTokens, 'cloud-tasks.list', { chatgptBaseUrl: 'http://127.0.0.1:4010/api/codex/' })).url).toBe('http://127.0.0.1:4010/api/codex/api/codex/tasks/list');
    }
  });

  it('URL.NORM.001 pr18811 trims trailing slashes of the configured base before appending paths, and keeps the rest as written', () => {
    const trimmed = send(expectFor('pr18811', AUTHS.chatgpt, 'cloud-tasks.list', { chatgptBaseUrl: 'http://127.0.0.1:4010/backend-api//' }));
    expect(trimmed.url).toBe('http://127.0.0.1:4010/backend-api/wham/tasks/list');
    expect(trimmed.rules).toContain('URL.NORM.001');
    // The backend client does not strip `/codex` (codex-rs/backend-client/src/client.rs).
    expect(send(expectFor('pr18811', AUTHS.chatgpt, 'cloud-tasks.list', { chatgptBaseUrl: 'http://127.0.0.1:4010/backend-api/codex//' })).url).toBe('http://127.0.0.1:4010/backend-api/codex/wham/tasks/list');
  });

  it('URL.NORM.002 codex-0.171 trims trailing slashes and gives a bare chatgpt.com or chat.openai.com /backend-api', () => {
    const trimmed = send(expectFor('codex-0.171', AUTHS.chatgpt, 'cloud-tasks.list', { chatgptBaseUrl: 'http://127.0.0.1:4010/backend-api//' }));
    expect(trimmed.url).toBe('http://127.0.0.1:4010/backend-api/wham/tasks/list');
    expect(trimmed.rules).toContain('URL.NORM.002');
    expect(send(expectFor('codex-0.171', AUTHS.chatgpt, 'cloud-tasks.list', { chatgptBaseUrl: 'https://chat.openai.com' })).url).toBe('https://chat.openai.com/backend-api/wham/tasks/list');
    expect(send(expectFor('codex-0.171', AUTHS.chatgpt, 'cloud-tasks.list', { chatgptBaseUrl: 'https://chatgpt.com/' })).url).toBe('https://chatgpt.com/backend-api/wham/tasks/list');
  });

  it('URL.MODEL.001 sends model traffic to openai_base_url, else the constant ChatGPT codex base, never to chatgpt_base_url', () => {
    for (const profile of PROFILE_IDS) {
      for (const auth of [AUTHS.chatgpt, AUTHS.hostTokens, agent]) {
        const config = { chatgptBaseUrl: LOCAL, env: AGENT_ENV };
        const responses = send(expectFor(profile, auth, 'core.responses', config));
        expect(responses.url, `${profile} ${auth.mode}`).toBe('https://chatgpt.com/backend-api/codex/responses');
        expect(responses.rules).toEqual(expect.arrayContaining(['URL.MODEL.001', 'URL.BASE.003']));
        expect(send(expectFor(profile, auth, 'models.refresh', config)).url).toBe('https://chatgpt.com/backend-api/codex/models');
        const configured = send(expectFor(profile, auth, 'core.responses', { ...config, openaiBaseUrl: 'http://127.0.0.1:4010/v1/' }));
        expect(configured.url).toBe('http://127.0.0.1:4010/v1/responses');
      }
      expect(send(expectFor(profile, AUTHS.apiKey, 'core.responses', { chatgptBaseUrl: LOCAL })).url).toBe('https://api.openai.com/v1/responses');
    }
    expect(send(expectFor('codex-0.171', AUTHS.pat, 'core.responses', { chatgptBaseUrl: LOCAL })).url).toBe('https://chatgpt.com/backend-api/codex/responses');
  });

  it('URL.APIKEY.001 pr18811 sends API-key model traffic to the OpenAI base; the catalogue is not refreshed with a key', () => {
    const k = send(expectFor('pr18811', AUTHS.apiKey, 'core.responses', { openaiBaseUrl: 'http://127.0.0.1:4010/v1/' }));
    expect(k.url).toBe('http://127.0.0.1:4010/v1/responses');
    expect(k.headers.absent).toEqual(expect.arrayContaining(['chatgpt-account-id', 'x-openai-fedramp']));
    expect(k.rules).toEqual(expect.arrayContaining(['URL.APIKEY.001', 'HDR.BEARER.002']));
    expect(k.rules).not.toContain('URL.APIKEY.002');
    expect(k.rules).not.toContain('GATE.APIKEY.003');
    // No API-key model discovery at PR #18811: listing models at the OpenAI base is allowed, not required.
    const models = send(expectFor('pr18811', AUTHS.apiKey, 'models.refresh'));
    expect(models).toMatchObject({ url: 'https://api.openai.com/v1/models', optional: true });
    expect(models.alternatives).toBeUndefined();
  });

  it('URL.APIKEY.002 GATE.APIKEY.003 codex-0.171 lets API-key model discovery ask the constant ChatGPT codex base, only without openai_base_url', () => {
    const discovery = send(expectFor('codex-0.171', AUTHS.apiKey, 'models.refresh'));
    expect(discovery.url).toBe('https://chatgpt.com/backend-api/codex/models');
    expect(discovery.alternatives).toEqual(['https://api.openai.com/v1/models']);
    expect(discovery.optional).toBe(true);
    expect(discovery.headers.exact).toEqual({ authorization: 'Bearer sk-test-key-000' });
    expect(discovery.rules).toEqual(expect.arrayContaining(['URL.APIKEY.002', 'GATE.APIKEY.003', 'HDR.BEARER.002']));
    expect(discovery.rules).not.toContain('URL.APIKEY.001');
    const configured = send(expectFor('codex-0.171', AUTHS.apiKey, 'models.refresh', { openaiBaseUrl: 'http://127.0.0.1:4010/v1' }));
    expect(configured).toMatchObject({ url: 'http://127.0.0.1:4010/v1/models', optional: true });
    expect(configured.alternatives).toBeUndefined();
    expect(send(expectFor('codex-0.171', AUTHS.apiKey, 'core.responses')).url).toBe('https://api.openai.com/v1/responses');
  });

  it('URL.APPS.001 derives /wham/apps at pr18811 and /ps/mcp at codex-0.171 from the configured base', () => {
    const apps = (profile: ProfileId, chatgptBaseUrl: string) => send(expectFor(profile, AUTHS.chatgpt, 'apps-mcp.tools-list', { appsEnabled: true, chatgptBaseUrl })).url;
    expect(apps('pr18811', LOCAL)).toBe('http://127.0.0.1:4010/backend-api/wham/apps');
    expect(apps('pr18811', 'http://127.0.0.1:4010/api/codex/')).toBe('http://127.0.0.1:4010/api/codex/apps');
    expect(apps('pr18811', 'http://127.0.0.1:4010')).toBe('http://127.0.0.1:4010/api/codex/apps');
    expect(apps('pr18811', 'https://chatgpt.com')).toBe('https://chatgpt.com/backend-api/wham/apps');
    expect(apps('codex-0.171', LOCAL)).toBe('http://127.0.0.1:4010/backend-api/ps/mcp');
    expect(apps('codex-0.171', 'http://127.0.0.1:4010/api/codex/')).toBe('http://127.0.0.1:4010/api/codex/ps/mcp');
    expect(apps('codex-0.171', 'http://127.0.0.1:4010')).toBe('http://127.0.0.1:4010/api/codex/ps/mcp');
    expect(apps('codex-0.171', 'https://chatgpt.com')).toBe('https://chatgpt.com/backend-api/ps/mcp');
  });

  it('HDR.APPS.001 pr18811 has no origin gate: Codex Apps on any origin carries the codex-backend headers', () => {
    const e = send(expectFor('pr18811', AUTHS.chatgpt, 'apps-mcp.tools-list', { appsEnabled: true, chatgptBaseUrl: LOCAL }));
    expect(e.headers.exact).toEqual({ authorization: 'Bearer access-token-1', 'chatgpt-account-id': 'acct-1' });
    expect(e.rules).toContain('HDR.APPS.001');
    expect(e.rules).not.toContain('HDR.APPS.002');
    expect(e.rules).not.toContain('HDR.APPS.003');
  });

  it('HDR.APPS.002 codex-0.171 expects the codex-backend headers on a trusted origin (chatgpt.com, or the configured https staging origin)', () => {
    for (const chatgptBaseUrl of [undefined, 'https://chatgpt.com/backend-api/', 'https://chatgpt-staging.com/backend-api/', 'https://ab.chatgpt-staging.com/backend-api']) {
      const e = send(expectFor('codex-0.171', AUTHS.chatgpt, 'apps-mcp.tools-list', { appsEnabled: true, ...(chatgptBaseUrl !== undefined ? { chatgptBaseUrl } : {}) }));
      expect(e.headers.exact, String(chatgptBaseUrl)).toEqual({ authorization: 'Bearer access-token-1', 'chatgpt-account-id': 'acct-1' });
      expect(e.rules).toContain('HDR.APPS.002');
      expect(e.rules).not.toContain('HDR.APPS.001');
    }
  });

  it('HDR.APPS.003 codex-0.171 expects no ChatGPT credentials to Codex Apps on an untrusted origin', () => {
    for (const chatgptBaseUrl of [LOCAL, 'http://chatgpt-staging.com/backend-api/', 'https://chatgpt.com.evil.example/backend-api/']) {
      const e = send(expectFor('codex-0.171', AUTHS.chatgptFedramp, 'apps-mcp.tools-list', { appsEnabled: true, chatgptBaseUrl }));
      expect(e.headers.exact, chatgptBaseUrl).toEqual({});
      expect(e.headers.absent).toEqual(expect.arrayContaining(['authorization', 'chatgpt-account-id', 'x-openai-fedramp']));
      expect(e.rules).toContain('HDR.APPS.003');
      expect(e.rules).not.toContain('HDR.APPS.002');
    }
  });

  it('URL.AGENT.004 codex-0.171 refuses agent identity with a base outside production and staging unless the source\'s override pair is set', () => {
    expect(expectFor('codex-0.171', agent, 'cloud-tasks.list', { chatgptBaseUrl: LOCAL })).toMatchObject({ kind: 'refuse', ruleId: 'URL.AGENT.004' });
    // Only the authapi override: still refused (the JWKS base must equal the configured base).
    expect(expectFor('codex-0.171', agent, 'cloud-tasks.list', { chatgptBaseUrl: LOCAL, env: { CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: AGENT_ENV.CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL } })).toMatchObject({ kind: 'refuse', ruleId: 'URL.AGENT.004' });
    expect(expectFor('codex-0.171', agent, 'cloud-tasks.list', { chatgptBaseUrl: LOCAL, env: AGENT_ENV }).kind).toBe('send');
    expect(expectFor('codex-0.171', agent, 'cloud-tasks.list', { chatgptBaseUrl: 'https://chatgpt-staging.com/backend-api' }).kind).toBe('send');
    // PR #18811 registers at the configured base itself: no such refusal.
    expect(expectFor('pr18811', agent, 'cloud-tasks.list', { chatgptBaseUrl: LOCAL }).kind).toBe('send');
  });
});

describe('expectRequest: rule membership', () => {
  it('names only rules of the judged profile, for every mode and callsite of that profile', () => {
    const all: CodexAuth[] = [AUTHS.apiKey, AUTHS.chatgpt, AUTHS.hostTokens, agent, AUTHS.pat, AUTHS.headers, AUTHS.bedrock];
    for (const profile of PROFILE_IDS) {
      const auths = all.filter((a) => PROFILE_MODES[profile].includes(a.mode));
      expect(auths.map((a) => a.mode).sort()).toEqual([...PROFILE_MODES[profile]].sort());
      for (const auth of auths) {
        for (const c of CONTRACT_CALLSITES) {
          for (const config of [{ appsEnabled: true, chatgptBaseUrl: LOCAL }, { appsEnabled: true }, { appsEnabled: true, chatgptBaseUrl: LOCAL, env: AGENT_ENV, openaiBaseUrl: 'http://127.0.0.1:4010/v1' }]) {
            const e = expectFor(profile, auth, c.id, config);
            const ids = e.kind === 'send' ? e.rules : [e.ruleId];
            expect(ids.length).toBeGreaterThan(0);
            for (const id of ids) {
              const rule = ruleById(id);
              expect(rule, `${profile} ${c.id}/${auth.mode}: ${id}`).toBeDefined();
              expect(rule?.withdrawn, `${id} is withdrawn`).toBeUndefined();
              expect(rule?.profiles, `${profile} ${c.id}/${auth.mode}: ${id}`).toContain(profile);
            }
          }
        }
      }
    }
  });

  it('the oracle\'s callsite table covers the reference\'s callsites, and no more', () => {
    expect(CONTRACT_CALLSITES.map((c) => c.id).sort()).toEqual([...CALLSITE_IDS].sort());
  });

  it('rejects an unknown callsite with a typed error', () => {
    expect(() => expectFor('codex-0.171', AUTHS.chatgpt, 'nope')).toThrow(/callsite/);
  });
});

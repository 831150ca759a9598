import { describe, expect, it } from 'vitest';
import { chatgptBaseUrlFor } from '../../../scenarios/arbitraries/base-url.js';
import { PROFILE_MODES } from '../../rules/contract/modes.js';
import { contractAuthapiBase, contractBackendUrl, type UrlConfig } from '../../rules/contract/urls.js';
import { requestCaseConfig } from './requests-suite.js';
import { urlExamples } from './url-examples.js';

const urls = { root: 'http://127.0.0.1:48123', chatgptBackendApi: 'http://127.0.0.1:48123/backend-api/', chatgptCodexApi: 'http://127.0.0.1:48123/api/codex', openai: 'http://127.0.0.1:48123/v1' };
const inProcess = { productionHosts: true, anyHost: true, stagingHosts: true };

describe('hand-picked base-URL examples (issue 20 item 2)', () => {
  it('URL.AGENT.003 agent identity on a bare https://chatgpt.com base with one override and not the other, and each staging spelling, under both profiles', () => {
    for (const profile of ['pr18811', 'codex-0.171'] as const) {
      const agent = urlExamples(profile, inProcess, PROFILE_MODES[profile]).filter((c) => c.auth.mode === 'agentIdentity');
      for (const overrides of ['none', 'authapiOnly', 'jwksOnly'] as const) {
        expect(agent.some((c) => c.base.host === 'production' && c.base.spelling === '' && c.agentOverrides === overrides), `${profile} ${overrides}`).toBe(true);
      }
      expect(agent.filter((c) => c.base.host === 'staging').map((c) => c.base.spelling)).toEqual(['', 'backend-api/', 'backend-api/codex']);
    }
  });

  it('URL.AGENT.004 the examples reach every answer of the 0.171.0 environment map: production, staging, an override, and the refusal', () => {
    const answers = new Set(
      urlExamples('codex-0.171', inProcess, PROFILE_MODES['codex-0.171'])
        .filter((c) => c.auth.mode === 'agentIdentity')
        .map((c) => {
          const { config } = requestCaseConfig(urls, c, true);
          const a = contractAuthapiBase('codex-0.171', config as UrlConfig);
          return a.kind === 'url' ? a.base : a.kind;
        }),
    );
    expect([...answers].sort()).toEqual(['http://127.0.0.1:48123/api/accounts', 'https://auth.api.openai.org/api/accounts', 'https://auth.openai.com/api/accounts', 'refused']);
  });

  it('URL.STYLE.001 backend examples reach both path styles and the /backend-api appended to a bare or /api/codex chatgpt.com base', () => {
    const targets = urlExamples('codex-0.171', inProcess, PROFILE_MODES['codex-0.171'])
      .filter((c) => c.callsiteId === 'cloud-tasks.list' && c.auth.mode === 'chatgpt')
      .map((c) => contractBackendUrl({ wham: '/wham/tasks/list', codexApi: '/api/codex/tasks/list' }, { chatgptBaseUrl: chatgptBaseUrlFor(urls, c.base) }));
    expect(targets).toEqual([
      'https://chatgpt.com/backend-api/wham/tasks/list',
      'https://chatgpt.com/api/codex/backend-api/wham/tasks/list',
      'https://codex-gateway.example.test/api/codex/tasks/list',
      'https://chatgpt-staging.com/backend-api/wham/tasks/list',
    ]);
  });

  it('the pair spelled otherwise pads the authapi override and changes only the trailing slash of the JWKS base', () => {
    const spelled = urlExamples('codex-0.171', inProcess, PROFILE_MODES['codex-0.171']).filter((c) => c.agentOverrides === 'pairSpelled');
    expect(spelled.map((c) => requestCaseConfig(urls, c, true).env)).toEqual([
      expect.objectContaining({ CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: ' http://127.0.0.1:48123/api/accounts/ ', CODEX_AGENT_IDENTITY_JWKS_BASE_URL: 'http://127.0.0.1:48123/backend-api' }),
      expect.objectContaining({ CODEX_AGENT_IDENTITY_JWKS_BASE_URL: 'http://127.0.0.1:48123/backend-api/' }),
    ]);
  });

  it('keeps only the hosts the mock answers: the mock origin on a plain port, production and staging in the namespace, everything in process', () => {
    const modes = PROFILE_MODES['codex-0.171'];
    const all = urlExamples('codex-0.171', inProcess, modes);
    expect(new Set(all.map((c) => c.base.host))).toEqual(new Set(['mock', 'production', 'staging', 'custom', 'localhost', 'ipv6']));
    expect(urlExamples('codex-0.171', { productionHosts: false }, modes).every((c) => c.base.host === 'mock')).toBe(true);
    const ns = urlExamples('codex-0.171', { productionHosts: true, stagingHosts: true }, modes);
    expect(new Set(ns.map((c) => c.base.host))).toEqual(new Set(['mock', 'production', 'staging']));
    expect(urlExamples('pr18811', inProcess, PROFILE_MODES.pr18811).some((c) => c.auth.mode === 'personalAccessToken')).toBe(false);
  });
});

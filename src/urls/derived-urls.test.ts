import { describe, expect, it } from 'vitest';
import {
  PRODUCTION_AUTHAPI_BASE_URL,
  STAGING_AUTHAPI_BASE_URL,
  agentIdentityAuthapiBaseUrl,
  agentJwksUrl,
  agentTaskRegistrationUrl,
  appsMcpUrl,
  backendUrl,
  isTrustedAppsOrigin,
  modelsUrl,
  responsesUrl,
  tokenRefreshUrl,
} from './derived-urls.js';

describe('agentIdentityAuthapiBaseUrl', () => {
  describe('chatgptBase (PR #18811: tasks register at the normalized ChatGPT base itself)', () => {
    it('an unset base means https://chatgpt.com/backend-api; the env override is not read', () => {
      expect(agentIdentityAuthapiBaseUrl(undefined, {}, 'chatgptBase')).toBe('https://chatgpt.com/backend-api');
      expect(agentIdentityAuthapiBaseUrl(undefined, { CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: 'http://a/x' }, 'chatgptBase')).toBe('https://chatgpt.com/backend-api');
    });
    it('a configured base is normalized (trailing slash, /codex and the remote-control suffix stripped)', () => {
      expect(agentIdentityAuthapiBaseUrl('http://127.0.0.1:5000/backend-api/', {}, 'chatgptBase')).toBe('http://127.0.0.1:5000/backend-api');
      expect(agentIdentityAuthapiBaseUrl('http://127.0.0.1:5000/backend-api/codex', {}, 'chatgptBase')).toBe('http://127.0.0.1:5000/backend-api');
      expect(agentIdentityAuthapiBaseUrl('https://chatgpt-staging.com/backend-api/', {}, 'chatgptBase')).toBe('https://chatgpt-staging.com/backend-api');
      expect(agentIdentityAuthapiBaseUrl('https://chatgpt.com', {}, 'chatgptBase')).toBe('https://chatgpt.com/backend-api');
    });
  });

  describe('chatgptEnvironment (0.142.0 on: only production and staging)', () => {
    it('production bases map to https://auth.openai.com/api/accounts, staging to https://auth.api.openai.org/api/accounts', () => {
      for (const base of [undefined, 'https://chatgpt.com/backend-api/', 'https://chatgpt.com', 'https://chat.openai.com/backend-api/codex']) {
        expect(agentIdentityAuthapiBaseUrl(base, {}, 'chatgptEnvironment'), String(base)).toBe(PRODUCTION_AUTHAPI_BASE_URL);
      }
      expect(PRODUCTION_AUTHAPI_BASE_URL).toBe('https://auth.openai.com/api/accounts');
      expect(agentIdentityAuthapiBaseUrl('https://chatgpt-staging.com/backend-api', {}, 'chatgptEnvironment')).toBe(STAGING_AUTHAPI_BASE_URL);
      expect(STAGING_AUTHAPI_BASE_URL).toBe('https://auth.api.openai.org/api/accounts');
    });
    it('the env override wins for a known environment, trimmed; a blank one is ignored', () => {
      expect(agentIdentityAuthapiBaseUrl(undefined, { CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: ' http://a/x/ ' }, 'chatgptEnvironment')).toBe('http://a/x');
      expect(agentIdentityAuthapiBaseUrl(undefined, { CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: '  /' }, 'chatgptEnvironment')).toBe(PRODUCTION_AUTHAPI_BASE_URL);
    });
    it('any other base is a typed BAD_CONFIG, unless the override is set and the JWKS base equals the configured base', () => {
      for (const base of ['http://127.0.0.1:5000/backend-api/', 'https://example.test/backend-api', 'https://x.openai-staging.com', 'http://chatgpt.com/backend-api']) {
        expect(() => agentIdentityAuthapiBaseUrl(base, {}, 'chatgptEnvironment'), base).toThrow(/only supports production and staging/);
      }
      expect(() => agentIdentityAuthapiBaseUrl('http://127.0.0.1:5000/backend-api/', { CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: 'http://127.0.0.1:5000/api/accounts' }, 'chatgptEnvironment')).toThrow(/only supports production and staging/);
      const env = { CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: 'http://127.0.0.1:5000/api/accounts/', CODEX_AGENT_IDENTITY_JWKS_BASE_URL: 'http://127.0.0.1:5000/backend-api' };
      expect(agentIdentityAuthapiBaseUrl('http://127.0.0.1:5000/backend-api/', env, 'chatgptEnvironment')).toBe('http://127.0.0.1:5000/api/accounts');
    });
  });

  it('no profile registers at the gateway host of the reviewed head of PR #19635 (no release shipped it)', () => {
    const gateway = 'https://authapi-login-provider.gateway.unified-7.internal.api.openai.org/api/accounts';
    expect(agentIdentityAuthapiBaseUrl(undefined, {}, 'chatgptEnvironment')).not.toBe(gateway);
    expect(agentIdentityAuthapiBaseUrl(undefined, {}, 'chatgptBase')).not.toBe(gateway);
  });

  it('builds the task registration URL under the authapi base', () => {
    expect(agentTaskRegistrationUrl('http://127.0.0.1:1/backend-api/', 'rt_1')).toBe('http://127.0.0.1:1/backend-api/v1/agent/rt_1/task/register');
  });
});

describe('agentJwksUrl (0.171.0)', () => {
  it.each([
    ['https://chatgpt.com/backend-api/', 'https://chatgpt.com/backend-api/wham/agent-identities/jwks'],
    ['http://localhost:1/api/codex/', 'http://localhost:1/api/codex/agent-identities/jwks'],
    ['http://localhost:1', 'http://localhost:1/agent-identities/jwks'],
  ])('%s -> %s', (base, url) => expect(agentJwksUrl(base)).toBe(url));
  it('CODEX_AGENT_IDENTITY_JWKS_BASE_URL, trimmed, replaces the base; a blank one is ignored', () => {
    expect(agentJwksUrl('https://chatgpt.com/backend-api/', { CODEX_AGENT_IDENTITY_JWKS_BASE_URL: ' http://127.0.0.1:9/backend-api/ ' })).toBe('http://127.0.0.1:9/backend-api/wham/agent-identities/jwks');
    expect(agentJwksUrl('https://chatgpt.com/backend-api/', { CODEX_AGENT_IDENTITY_JWKS_BASE_URL: '  ' })).toBe('https://chatgpt.com/backend-api/wham/agent-identities/jwks');
  });
});

describe('isTrustedAppsOrigin (PR #29924, #36983)', () => {
  it('trusts https://chatgpt.com, and a configured https chatgpt-staging.com origin equal to the MCP URL\'s', () => {
    expect(isTrustedAppsOrigin('https://chatgpt.com/backend-api/ps/mcp', 'http://127.0.0.1:1/backend-api/')).toBe(true);
    expect(isTrustedAppsOrigin('https://chatgpt-staging.com/backend-api/ps/mcp', 'https://chatgpt-staging.com/backend-api/')).toBe(true);
    expect(isTrustedAppsOrigin('https://a.chatgpt-staging.com/backend-api/ps/mcp', 'https://a.chatgpt-staging.com/backend-api/')).toBe(true);
  });
  it('trusts nothing else: loopback, http, another staging origin, look-alike hosts, garbage', () => {
    expect(isTrustedAppsOrigin('http://127.0.0.1:1/backend-api/ps/mcp', 'http://127.0.0.1:1/backend-api/')).toBe(false);
    expect(isTrustedAppsOrigin('http://chatgpt.com/backend-api/ps/mcp', 'http://chatgpt.com/backend-api/')).toBe(false);
    expect(isTrustedAppsOrigin('https://chatgpt.com:8443/backend-api/ps/mcp', 'https://chatgpt.com/backend-api/')).toBe(false);
    expect(isTrustedAppsOrigin('http://chatgpt-staging.com/backend-api/ps/mcp', 'http://chatgpt-staging.com/backend-api/')).toBe(false);
    expect(isTrustedAppsOrigin('https://chatgpt-staging.com/backend-api/ps/mcp', 'https://chatgpt.com/backend-api/')).toBe(false);
    expect(isTrustedAppsOrigin('https://b.chatgpt-staging.com/ps/mcp', 'https://a.chatgpt-staging.com/')).toBe(false);
    expect(isTrustedAppsOrigin('https://chatgpt.com.evil.example/ps/mcp', 'https://chatgpt.com.evil.example/')).toBe(false);
    expect(isTrustedAppsOrigin('https://evilchatgpt-staging.com/ps/mcp', 'https://evilchatgpt-staging.com/')).toBe(false);
    expect(isTrustedAppsOrigin('not a url', 'https://chatgpt.com/')).toBe(false);
    expect(isTrustedAppsOrigin('https://chatgpt-staging.com/ps/mcp', 'not a url')).toBe(false);
  });
});

describe('appsMcpUrl', () => {
  it.each([
    ['https://chatgpt.com/backend-api', 'https://chatgpt.com/backend-api/ps/mcp', 'https://chatgpt.com/backend-api/wham/apps'],
    ['https://chat.openai.com', 'https://chat.openai.com/backend-api/ps/mcp', 'https://chat.openai.com/backend-api/wham/apps'],
    ['http://localhost:8080/api/codex', 'http://localhost:8080/api/codex/ps/mcp', 'http://localhost:8080/api/codex/apps'],
    ['http://localhost:8080', 'http://localhost:8080/api/codex/ps/mcp', 'http://localhost:8080/api/codex/apps'],
  ])('%s: psMcp (default) and whamApps', (base, ps, wham) => {
    expect(appsMcpUrl(base)).toBe(ps);
    expect(appsMcpUrl(base, 'psMcp')).toBe(ps);
    expect(appsMcpUrl(base, 'whamApps')).toBe(wham);
  });
});

describe('backendUrl', () => {
  const tasks = { path: (s: 'wham' | 'codexApi') => (s === 'wham' ? '/wham/tasks/list' : '/api/codex/tasks/list') };
  it('picks the path by the base style', () => {
    expect(backendUrl('http://127.0.0.1:1/backend-api/', tasks)).toBe('http://127.0.0.1:1/backend-api/wham/tasks/list');
    expect(backendUrl('http://127.0.0.1:1', tasks)).toBe('http://127.0.0.1:1/api/codex/tasks/list');
    expect(backendUrl('https://chatgpt.com', tasks)).toBe('https://chatgpt.com/backend-api/wham/tasks/list');
  });
  it('rejects a relative path with BAD_URL', () => {
    expect(() => backendUrl('http://h', 'wham/x')).toThrow(/BAD|does not start/);
  });
});

describe('model and refresh URLs', () => {
  it('API keys go to the OpenAI base, codex-backend modes to the constant https://chatgpt.com/backend-api/codex, openai_base_url to itself; chatgpt_base_url never moves model traffic', () => {
    expect(responsesUrl('apiKey', {})).toBe('https://api.openai.com/v1/responses');
    expect(responsesUrl('apiKey', { openaiBaseUrl: 'http://127.0.0.1:1/v1/' })).toBe('http://127.0.0.1:1/v1/responses');
    expect(responsesUrl('chatgpt', {})).toBe('https://chatgpt.com/backend-api/codex/responses');
    expect(responsesUrl('agentIdentity', { chatgptBaseUrl: 'http://127.0.0.1:1/backend-api/' })).toBe('https://chatgpt.com/backend-api/codex/responses');
    expect(responsesUrl('personalAccessToken', { chatgptBaseUrl: 'http://127.0.0.1:1/backend-api/' })).toBe('https://chatgpt.com/backend-api/codex/responses');
    expect(responsesUrl('headers', { chatgptBaseUrl: 'http://127.0.0.1:1/backend-api/', openaiBaseUrl: 'http://127.0.0.1:1/v1' })).toBe('http://127.0.0.1:1/v1/responses');
    expect(modelsUrl('chatgptAuthTokens', {})).toBe('https://chatgpt.com/backend-api/codex/models');
    expect(modelsUrl('chatgpt', { chatgptBaseUrl: 'http://127.0.0.1:1/backend-api/' })).toBe('https://chatgpt.com/backend-api/codex/models');
    expect(modelsUrl('apiKey', {})).toBe('https://api.openai.com/v1/models');
    expect(() => responsesUrl('chatgpt', { openaiBaseUrl: 'not a url' })).toThrow(/not an absolute http/);
  });
  it('the refresh URL honours CODEX_REFRESH_TOKEN_URL_OVERRIDE', () => {
    expect(tokenRefreshUrl({})).toBe('https://auth.openai.com/oauth/token');
    expect(tokenRefreshUrl({ CODEX_REFRESH_TOKEN_URL_OVERRIDE: 'http://127.0.0.1:1/oauth/token' })).toBe('http://127.0.0.1:1/oauth/token');
  });
});

import { describe, expect, it } from 'vitest';
import {
  PROD_AGENT_IDENTITY_AUTHAPI_BASE_URL,
  STAGING_AGENT_IDENTITY_AUTHAPI_BASE_URL,
  agentIdentityAuthapiBaseUrl,
  agentJwksUrl,
  agentTaskRegistrationUrl,
  appsMcpUrl,
  backendUrl,
  modelsUrl,
  responsesUrl,
  tokenRefreshUrl,
} from './derived-urls.js';

describe('agentIdentityAuthapiBaseUrl', () => {
  it('the env override wins, trimmed', () => {
    expect(agentIdentityAuthapiBaseUrl('http://127.0.0.1:1/backend-api', { CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: ' http://a/x/ ' })).toBe('http://a/x');
  });
  it('a blank override is ignored', () => {
    expect(agentIdentityAuthapiBaseUrl(undefined, { CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: '  /' })).toBe(PROD_AGENT_IDENTITY_AUTHAPI_BASE_URL);
  });
  it('an unset base means production (the first PR #18811 review finding)', () => {
    expect(agentIdentityAuthapiBaseUrl(undefined, {})).toBe(PROD_AGENT_IDENTITY_AUTHAPI_BASE_URL);
  });
  it('staging hosts map to staging authapi', () => {
    expect(agentIdentityAuthapiBaseUrl('https://chatgpt-staging.com/backend-api', {})).toBe(STAGING_AGENT_IDENTITY_AUTHAPI_BASE_URL);
    expect(agentIdentityAuthapiBaseUrl('https://x.openai-staging.com', {})).toBe(STAGING_AGENT_IDENTITY_AUTHAPI_BASE_URL);
  });
  it('loopback http bases map to the normalized base itself', () => {
    expect(agentIdentityAuthapiBaseUrl('http://127.0.0.1:5000/backend-api/', {})).toBe('http://127.0.0.1:5000/backend-api');
    expect(agentIdentityAuthapiBaseUrl('http://localhost:5000/backend-api/codex', {})).toBe('http://localhost:5000/backend-api');
    expect(agentIdentityAuthapiBaseUrl('http://[::1]:5000/api/codex/', {})).toBe('http://[::1]:5000/api/codex');
  });
  it('https loopback and other hosts map to production', () => {
    expect(agentIdentityAuthapiBaseUrl('https://127.0.0.1:5000/backend-api', {})).toBe(PROD_AGENT_IDENTITY_AUTHAPI_BASE_URL);
    expect(agentIdentityAuthapiBaseUrl('https://example.test/backend-api', {})).toBe(PROD_AGENT_IDENTITY_AUTHAPI_BASE_URL);
  });
  it('builds the task registration URL under the authapi base', () => {
    expect(agentTaskRegistrationUrl('http://127.0.0.1:1/backend-api/', 'rt_1')).toBe('http://127.0.0.1:1/backend-api/v1/agent/rt_1/task/register');
  });
});

describe('agentJwksUrl', () => {
  it.each([
    ['https://chatgpt.com/backend-api/', 'https://chatgpt.com/backend-api/wham/agent-identities/jwks'],
    ['http://localhost:1/api/codex', 'http://localhost:1/api/codex/agent-identities/jwks'],
    ['http://localhost:1', 'http://localhost:1/api/codex/agent-identities/jwks'],
  ])('%s -> %s', (base, url) => expect(agentJwksUrl(base)).toBe(url));
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
  it('API keys go to the OpenAI base, codex-backend modes to {chatgpt base}/codex', () => {
    expect(responsesUrl('apiKey', {})).toBe('https://api.openai.com/v1/responses');
    expect(responsesUrl('apiKey', { openaiBaseUrl: 'http://127.0.0.1:1/v1/' })).toBe('http://127.0.0.1:1/v1/responses');
    expect(responsesUrl('chatgpt', {})).toBe('https://chatgpt.com/backend-api/codex/responses');
    expect(responsesUrl('agentIdentity', { chatgptBaseUrl: 'http://127.0.0.1:1/backend-api/' })).toBe('http://127.0.0.1:1/backend-api/codex/responses');
    expect(modelsUrl('chatgptAuthTokens', {})).toBe('https://chatgpt.com/backend-api/codex/models');
    expect(modelsUrl('apiKey', {})).toBe('https://api.openai.com/v1/models');
  });
  it('the refresh URL honours CODEX_REFRESH_TOKEN_URL_OVERRIDE', () => {
    expect(tokenRefreshUrl({})).toBe('https://auth.openai.com/oauth/token');
    expect(tokenRefreshUrl({ CODEX_REFRESH_TOKEN_URL_OVERRIDE: 'http://127.0.0.1:1/oauth/token' })).toBe('http://127.0.0.1:1/oauth/token');
  });
});

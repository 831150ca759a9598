import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthProvider } from '../auth/auth-provider.js';
import type { CodexAuth } from '../auth/codex-auth.js';
import { AppsToolsCache } from '../cache/apps-tools-cache.js';
import { ConformanceInputError } from '../errors.js';
import type { AuthSource } from './callsite.js';
import { CALLSITES, CALLSITE_IDS, callsiteById } from './catalog.js';
import { invokeCallsite } from './invoke.js';
import { agentIdentityAuth, apiKeyAuth, chatgptAuth, hostTokensAuth } from './test-auth.js';
import { tempDir } from '../testing/temp-dirs.js';

const BASE = 'http://127.0.0.1:7777/backend-api/';
const seen: { method: string; url: string; auth: string | null; body: string }[] = [];
const server = setupServer(
  http.all('http://127.0.0.1:7777/*', async ({ request }) => {
    seen.push({ method: request.method, url: request.url, auth: request.headers.get('authorization'), body: await request.text() });
    if (request.headers.get('authorization') === 'Bearer stale') return new HttpResponse(null, { status: 401 });
    if (request.url.endsWith('/ps/mcp')) return HttpResponse.json({ jsonrpc: '2.0', id: 1, result: { tools: [{ name: 't' }] } });
    return HttpResponse.json({ ok: true });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  seen.length = 0;
});
afterAll(() => server.close());

/** A fake AuthSource: counts provider builds; tokens rotate on recovery. */
function fakeSource(auth: CodexAuth, tokens: string[] = ['fresh'], recover = true) {
  const state = { providers: 0, recoveries: 0, token: 0 };
  const source: AuthSource = {
    auth: () => Promise.resolve(auth),
    provider: () => {
      state.providers += 1;
      const value = tokens[Math.min(state.token, tokens.length - 1)] ?? 'fresh';
      const provider: AuthProvider = { applyHeaders: (h) => h.set('authorization', `Bearer ${value}`) };
      return Promise.resolve(provider);
    },
    onUnauthorized: () => {
      state.recoveries += 1;
      state.token += 1;
      return Promise.resolve(recover);
    },
  };
  return { source, state };
}

describe('catalog', () => {
  it('lists nine callsites with unique ids', () => {
    expect(CALLSITES).toHaveLength(9);
    expect(new Set(CALLSITE_IDS).size).toBe(9);
  });
  it('UNKNOWN_CALLSITE names the valid ids', () => {
    try {
      callsiteById('nope');
      throw new Error('expected throw');
    } catch (e) {
      expect(e).toBeInstanceOf(ConformanceInputError);
      expect((e as ConformanceInputError).code).toBe('UNKNOWN_CALLSITE');
      expect((e as Error).message).toContain('cloud-tasks.list');
    }
  });
});

describe('invokeCallsite', () => {
  const backendOnly = CALLSITE_IDS.filter((id) => !['core.responses', 'models.refresh'].includes(id));

  it.each(backendOnly)('GATE.%s refuses API-key auth before building a provider or sending', async (id) => {
    const { source, state } = fakeSource(apiKeyAuth());
    const outcome = await invokeCallsite(id, { source, chatgptBaseUrl: BASE, fetch, appsEnabled: true });
    expect(outcome.kind).toBe('refused');
    expect(state.providers).toBe(0);
    expect(seen).toHaveLength(0);
  });

  it.each(['backend-client.rate-limits', 'cloud-tasks.list', 'chatgpt.get-task', 'remote-control.enroll', 'openai-files.upload'])(
    'GATE.%s lets agent identity and host tokens through',
    async (id) => {
      for (const auth of [agentIdentityAuth(), hostTokensAuth()]) {
        const { source } = fakeSource(auth);
        const outcome = await invokeCallsite(id, { source, chatgptBaseUrl: BASE, fetch });
        expect(outcome).toMatchObject({ kind: 'sent', status: 200 });
      }
    },
  );

  it('sends to the configured base with the wham path style', async () => {
    const { source } = fakeSource(chatgptAuth());
    await invokeCallsite('cloud-tasks.list', { source, chatgptBaseUrl: BASE, fetch });
    expect(seen[0]).toMatchObject({ method: 'GET', url: 'http://127.0.0.1:7777/backend-api/wham/tasks/list', auth: 'Bearer fresh' });
  });

  it('uses /api/codex paths when the base has no /backend-api', async () => {
    const { source } = fakeSource(chatgptAuth());
    await invokeCallsite('backend-client.rate-limits', { source, chatgptBaseUrl: 'http://127.0.0.1:7777', fetch });
    expect(seen[0]?.url).toBe('http://127.0.0.1:7777/api/codex/usage');
  });

  it('cloud requirements are refused for a non-business plan and sent for enterprise', async () => {
    expect((await invokeCallsite('cloud-requirements.fetch', { source: fakeSource(chatgptAuth({ plan: 'plus' })).source, chatgptBaseUrl: BASE, fetch })).kind).toBe('refused');
    expect(await invokeCallsite('cloud-requirements.fetch', { source: fakeSource(agentIdentityAuth({ plan: 'enterprise' })).source, chatgptBaseUrl: BASE, fetch })).toMatchObject({ kind: 'sent' });
    expect(seen.map((s) => s.url)).toEqual(['http://127.0.0.1:7777/backend-api/wham/config/requirements']);
  });

  it('sends the JSON body of endpoints that take one', async () => {
    const { source } = fakeSource(chatgptAuth());
    await invokeCallsite('remote-control.enroll', { source, chatgptBaseUrl: BASE, fetch });
    expect(seen[0]?.method).toBe('POST');
    expect(JSON.parse(seen[0]?.body ?? '')).toHaveProperty('installation_id');
  });

  it('on 401 runs recovery once and retries with a fresh provider', async () => {
    const { source, state } = fakeSource(chatgptAuth(), ['stale', 'fresh']);
    const outcome = await invokeCallsite('cloud-tasks.list', { source, chatgptBaseUrl: BASE, fetch });
    expect(outcome).toMatchObject({ kind: 'sent', status: 200 });
    expect(state).toMatchObject({ providers: 2, recoveries: 1 });
    expect(seen.map((s) => s.auth)).toEqual(['Bearer stale', 'Bearer fresh']);
  });

  it('retries at most once', async () => {
    const { source, state } = fakeSource(chatgptAuth(), ['stale'], true);
    const outcome = await invokeCallsite('cloud-tasks.list', { source, chatgptBaseUrl: BASE, fetch });
    expect(outcome).toMatchObject({ kind: 'sent', status: 401 });
    expect(state.recoveries).toBe(1);
    expect(seen).toHaveLength(2);
  });

  it('does not retry when recovery says no', async () => {
    const { source } = fakeSource(chatgptAuth(), ['stale'], false);
    await invokeCallsite('cloud-tasks.list', { source, chatgptBaseUrl: BASE, fetch });
    expect(seen).toHaveLength(1);
  });

  it('GATE.APPS refuses when apps are disabled, even for ChatGPT auth', async () => {
    const { source, state } = fakeSource(chatgptAuth());
    expect((await invokeCallsite('apps-mcp.tools-list', { source, chatgptBaseUrl: BASE, fetch })).kind).toBe('refused');
    expect(state.providers).toBe(0);
  });

  it('Apps MCP posts tools/list to {base}/ps/mcp and fills the tools cache', async () => {
    const home = await tempDir('invoke-apps-');
    try {
      const cache = new AppsToolsCache(home);
      const ctx = { source: fakeSource(agentIdentityAuth()).source, chatgptBaseUrl: BASE, fetch, appsEnabled: true, appsToolsCache: cache };
      const first = await invokeCallsite('apps-mcp.tools-list', ctx);
      expect(first).toMatchObject({ kind: 'sent', status: 200 });
      expect(seen[0]?.url).toBe('http://127.0.0.1:7777/backend-api/ps/mcp');
      expect(JSON.parse(seen[0]?.body ?? '')).toMatchObject({ method: 'tools/list' });
      const second = await invokeCallsite('apps-mcp.tools-list', ctx);
      expect(second).toEqual({ kind: 'sent', status: 200, body: { result: { tools: [{ name: 't' }] } } });
      expect(seen).toHaveLength(1);
      const other = await invokeCallsite('apps-mcp.tools-list', { ...ctx, source: fakeSource(agentIdentityAuth({ accountId: 'other' })).source });
      expect(other.kind).toBe('sent');
      expect(seen).toHaveLength(2);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('model traffic goes to openai_base_url when set, else the OpenAI API for API keys and the constant https://chatgpt.com/backend-api/codex otherwise (never chatgpt_base_url)', async () => {
    // No request may leave the machine: a recording fetch answers the constant hosts in-process.
    const offline: { method: string; url: string; auth: string | null }[] = [];
    const recording: typeof fetch = (input, init) => {
      const request = new Request(input, init);
      offline.push({ method: request.method, url: request.url, auth: request.headers.get('authorization') });
      return Promise.resolve(Response.json({ ok: true }));
    };
    await invokeCallsite('core.responses', { source: fakeSource(apiKeyAuth()).source, chatgptBaseUrl: BASE, openaiBaseUrl: 'http://127.0.0.1:7777/v1', fetch: recording });
    await invokeCallsite('models.refresh', { source: fakeSource(chatgptAuth()).source, chatgptBaseUrl: BASE, fetch: recording });
    await invokeCallsite('core.responses', { source: fakeSource(agentIdentityAuth()).source, chatgptBaseUrl: BASE, fetch: recording });
    await invokeCallsite('core.responses', { source: fakeSource(hostTokensAuth()).source, chatgptBaseUrl: BASE, openaiBaseUrl: 'http://127.0.0.1:7777/v1/', fetch: recording });
    await invokeCallsite('core.responses', { source: fakeSource(apiKeyAuth()).source, fetch: recording });
    expect(offline.map((s) => `${s.method} ${s.url}`)).toEqual([
      'POST http://127.0.0.1:7777/v1/responses',
      'GET https://chatgpt.com/backend-api/codex/models',
      'POST https://chatgpt.com/backend-api/codex/responses',
      'POST http://127.0.0.1:7777/v1/responses',
      'POST https://api.openai.com/v1/responses',
    ]);
    expect(seen).toHaveLength(0);
  });

  it('a garbage base URL is an errored outcome, with nothing sent', async () => {
    const outcome = await invokeCallsite('cloud-tasks.list', { source: fakeSource(chatgptAuth()).source, chatgptBaseUrl: 'not a url', fetch });
    expect(outcome.kind).toBe('errored');
    expect(seen).toHaveLength(0);
  });
});

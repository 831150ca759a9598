import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CALLSITES } from '../../src/callsites/catalog.js';
import { PATH_STYLES } from '../../src/callsites/callsite.js';
import { startInProcessMock, type InProcessMock } from '../in-process.js';
import type { Account } from '../state/accounts.js';
import { CODEX_CLIENT_ID } from '../state/token-claims.js';

let mock: InProcessMock;
beforeAll(async () => {
  mock = await startInProcessMock({ seed: 5 });
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

async function session(plan: Account['plan'] = 'team') {
  const account = mock.backend.createAccount({ plan });
  const tokens = await mock.backend.issueChatgptTokens(account.id);
  return { account, tokens, headers: { authorization: `Bearer ${tokens.accessToken}`, 'chatgpt-account-id': account.id } };
}

const last = () => mock.journal.list().at(-1);

async function mcp(url: string, headers: Record<string, string>, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('route table', () => {
  it.each(CALLSITES.flatMap((c) => PATH_STYLES.map((style) => [c.id, style] as const)))(
    'serves callsite %s in the %s path style',
    async (id, style) => {
      const callsite = CALLSITES.find((c) => c.id === id);
      if (callsite === undefined) throw new Error(id);
      const { headers } = await session();
      const base = style === 'wham' ? 'https://chatgpt.com/backend-api' : 'https://chatgpt.com';
      const init: RequestInit = { method: callsite.method, headers: { ...headers, 'content-type': 'application/json' } };
      const body = callsite.body ?? (callsite.method === 'POST' ? { jsonrpc: '2.0', id: 1, method: 'tools/list' } : undefined);
      if (body !== undefined && callsite.method !== 'GET') init.body = JSON.stringify(body);
      const res = await fetch(`${base}${callsite.path(style)}`, init);
      expect(last()?.verdict).toMatchObject({ handled: true });
      expect(res.status).toBeLessThan(300);
    },
  );

  it('answers accounts/check in the list form (what 0.171.0 accepts) with the backend origin', async () => {
    const { account, headers } = await session('business');
    const res = await fetch('https://chatgpt.com/backend-api/wham/accounts/check', { headers });
    const body = (await res.json()) as { accounts: Record<string, unknown>[] };
    expect(body.accounts).toEqual([expect.objectContaining({ id: account.id, workspace_backend_origin: 'https://chatgpt.com', account_routing_override: 'NO_CONSTRAINT' })]);
  });

  it('answers accounts/check in the map form on ?form=map', async () => {
    const { account, headers } = await session('business');
    const res = await fetch('https://chatgpt.com/backend-api/wham/accounts/check?form=map', { headers });
    const body = (await res.json()) as { accounts: Record<string, { account: Record<string, unknown> }>; default_account_id: string };
    expect(body.default_account_id).toBe(account.id);
    expect(body.accounts[account.id]?.account).toMatchObject({
      id: account.id,
      plan_type: 'business',
      workspace_backend_origin: 'https://chatgpt.com',
      account_routing_override: 'NO_CONSTRAINT',
    });
  });
});

describe('Codex Apps MCP', () => {
  it('lists each account only its own tools, in both path styles', async () => {
    const a = await session();
    const b = await session();
    const list = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
    const toolsA = (await (await mcp('https://chatgpt.com/backend-api/ps/mcp', a.headers, list)).json()) as { result: { tools: { name: string }[] } };
    const toolsB = (await (await mcp('https://chatgpt.com/api/codex/ps/mcp', b.headers, list)).json()) as { result: { tools: { name: string }[] } };
    expect(toolsA.result.tools.map((t) => t.name)).toEqual(a.account.appsTools.map((t) => t.name));
    expect(toolsB.result.tools.map((t) => t.name)).toEqual(b.account.appsTools.map((t) => t.name));
    const namesA = new Set(toolsA.result.tools.map((t) => t.name));
    expect(toolsB.result.tools.some((t) => namesA.has(t.name))).toBe(false);
  });

  it('answers initialize and JSON-RPC errors', async () => {
    const { headers } = await session();
    const init = (await (await mcp('https://chatgpt.com/backend-api/wham/apps', headers, { jsonrpc: '2.0', id: 7, method: 'initialize', params: {} })).json()) as { id: number; result: { serverInfo: unknown } };
    expect(init.id).toBe(7);
    expect(init.result.serverInfo).toBeDefined();
    const unknown = (await (await mcp('https://chatgpt.com/backend-api/ps/mcp', headers, { jsonrpc: '2.0', id: 8, method: 'nope' })).json()) as { error: { code: number } };
    expect(unknown.error.code).toBe(-32601);
    const res = await fetch('https://chatgpt.com/backend-api/ps/mcp', { method: 'POST', headers, body: '{' });
    expect(res.status).toBe(400);
  });

  it('refuses the MCP endpoint without credentials', async () => {
    const res = await mcp('https://chatgpt.com/backend-api/ps/mcp', {}, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(res.status).toBe(401);
    expect(last()?.credential).toEqual({ kind: 'none' });
  });
});

describe('OAuth token refresh', () => {
  const TOKEN = 'https://auth.openai.com/oauth/token';
  const refresh = (refreshToken: string, init: Partial<{ contentType: string; clientId: string; body: string }> = {}) =>
    fetch(TOKEN, {
      method: 'POST',
      headers: { 'content-type': init.contentType ?? 'application/json' },
      body: init.body ?? JSON.stringify({ client_id: init.clientId ?? CODEX_CLIENT_ID, grant_type: 'refresh_token', refresh_token: refreshToken }),
    });

  it('rotates tokens: new tokens work, the old refresh token is then reused', async () => {
    const { account, tokens } = await session();
    const res = await refresh(tokens.refreshToken);
    expect(res.status).toBe(200);
    const fresh = (await res.json()) as { access_token: string; id_token: string; refresh_token: string };
    expect(fresh.refresh_token).not.toBe(tokens.refreshToken);
    const ok = await fetch('https://chatgpt.com/backend-api/wham/usage', { headers: { authorization: `Bearer ${fresh.access_token}`, 'chatgpt-account-id': account.id } });
    expect(ok.status).toBe(200);
    const again = await refresh(tokens.refreshToken);
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({ error: { code: 'refresh_token_reused' } });
  });

  it('classifies revoked and expired refresh tokens with the client codes', async () => {
    const { tokens } = await session();
    mock.backend.revokeRefreshToken(tokens.refreshToken);
    expect(await (await refresh(tokens.refreshToken)).json()).toMatchObject({ error: { code: 'refresh_token_invalidated' } });
    const other = await session();
    mock.backend.advance(31 * 86_400_000);
    expect(await (await refresh(other.tokens.refreshToken)).json()).toMatchObject({ error: { code: 'refresh_token_expired' } });
  });

  it('accepts the RFC 6749 form-encoded refresh as production does, and journals its content type', async () => {
    const { account, tokens } = await session();
    const form = await refresh(tokens.refreshToken, {
      contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken, client_id: CODEX_CLIENT_ID }).toString(),
    });
    expect(form.status).toBe(200);
    expect(last()?.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(last()?.verdict).toMatchObject({ status: 200, endpoint: 'oauth.token' });
    const fresh = (await form.json()) as { access_token: string; expires_in: number };
    expect(fresh.expires_in).toBeGreaterThan(0);
    const ok = await fetch('https://chatgpt.com/backend-api/wham/usage', { headers: { authorization: `Bearer ${fresh.access_token}`, 'chatgpt-account-id': account.id } });
    expect(ok.status).toBe(200);
    // The form body rotates the token exactly like the JSON body.
    expect((await refresh(tokens.refreshToken)).status).toBe(401);
    expect(last()?.verdict.reason).toBe('refresh_token_reused');
  });

  it('judges a form-encoded refresh by the same token rules (client id, grant type, repeated parameters)', async () => {
    const { tokens } = await session();
    const form = (fields: string) => refresh(tokens.refreshToken, { contentType: 'application/x-www-form-urlencoded', body: fields });
    expect((await form(`client_id=app_other&grant_type=refresh_token&refresh_token=${tokens.refreshToken}`)).status).toBe(401);
    expect(last()?.verdict.reason).toBe('invalid_client');
    expect((await form(`client_id=${CODEX_CLIENT_ID}&grant_type=password&refresh_token=${tokens.refreshToken}`)).status).toBe(400);
    expect(last()?.verdict.reason).toBe('unsupported_grant_type');
    expect((await form(`client_id=${CODEX_CLIENT_ID}&grant_type=refresh_token&refresh_token=a&refresh_token=b`)).status).toBe(400);
    expect(last()?.verdict.reason).toBe('invalid_request');
  });

  it('refuses a body in neither encoding, and requires the Codex client id', async () => {
    const { tokens } = await session();
    const text = await refresh(tokens.refreshToken, { contentType: 'text/plain', body: `refresh_token=${tokens.refreshToken}` });
    expect(text.status).toBe(415);
    expect((await refresh(tokens.refreshToken, { clientId: 'app_other' })).status).toBe(401);
    expect(last()?.verdict.reason).toBe('invalid_client');
    expect((await refresh(tokens.refreshToken, { body: '{"client_id":' })).status).toBe(400);
    // None of the refused requests spent the token.
    expect((await refresh(tokens.refreshToken)).status).toBe(200);
  });
});

describe('cloud tasks', () => {
  it('keeps task lists per account', async () => {
    const a = await session();
    const b = await session();
    const listA = (await (await fetch('https://chatgpt.com/backend-api/wham/tasks/list', { headers: a.headers })).json()) as { items: { id: string }[] };
    const listB = (await (await fetch('https://chatgpt.com/api/codex/tasks/list', { headers: b.headers })).json()) as { items: { id: string }[] };
    expect(listA.items.map((t) => t.id)).toEqual(a.account.tasks.map((t) => t.id));
    expect(listB.items.map((t) => t.id)).toEqual(b.account.tasks.map((t) => t.id));
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseFaults } from './faults.js';
import { startInProcessMock, type InProcessMock } from './in-process.js';
import { CODEX_CLIENT_ID } from './state/token-claims.js';

let mock: InProcessMock;
beforeAll(async () => {
  mock = await startInProcessMock({ seed: 9 });
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

async function session() {
  const account = mock.backend.createAccount({ plan: 'pro' });
  const tokens = await mock.backend.issueChatgptTokens(account.id);
  return { tokens, headers: { authorization: `Bearer ${tokens.accessToken}`, 'chatgpt-account-id': account.id } };
}
const USAGE = 'https://chatgpt.com/backend-api/wham/usage';

describe('faults', () => {
  it('unauthorizedOnce answers 401 once, then the real handler', async () => {
    const { headers } = await session();
    mock.useFaults({ kind: 'unauthorizedOnce' });
    const first = await fetch(USAGE, { headers });
    expect(first.status).toBe(401);
    expect(first.headers.get('www-authenticate')).toContain('invalid_token');
    expect((await fetch(USAGE, { headers })).status).toBe(200);
    expect(mock.journal.list().map((e) => e.verdict.endpoint)).toEqual(['fault.unauthorizedOnce', 'wham.usage']);
  });

  it.each(['refresh_token_expired', 'refresh_token_reused', 'refresh_token_invalidated'] as const)('tokenEndpointError answers %s', async (code) => {
    const { tokens } = await session();
    mock.useFaults({ kind: 'tokenEndpointError', code });
    const res = await fetch('https://auth.openai.com/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: CODEX_CLIENT_ID, grant_type: 'refresh_token', refresh_token: tokens.refreshToken }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code } });
  });

  it('rateLimited answers 429 with Retry-After for the selected case only', async () => {
    const { headers } = await session();
    mock.useFaults({ kind: 'rateLimited', retryAfterSeconds: 30, caseId: 'c1' });
    mock.setCase('c2');
    expect((await fetch(USAGE, { headers })).status).toBe(200);
    mock.setCase('c1');
    const limited = await fetch(USAGE, { headers });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
  });

  it('serverError answers the given 5xx a bounded number of times', async () => {
    const { headers } = await session();
    mock.useFaults({ kind: 'serverError', status: 500, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(USAGE, { headers })).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it('slowResponse delays and then lets the real handler answer', async () => {
    const { headers } = await session();
    mock.useFaults({ kind: 'slowResponse', delayMs: 150 });
    const started = Date.now();
    expect((await fetch(USAGE, { headers })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(mock.journal.list()).toHaveLength(1);
  });

  it('truncatedSse ends the stream before response.completed', async () => {
    const { headers } = await session();
    mock.useFaults({ kind: 'truncatedSse', afterEvents: 1 });
    const res = await fetch('https://chatgpt.com/backend-api/codex/responses', {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm' }),
    });
    const text = await res.text();
    expect(text).toContain('response.created');
    expect(text).not.toContain('response.completed');
  });

  it('jwksRotation serves a JWKS without the key that signed existing identities', async () => {
    const account = mock.backend.createAccount({ plan: 'team' });
    const identity = await mock.backend.createAgentIdentity(account.id);
    const kid = JSON.parse(Buffer.from(identity.jwt.split('.')[0] ?? '', 'base64url').toString()).kid as string;
    mock.useFaults({ kind: 'jwksRotation' });
    const jwks = (await (await fetch('https://chatgpt.com/backend-api/wham/agent-identities/jwks')).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).not.toContain(kid);
    expect(jwks.keys).toHaveLength(1);
  });

  it('parseFaults names the problem and the fix for bad input', () => {
    expect(() => parseFaults([{ kind: 'meteor' }])).toThrow(/unknown kind "meteor".*Fix: Use objects with kind one of/);
    expect(() => parseFaults({})).toThrow(/expected a JSON array/);
    expect(parseFaults([{ kind: 'serverError' }])).toEqual([{ kind: 'serverError' }]);
  });
  it('routingSelectedMissing: accounts/check answers a well-formed list without the selected account (URL.ROUTING.002, corpus D3)', async () => {
    const { headers } = await session();
    const check = 'https://chatgpt.com/backend-api/wham/accounts/check';
    const real = (await (await fetch(check, { headers })).json()) as { accounts: { id: string }[] };
    expect(real.accounts.map((a) => a.id)).toEqual([headers['chatgpt-account-id']]);
    mock.useFaults({ kind: 'routingSelectedMissing' });
    const res = await fetch(check, { headers });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { accounts: { id: string; workspace_backend_origin: string; account_routing_override: string }[] };
    expect(body.accounts).toHaveLength(1);
    expect(body.accounts[0]!.id).not.toBe(headers['chatgpt-account-id']);
    expect(body.accounts[0]).toMatchObject({ workspace_backend_origin: 'https://chatgpt.com', account_routing_override: 'NO_CONSTRAINT' });
    expect(mock.journal.list().map((e) => e.verdict.endpoint).at(-1)).toBe('fault.routingSelectedMissing');
    expect(parseFaults([{ kind: 'routingSelectedMissing' }])).toEqual([{ kind: 'routingSelectedMissing' }]);
  });
});

import { describe, expect, it } from 'vitest';
import { MockBackend } from '../../mocks/state/mock-backend.js';
import { seedAuth } from './auth-spec.js';

const ACCOUNT = { plan: 'team', fedramp: false } as const;

describe('credentials minted once per run (seedAuth with a case id)', () => {
  it('reuses a credential of the same kind in a later case, and gives each request of one case its own', async () => {
    const backend = await MockBackend.create({ seed: 4 });
    const spec = { mode: 'chatgpt', account: ACCOUNT, lastRefreshDaysAgo: 0 } as const;
    const first = await seedAuth(backend, spec, { caseId: 'c1' });
    const second = await seedAuth(backend, spec, { caseId: 'c1' });
    expect(second.accountId).not.toBe(first.accountId);
    const later = await seedAuth(backend, spec, { caseId: 'c2' });
    expect(later.accountId).toBe(first.accountId);
    const tokensOf = (s: typeof first) => (JSON.parse(s.setup.files['auth.json']!) as { tokens: unknown }).tokens;
    expect(tokensOf(later)).toEqual(tokensOf(first));
    const agent = await seedAuth(backend, { mode: 'agentIdentity', account: ACCOUNT, via: 'CODEX_ACCESS_TOKEN' }, { caseId: 'c2' });
    const agentLater = await seedAuth(backend, { mode: 'agentIdentity', account: ACCOUNT, via: 'authJsonJwt' }, { caseId: 'c3' });
    expect(agentLater.agentRuntimeId).toBe(agent.agentRuntimeId);
  });

  it('mints anew once the pooled refresh token was used, and without a case id', async () => {
    const backend = await MockBackend.create({ seed: 4 });
    const spec = { mode: 'chatgpt', account: ACCOUNT, lastRefreshDaysAgo: 0 } as const;
    const first = await seedAuth(backend, spec, { caseId: 'c1' });
    const tokens = JSON.parse(first.setup.files['auth.json']!) as { tokens: { refresh_token: string } };
    backend.refreshTokens.get(tokens.tokens.refresh_token)!.state = 'used';
    const next = await seedAuth(backend, spec, { caseId: 'c2' });
    expect(next.accountId).not.toBe(first.accountId);
    const unpooled = await seedAuth(backend, spec);
    expect([first.accountId, next.accountId]).not.toContain(unpooled.accountId);
  });

  it('does not reuse an expired-token credential for a fresh-token request', async () => {
    const backend = await MockBackend.create({ seed: 4 });
    const expired = await seedAuth(backend, { mode: 'chatgpt', account: ACCOUNT, lastRefreshDaysAgo: 1, accessExpired: true }, { caseId: 'c1' });
    const fresh = await seedAuth(backend, { mode: 'chatgpt', account: ACCOUNT, lastRefreshDaysAgo: 1 }, { caseId: 'c2' });
    expect(fresh.accountId).not.toBe(expired.accountId);
  });
});

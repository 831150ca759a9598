import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MockBackend } from '../../mocks/state/mock-backend.js';
import { seedAuth, type AuthSpec } from '../../src/harness/auth-spec.js';
import { contractIdentity } from '../../src/rules/contract/identity.js';
import { authSpec } from './auth-spec.js';

type Chatgpt = Extract<AuthSpec, { mode: 'chatgpt' }>;

describe('auth.json as files in the wild have it', () => {
  it('the chatgpt generator spells auth_mode, account_id and unknown fields every way', () => {
    const specs = fc.sample(authSpec(['chatgpt']), { seed: 5, numRuns: 400 }) as Chatgpt[];
    for (const authMode of [true, false]) expect(specs.some((s) => s.authJson?.authMode === authMode), `auth_mode ${authMode}`).toBe(true);
    for (const extraFields of [true, false]) expect(specs.some((s) => s.authJson?.extraFields === extraFields), `extra ${extraFields}`).toBe(true);
    expect(specs.some((s) => s.accountIdStored === false && s.authJson?.accountIdAbsent === true)).toBe(true);
    expect(specs.some((s) => s.accountIdStored === false && s.authJson?.accountIdAbsent === false)).toBe(true);
  });

  it('seedAuth writes the shape, and the contract identity does not depend on it', async () => {
    const backend = await MockBackend.create({ seed: 6 });
    const base = { mode: 'chatgpt', account: { plan: 'team', fedramp: false }, lastRefreshDaysAgo: 0, accountIdStored: false } as const;
    const wild = await seedAuth(backend, { ...base, authJson: { authMode: true, accountIdAbsent: true, extraFields: true } });
    const file = JSON.parse(wild.setup.files['auth.json']!) as Record<string, unknown> & { tokens: Record<string, unknown> };
    expect(file['auth_mode']).toBe('chatgpt');
    expect('account_id' in file.tokens).toBe(false);
    expect(file.tokens['scope']).toBeDefined();
    expect(file['codex_conformance_unknown']).toBeDefined();
    const plain = await seedAuth(backend, base);
    const plainFile = JSON.parse(plain.setup.files['auth.json']!) as Record<string, unknown> & { tokens: Record<string, unknown> };
    expect('auth_mode' in plainFile).toBe(false);
    expect(plainFile.tokens['account_id']).toBeNull();
    expect(contractIdentity(wild.expected).accountId).toBeUndefined();
    expect(contractIdentity(plain.expected).accountId).toBeUndefined();
  });
});

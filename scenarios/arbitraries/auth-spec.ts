import fc from 'fast-check';
import { PLAN_TYPES } from '../../mocks/state/accounts.js';
import type { AccountSpec, AuthSpec } from '../../src/harness/auth-spec.js';
import type { AuthMode } from '../../src/auth/codex-auth.js';

/** An account's auth-relevant shape: plan (workspace or not) and the FedRAMP flag. */
export function accountSpec(): fc.Arbitrary<AccountSpec> {
  return fc.record({ plan: fc.constantFrom(...PLAN_TYPES), fedramp: fc.boolean() });
}

/** Days since the last refresh: fresh, just under and over the 8-day interval, long stale. */
export function lastRefreshDaysAgo(): fc.Arbitrary<number> {
  return fc.constantFrom(0, 1, 7, 9, 30);
}

export function authSpec(modes: readonly AuthMode[] = ['apiKey', 'chatgpt', 'chatgptAuthTokens', 'agentIdentity']): fc.Arbitrary<AuthSpec> {
  const byMode: Record<AuthMode, fc.Arbitrary<AuthSpec>> = {
    apiKey: fc.record({ mode: fc.constant('apiKey' as const), via: fc.constantFrom('authJson' as const, 'envCodexApiKey' as const) }),
    chatgpt: fc.record({
      mode: fc.constant('chatgpt' as const),
      account: accountSpec(),
      lastRefreshDaysAgo: fc.constantFrom(0, 1),
      accountIdStored: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    }),
    chatgptAuthTokens: fc.record({ mode: fc.constant('chatgptAuthTokens' as const), account: accountSpec() }),
    agentIdentity: fc.record({
      mode: fc.constant('agentIdentity' as const),
      account: accountSpec(),
      via: fc.constantFrom('CODEX_ACCESS_TOKEN' as const, 'CODEX_AGENT_IDENTITY' as const),
    }),
  };
  return fc.oneof(...modes.map((m) => byMode[m]));
}

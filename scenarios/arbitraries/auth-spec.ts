import fc from 'fast-check';
import { PLAN_TYPES } from '../../mocks/state/accounts.js';
import type { AccountSpec, AgentIdentityVia, AuthSpec, ChatgptAuthJsonShape } from '../../src/harness/auth-spec.js';
import { AUTH_MODES, type AuthMode } from '../../src/auth/codex-auth.js';
import { DEFAULT_PROFILE, type ProfileId } from '../../src/rules/profiles.js';
import { contractFeatures } from '../../src/rules/contract/features.js';

/** An account's auth-relevant shape: plan (workspace or not) and the FedRAMP flag. */
export function accountSpec(): fc.Arbitrary<AccountSpec> {
  return fc.record({ plan: fc.constantFrom(...PLAN_TYPES), fedramp: fc.boolean() });
}

/** auth.json spellings of one ChatGPT login as files in the wild have them (ChatgptAuthJsonShape). */
export function chatgptAuthJsonShape(): fc.Arbitrary<ChatgptAuthJsonShape> {
  return fc.record({ authMode: fc.boolean(), accountIdAbsent: fc.boolean(), extraFields: fc.boolean() });
}

/** Days since the last refresh: fresh, just under and over the 8-day interval, long stale. */
export function lastRefreshDaysAgo(): fc.Arbitrary<number> {
  return fc.constantFrom(0, 1, 7, 9, 30);
}

/**
 * How an agent identity reaches the client under each profile: PR #18811 knows only the decoded
 * record in auth.json; 0.171.0 takes a JWT from CODEX_ACCESS_TOKEN or auth.json.
 */
export function agentIdentityVias(profile: ProfileId): readonly AgentIdentityVia[] {
  return contractFeatures(profile).agentIdentity === 'authJsonRecord' ? ['authJsonRecord'] : ['CODEX_ACCESS_TOKEN', 'authJsonJwt'];
}

/** The canonical way each profile hands an agent identity in (examples, the cache suite). */
export function defaultAgentIdentityVia(profile: ProfileId): AgentIdentityVia {
  return agentIdentityVias(profile)[0]!;
}

/** Auth states of the given modes, as the given profile lets them reach a client. */
export function authSpec(modes: readonly AuthMode[] = AUTH_MODES, profile: ProfileId = DEFAULT_PROFILE): fc.Arbitrary<AuthSpec> {
  const byMode: Record<AuthMode, fc.Arbitrary<AuthSpec>> = {
    apiKey: fc.record({ mode: fc.constant('apiKey' as const), via: fc.constantFrom('authJson' as const, 'envCodexApiKey' as const) }),
    chatgpt: fc.record({
      mode: fc.constant('chatgpt' as const),
      account: accountSpec(),
      lastRefreshDaysAgo: fc.constantFrom(0, 1),
      accountIdStored: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      authJson: chatgptAuthJsonShape(),
    }),
    chatgptAuthTokens: fc.record({ mode: fc.constant('chatgptAuthTokens' as const), account: accountSpec() }),
    agentIdentity: fc.record({ mode: fc.constant('agentIdentity' as const), account: accountSpec(), via: fc.constantFrom(...agentIdentityVias(profile)) }),
    personalAccessToken: fc.record({ mode: fc.constant('personalAccessToken' as const), account: accountSpec(), via: fc.constantFrom('CODEX_ACCESS_TOKEN' as const, 'authJson' as const) }),
    headers: fc.record({ mode: fc.constant('headers' as const), account: accountSpec(), accountHeader: fc.boolean() }),
    bedrockApiKey: fc.constant({ mode: 'bedrockApiKey' as const }),
  };
  return fc.oneof(...modes.map((m) => byMode[m]));
}

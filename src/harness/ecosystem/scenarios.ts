/**
 * The situations every third-party client is put in, one fresh driver process each. Each names
 * what the mock hands the client (account, token state, fault) and which behaviour it probes.
 */
export const SCENARIO_IDS = [
  'chatgpt',
  'fedramp',
  'noAccountId',
  'refreshWindow',
  'staleLastRefresh',
  'unauthorizedOnce',
  'accessTokenRevoked',
  'accessTokenExpired',
  'refreshExpired',
  'refreshReused',
  'refreshInvalidated',
  'refreshInvalidGrant',
  'customBaseUrl',
] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

/** Token-endpoint failures Codex treats as permanent (codex-rs/login/src/auth/manager.rs). */
export type PermanentRefreshFailure =
  | { readonly code: 'refresh_token_expired'; readonly status: 401 }
  | { readonly code: 'refresh_token_reused'; readonly status: 401 }
  | { readonly code: 'refresh_token_invalidated'; readonly status: 401 }
  | { readonly code: 'invalid_grant'; readonly status: 400 };

export type AccessTokenState =
  /** Valid for the mock's default lifetime (an hour): no refresh is due. */
  | { readonly kind: 'fresh' }
  /** Expires within Codex's 5-minute refresh window (codex-0.171): a proactive refresh is due. */
  | { readonly kind: 'insideRefreshWindow'; readonly secondsLeft: number }
  /** Already expired: the mock refuses it with 401, any client must refresh. */
  | { readonly kind: 'expired' };

export interface Scenario {
  readonly id: ScenarioId;
  readonly title: string;
  readonly plan: 'plus' | 'enterprise';
  readonly fedramp: boolean;
  /** Whether auth.json stores `tokens.account_id` (the id_token claims carry it either way). */
  readonly storedAccountId: boolean;
  /** Age of auth.json's `last_refresh` (0: written now). */
  readonly lastRefreshAgeSeconds: number;
  readonly accessToken: AccessTokenState;
  /** The first backend request is answered 401 once (mocks/faults.ts unauthorizedOnce). */
  readonly unauthorizedOnce: boolean;
  /** The backend refuses the seeded access token (401) until the client refreshes it. */
  readonly accessTokenRevoked: boolean;
  readonly refreshFailure?: PermanentRefreshFailure;
  /** The case configures the mock's loopback port as the base URL (clients that accept one). */
  readonly customBaseUrl: boolean;
}

const base = { plan: 'plus', fedramp: false, storedAccountId: true, lastRefreshAgeSeconds: 0, accessToken: { kind: 'fresh' }, unauthorizedOnce: false, accessTokenRevoked: false, customBaseUrl: false } as const;

export const SCENARIOS: readonly Scenario[] = [
  { ...base, id: 'chatgpt', title: 'plain ChatGPT (Plus) account' },
  { ...base, id: 'fedramp', title: 'FedRAMP enterprise workspace account', plan: 'enterprise', fedramp: true },
  { ...base, id: 'noAccountId', title: 'auth.json without tokens.account_id', storedAccountId: false },
  { ...base, id: 'refreshWindow', title: 'access token expires in 2 minutes (inside the 5-minute window)', accessToken: { kind: 'insideRefreshWindow', secondsLeft: 120 } },
  { ...base, id: 'staleLastRefresh', title: 'a fresh access token (an hour left) with last_refresh 2 hours old', lastRefreshAgeSeconds: 7200 },
  { ...base, id: 'unauthorizedOnce', title: 'the backend answers 401 once', unauthorizedOnce: true },
  { ...base, id: 'accessTokenRevoked', title: 'the backend answers 401 to the access token until it is refreshed', accessTokenRevoked: true },
  { ...base, id: 'accessTokenExpired', title: 'access token already expired; the refresh succeeds', accessToken: { kind: 'expired' } },
  { ...base, id: 'refreshExpired', title: 'expired access token; refresh answers 401 refresh_token_expired', accessToken: { kind: 'expired' }, refreshFailure: { code: 'refresh_token_expired', status: 401 } },
  { ...base, id: 'refreshReused', title: 'expired access token; refresh answers 401 refresh_token_reused', accessToken: { kind: 'expired' }, refreshFailure: { code: 'refresh_token_reused', status: 401 } },
  { ...base, id: 'refreshInvalidated', title: 'expired access token; refresh answers 401 refresh_token_invalidated', accessToken: { kind: 'expired' }, refreshFailure: { code: 'refresh_token_invalidated', status: 401 } },
  { ...base, id: 'refreshInvalidGrant', title: 'expired access token; refresh answers 400 invalid_grant', accessToken: { kind: 'expired' }, refreshFailure: { code: 'invalid_grant', status: 400 } },
  { ...base, id: 'customBaseUrl', title: 'custom base URL (the mock\'s loopback port)', customBaseUrl: true },
];

export function scenario(id: ScenarioId): Scenario {
  const s = SCENARIOS.find((x) => x.id === id);
  if (s === undefined) throw new TypeError(`unknown scenario ${id}`);
  return s;
}

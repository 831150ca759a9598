import { ConformanceInputError } from '../../../errors.js';
import { flattenSteps, loadScenarioFamily } from '../../scenario/load-scenario.js';
import type { BlackboxScenario } from '../../scenario/scenario.js';

/**
 * What the ecosystem judge knows about a scenario, read from its data file
 * (scenarios/blackbox/ecosystem/*.json): the account, how auth.json stores it, the access token's
 * state, the faults and whether the base URL is the mock's own. Pure derivations; every client is
 * put in each of these situations, one fresh driver process each.
 */
export type ScenarioId = string;

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

function bad(s: BlackboxScenario, problem: string): ConformanceInputError {
  return new ConformanceInputError('BAD_SCENARIO', `ecosystem scenario ${s.id}: ${problem}`, 'an ecosystem scenario has one home whose login is a chatgptTokens credential of a plus or enterprise account, and one client actor.');
}

export function ecosystemScenarioView(s: BlackboxScenario): Scenario {
  const home = s.homes[0];
  if (home === undefined || home.login.kind !== 'credential') throw bad(s, 'its home has no login');
  const login = home.login;
  const c = s.mock.credentials.find((x) => x.id === login.credential);
  if (c === undefined || c.kind !== 'chatgptTokens') throw bad(s, 'its login is not a chatgptTokens credential');
  const account = s.mock.accounts.find((a) => a.id === c.account);
  if (account === undefined || (account.plan !== 'plus' && account.plan !== 'enterprise')) throw bad(s, 'its account is not plus or enterprise');
  const faults = [...(s.mock.faults ?? []), ...flattenSteps(s.steps).flatMap((x) => (x.kind === 'setFault' ? [x.fault] : []))];
  const refusal = faults.find((f) => f.kind === 'tokenEndpointError');
  const access: AccessTokenState = c.access.kind === 'expired' ? { kind: 'expired' } : c.access.kind === 'expiresIn' ? { kind: 'insideRefreshWindow', secondsLeft: c.access.seconds } : { kind: 'fresh' };
  return {
    id: s.id,
    title: s.title,
    plan: account.plan,
    fedramp: account.fedramp,
    storedAccountId: login.storedAccountId ?? true,
    lastRefreshAgeSeconds: login.lastRefreshAgeSeconds ?? 0,
    accessToken: access,
    unauthorizedOnce: faults.some((f) => f.kind === 'unauthorizedOnce'),
    accessTokenRevoked: c.access.kind === 'revoked',
    ...(refusal?.kind === 'tokenEndpointError' ? { refreshFailure: { code: refusal.code, status: refusal.status } as PermanentRefreshFailure } : {}),
    customBaseUrl: home.chatgptBaseUrl?.kind === 'mockOrigin',
  };
}

let loaded: readonly BlackboxScenario[] | undefined;
/** The ecosystem scenarios (scenarios/blackbox/ecosystem/), loaded once. */
export function ecosystemBlackboxScenarios(): readonly BlackboxScenario[] {
  loaded ??= loadScenarioFamily('ecosystem');
  return loaded;
}

export function ecosystemScenarioIds(): readonly ScenarioId[] {
  return ecosystemBlackboxScenarios().map((s) => s.id);
}

/** The judge's view of every ecosystem scenario, in file order. */
export function ecosystemScenarios(): readonly Scenario[] {
  return ecosystemBlackboxScenarios().map(ecosystemScenarioView);
}

export function scenario(id: ScenarioId): Scenario {
  const s = ecosystemBlackboxScenarios().find((x) => x.id === id);
  if (s === undefined) throw new TypeError(`unknown scenario ${id}`);
  return ecosystemScenarioView(s);
}

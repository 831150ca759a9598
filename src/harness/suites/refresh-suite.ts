import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { accountSpec, defaultAgentIdentityVia } from '../../../scenarios/arbitraries/auth-spec.js';
import { contractFeatures } from '../../rules/contract/features.js';
import { REFRESH_ERROR_CODES, type Fault } from '../../../mocks/faults.js';
import { verifyAccessToken } from '../../../mocks/verify/access-token.js';
import { assertNever } from '../../assert-never.js';
import type { AuthMode } from '../../auth/codex-auth.js';
import { checkJournal } from '../../rules/check.js';
import {
  checkAuthJsonFieldsKept,
  checkAuthJsonFile,
  checkAuthJsonPersisted,
  checkNoRecoveryWithout401,
  checkNoTokenRefresh,
  checkPermanentFailureNotRetried,
  checkProactiveRefresh,
  checkRefreshErrorClass,
  checkUnauthorizedRecovery,
  dueForProactiveRefresh,
} from '../../rules/check-refresh.js';
import { PROFILE_MODES } from '../../rules/contract/modes.js';
import { contractTokenUrl } from '../../rules/contract/urls.js';
import { endpointKind } from '../../rules/endpoint-kind.js';
import type { ObservedRequest } from '../../rules/observed-request.js';
import type { ProfileId } from '../../rules/profiles.js';
import { inProfile } from '../../rules/catalogue.js';
import { unsupported, type RuleResult } from '../../rules/result.js';
import { seedAuth, type AccountSpec, type AuthSpec } from '../auth-spec.js';
import { freshHome, missingCapability } from '../case-session.js';
import type { Outcome, Session } from '../implementation.js';
import { runProperty } from '../property.js';
import type { Suite, SuiteContext } from '../suite.js';

/**
 * Token refresh of managed ChatGPT auth (codex-rs/login/src/auth/manager.rs), per profile:
 * proactive when the access token has expired (PR #18811) or expires within 5 minutes (0.171.0),
 * a 401 recovered by one refresh and a retry with the new token (never a 403), the new token
 * written back, failures classified and the permanent ones not retried; other modes never call
 * the token endpoint.
 */
export const TOKEN_ERROR_STATUSES = [401, 400] as const;
type TokenErrorStatus = (typeof TOKEN_ERROR_STATUSES)[number];
type TokenErrorCode = (typeof REFRESH_ERROR_CODES)[number] | 'invalid_grant';
export type RefreshScenario =
  | { readonly kind: 'proactive'; readonly account: AccountSpec }
  /** The access token expires in two minutes: inside 0.171.0's refresh window, not yet expired. */
  | { readonly kind: 'window'; readonly account: AccountSpec }
  | { readonly kind: 'fresh'; readonly account: AccountSpec }
  | { readonly kind: 'unauthorized'; readonly account: AccountSpec }
  | { readonly kind: 'forbidden'; readonly account: AccountSpec }
  | { readonly kind: 'tokenError'; readonly account: AccountSpec; readonly code: TokenErrorCode; readonly status: TokenErrorStatus }
  | { readonly kind: 'external401'; readonly auth: ExternalMode; readonly account: AccountSpec };

/**
 * Where the refresh is told to go: CODEX_REFRESH_TOKEN_URL_OVERRIDE on the mock (`override`, the
 * default and the only choice on a port mock), or no override, so production's
 * https://auth.openai.com/oauth/token (`production`, where the production hosts reach the mock).
 * Either way the refresh is judged by its full URL (contractTokenUrl), so a client that ignores
 * the override, or invents one, fails REFRESH.REQUEST.001/002.
 */
export const TOKEN_ENDPOINTS = ['override', 'production'] as const;
export type TokenEndpoint = (typeof TOKEN_ENDPOINTS)[number];
export type RefreshCase = RefreshScenario & { readonly tokenEndpoint?: TokenEndpoint };

/** Token endpoints a case may use with this mock. */
export function tokenEndpoint(productionHosts: boolean): fc.Arbitrary<TokenEndpoint> {
  return productionHosts ? fc.constantFrom(...TOKEN_ENDPOINTS) : fc.constant('override');
}

const EXTERNAL_MODES = ['chatgptAuthTokens', 'apiKey', 'agentIdentity', 'personalAccessToken', 'headers'] as const;
type ExternalMode = (typeof EXTERNAL_MODES)[number];

const RULES = [
  'REFRESH.REQUEST.001', 'REFRESH.REQUEST.002', 'REFRESH.REQUEST.003', 'REFRESH.PROACTIVE.001', 'REFRESH.PROACTIVE.002',
  'REFRESH.401.002', 'REFRESH.401.003', 'REFRESH.TOKEN.001', 'REFRESH.PERSIST.001', 'REFRESH.PERSIST.003', 'REFRESH.PERSIST.004',
  'REFRESH.ERROR.001', 'REFRESH.ERROR.002', 'REFRESH.ERROR.003', 'REFRESH.EXTERNAL.001', 'REFRESH.EXTERNAL.002',
] as const;

/** Journal rules judged on every refresh case (the request's shape and the permanent-failure cache). */
const JOURNAL_RULES = new Set<string>(['REFRESH.REQUEST.001', 'REFRESH.REQUEST.002', 'REFRESH.REQUEST.003', 'REFRESH.TOKEN.001']);

const BACKEND_CALLSITE = 'cloud-tasks.list';
const ANY_MODE_CALLSITE = 'core.responses';
const WINDOW_SECONDS = 120;

/**
 * Token-endpoint failures worth generating under a profile: the three codes in a 401 everywhere;
 * where a known code is permanent at any status (0.137.0 on), in a 400 too; and 400 invalid_grant
 * where the profile makes it permanent.
 */
function tokenErrors(profile: ProfileId): { codes: readonly TokenErrorCode[]; statuses: readonly TokenErrorStatus[] } {
  const permanent = contractFeatures(profile).permanentRefresh;
  return {
    codes: permanent === 'knownCodesAndInvalidGrant' ? [...REFRESH_ERROR_CODES, 'invalid_grant'] : REFRESH_ERROR_CODES,
    statuses: permanent === 'unauthorizedOnly' ? [401] : TOKEN_ERROR_STATUSES,
  };
}

/** A refresh scenario with its token endpoint. */
export function refreshCase(profile: ProfileId, modes: readonly AuthMode[], productionHosts: boolean): fc.Arbitrary<RefreshCase> {
  return fc.tuple(refreshScenario(profile, modes), tokenEndpoint(productionHosts)).map(([s, t]): RefreshCase => ({ ...s, tokenEndpoint: t }));
}

export function refreshScenario(profile: ProfileId, modes: readonly AuthMode[]): fc.Arbitrary<RefreshScenario> {
  const externals = EXTERNAL_MODES.filter((m) => modes.includes(m));
  const { codes, statuses } = tokenErrors(profile);
  return fc.oneof(
    fc.record({ kind: fc.constant('proactive' as const), account: accountSpec() }),
    fc.record({ kind: fc.constant('window' as const), account: accountSpec() }),
    fc.record({ kind: fc.constant('fresh' as const), account: accountSpec() }),
    fc.record({ kind: fc.constant('unauthorized' as const), account: accountSpec() }),
    fc.record({ kind: fc.constant('forbidden' as const), account: accountSpec() }),
    fc.record({ kind: fc.constant('tokenError' as const), account: accountSpec(), code: fc.constantFrom(...codes), status: fc.constantFrom(...statuses) }),
    ...(externals.length > 0 ? [fc.record({ kind: fc.constant('external401' as const), auth: fc.constantFrom(...externals), account: accountSpec() })] : []),
  );
}

export function showRefreshCase(s: RefreshCase): string {
  return s.tokenEndpoint === 'production' ? `${showRefreshScenario(s)} (no CODEX_REFRESH_TOKEN_URL_OVERRIDE)` : showRefreshScenario(s);
}

export function showRefreshScenario(s: RefreshScenario): string {
  const account = `${s.account.plan}${s.account.fedramp ? ' fedramp' : ''}`;
  switch (s.kind) {
    case 'proactive':
      return `chatgpt ${account}, access token expired → ${BACKEND_CALLSITE}`;
    case 'window':
      return `chatgpt ${account}, access token expiring in ${WINDOW_SECONDS}s → ${BACKEND_CALLSITE}`;
    case 'fresh':
      return `chatgpt ${account}, access token valid, last_refresh 9 days ago → ${BACKEND_CALLSITE}`;
    case 'unauthorized':
      return `chatgpt ${account}, the backend answers 401 to the access token until it is refreshed → ${BACKEND_CALLSITE}`;
    case 'forbidden':
      return `chatgpt ${account}, the backend answers 403 once → ${BACKEND_CALLSITE}`;
    case 'tokenError':
      return `chatgpt ${account}, access token expired, token endpoint answers ${s.status} ${s.code} → ${BACKEND_CALLSITE} twice`;
    case 'external401':
      return `${s.auth} ${account}, the backend answers 401 once → ${s.auth === 'apiKey' ? ANY_MODE_CALLSITE : BACKEND_CALLSITE}`;
    default:
      return assertNever(s, 'refresh scenario');
  }
}

function authSpecFor(s: RefreshScenario, profile: ProfileId): AuthSpec {
  switch (s.kind) {
    case 'proactive':
    case 'tokenError':
      return { mode: 'chatgpt', account: s.account, lastRefreshDaysAgo: 1, accessExpired: true };
    case 'window':
      return { mode: 'chatgpt', account: s.account, lastRefreshDaysAgo: 1, accessExpiresInSeconds: WINDOW_SECONDS };
    case 'fresh':
      // An unexpired JWT decides: no refresh even though last_refresh is past the 8-day interval.
      return { mode: 'chatgpt', account: s.account, lastRefreshDaysAgo: 9 };
    case 'unauthorized':
    case 'forbidden':
      return { mode: 'chatgpt', account: s.account, lastRefreshDaysAgo: 1 };
    case 'external401':
      switch (s.auth) {
        case 'apiKey':
          return { mode: 'apiKey', via: 'authJson' };
        case 'agentIdentity':
          return { mode: 'agentIdentity', account: s.account, via: defaultAgentIdentityVia(profile) };
        case 'personalAccessToken':
          return { mode: 'personalAccessToken', account: s.account, via: 'CODEX_ACCESS_TOKEN' };
        case 'headers':
          return { mode: 'headers', account: s.account, accountHeader: true };
        case 'chatgptAuthTokens':
          return { mode: 'chatgptAuthTokens', account: s.account };
        default:
          return assertNever(s.auth, 'external mode');
      }
    default:
      return assertNever(s, 'refresh scenario');
  }
}

/** Scenarios whose rules read auth.json after the session (REFRESH.PERSIST.001/002). */
export function judgesPersistence(s: RefreshScenario): boolean {
  return s.kind === 'proactive' || s.kind === 'window' || s.kind === 'unauthorized';
}

const isTokenRequest = (o: ObservedRequest): boolean => endpointKind(o.url) === 'oauthToken';

function faultsFor(s: RefreshScenario, caseId: string, accessToken: string | undefined): Fault[] {
  switch (s.kind) {
    case 'unauthorized':
      return accessToken === undefined ? [] : [{ kind: 'unauthorizedToken', token: accessToken, caseId }];
    case 'forbidden':
      return [{ kind: 'forbiddenOnce', caseId }];
    case 'external401':
      return [{ kind: 'unauthorizedOnce', caseId }];
    case 'tokenError':
      return [{ kind: 'tokenEndpointError', code: s.code === 'invalid_grant' ? 'other' : s.code, status: s.status, caseId }];
    default:
      return [];
  }
}

export async function executeRefreshScenario(ctx: SuiteContext, s: RefreshCase, caseId: string): Promise<RuleResult[]> {
  const spec = authSpecFor(s, ctx.profile);
  const callsite = spec.mode === 'apiKey' ? ANY_MODE_CALLSITE : BACKEND_CALLSITE;
  const missing = missingCapability(ctx, { mode: spec.mode, callsites: [callsite] });
  if (missing !== undefined) return RULES.map((id) => unsupported(id, missing, caseId));
  const urls = ctx.mock.beginCase(caseId);
  try {
    const seeded = await seedAuth(ctx.mock.backend, spec, { caseId });
    const home = await freshHome(ctx, caseId);
    const before = seeded.expected.mode === 'chatgpt' ? seeded.expected : undefined;
    ctx.mock.useFaults(...faultsFor(s, caseId, before?.tokens.accessToken));
    const env: Record<string, string> = { ...seeded.setup.env };
    if (s.tokenEndpoint !== 'production' || !ctx.mock.productionHosts) env['CODEX_REFRESH_TOKEN_URL_OVERRIDE'] = `${urls.root}/oauth/token`;
    const tokenUrl = contractTokenUrl({ env });
    if (spec.mode === 'agentIdentity' && contractFeatures(ctx.profile).authapi === 'chatgptEnvironment') {
      env['CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL'] = `${urls.root}/api/accounts`;
      env['CODEX_AGENT_IDENTITY_JWKS_BASE_URL'] = urls.chatgptBackendApi;
    }
    if (spec.mode === 'personalAccessToken') env['CODEX_AUTHAPI_BASE_URL'] = `${urls.root}/api/accounts`;
    const setup = {
      caseId,
      home,
      ...seeded.setup,
      env,
      config: { chatgptBaseUrl: urls.chatgptBackendApi, openaiBaseUrl: urls.openai, appsEnabled: true },
    };
    // REFRESH.PERSIST judges auth.json as a process that then ended left it: such cases get a
    // process of their own, ended at stop (driver-protocol.md, "Fresh processes").
    const session: Session = await ctx.implementation.start({ freshProcess: judgesPersistence(s) });
    const outcomes: Outcome[] = [];
    let failureClass: unknown;
    try {
      await session.configure(setup);
      outcomes.push(await session.invoke(callsite));
      if (s.kind === 'tokenError') {
        outcomes.push(await session.invoke(callsite));
        const canIntrospect = ctx.implementation.capabilities.introspect.includes('lastRefreshFailure') && session.introspect !== undefined;
        failureClass = canIntrospect ? await session.introspect!('lastRefreshFailure') : undefined;
      }
    } finally {
      await session.stop();
    }
    const observed = ctx.mock.journal(caseId);
    const out: RuleResult[] = checkJournal(observed, { profile: ctx.profile, tokenUrl }).filter((r) => JOURNAL_RULES.has(r.ruleId));
    const exp = (token: string): number | undefined => {
      try {
        const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
        return typeof payload.exp === 'number' ? payload.exp : undefined;
      } catch {
        return undefined;
      }
    };
    const proactive = (what: string): RuleResult =>
      checkProactiveRefresh(ctx.profile, observed, dueForProactiveRefresh(ctx.profile, before === undefined ? undefined : exp(before.tokens.accessToken), before?.lastRefresh === undefined ? undefined : Date.parse(before.lastRefresh), ctx.mock.backend.now()), what, caseId);
    switch (s.kind) {
      case 'proactive':
      case 'window': {
        out.push(proactive(s.kind === 'proactive' ? 'an expired access token' : `an access token expiring in ${WINDOW_SECONDS}s`));
        if (observed.some(isTokenRequest)) out.push(...(await persisted(ctx, home, before, observed, caseId, seeded.setup.files['auth.json'])));
        break;
      }
      case 'fresh':
        out.push(proactive('an unexpired access token (last_refresh 9 days ago)'));
        break;
      case 'unauthorized':
        out.push(checkUnauthorizedRecovery(observed, before?.tokens.accessToken, caseId));
        if (observed.some(isTokenRequest)) out.push(...(await persisted(ctx, home, before, observed, caseId, seeded.setup.files['auth.json'])));
        break;
      case 'forbidden':
        out.push(checkNoRecoveryWithout401(observed, caseId));
        break;
      case 'tokenError': {
        const classified = failureClass === undefined ? unsupported('REFRESH.ERROR.001', 'implementation does not volunteer introspection of lastRefreshFailure', caseId) : checkRefreshErrorClass(s.code, failureClass, caseId);
        // REFRESH.ERROR.001 states the classes of the three codes; invalid_grant has none of them.
        if (s.code !== 'invalid_grant') out.push(classified);
        out.push(...checkPermanentFailureNotRetried(ctx.profile, observed, s.status, s.code, caseId));
        break;
      }
      case 'external401':
        out.push(checkNoTokenRefresh(observed, spec.mode, caseId));
        break;
      default:
        return assertNever(s, 'refresh scenario');
    }
    return out;
  } finally {
    ctx.mock.endCase();
  }
}

/** REFRESH.PERSIST.001/003 after a refresh: the new token and last_refresh in a whole auth.json, 0600. */
async function persisted(ctx: SuiteContext, home: string, before: { tokens: { accessToken: string }; lastRefresh?: string } | undefined, observed: readonly ObservedRequest[], caseId: string, beforeText?: string): Promise<RuleResult[]> {
  const path = join(home, 'auth.json');
  let text: string | undefined;
  let mode = 0;
  try {
    text = await readFile(path, 'utf8');
    mode = (await stat(path)).mode;
  } catch {
    text = undefined;
  }
  let data: unknown;
  try {
    data = text === undefined ? undefined : JSON.parse(text);
  } catch {
    data = undefined;
  }
  const siblings = await readdir(home);
  const accepted = new Set<string>();
  if (data !== undefined) {
    const stored = (data as { tokens?: { access_token?: unknown } }).tokens?.access_token;
    if (typeof stored === 'string' && (await verifyAccessToken(ctx.mock.backend, stored)).ok) accepted.add(stored);
  }
  return [
    checkAuthJsonPersisted(data, { accessToken: before?.tokens.accessToken ?? '', ...(before?.lastRefresh !== undefined ? { lastRefresh: before.lastRefresh } : {}) }, observed, (t) => accepted.has(t), caseId),
    checkAuthJsonFile({ text, mode, siblings }, caseId),
    // The whole file against the one seeded: what the writer does not own is kept (codex-0.171).
    ...(beforeText !== undefined && inProfile(ctx.profile, 'REFRESH.PERSIST.004') ? [checkAuthJsonFieldsKept(JSON.parse(beforeText) as unknown, data, caseId)] : []),
  ];
}

export const refreshSuite: Suite = {
  id: 'refresh',
  title: 'ChatGPT token refresh: proactive, on 401, persisted, classified, never for other modes',
  rules: RULES,
  run(ctx) {
    const account = { plan: 'plus' as const, fedramp: false };
    const modes = PROFILE_MODES[ctx.profile].filter((m) => ctx.implementation.capabilities.authModes.includes(m));
    const { codes, statuses } = tokenErrors(ctx.profile);
    return runProperty(this, ctx, {
      arbitrary: () => refreshCase(ctx.profile, modes, ctx.mock.productionHosts),
      examples: [
        { kind: 'proactive', account },
        { kind: 'window', account },
        { kind: 'fresh', account },
        { kind: 'unauthorized', account },
        { kind: 'forbidden', account },
        ...codes.flatMap((code) => statuses.map((status) => ({ kind: 'tokenError' as const, account, code, status }))),
        ...EXTERNAL_MODES.filter((m) => modes.includes(m)).map((auth) => ({ kind: 'external401' as const, auth, account })),
      ],
      execute: (input, caseId) => executeRefreshScenario(ctx, input, caseId),
      show: showRefreshCase,
    });
  },
};

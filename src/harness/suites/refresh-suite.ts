import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { accountSpec } from '../../../scenarios/arbitraries/auth-spec.js';
import { REFRESH_ERROR_CODES, type RefreshErrorCode } from '../../../mocks/faults.js';
import { assertNever } from '../../assert-never.js';
import { checkJournal } from '../../rules/check.js';
import { endpointKind } from '../../rules/endpoint-kind.js';
import type { ObservedRequest } from '../../rules/observed-request.js';
import { fail, pass, unsupported, type RuleResult } from '../../rules/result.js';
import { seedAuth, type AccountSpec, type AuthSpec } from '../auth-spec.js';
import { freshHome, missingCapability } from '../case-session.js';
import type { Outcome, Session } from '../implementation.js';
import { runProperty } from '../property.js';
import type { Suite, SuiteContext } from '../suite.js';

/**
 * Token refresh of managed ChatGPT auth (codex-rs/login/src/auth/manager.rs): proactive when
 * last_refresh is older than 8 days, once on a 401, the new token used next and written back,
 * failures classified and not retried; other modes never call the token endpoint.
 */
export type RefreshScenario =
  | { readonly kind: 'proactive'; readonly account: AccountSpec }
  | { readonly kind: 'fresh'; readonly account: AccountSpec }
  | { readonly kind: 'unauthorized'; readonly account: AccountSpec }
  | { readonly kind: 'tokenError'; readonly account: AccountSpec; readonly code: RefreshErrorCode }
  | { readonly kind: 'external401'; readonly auth: 'chatgptAuthTokens' | 'apiKey' | 'agentIdentity'; readonly account: AccountSpec };

const RULES = [
  'REFRESH.REQUEST.001', 'REFRESH.PROACTIVE.001', 'REFRESH.401.001', 'REFRESH.TOKEN.001', 'REFRESH.PERSIST.001',
  'REFRESH.PERSIST.002', 'REFRESH.ERROR.001', 'REFRESH.ERROR.002', 'REFRESH.EXTERNAL.001',
] as const;

/** The client's failure class for each token endpoint error code (REFRESH.ERROR.001). */
export const EXPECTED_FAILURE_CLASS: Readonly<Record<RefreshErrorCode, string>> = {
  refresh_token_expired: 'expired',
  refresh_token_reused: 'reused',
  refresh_token_invalidated: 'revoked',
};

const BACKEND_CALLSITE = 'cloud-tasks.list';
const ANY_MODE_CALLSITE = 'models.refresh';

export function refreshScenario(): fc.Arbitrary<RefreshScenario> {
  return fc.oneof(
    fc.record({ kind: fc.constant('proactive' as const), account: accountSpec() }),
    fc.record({ kind: fc.constant('fresh' as const), account: accountSpec() }),
    fc.record({ kind: fc.constant('unauthorized' as const), account: accountSpec() }),
    fc.record({ kind: fc.constant('tokenError' as const), account: accountSpec(), code: fc.constantFrom(...REFRESH_ERROR_CODES) }),
    fc.record({ kind: fc.constant('external401' as const), auth: fc.constantFrom('chatgptAuthTokens' as const, 'apiKey' as const, 'agentIdentity' as const), account: accountSpec() }),
  );
}

export function showRefreshScenario(s: RefreshScenario): string {
  const account = `${s.account.plan}${s.account.fedramp ? ' fedramp' : ''}`;
  switch (s.kind) {
    case 'proactive':
      return `chatgpt ${account}, access token expired → ${BACKEND_CALLSITE}`;
    case 'fresh':
      return `chatgpt ${account}, access token valid, last_refresh 9 days ago → ${BACKEND_CALLSITE}`;
    case 'unauthorized':
      return `chatgpt ${account}, the backend answers 401 once → ${BACKEND_CALLSITE}`;
    case 'tokenError':
      return `chatgpt ${account}, access token expired, token endpoint answers ${s.code} → ${BACKEND_CALLSITE} twice`;
    case 'external401':
      return `${s.auth} ${account}, the backend answers 401 once → ${s.auth === 'apiKey' ? ANY_MODE_CALLSITE : BACKEND_CALLSITE}`;
    default:
      return assertNever(s, 'refresh scenario');
  }
}

function authSpecFor(s: RefreshScenario): AuthSpec {
  switch (s.kind) {
    case 'proactive':
    case 'tokenError':
      return { mode: 'chatgpt', account: s.account, lastRefreshDaysAgo: 1, accessExpired: true };
    case 'fresh':
      // An unexpired JWT decides: no refresh even though last_refresh is past the 8-day interval.
      return { mode: 'chatgpt', account: s.account, lastRefreshDaysAgo: 9 };
    case 'unauthorized':
      return { mode: 'chatgpt', account: s.account, lastRefreshDaysAgo: 1 };
    case 'external401':
      if (s.auth === 'apiKey') return { mode: 'apiKey', via: 'authJson' };
      if (s.auth === 'agentIdentity') return { mode: 'agentIdentity', account: s.account, via: 'CODEX_ACCESS_TOKEN' };
      return { mode: 'chatgptAuthTokens', account: s.account };
    default:
      return assertNever(s, 'refresh scenario');
  }
}

const isTokenRequest = (o: ObservedRequest): boolean => endpointKind(o.url) === 'oauthToken';
const isBackend = (o: ObservedRequest): boolean => !isTokenRequest(o) && !['jwks', 'taskRegistration'].includes(endpointKind(o.url));

export async function executeRefreshScenario(ctx: SuiteContext, s: RefreshScenario, caseId: string): Promise<RuleResult[]> {
  const spec = authSpecFor(s);
  const callsite = spec.mode === 'apiKey' ? ANY_MODE_CALLSITE : BACKEND_CALLSITE;
  const missing = missingCapability(ctx, { mode: spec.mode, callsites: [callsite] });
  if (missing !== undefined) return RULES.map((id) => unsupported(id, missing, caseId));
  const urls = ctx.mock.beginCase(caseId);
  try {
    const seeded = await seedAuth(ctx.mock.backend, spec);
    const home = await freshHome(ctx, caseId);
    const before = seeded.expected.mode === 'chatgpt' ? seeded.expected : undefined;
    if (s.kind === 'unauthorized' || s.kind === 'external401') ctx.mock.useFaults({ kind: 'unauthorizedOnce', caseId });
    if (s.kind === 'tokenError') ctx.mock.useFaults({ kind: 'tokenEndpointError', code: s.code, caseId });
    const setup = {
      caseId,
      home,
      files: seeded.setup.files,
      env: { ...seeded.setup.env, CODEX_REFRESH_TOKEN_URL_OVERRIDE: `${urls.root}/oauth/token` },
      ...(seeded.setup.hostTokens !== undefined ? { hostTokens: seeded.setup.hostTokens } : {}),
      config: { chatgptBaseUrl: urls.chatgptBackendApi, openaiBaseUrl: urls.openai, appsEnabled: true },
    };
    const session: Session = await ctx.implementation.start();
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
    const judged = checkJournal(observed).filter((r) => r.ruleId === 'REFRESH.REQUEST.001' || r.ruleId === 'REFRESH.ERROR.002');
    const tokenCalls = observed.filter(isTokenRequest);
    const backend = observed.filter(isBackend);
    const out: RuleResult[] = [...judged];
    const bearerOf = (o: ObservedRequest | undefined): string | undefined => o?.headers['authorization']?.replace(/^Bearer /, '');
    switch (s.kind) {
      case 'proactive': {
        const first = backend[0];
        const refreshedFirst = tokenCalls.length === 1 && first !== undefined && tokenCalls[0]!.seq < first.seq;
        out.push(refreshedFirst ? pass('REFRESH.PROACTIVE.001', 'refreshed once before the backend request', caseId) : fail('REFRESH.PROACTIVE.001', 'an expired access token', 'one token refresh before the backend request', `${tokenCalls.length} refresh(es)${first !== undefined && tokenCalls[0] !== undefined && tokenCalls[0].seq > first.seq ? ', after the backend request' : ''}`, caseId));
        out.push(...(await persisted(home, before?.tokens.accessToken, bearerOf(first), before?.lastRefresh, caseId)));
        if (first !== undefined && refreshedFirst) out.push(newTokenUsed(bearerOf(first), before?.tokens.accessToken, caseId));
        break;
      }
      case 'fresh':
        out.push(tokenCalls.length === 0 ? pass('REFRESH.PROACTIVE.001', 'fresh tokens were not refreshed', caseId) : fail('REFRESH.PROACTIVE.001', 'an unexpired access token (last_refresh 9 days ago)', 'no refresh', `${tokenCalls.length} refresh(es)`, caseId));
        break;
      case 'unauthorized': {
        const rejected = backend.find((o) => o.verdict.status === 401);
        const retry = rejected === undefined ? undefined : backend.find((o) => o.seq > rejected.seq);
        const refreshBetween = rejected !== undefined && retry !== undefined && tokenCalls.some((t) => t.seq > rejected.seq && t.seq < retry.seq);
        out.push(refreshBetween && tokenCalls.length === 1 ? pass('REFRESH.401.001', 'one refresh and one retry after the 401', caseId) : fail('REFRESH.401.001', 'a 401 from the backend', 'one refresh, then one retry', `${tokenCalls.length} refresh(es), ${retry === undefined ? 'no retry' : 'a retry'}${refreshBetween ? '' : ' (no refresh between 401 and retry)'}`, caseId));
        if (retry !== undefined) out.push(newTokenUsed(bearerOf(retry), before?.tokens.accessToken, caseId));
        out.push(...(await persisted(home, before?.tokens.accessToken, bearerOf(retry), before?.lastRefresh, caseId)));
        break;
      }
      case 'tokenError': {
        if (failureClass === undefined) out.push(unsupported('REFRESH.ERROR.001', 'implementation does not volunteer introspection of lastRefreshFailure', caseId));
        else {
          const want = EXPECTED_FAILURE_CLASS[s.code];
          out.push(failureClass === want ? pass('REFRESH.ERROR.001', `${s.code} classified as ${want}`, caseId) : fail('REFRESH.ERROR.001', `token endpoint error ${s.code}`, want, JSON.stringify(failureClass), caseId));
        }
        if (tokenCalls.length > 1) out.push(fail('REFRESH.ERROR.002', `token endpoint error ${s.code} (permanent)`, 'no second refresh for the same credentials', `${tokenCalls.length} refreshes`, caseId));
        else out.push(pass('REFRESH.ERROR.002', `${tokenCalls.length} refresh over two calls after a permanent failure`, caseId));
        break;
      }
      case 'external401':
        out.push(tokenCalls.length === 0 ? pass('REFRESH.EXTERNAL.001', `${s.auth} made no token refresh after a 401`, caseId) : fail('REFRESH.EXTERNAL.001', `${s.auth} after a 401`, 'no call to the OAuth token endpoint', `${tokenCalls.length} call(s)`, caseId));
        break;
      default:
        return assertNever(s, 'refresh scenario');
    }
    return out;
  } finally {
    ctx.mock.endCase();
  }
}

function newTokenUsed(used: string | undefined, old: string | undefined, caseId: string): RuleResult {
  return used !== undefined && used !== old
    ? pass('REFRESH.TOKEN.001', 'the request after the refresh carried the new access token', caseId)
    : fail('REFRESH.TOKEN.001', 'the request after a refresh', 'the new access token', used === undefined ? 'no bearer' : 'the pre-refresh access token', caseId);
}

/** REFRESH.PERSIST.001/002: auth.json holds the token that was used and a newer last_refresh, 0600, no temp files. */
async function persisted(home: string, oldAccess: string | undefined, used: string | undefined, oldLastRefresh: string | undefined, caseId: string): Promise<RuleResult[]> {
  const path = join(home, 'auth.json');
  let data: { tokens?: { access_token?: string }; last_refresh?: string } | undefined;
  let mode = 0;
  try {
    data = JSON.parse(await readFile(path, 'utf8')) as typeof data;
    mode = (await stat(path)).mode & 0o777;
  } catch {
    data = undefined;
  }
  const leftovers = (await readdir(home)).filter((f) => f !== 'auth.json' && f.startsWith('auth.json'));
  const out: RuleResult[] = [];
  const stored = data?.tokens?.access_token;
  const newerRefresh = data?.last_refresh !== undefined && (oldLastRefresh === undefined || Date.parse(data.last_refresh) > Date.parse(oldLastRefresh));
  out.push(
    stored !== undefined && stored !== oldAccess && stored === used && newerRefresh
      ? pass('REFRESH.PERSIST.001', 'auth.json holds the refreshed token and a newer last_refresh', caseId)
      : fail('REFRESH.PERSIST.001', 'auth.json after a refresh', 'the new access token (the one sent) and a newer last_refresh', data === undefined ? 'unreadable auth.json' : `${stored === oldAccess ? 'the old token' : stored === used ? 'the sent token' : 'a token that was not sent'}, last_refresh ${newerRefresh ? 'newer' : 'not newer'}`, caseId),
  );
  out.push(
    data !== undefined && mode === 0o600 && leftovers.length === 0
      ? pass('REFRESH.PERSIST.002', 'auth.json is whole, mode 0600, no temp files left', caseId)
      : fail('REFRESH.PERSIST.002', 'auth.json after a rewrite', 'valid JSON, mode 0600, no leftover temp files', `${data === undefined ? 'unparseable' : 'parseable'}, mode ${mode.toString(8)}, ${leftovers.length} leftover(s)`, caseId),
  );
  return out;
}

export const refreshSuite: Suite = {
  id: 'refresh',
  title: 'ChatGPT token refresh: proactive, on 401, persisted, classified, never for other modes',
  rules: RULES,
  run(ctx) {
    const account = { plan: 'plus' as const, fedramp: false };
    return runProperty(this, ctx, {
      arbitrary: () => refreshScenario(),
      examples: [
        { kind: 'proactive', account },
        { kind: 'fresh', account },
        { kind: 'unauthorized', account },
        ...REFRESH_ERROR_CODES.map((code) => ({ kind: 'tokenError' as const, account, code })),
        ...(['chatgptAuthTokens', 'apiKey', 'agentIdentity'] as const).map((auth) => ({ kind: 'external401' as const, auth, account })),
      ],
      execute: (input, caseId) => executeRefreshScenario(ctx, input, caseId),
      show: showRefreshScenario,
    });
  },
};


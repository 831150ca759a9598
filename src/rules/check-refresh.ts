/**
 * Pure checks of ChatGPT token refresh over a case's traffic and auth.json, per contract profile,
 * from codex-rs/login/src/auth/manager.rs (proactive refresh, UnauthorizedRecovery, error
 * classification, `persist_tokens`) and codex-rs/login/src/auth/storage.rs (auth.json save).
 */
import type { AuthMode } from '../auth/codex-auth.js';
import { ConformanceInputError } from '../errors.js';
import { fingerprint } from '../redact/fingerprint.js';
import { modeFacts } from './contract/modes.js';
import { contractFeatures } from './contract/features.js';
import { inProfile, pickRule } from './catalogue.js';
import { endpointKind } from './endpoint-kind.js';
import type { ObservedRequest } from './observed-request.js';
import type { ProfileId } from './profiles.js';
import { fail, pass, type RuleResult } from './result.js';

export const REFRESH_FAILURE_CLASSES = ['expired', 'reused', 'revoked', 'other'] as const;
export type RefreshFailureClass = (typeof REFRESH_FAILURE_CLASSES)[number];

/** The class each token-endpoint error code maps to (case-insensitive; unknown codes are `other`). */
export function expectedFailureClass(code: string | undefined): RefreshFailureClass {
  switch (code?.toLowerCase()) {
    case 'refresh_token_expired':
      return 'expired';
    case 'refresh_token_reused':
      return 'reused';
    case 'refresh_token_invalidated':
      return 'revoked';
    default:
      return 'other';
  }
}

/** The proactive-refresh rule of each profile. */
export function proactiveRule(profile: ProfileId): string {
  return pickRule(profile, 'REFRESH.PROACTIVE.002', 'REFRESH.PROACTIVE.001');
}

/**
 * Whether managed ChatGPT tokens are due for a proactive refresh: the access token's `exp` has
 * passed (PR #18811) or is within 5 minutes (0.171.0: `exp <= now + 5 min`); with no readable
 * `exp`, when last_refresh is older than 8 days.
 */
export function dueForProactiveRefresh(profile: ProfileId, exp: number | undefined, lastRefreshMs: number | undefined, nowMs: number): boolean {
  const windowMs = contractFeatures(profile).refreshWindowSeconds * 1000;
  if (exp !== undefined) return exp * 1000 <= nowMs + windowMs;
  return lastRefreshMs !== undefined && lastRefreshMs < nowMs - 8 * 86_400_000;
}

const isToken = (o: ObservedRequest): boolean => endpointKind(o.url) === 'oauthToken';
const isBackend = (o: ObservedRequest): boolean => !['oauthToken', 'jwks', 'taskRegistration', 'whoami'].includes(endpointKind(o.url));

/** Proactive refresh: due tokens get exactly one refresh before the first backend request; others none. */
export function checkProactiveRefresh(profile: ProfileId, observed: readonly ObservedRequest[], due: boolean, what: string, caseId?: string): RuleResult {
  const rule = proactiveRule(profile);
  const tokens = observed.filter(isToken);
  const firstBackend = observed.find(isBackend);
  if (!due) {
    return tokens.length === 0 ? pass(rule, `${rule} ${what} was not refreshed`, caseId) : fail(rule, what, 'no refresh', `${tokens.length} refresh(es)`, caseId);
  }
  const before = tokens.length === 1 && firstBackend !== undefined && tokens[0]!.seq < firstBackend.seq;
  if (before) return pass(rule, `${rule} ${what}: refreshed once before the backend request`, caseId);
  const after = tokens[0] !== undefined && firstBackend !== undefined && tokens[0].seq > firstBackend.seq;
  return fail(rule, what, 'one refresh before the backend request', `${tokens.length} refresh(es)${after ? ', after the backend request' : ''}`, caseId);
}

/**
 * REFRESH.401.003: while the backend answers 401 to the old token, exactly one refresh and a retry
 * with the new token, at most two retries in all (after a reload, then after the refresh).
 */
export function checkUnauthorizedRecovery(observed: readonly ObservedRequest[], oldToken: string | undefined, caseId?: string): RuleResult {
  const rejected = observed.find((o) => isBackend(o) && o.verdict.status === 401);
  if (rejected === undefined) return fail('REFRESH.401.003', 'a 401 case', 'a backend request answered 401', 'no 401 in the traffic', caseId);
  const later = observed.filter((o) => o.seq > rejected.seq);
  const refreshes = later.filter(isToken);
  const path = new URL(rejected.url).pathname;
  const retries = later.filter((o) => isBackend(o) && o.method === rejected.method && new URL(o.url).pathname === path);
  const bearer = (o: ObservedRequest): string | undefined => o.headers['authorization']?.replace(/^Bearer /, '');
  const withNew = retries.find((r) => refreshes[0] !== undefined && r.seq > refreshes[0].seq && bearer(r) !== oldToken);
  const ok = refreshes.length === 1 && withNew !== undefined && retries.length >= 1 && retries.length <= 2;
  if (ok) return pass('REFRESH.401.003', `REFRESH.401.003 one refresh and ${retries.length} retr${retries.length === 1 ? 'y' : 'ies'}, the last with the new token`, caseId);
  return fail(
    'REFRESH.401.003',
    `a 401 on #${rejected.seq} ${rejected.method} ${rejected.url} that persists until a refresh`,
    'one refresh, then a retry with the new token (at most two retries)',
    `${refreshes.length} refresh(es), ${retries.length} retr${retries.length === 1 ? 'y' : 'ies'}${withNew === undefined ? ', none with a new token after the refresh' : ''}`,
    caseId,
  );
}

/** REFRESH.401.002: a refusal other than 401 (403 here) is neither refreshed nor retried. */
export function checkNoRecoveryWithout401(observed: readonly ObservedRequest[], caseId?: string): RuleResult {
  const refused = observed.find((o) => isBackend(o) && o.verdict.status === 403);
  if (refused === undefined) return fail('REFRESH.401.002', 'a 403 case', 'a backend request answered 403', 'no 403 in the traffic', caseId);
  const path = new URL(refused.url).pathname;
  const retries = observed.filter((o) => o.seq > refused.seq && isBackend(o) && new URL(o.url).pathname === path);
  const refreshes = observed.filter(isToken);
  if (retries.length === 0 && refreshes.length === 0) return pass('REFRESH.401.002', 'REFRESH.401.002 a 403 was neither refreshed nor retried', caseId);
  return fail('REFRESH.401.002', `a 403 on #${refused.seq} ${refused.method} ${refused.url}`, 'no refresh and no retry', `${refreshes.length} refresh(es), ${retries.length} retr${retries.length === 1 ? 'y' : 'ies'}`, caseId);
}

/** REFRESH.ERROR.001: the class an implementation reports for a token-endpoint error code. */
export function checkRefreshErrorClass(code: string, reported: unknown, caseId?: string): RuleResult {
  const want = expectedFailureClass(code);
  return reported === want ? pass('REFRESH.ERROR.001', `REFRESH.ERROR.001 ${code} classified as ${want}`, caseId) : fail('REFRESH.ERROR.001', `token endpoint error ${code}`, want, JSON.stringify(reported), caseId);
}

/** Whether a failed token-endpoint answer is permanent under the profile. */
export function isPermanentRefreshAnswer(profile: ProfileId, status: number, code: string | undefined): boolean {
  if (status === 401) return true;
  const permanent = contractFeatures(profile).permanentRefresh;
  if (permanent === 'unauthorizedOnly') return false;
  return expectedFailureClass(code) !== 'other' || (permanent === 'knownCodesAndInvalidGrant' && status === 400 && code === 'invalid_grant');
}

/**
 * REFRESH.ERROR.002 (and REFRESH.ERROR.003 for the classes 0.171.0 added): after a permanent
 * failure no second refresh for the same credentials; after a transient one a retry is allowed.
 */
export function checkPermanentFailureNotRetried(profile: ProfileId, observed: readonly ObservedRequest[], status: number, code: string, caseId?: string): RuleResult[] {
  const calls = observed.filter(isToken).length;
  const permanent = isPermanentRefreshAnswer(profile, status, code);
  const newClass = inProfile(profile, 'REFRESH.ERROR.003') && status !== 401;
  const rules = newClass ? ['REFRESH.ERROR.002', 'REFRESH.ERROR.003'] : ['REFRESH.ERROR.002'];
  const what = `token endpoint answered ${status} ${code} (${permanent ? 'permanent' : 'transient'} in ${profile})`;
  if (!permanent) return [pass('REFRESH.ERROR.002', `REFRESH.ERROR.002 ${what}: ${calls} refresh call(s), retrying is allowed`, caseId)];
  return rules.map((rule) => (calls <= 1 ? pass(rule, `${rule} ${what}: not retried`, caseId) : fail(rule, what, 'no second refresh for the same credentials', `${calls} refresh calls`, caseId)));
}

/** REFRESH.EXTERNAL.001/002: modes other than managed ChatGPT never call the token endpoint. */
export function checkNoTokenRefresh(observed: readonly ObservedRequest[], mode: AuthMode, caseId?: string): RuleResult {
  if (modeFacts(mode).refreshedByClient) {
    throw new ConformanceInputError('USAGE', `REFRESH.EXTERNAL.* does not apply to ${mode} auth, which the client refreshes.`, 'judge other modes with checkNoTokenRefresh.');
  }
  const rule = ['apiKey', 'chatgptAuthTokens', 'agentIdentity'].includes(mode) ? 'REFRESH.EXTERNAL.001' : 'REFRESH.EXTERNAL.002';
  const calls = observed.filter(isToken);
  return calls.length === 0 ? pass(rule, `${rule} ${mode} made no token refresh`, caseId) : fail(rule, `${mode} auth`, 'no call to the OAuth token endpoint', `${calls.length} call(s)`, caseId);
}

/**
 * REFRESH.PERSIST.001: auth.json holds a new access token and a newer last_refresh. When a backend
 * request followed the refresh, the stored token is the one it carried; when none did (the refresh
 * came last), it is a token other than the old one that the backend accepts (`accepted`).
 */
export function checkAuthJsonPersisted(
  after: unknown,
  before: { accessToken: string; lastRefresh?: string },
  observed: readonly ObservedRequest[],
  accepted: (token: string) => boolean,
  caseId?: string,
): RuleResult {
  const data = typeof after === 'object' && after !== null ? (after as { tokens?: { access_token?: unknown }; last_refresh?: unknown }) : undefined;
  const stored = typeof data?.tokens?.access_token === 'string' ? data.tokens.access_token : undefined;
  const last = typeof data?.last_refresh === 'string' ? Date.parse(data.last_refresh) : NaN;
  const newer = !Number.isNaN(last) && (before.lastRefresh === undefined || last > Date.parse(before.lastRefresh));
  const lastRefresh = [...observed].reverse().find(isToken);
  const sentAfter = lastRefresh === undefined ? undefined : [...observed].reverse().find((o) => isBackend(o) && o.seq > lastRefresh.seq);
  const sentToken = sentAfter?.headers['authorization']?.replace(/^Bearer /, '');
  const tokenOk = stored !== undefined && stored !== before.accessToken && (sentToken !== undefined ? stored === sentToken : accepted(stored));
  if (tokenOk && newer) return pass('REFRESH.PERSIST.001', 'REFRESH.PERSIST.001 auth.json holds the refreshed token and a newer last_refresh', caseId);
  const what =
    data === undefined
      ? 'unreadable auth.json'
      : stored === undefined
        ? 'no access token'
        : stored === before.accessToken
          ? 'the old token'
          : sentToken !== undefined && stored !== sentToken
            ? `a token other than the one sent after the refresh (${fingerprint(stored)})`
            : tokenOk
              ? 'the refreshed token'
              : `a token the backend does not accept (${fingerprint(stored)})`;
  return fail('REFRESH.PERSIST.001', 'auth.json after a refresh', 'the new access token and a newer last_refresh', `${what}, last_refresh ${newer ? 'newer' : 'not newer'}`, caseId);
}

/** REFRESH.PERSIST.003: auth.json is whole JSON, mode 0600, and no stray file is left beside it. */
export function checkAuthJsonFile(file: { text: string | undefined; mode: number; siblings: readonly string[] }, caseId?: string): RuleResult {
  let parses = false;
  try {
    parses = file.text !== undefined && typeof JSON.parse(file.text) === 'object';
  } catch {
    parses = false;
  }
  const leftovers = file.siblings.filter((f) => f !== 'auth.json' && f.startsWith('auth.json'));
  const mode = file.mode & 0o777;
  if (parses && mode === 0o600 && leftovers.length === 0) return pass('REFRESH.PERSIST.003', 'REFRESH.PERSIST.003 auth.json is whole, mode 0600, no stray file left', caseId);
  return fail('REFRESH.PERSIST.003', 'auth.json after a rewrite', 'valid JSON, mode 0600, no stray file', `${parses ? 'parseable' : 'unparseable'}, mode ${mode.toString(8)}, ${leftovers.length} leftover(s)`, caseId);
}

/** auth.json fields the refresh writer does not own (codex-rs/login/src/auth/manager.rs `persist_tokens`, rust-v0.171.0). */
export const KEPT_AUTH_JSON_FIELDS = ['OPENAI_API_KEY', 'auth_mode', 'tokens.account_id', 'agent_identity'] as const;

/** Credential-bearing fields, shown only as fingerprints. */
const SECRET_FIELDS = new Set<string>(['OPENAI_API_KEY', 'agent_identity']);

function fieldAt(doc: unknown, path: string): unknown {
  let v: unknown = doc;
  for (const part of path.split('.')) v = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}

function shownField(path: string, v: unknown): string {
  if (v === undefined) return '(absent)';
  if (SECRET_FIELDS.has(path) && typeof v === 'string') return fingerprint(v);
  return SECRET_FIELDS.has(path) ? `(a ${v === null ? 'null' : typeof v})` : JSON.stringify(v);
}

/**
 * REFRESH.PERSIST.004: the whole auth.json after a refresh against the one before: every field the
 * writer does not own (KEPT_AUTH_JSON_FIELDS) that the file held is still there, unchanged.
 * Fields the source's struct does not name are not judged (serde drops them on the rewrite).
 */
export function checkAuthJsonFieldsKept(before: unknown, after: unknown, caseId?: string): RuleResult {
  const changed = KEPT_AUTH_JSON_FIELDS.filter((path) => {
    const was = fieldAt(before, path);
    return was !== undefined && JSON.stringify(fieldAt(after, path)) !== JSON.stringify(was);
  });
  if (changed.length === 0) return pass('REFRESH.PERSIST.004', 'REFRESH.PERSIST.004 the refresh kept every auth.json field it does not own', caseId);
  const shown = changed.map((path) => `${path} ${shownField(path, fieldAt(before, path))} -> ${shownField(path, fieldAt(after, path))}`);
  return fail('REFRESH.PERSIST.004', `auth.json rewritten by a refresh (field ${changed.join(', ')})`, 'the fields the refresh does not own kept as they were', shown.join('; '), caseId);
}

/**
 * Pure checks of ChatGPT token refresh over a case's traffic and auth.json, from
 * codex-rs/login/src/auth/manager.rs (proactive refresh, UnauthorizedRecovery, error
 * classification, `persist_tokens`) and codex-rs/login/src/auth/storage.rs (auth.json save).
 */
import type { AuthMode } from '../auth/codex-auth.js';
import { ConformanceInputError } from '../errors.js';
import { fingerprint } from '../redact/fingerprint.js';
import { endpointKind } from './endpoint-kind.js';
import type { ObservedRequest } from './observed-request.js';
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

const isToken = (o: ObservedRequest): boolean => endpointKind(o.url) === 'oauthToken';
const isBackend = (o: ObservedRequest): boolean => !isToken(o) && ['codexBackend', 'appsMcp'].includes(endpointKind(o.url));

/** REFRESH.PROACTIVE.001: stale tokens get exactly one refresh before the first backend request; fresh ones none. */
export function checkProactiveRefresh(observed: readonly ObservedRequest[], stale: boolean, caseId?: string): RuleResult {
  const tokens = observed.filter(isToken);
  const firstBackend = observed.find(isBackend);
  if (!stale) {
    return tokens.length === 0 ? pass('REFRESH.PROACTIVE.001', 'REFRESH.PROACTIVE.001 fresh tokens were not refreshed', caseId) : fail('REFRESH.PROACTIVE.001', 'fresh tokens', 'no refresh', `${tokens.length} refresh(es)`, caseId);
  }
  const before = tokens.length === 1 && firstBackend !== undefined && tokens[0]!.seq < firstBackend.seq;
  if (before) return pass('REFRESH.PROACTIVE.001', 'REFRESH.PROACTIVE.001 refreshed once before the backend request', caseId);
  const after = tokens[0] !== undefined && firstBackend !== undefined && tokens[0].seq > firstBackend.seq;
  return fail('REFRESH.PROACTIVE.001', 'stale tokens', 'one refresh before the backend request', `${tokens.length} refresh(es)${after ? ', after the backend request' : ''}`, caseId);
}

/** REFRESH.401.001: after a backend 401, one refresh, then one retry of the same request. */
export function checkUnauthorizedRecovery(observed: readonly ObservedRequest[], caseId?: string): RuleResult {
  const rejected = observed.find((o) => isBackend(o) && o.verdict.status === 401);
  if (rejected === undefined) return fail('REFRESH.401.001', 'a 401 case', 'a backend request answered 401', 'no 401 in the traffic', caseId);
  const later = observed.filter((o) => o.seq > rejected.seq);
  const refreshes = later.filter(isToken);
  const path = new URL(rejected.url).pathname;
  const retries = later.filter((o) => isBackend(o) && o.method === rejected.method && new URL(o.url).pathname === path);
  const ok = refreshes.length === 1 && retries.length === 1 && refreshes[0]!.seq < retries[0]!.seq;
  if (ok) return pass('REFRESH.401.001', 'REFRESH.401.001 one refresh and one retry after the 401', caseId);
  return fail('REFRESH.401.001', `a 401 on #${rejected.seq} ${rejected.method} ${rejected.url}`, 'one refresh, then one retry', `${refreshes.length} refresh(es), ${retries.length} retr${retries.length === 1 ? 'y' : 'ies'}`, caseId);
}

/** REFRESH.ERROR.001: the class an implementation reports for a token-endpoint error code. */
export function checkRefreshErrorClass(code: string, reported: unknown, caseId?: string): RuleResult {
  const want = expectedFailureClass(code);
  return reported === want ? pass('REFRESH.ERROR.001', `REFRESH.ERROR.001 ${code} classified as ${want}`, caseId) : fail('REFRESH.ERROR.001', `token endpoint error ${code}`, want, JSON.stringify(reported), caseId);
}

/** REFRESH.EXTERNAL.001: modes other than managed ChatGPT never call the token endpoint. */
export function checkNoTokenRefresh(observed: readonly ObservedRequest[], mode: AuthMode, caseId?: string): RuleResult {
  const calls = observed.filter(isToken);
  if (mode === 'chatgpt') {
    throw new ConformanceInputError('USAGE', 'REFRESH.EXTERNAL.001 does not apply to managed chatgpt auth, which may refresh.', 'judge apiKey, chatgptAuthTokens or agentIdentity cases with checkNoTokenRefresh.');
  }
  return calls.length === 0 ? pass('REFRESH.EXTERNAL.001', `REFRESH.EXTERNAL.001 ${mode} made no token refresh`, caseId) : fail('REFRESH.EXTERNAL.001', `${mode} auth`, 'no call to the OAuth token endpoint', `${calls.length} call(s)`, caseId);
}

/** REFRESH.PERSIST.001: auth.json holds the access token that was sent after the refresh and a newer last_refresh. */
export function checkAuthJsonPersisted(after: unknown, before: { accessToken: string; lastRefresh?: string }, sentToken: string | undefined, caseId?: string): RuleResult {
  const data = typeof after === 'object' && after !== null ? (after as { tokens?: { access_token?: unknown }; last_refresh?: unknown }) : undefined;
  const stored = typeof data?.tokens?.access_token === 'string' ? data.tokens.access_token : undefined;
  const last = typeof data?.last_refresh === 'string' ? Date.parse(data.last_refresh) : NaN;
  const newer = !Number.isNaN(last) && (before.lastRefresh === undefined || last > Date.parse(before.lastRefresh));
  if (stored !== undefined && stored !== before.accessToken && stored === sentToken && newer) {
    return pass('REFRESH.PERSIST.001', 'REFRESH.PERSIST.001 auth.json holds the refreshed token and a newer last_refresh', caseId);
  }
  const what = data === undefined ? 'unreadable auth.json' : stored === undefined ? 'no access token' : stored === before.accessToken ? 'the old token' : stored === sentToken ? 'the sent token' : `a token that was not sent (${fingerprint(stored)})`;
  return fail('REFRESH.PERSIST.001', 'auth.json after a refresh', 'the new access token (the one sent) and a newer last_refresh', `${what}, last_refresh ${newer ? 'newer' : 'not newer'}`, caseId);
}

/** REFRESH.PERSIST.002: auth.json is whole JSON, mode 0600, and no temp file is left beside it. */
export function checkAuthJsonFile(file: { text: string | undefined; mode: number; siblings: readonly string[] }, caseId?: string): RuleResult {
  let parses = false;
  try {
    parses = file.text !== undefined && typeof JSON.parse(file.text) === 'object';
  } catch {
    parses = false;
  }
  const leftovers = file.siblings.filter((f) => f !== 'auth.json' && f.startsWith('auth.json'));
  const mode = file.mode & 0o777;
  if (parses && mode === 0o600 && leftovers.length === 0) return pass('REFRESH.PERSIST.002', 'REFRESH.PERSIST.002 auth.json is whole, mode 0600, no temp files left', caseId);
  return fail('REFRESH.PERSIST.002', 'auth.json after a rewrite', 'valid JSON, mode 0600, no leftover temp files', `${parses ? 'parseable' : 'unparseable'}, mode ${mode.toString(8)}, ${leftovers.length} leftover(s)`, caseId);
}

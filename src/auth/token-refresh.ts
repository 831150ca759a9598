/**
 * ChatGPT OAuth token refresh: the request, the response, and the failure classes.
 *
 * Source: codex-rs/login/src/auth/manager.rs (`request_chatgpt_token_refresh`,
 * `classify_refresh_token_failure`, `extract_refresh_token_error_code`, `RefreshRequest`,
 * `RefreshResponse`, `refresh_token_endpoint`, `is_stale_for_proactive_refresh`,
 * `TOKEN_REFRESH_INTERVAL`), codex-rs/protocol/src/auth.rs (`RefreshTokenFailedReason`).
 * - POST {url} with `Content-Type: application/json` and body
 *   `{"client_id": "app_EMoamEEZ73f0CkXaXp7hrann", "grant_type": "refresh_token", "refresh_token": ...}`
 *   (JSON, not form encoding; the current source sends no `scope`).
 * - URL: env CODEX_REFRESH_TOKEN_URL_OVERRIDE, else https://auth.openai.com/oauth/token.
 * - Success: JSON with optional `id_token`, `access_token`, `refresh_token`.
 * - Failure: error code from `error.code`, or `error` when it is a string, or top-level `code`
 *   (case-insensitive): refresh_token_expired -> expired, refresh_token_reused -> reused
 *   (`Exhausted` in the source), refresh_token_invalidated -> revoked, anything else -> other.
 *   Permanent (do not retry, log in again) when the status is 401 or the reason is not `other`;
 *   otherwise transient.
 * - Proactive refresh (managed `chatgpt` mode only): stale when the access token is a JWT whose
 *   `exp` is within the profile's window (0 at PR #18811: has passed; 5 minutes since PR #23546,
 *   `exp <= now + 5 min`); otherwise when `last_refresh` is more than 8 days old; never when
 *   neither is known. A 400 `invalid_grant` is permanent in the newer source.
 */
import { ConformanceInputError } from '../errors.js';
import { tokenRefreshUrl } from '../urls/derived-urls.js';
import type { CodexAuth } from './codex-auth.js';
import { jwtExpiration } from './id-token.js';

export const CODEX_OAUTH_CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann';
export const DEFAULT_REFRESH_TOKEN_URL = 'https://auth.openai.com/oauth/token';
export const REFRESH_TOKEN_URL_OVERRIDE_ENV = 'CODEX_REFRESH_TOKEN_URL_OVERRIDE';
export const TOKEN_REFRESH_INTERVAL_DAYS = 8;

export const REFRESH_FAILURE_REASONS = ['expired', 'reused', 'revoked', 'other'] as const;
export type RefreshFailureReason = (typeof REFRESH_FAILURE_REASONS)[number];

export interface RefreshedTokens {
  readonly idToken?: string;
  readonly accessToken?: string;
  readonly refreshToken?: string;
}

export type RefreshResult =
  | { readonly kind: 'refreshed'; readonly tokens: RefreshedTokens }
  | {
      readonly kind: 'failed';
      readonly reason: RefreshFailureReason;
      /** HTTP status, or null when no response arrived (network error). */
      readonly status: number | null;
      /** True when retrying cannot help (401, or a recognised error code). */
      readonly permanent: boolean;
      /** The error code the server sent, if any (never a token). */
      readonly code?: string;
    };

/** The refresh endpoint: a non-empty override env var wins over the production URL. */
export function refreshTokenUrl(env: Readonly<Record<string, string | undefined>>): string {
  return tokenRefreshUrl({ ...env }); // one rule, kept in src/urls/derived-urls.ts
}

/** The JSON body the client sends. */
export function refreshRequestBody(refreshToken: string, clientId = CODEX_OAUTH_CLIENT_ID, scope?: string): string {
  return JSON.stringify({
    client_id: clientId,
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    ...(scope !== undefined && { scope }),
  });
}

/** The error code in a failed refresh response body, as the source extracts it. */
export function refreshErrorCode(body: string): string | undefined {
  if (body.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const map = parsed as Record<string, unknown>;
  const error = map['error'];
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null && !Array.isArray(error)) {
    const code = (error as Record<string, unknown>)['code'];
    if (typeof code === 'string') return code;
  }
  const code = map['code'];
  return typeof code === 'string' ? code : undefined;
}

export function classifyRefreshFailure(code: string | undefined): RefreshFailureReason {
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

function optionalStringField(obj: Record<string, unknown>, key: string): string | undefined | null {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : null;
}

export interface RefreshChatgptTokensOptions {
  readonly tokenUrl: string;
  readonly refreshToken: string;
  readonly fetch: typeof fetch;
  readonly clientId?: string;
  /** Older clients sent a scope; the current source does not. Omitted unless given. */
  readonly scope?: string;
  /**
   * Which failures are permanent: `unauthorizedOnly` (PR #18811: a 401, whatever its code) or
   * `codesAndInvalidGrant` (0.171.0, the default: a 401, a known code at any status, a 400 invalid_grant).
   */
  readonly permanentFailures?: 'unauthorizedOnly' | 'codesAndInvalidGrant';
}

/** Performs one refresh request. Never throws: every outcome is a RefreshResult. */
export async function refreshChatgptTokens(options: RefreshChatgptTokensOptions): Promise<RefreshResult> {
  let response: Response;
  try {
    response = await options.fetch(options.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: refreshRequestBody(options.refreshToken, options.clientId, options.scope),
    });
  } catch {
    return { kind: 'failed', reason: 'other', status: null, permanent: false };
  }
  const text = await response.text().catch(() => '');
  if (response.ok) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { kind: 'failed', reason: 'other', status: response.status, permanent: false };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { kind: 'failed', reason: 'other', status: response.status, permanent: false };
    }
    const body = parsed as Record<string, unknown>;
    const idToken = optionalStringField(body, 'id_token');
    const accessToken = optionalStringField(body, 'access_token');
    const refreshToken = optionalStringField(body, 'refresh_token');
    if (idToken === null || accessToken === null || refreshToken === null) {
      return { kind: 'failed', reason: 'other', status: response.status, permanent: false };
    }
    return {
      kind: 'refreshed',
      tokens: {
        ...(idToken !== undefined && { idToken }),
        ...(accessToken !== undefined && { accessToken }),
        ...(refreshToken !== undefined && { refreshToken }),
      },
    };
  }
  const code = refreshErrorCode(text);
  const reason = classifyRefreshFailure(code);
  return {
    kind: 'failed',
    reason,
    status: response.status,
    permanent:
      response.status === 401 ||
      ((options.permanentFailures ?? 'codesAndInvalidGrant') === 'codesAndInvalidGrant' && (reason !== 'other' || (response.status === 400 && code?.toLowerCase() === 'invalid_grant'))),
    ...(code !== undefined && { code }),
  };
}

/** Whether managed ChatGPT auth should be refreshed before use (`is_stale_for_proactive_refresh`). */
export function isStaleForProactiveRefresh(auth: CodexAuth, now: Date, windowMs = 0): boolean {
  if (auth.mode !== 'chatgpt') return false;
  const expiresAt = jwtExpiration(auth.tokens.accessToken);
  if (expiresAt !== undefined) return expiresAt.getTime() <= now.getTime() + windowMs;
  if (auth.lastRefresh === undefined) return false;
  const last = Date.parse(auth.lastRefresh);
  if (Number.isNaN(last)) return false;
  return last < now.getTime() - TOKEN_REFRESH_INTERVAL_DAYS * 24 * 60 * 60 * 1000;
}

/** A refresh that did not produce new tokens, as a typed error (code REFRESH_FAILED). */
export class RefreshFailedError extends ConformanceInputError {
  readonly reason: RefreshFailureReason | 'accountMismatch';
  readonly status: number | null;
  readonly permanent: boolean;
  constructor(
    failure: { reason: RefreshFailureReason | 'accountMismatch'; status: number | null; permanent: boolean },
    options?: { cause?: unknown },
  ) {
    const problems: Record<RefreshFailureReason | 'accountMismatch', string> = {
      expired: 'the refresh token has expired',
      reused: 'the refresh token was already used',
      revoked: 'the refresh token was revoked',
      other: 'the token endpoint did not return new tokens',
      accountMismatch: 'auth.json now belongs to another account (or has no account id), so it was not refreshed',
    };
    super(
      'REFRESH_FAILED',
      `ChatGPT token refresh failed: ${problems[failure.reason]} (status ${failure.status ?? 'none'}, ${failure.permanent ? 'permanent' : 'transient'}).`,
      failure.permanent ? 'Log in again (`codex login`) to get new tokens.' : 'Retry later; check the token endpoint (CODEX_REFRESH_TOKEN_URL_OVERRIDE).',
      options,
    );
    this.reason = failure.reason;
    this.status = failure.status;
    this.permanent = failure.permanent;
  }
}

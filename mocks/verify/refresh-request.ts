import type { MockBackend, RefreshRecord } from '../state/mock-backend.js';
import { CODEX_CLIENT_ID } from '../state/token-claims.js';
import { reject, type Rejection } from './rejection.js';

/**
 * Token refresh as codex-rs/login/src/auth/manager.rs sends it: `POST /oauth/token`,
 * `Content-Type: application/json`, body `{client_id, grant_type: "refresh_token", refresh_token}`.
 * Failures carry the codes the client classifies: `refresh_token_expired` (Expired),
 * `refresh_token_reused` (Exhausted), `refresh_token_invalidated` (Revoked); anything else is
 * "Other". A used refresh token is spent (rotation), so presenting it again is `reused`.
 */
export type RefreshVerdict =
  | { readonly ok: true; readonly record: RefreshRecord; readonly refreshToken: string }
  | { readonly ok: false; readonly rejection: Rejection };

export function verifyRefreshRequest(backend: MockBackend, contentType: string | null, body: unknown): RefreshVerdict {
  const fail = (r: Rejection): RefreshVerdict => ({ ok: false, rejection: r });
  if (contentType === null || !/^application\/json\b/i.test(contentType.trim())) {
    return fail(reject(415, 'unsupported_content_type', 'The refresh request must be Content-Type: application/json.'));
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail(reject(400, 'invalid_request', 'The refresh body must be a JSON object.'));
  }
  const o = body as Record<string, unknown>;
  if (o['client_id'] !== CODEX_CLIENT_ID) return fail(reject(401, 'invalid_client', 'client_id is not the Codex client.'));
  if (o['grant_type'] !== 'refresh_token') {
    return fail(reject(400, 'unsupported_grant_type', 'grant_type must be "refresh_token".'));
  }
  const token = o['refresh_token'];
  if (typeof token !== 'string' || token.length === 0) {
    return fail(reject(400, 'invalid_request', 'refresh_token must be a non-empty string.'));
  }
  const record = backend.refreshTokens.get(token);
  if (record === undefined) return fail(reject(401, 'invalid_grant', 'The refresh token was not issued by this backend.'));
  switch (record.state) {
    case 'used':
      return fail(reject(401, 'refresh_token_reused', 'The refresh token was already used.'));
    case 'revoked':
      return fail(reject(401, 'refresh_token_invalidated', 'The refresh token was revoked.'));
    case 'active':
      break;
  }
  if (record.expiresAt <= backend.now()) {
    return fail(reject(401, 'refresh_token_expired', 'The refresh token has expired.'));
  }
  return { ok: true, record, refreshToken: token };
}

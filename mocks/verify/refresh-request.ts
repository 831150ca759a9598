import type { MockBackend } from '../state/mock-backend.js';
import type { RefreshRecord } from '../state/issued-records.js';
import { CODEX_CLIENT_ID } from '../state/token-claims.js';
import { reject, type Rejection } from './rejection.js';

/**
 * Token refresh at `POST /oauth/token`. Codex sends `Content-Type: application/json` with
 * `{client_id, grant_type: "refresh_token", refresh_token}` (codex-rs/login/src/auth/manager.rs,
 * `request_chatgpt_token_refresh`); production also accepts the RFC 6749 §6 form-encoded body
 * (`application/x-www-form-urlencoded`) that most other clients send, so the mock accepts both
 * and journals which one arrived. Whether a client should have used JSON is a rule's verdict
 * (src/rules/), never a refusal here.
 * Failures carry the codes the client classifies: `refresh_token_expired` (Expired),
 * `refresh_token_reused` (Exhausted), `refresh_token_invalidated` (Revoked); anything else is
 * "Other". A used refresh token is spent (rotation), so presenting it again is `reused`.
 */
export const REFRESH_ENCODINGS = ['json', 'form'] as const;
export type RefreshEncoding = (typeof REFRESH_ENCODINGS)[number];

export type RefreshBody =
  | { readonly ok: true; readonly encoding: RefreshEncoding; readonly fields: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly rejection: Rejection };

export type RefreshVerdict =
  | { readonly ok: true; readonly record: RefreshRecord; readonly refreshToken: string }
  | { readonly ok: false; readonly rejection: Rejection; readonly record?: RefreshRecord };

const JSON_TYPE = /^application\/json\b/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded\b/i;

/** The encoding a Content-Type names, if it is one the token endpoint accepts. */
export function refreshEncodingOf(contentType: string | null): RefreshEncoding | undefined {
  if (contentType === null) return undefined;
  const type = contentType.trim();
  if (JSON_TYPE.test(type)) return 'json';
  if (FORM_TYPE.test(type)) return 'form';
  return undefined;
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Parses the body in the encoding its Content-Type names: a JSON object, or form fields. */
export function parseRefreshBody(contentType: string | null, bytes: Uint8Array): RefreshBody {
  const fail = (r: Rejection): RefreshBody => ({ ok: false, rejection: r });
  const encoding = refreshEncodingOf(contentType);
  if (encoding === undefined) {
    return fail(
      reject(415, 'unsupported_content_type', 'The token request must be Content-Type: application/json or application/x-www-form-urlencoded.'),
    );
  }
  const text = decodeUtf8(bytes);
  if (text === undefined) return fail(reject(400, 'invalid_request', 'The token request body is not valid UTF-8.'));
  switch (encoding) {
    case 'json': {
      let value: unknown;
      try {
        value = text.length === 0 ? undefined : JSON.parse(text);
      } catch {
        return fail(reject(400, 'invalid_json', 'The token request body is not valid JSON.'));
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return fail(reject(400, 'invalid_request', 'The refresh body must be a JSON object.'));
      }
      return { ok: true, encoding, fields: value as Record<string, unknown> };
    }
    case 'form': {
      const fields: Record<string, unknown> = {};
      for (const [key, value] of new URLSearchParams(text)) {
        // RFC 6749 §3.2: request parameters MUST NOT be included more than once.
        if (Object.hasOwn(fields, key)) return fail(reject(400, 'invalid_request', `The form parameter ${key.slice(0, 40)} appears more than once.`));
        fields[key] = value;
      }
      return { ok: true, encoding, fields };
    }
  }
}

export function verifyRefreshRequest(backend: MockBackend, fields: Readonly<Record<string, unknown>>): RefreshVerdict {
  const fail = (r: Rejection): RefreshVerdict => ({ ok: false, rejection: r });
  if (fields['client_id'] !== CODEX_CLIENT_ID) return fail(reject(401, 'invalid_client', 'client_id is not the Codex client.'));
  if (fields['grant_type'] !== 'refresh_token') {
    return fail(reject(400, 'unsupported_grant_type', 'grant_type must be "refresh_token".'));
  }
  const token = fields['refresh_token'];
  if (typeof token !== 'string' || token.length === 0) {
    return fail(reject(400, 'invalid_request', 'refresh_token must be a non-empty string.'));
  }
  const record = backend.refreshTokens.get(token);
  if (record === undefined) return fail(reject(401, 'invalid_grant', 'The refresh token was not issued by this backend.'));
  const known = (r: Rejection): RefreshVerdict => ({ ok: false, rejection: r, record });
  switch (record.state) {
    case 'used':
      return known(reject(401, 'refresh_token_reused', 'The refresh token was already used.'));
    case 'revoked':
      return known(reject(401, 'refresh_token_invalidated', 'The refresh token was revoked.'));
    case 'active':
      break;
  }
  if (record.expiresAt <= backend.now()) {
    return known(reject(401, 'refresh_token_expired', 'The refresh token has expired.'));
  }
  return { ok: true, record, refreshToken: token };
}

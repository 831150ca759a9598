/**
 * Decoding of the ChatGPT id_token (and any JWT whose payload the client reads without checking
 * the signature).
 *
 * Source: codex-rs/login/src/token_data.rs (`decode_jwt_payload`, `parse_chatgpt_jwt_claims`,
 * `parse_jwt_expiration`):
 * - the token must have at least three `.`-separated segments, the first three non-empty (extra
 *   segments are ignored);
 * - only the payload is decoded: base64url WITHOUT padding, strict (no `=`, no `+`/`/`, no
 *   non-zero trailing bits), then JSON;
 * - `email` at the top level, else `https://api.openai.com/profile`.email;
 * - under `https://api.openai.com/auth`: `chatgpt_plan_type`, `chatgpt_user_id` (fallback
 *   `user_id`), `chatgpt_account_id`, `chatgpt_account_is_fedramp` (bool, default false).
 * The signature is never checked by the client.
 */
import { ConformanceInputError } from '../errors.js';
import { fingerprint } from '../redact/fingerprint.js';
import type { IdTokenInfo } from './codex-auth.js';
import { planTypeFromClaim } from './plan-type.js';

export const AUTH_CLAIMS_KEY = 'https://api.openai.com/auth';
export const PROFILE_CLAIMS_KEY = 'https://api.openai.com/profile';

const BASE64URL_ALPHABET = /^[A-Za-z0-9_-]*$/;

/** Strict base64url (no padding) decoding, as Rust's URL_SAFE_NO_PAD engine does it. */
export function decodeBase64UrlNoPad(segment: string): Buffer | undefined {
  if (!BASE64URL_ALPHABET.test(segment) || segment.length % 4 === 1) return undefined;
  const bytes = Buffer.from(segment, 'base64url');
  // Canonical check: re-encoding must give the same text (rejects non-zero trailing bits).
  if (bytes.toString('base64url') !== segment) return undefined;
  return bytes;
}

/** Returns the decoded JSON payload object of a JWT; throws JWT_MALFORMED / JWT_BAD_BASE64. */
export function decodeJwtPayload(jwt: string): Record<string, unknown> {
  const parts = jwt.split('.');
  const [header, payload, signature] = parts;
  if (!header || !payload || !signature) {
    throw new ConformanceInputError(
      'JWT_MALFORMED',
      `The token ${fingerprint(jwt)} is not a JWT: it needs three non-empty dot-separated segments (header.payload.signature), it has ${parts.length} segment(s).`,
      'Pass the compact JWT exactly as issued (for auth.json: tokens.id_token).',
    );
  }
  const bytes = decodeBase64UrlNoPad(payload);
  if (bytes === undefined) {
    throw new ConformanceInputError(
      'JWT_BAD_BASE64',
      `The payload segment of the JWT ${fingerprint(jwt)} is not unpadded base64url.`,
      'Encode the payload with base64url without "=" padding, as JWTs require.',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw new ConformanceInputError(
      'JWT_MALFORMED',
      `The payload of the JWT ${fingerprint(jwt)} is not JSON.`,
      'The decoded payload must be a JSON object of claims.',
      { cause },
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConformanceInputError(
      'JWT_MALFORMED',
      `The payload of the JWT ${fingerprint(jwt)} is JSON but not an object.`,
      'The decoded payload must be a JSON object of claims.',
    );
  }
  return parsed as Record<string, unknown>;
}

function claimTypeError(jwt: string, claim: string, expected: string): ConformanceInputError {
  return new ConformanceInputError(
    'JWT_MALFORMED',
    `The claim ${claim} of the JWT ${fingerprint(jwt)} must be ${expected}.`,
    `Give ${claim} as ${expected}, or leave it out.`,
  );
}

function optionalString(
  jwt: string,
  obj: Record<string, unknown>,
  key: string,
  path: string,
): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw claimTypeError(jwt, path, 'a string');
  return value;
}

function optionalObject(
  jwt: string,
  obj: Record<string, unknown>,
  key: string,
): Record<string, unknown> | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw claimTypeError(jwt, key, 'an object');
  }
  return value as Record<string, unknown>;
}

/** Parses the claims the client reads from a ChatGPT id_token (or access token) payload. */
export function parseIdToken(jwt: string): IdTokenInfo {
  const claims = decodeJwtPayload(jwt);
  const profile = optionalObject(jwt, claims, PROFILE_CLAIMS_KEY);
  const auth = optionalObject(jwt, claims, AUTH_CLAIMS_KEY);
  const email =
    optionalString(jwt, claims, 'email', 'email') ??
    (profile ? optionalString(jwt, profile, 'email', `${PROFILE_CLAIMS_KEY}.email`) : undefined);

  let planType: string | undefined;
  let chatgptUserId: string | undefined;
  let chatgptAccountId: string | undefined;
  let isFedramp = false;
  if (auth) {
    const rawPlan = optionalString(jwt, auth, 'chatgpt_plan_type', `${AUTH_CLAIMS_KEY}.chatgpt_plan_type`);
    planType = rawPlan === undefined ? undefined : planTypeFromClaim(rawPlan);
    chatgptUserId =
      optionalString(jwt, auth, 'chatgpt_user_id', `${AUTH_CLAIMS_KEY}.chatgpt_user_id`) ??
      optionalString(jwt, auth, 'user_id', `${AUTH_CLAIMS_KEY}.user_id`);
    chatgptAccountId = optionalString(
      jwt,
      auth,
      'chatgpt_account_id',
      `${AUTH_CLAIMS_KEY}.chatgpt_account_id`,
    );
    const fedramp = auth['chatgpt_account_is_fedramp'];
    if (fedramp !== undefined) {
      if (typeof fedramp !== 'boolean') {
        throw claimTypeError(jwt, `${AUTH_CLAIMS_KEY}.chatgpt_account_is_fedramp`, 'a boolean');
      }
      isFedramp = fedramp;
    }
  }
  return {
    ...(email !== undefined && { email }),
    ...(planType !== undefined && { planType }),
    ...(chatgptUserId !== undefined && { chatgptUserId }),
    ...(chatgptAccountId !== undefined && { chatgptAccountId }),
    isFedramp,
    rawJwt: jwt,
  };
}

/**
 * The `exp` claim of a JWT as a Date, or undefined when the token is not a decodable JWT or has
 * no numeric `exp` (`parse_jwt_expiration` errors or yields None then; callers fall back to
 * `last_refresh`).
 */
export function jwtExpiration(jwt: string): Date | undefined {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwtPayload(jwt);
  } catch {
    return undefined;
  }
  const exp = claims['exp'];
  if (typeof exp !== 'number' || !Number.isInteger(exp)) return undefined;
  const date = new Date(exp * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

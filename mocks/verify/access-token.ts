import { decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { Account } from '../state/accounts.js';
import type { MockBackend } from '../state/mock-backend.js';
import type { IssuedAccessToken } from '../state/issued-records.js';
import { ACCESS_TOKEN_AUDIENCE, TOKEN_ISSUER } from '../state/token-claims.js';
import { reject, type Rejection } from './rejection.js';

/**
 * Verifies a ChatGPT access token the way a backend would: RS256 only, a `kid` of the mock's
 * token keys, signature, issuer, audience, expiry on the mock clock, and issued (and not
 * revoked) by this mock. Token claim layout: codex-rs/login/src/token_data.rs.
 */
export type AccessTokenResult =
  | { readonly ok: true; readonly record: IssuedAccessToken; readonly account: Account }
  | { readonly ok: false; readonly rejection: Rejection; readonly record?: IssuedAccessToken };

function recordOf(backend: MockBackend, token: string): IssuedAccessToken | undefined {
  try {
    const jti = decodeJwt(token).jti;
    return typeof jti === 'string' ? backend.accessTokens.get(jti) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Tokens whose RS256 signature, issuer and audience verified, per backend: verifying the same
 * string against the same key gives the same answer, so a hit skips the RSA work and re-checks
 * only what can change (the key still published, expiry on the mock clock, issuance,
 * revocation). Bounded; cleared when full.
 */
const verifiedSignatures = new WeakMap<MockBackend, Map<string, { readonly kid: string; readonly exp: number; readonly jti: string }>>();
const MAX_VERIFIED = 10_000;

function verifiedCache(backend: MockBackend): Map<string, { readonly kid: string; readonly exp: number; readonly jti: string }> {
  let cache = verifiedSignatures.get(backend);
  if (cache === undefined) {
    cache = new Map();
    verifiedSignatures.set(backend, cache);
  }
  return cache;
}

export async function verifyAccessToken(backend: MockBackend, token: string): Promise<AccessTokenResult> {
  const cached = verifiedCache(backend).get(token);
  const record = cached !== undefined ? backend.accessTokens.get(cached.jti) : recordOf(backend, token);
  if (cached !== undefined && backend.tokenKeys.find(cached.kid) !== undefined) {
    if (cached.exp * 1000 <= backend.now()) {
      return { ok: false, rejection: reject(401, 'token_expired', 'The access token has expired.'), ...(record === undefined ? {} : { record }) };
    }
    return issuedAndActive(backend, record);
  }
  const fail = (status: number, code: string, message: string): AccessTokenResult => ({
    ok: false,
    rejection: reject(status, code, message),
    ...(record === undefined ? {} : { record }),
  });
  let header;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return fail(401, 'token_malformed', 'The bearer token is not a JWT this backend issued.');
  }
  if (header.alg !== 'RS256') {
    return fail(401, 'alg_rejected', `JWT alg ${JSON.stringify(header.alg ?? null)} is not accepted; only RS256.`);
  }
  const key = typeof header.kid === 'string' ? backend.tokenKeys.find(header.kid) : undefined;
  if (key === undefined) return fail(401, 'unknown_kid', 'The JWT kid is not one of this backend\'s signing keys.');
  try {
    const { payload } = await jwtVerify(token, key.publicKey, {
      algorithms: ['RS256'],
      issuer: TOKEN_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
      currentDate: new Date(backend.now()),
    });
    if (typeof payload.exp === 'number' && typeof payload.jti === 'string') {
      const cache = verifiedCache(backend);
      if (cache.size >= MAX_VERIFIED) cache.clear();
      cache.set(token, { kid: key.kid, exp: payload.exp, jti: payload.jti });
    }
  } catch (e) {
    if (e instanceof errors.JWTExpired) return fail(401, 'token_expired', 'The access token has expired.');
    if (e instanceof errors.JWTClaimValidationFailed) {
      const code = e.claim === 'aud' ? 'invalid_audience' : e.claim === 'iss' ? 'invalid_issuer' : 'invalid_claims';
      return fail(401, code, `The access token claim ${e.claim} is not valid for this backend.`);
    }
    if (e instanceof errors.JWSSignatureVerificationFailed) {
      return fail(401, 'bad_signature', 'The access token signature does not verify.');
    }
    return fail(401, 'token_malformed', 'The access token could not be verified.');
  }
  return issuedAndActive(backend, record);
}

function refused(record: IssuedAccessToken | undefined, code: string, message: string): AccessTokenResult {
  return { ok: false, rejection: reject(401, code, message), ...(record === undefined ? {} : { record }) };
}

function issuedAndActive(backend: MockBackend, record: IssuedAccessToken | undefined): AccessTokenResult {
  if (record === undefined) return refused(record, 'token_not_issued', 'This backend did not issue the access token.');
  if (record.revoked) return refused(record, 'token_revoked', 'The access token was revoked.');
  const account = backend.accounts.get(record.accountId);
  if (account === undefined) return refused(record, 'account_unknown', 'The token\'s account no longer exists.');
  return { ok: true, record, account };
}

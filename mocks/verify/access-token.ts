import { decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { Account } from '../state/accounts.js';
import type { IssuedAccessToken, MockBackend } from '../state/mock-backend.js';
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

export async function verifyAccessToken(backend: MockBackend, token: string): Promise<AccessTokenResult> {
  const record = recordOf(backend, token);
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
    await jwtVerify(token, key.publicKey, {
      algorithms: ['RS256'],
      issuer: TOKEN_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
      currentDate: new Date(backend.now()),
    });
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
  if (record === undefined) return fail(401, 'token_not_issued', 'This backend did not issue the access token.');
  if (record.revoked) return fail(401, 'token_revoked', 'The access token was revoked.');
  const account = backend.accounts.get(record.accountId);
  if (account === undefined) return fail(401, 'account_unknown', 'The token\'s account no longer exists.');
  return { ok: true, record, account };
}

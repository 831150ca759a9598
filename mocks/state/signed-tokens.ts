import { SignJWT } from 'jose';
import type { Account } from './accounts.js';
import type { SigningKey } from './key-ring.js';
import {
  ACCESS_TOKEN_AUDIENCE,
  CODEX_CLIENT_ID,
  TOKEN_ISSUER,
  accessTokenPayload,
  idTokenPayload,
  type AgentIdentityClaimsJson,
} from './token-claims.js';

/**
 * The JWTs the mock backend signs, RS256 under a key of its rings: an account's ChatGPT access
 * token and id token (claims from token-claims.ts), and an agent identity JWT.
 */
export async function signChatgptTokens(
  account: Account,
  key: SigningKey,
  times: { readonly jti: string; readonly iat: number; readonly exp: number },
): Promise<{ readonly accessToken: string; readonly idToken: string }> {
  const accessToken = await signTokenJwt(accessTokenPayload(account), key, ACCESS_TOKEN_AUDIENCE, account.chatgptUserId, times);
  const idToken = await signTokenJwt(idTokenPayload(account), key, CODEX_CLIENT_ID, account.chatgptUserId, { iat: times.iat, exp: times.exp });
  return { accessToken, idToken };
}

/** One token of the token issuer; the claims are set in the same order for every token (iss, aud, sub, jti, iat, exp). */
function signTokenJwt(
  payload: Record<string, unknown>,
  key: SigningKey,
  audience: string,
  subject: string,
  times: { readonly jti?: string; readonly iat: number; readonly exp: number },
): Promise<string> {
  const jwt = new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' }).setIssuer(TOKEN_ISSUER).setAudience(audience).setSubject(subject);
  if (times.jti !== undefined) jwt.setJti(times.jti);
  return jwt.setIssuedAt(times.iat).setExpirationTime(times.exp).sign(key.privateKey);
}

export function signAgentIdentityJwt(claims: AgentIdentityClaimsJson, key: SigningKey): Promise<string> {
  return new SignJWT({ ...claims }).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
}

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
  const accessToken = await new SignJWT(accessTokenPayload(account))
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setSubject(account.chatgptUserId)
    .setJti(times.jti)
    .setIssuedAt(times.iat)
    .setExpirationTime(times.exp)
    .sign(key.privateKey);
  const idToken = await new SignJWT(idTokenPayload(account))
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(CODEX_CLIENT_ID)
    .setSubject(account.chatgptUserId)
    .setIssuedAt(times.iat)
    .setExpirationTime(times.exp)
    .sign(key.privateKey);
  return { accessToken, idToken };
}

export function signAgentIdentityJwt(claims: AgentIdentityClaimsJson, key: SigningKey): Promise<string> {
  return new SignJWT({ ...claims }).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
}

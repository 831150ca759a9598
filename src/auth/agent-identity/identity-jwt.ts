/**
 * Verifying an Agent Identity JWT (codex-rs/agent-identity/src/lib.rs): RS256 only, a `kid` that
 * the JWKS holds, `iss` = https://chatgpt.com/codex-backend/agent-identity, `aud` =
 * codex-app-server, unexpired; then the claims the client uses. Every failure is a typed error
 * that names the problem and shows the token only as a fingerprint.
 */
import { createLocalJWKSet, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { ConformanceInputError, type InputErrorCode } from '../../errors.js';
import { fingerprint } from '../../redact/fingerprint.js';
import type { AgentIdentityClaims } from '../codex-auth.js';

export const AGENT_IDENTITY_ISSUER = 'https://chatgpt.com/codex-backend/agent-identity';
export const AGENT_IDENTITY_AUDIENCE = 'codex-app-server';

export interface VerifyIdentityOptions {
  readonly jwks: JSONWebKeySet | (() => Promise<JSONWebKeySet>);
  readonly now?: Date;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

function identityError(code: InputErrorCode, jwt: string, problem: string, fix: string): ConformanceInputError {
  return new ConformanceInputError(code, `agent identity JWT ${fingerprint(jwt)}: ${problem}.`, fix);
}

export async function verifyAgentIdentityJwt(jwt: string, opts: VerifyIdentityOptions): Promise<AgentIdentityClaims> {
  const segments = jwt.split('.');
  if (segments.length !== 3) {
    throw identityError('JWT_MALFORMED', jwt, `has ${segments.length} segment(s), a JWT has three`, 'pass the compact JWS form header.payload.signature (CODEX_ACCESS_TOKEN).');
  }
  if (!segments.every((s) => s.length > 0 && B64URL.test(s))) {
    throw identityError('JWT_BAD_BASE64', jwt, 'a segment is not base64url', 'pass the token exactly as issued, without quotes, whitespace or padding.');
  }
  let header;
  try {
    header = decodeProtectedHeader(jwt);
  } catch {
    throw identityError('JWT_BAD_BASE64', jwt, 'the header does not decode to JSON', 'pass the token exactly as issued.');
  }
  if (header.alg !== 'RS256') {
    throw identityError('JWT_ALG_REJECTED', jwt, `alg ${JSON.stringify(header.alg ?? null)} is refused; only RS256 is accepted`, 'mint the identity with RS256 and a key published in the JWKS.');
  }
  if (typeof header.kid !== 'string' || header.kid === '') {
    throw identityError('JWT_UNKNOWN_KID', jwt, 'the header has no kid', 'mint the identity with the kid of a key in the JWKS.');
  }
  const jwks = typeof opts.jwks === 'function' ? await opts.jwks() : opts.jwks;
  if (!jwks.keys.some((k) => k.kid === header.kid)) {
    throw identityError('JWT_UNKNOWN_KID', jwt, `kid ${JSON.stringify(header.kid)} is not in the JWKS (${jwks.keys.length} key(s))`, 'mint the identity with a current key, or fetch the JWKS again after a key rotation.');
  }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), {
      algorithms: ['RS256'],
      issuer: AGENT_IDENTITY_ISSUER,
      audience: AGENT_IDENTITY_AUDIENCE,
      ...(opts.now !== undefined ? { currentDate: opts.now } : {}),
    }));
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired) {
      throw identityError('JWT_EXPIRED', jwt, 'it has expired', 'mint a new identity (codex login --with-access-token) and pass it again.');
    }
    if (e instanceof joseErrors.JWTClaimValidationFailed) {
      throw identityError('JWT_INVALID', jwt, `claim ${e.claim} is invalid (${e.reason})`, `mint it with iss ${AGENT_IDENTITY_ISSUER} and aud ${AGENT_IDENTITY_AUDIENCE}.`);
    }
    if (e instanceof joseErrors.JWSSignatureVerificationFailed) {
      throw identityError('JWT_INVALID', jwt, 'the signature does not verify with the JWKS key', 'mint the identity with the private key whose public half the JWKS publishes.');
    }
    throw identityError('JWT_INVALID', jwt, `it does not verify (${e instanceof Error ? e.message : String(e)})`, 'mint a well-formed RS256 identity JWT.');
  }
  return claimsOf(jwt, payload);
}

function claimsOf(jwt: string, p: JWTPayload): AgentIdentityClaims {
  const str = (name: string, required: boolean): string | undefined => {
    const v = p[name];
    if (typeof v === 'string' && v !== '') return v;
    if (required || v !== undefined) {
      throw identityError('JWT_INVALID', jwt, `claim ${name} is ${v === undefined ? 'missing' : 'not a non-empty string'}`, 'mint the identity with every claim the client reads (agent_runtime_id, agent_private_key, account_id, ...).');
    }
    return undefined;
  };
  const fedramp = p['chatgpt_account_is_fedramp'];
  if (fedramp !== undefined && typeof fedramp !== 'boolean') {
    throw identityError('JWT_INVALID', jwt, 'claim chatgpt_account_is_fedramp is not a boolean', 'mint it as true or false.');
  }
  const optional = (name: string): Record<string, string> => {
    const v = str(name, false);
    return v === undefined ? {} : { [name]: v };
  };
  const o = { ...optional('account_id'), ...optional('chatgpt_user_id'), ...optional('email'), ...optional('plan_type') };
  return {
    agentRuntimeId: str('agent_runtime_id', true)!,
    agentPrivateKey: str('agent_private_key', true)!,
    ...(o['account_id'] !== undefined ? { accountId: o['account_id'] } : {}),
    ...(o['chatgpt_user_id'] !== undefined ? { chatgptUserId: o['chatgpt_user_id'] } : {}),
    ...(o['email'] !== undefined ? { email: o['email'] } : {}),
    ...(o['plan_type'] !== undefined ? { planType: o['plan_type'] } : {}),
    isFedramp: fedramp === true,
    iat: typeof p.iat === 'number' ? p.iat : 0,
    exp: typeof p.exp === 'number' ? p.exp : 0,
  };
}

/** Fetches a JWKS once per call; failures are JWKS_UNAVAILABLE with the URL and status. */
export function jwksFetcher(url: string, fetchFn: typeof fetch): () => Promise<JSONWebKeySet> {
  return async () => {
    let response: Response;
    try {
      response = await fetchFn(url, { headers: { accept: 'application/json' } });
    } catch (e) {
      throw new ConformanceInputError('JWKS_UNAVAILABLE', `GET ${url} failed: ${e instanceof Error ? e.message : String(e)}.`, 'check chatgpt_base_url points at a backend that serves the agent identity JWKS.');
    }
    if (!response.ok) {
      throw new ConformanceInputError('JWKS_UNAVAILABLE', `GET ${url} answered ${response.status}.`, 'check chatgpt_base_url points at a backend that serves the agent identity JWKS.');
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (typeof body !== 'object' || body === null || !Array.isArray((body as { keys?: unknown }).keys)) {
      throw new ConformanceInputError('JWKS_UNAVAILABLE', `GET ${url} did not answer a JWKS ({"keys": [...]}).`, 'serve a JSON Web Key Set at the JWKS URL.');
    }
    return body as JSONWebKeySet;
  };
}

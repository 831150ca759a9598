/**
 * Verifying an Agent Identity JWT. Facts (codex-rs/agent-identity/src/lib.rs
 * `decode_agent_identity_jwt`, `AgentIdentityJwtClaims`):
 * - the header must carry a `kid`, and the JWKS must hold a key with that kid (first match);
 * - jsonwebtoken `Validation::new(RS256)`: RS256 only; `exp` required and checked with the
 *   crate's default 60 s leeway (jsonwebtoken >= 9); `iss` and `aud` required, equal to
 *   https://chatgpt.com/codex-backend/agent-identity and codex-app-server;
 * - the payload deserializes into a struct whose every field is required: iss and aud as single
 *   strings, iat and exp as unsigned integers, agent_runtime_id, agent_private_key, account_id,
 *   chatgpt_user_id, email and plan_type as strings (an unknown plan is kept: `PlanType` has a
 *   `#[serde(other)] Unknown`), chatgpt_account_is_fedramp as a boolean.
 * Every failure here is a typed error that names the problem and shows the token only as a
 * fingerprint.
 */
import { createLocalJWKSet, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { ConformanceInputError, type InputErrorCode } from '../../errors.js';
import { fingerprint } from '../../redact/fingerprint.js';
import type { AgentIdentityClaims } from '../codex-auth.js';

export const AGENT_IDENTITY_ISSUER = 'https://chatgpt.com/codex-backend/agent-identity';
export const AGENT_IDENTITY_AUDIENCE = 'codex-app-server';
/** jsonwebtoken's default `Validation::leeway` (seconds), which the client does not change. */
export const AGENT_IDENTITY_EXP_LEEWAY_SECONDS = 60;

export interface VerifyIdentityOptions {
  readonly jwks: JSONWebKeySet | (() => Promise<JSONWebKeySet>);
  readonly now?: Date;
  /** Clock skew allowed on `exp`; default AGENT_IDENTITY_EXP_LEEWAY_SECONDS. */
  readonly leewaySeconds?: number;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

function identityError(code: InputErrorCode, jwt: string, problem: string, fix: string): ConformanceInputError {
  return new ConformanceInputError(code, `agent identity JWT ${fingerprint(jwt)}: ${problem}.`, fix);
}

export async function verifyAgentIdentityJwt(jwt: string, opts: VerifyIdentityOptions): Promise<AgentIdentityClaims> {
  const header = protectedHeaderOf(jwt);
  if (header.alg !== 'RS256') {
    throw identityError('JWT_ALG_REJECTED', jwt, `alg ${JSON.stringify(header.alg ?? null)} is refused; only RS256 is accepted`, 'mint the identity with RS256 and a key published in the JWKS.');
  }
  if (jwt.endsWith('.')) {
    throw identityError('JWT_INVALID', jwt, 'the signature segment is empty', 'sign the identity with the RS256 key whose public half the JWKS publishes.');
  }
  const kid = header.kid;
  if (typeof kid !== 'string') {
    throw identityError('JWT_UNKNOWN_KID', jwt, 'the header has no kid', 'mint the identity with the kid of a key in the JWKS.');
  }
  const jwks = await resolveJwks(opts.jwks);
  if (!jwks.keys.some((k) => k.kid === kid)) {
    throw identityError('JWT_UNKNOWN_KID', jwt, `kid ${JSON.stringify(kid)} is not in the JWKS (${jwks.keys.length} key(s))`, 'mint the identity with a current key, or fetch the JWKS again after a key rotation.');
  }
  const leeway = opts.leewaySeconds ?? AGENT_IDENTITY_EXP_LEEWAY_SECONDS;
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), {
      algorithms: ['RS256'],
      issuer: AGENT_IDENTITY_ISSUER,
      audience: AGENT_IDENTITY_AUDIENCE,
      requiredClaims: ['exp', 'iss', 'aud'],
      clockTolerance: leeway,
      ...(opts.now !== undefined ? { currentDate: opts.now } : {}),
    }));
  } catch (e) {
    throw verificationError(jwt, e, leeway);
  }
  return claimsOf(jwt, payload);
}

/** Splits and decodes the header, or throws JWT_MALFORMED / JWT_BAD_BASE64. */
function protectedHeaderOf(jwt: string): ReturnType<typeof decodeProtectedHeader> {
  const segments = jwt.split('.');
  if (segments.length !== 3) {
    throw identityError('JWT_MALFORMED', jwt, `has ${segments.length} segment(s), a JWT has three`, 'pass the compact JWS form header.payload.signature (CODEX_ACCESS_TOKEN).');
  }
  const [h, p, s] = segments as [string, string, string];
  if (h === '' || p === '' || !B64URL.test(h) || !B64URL.test(p) || !B64URL.test(s)) {
    throw identityError('JWT_BAD_BASE64', jwt, 'a segment is empty or not base64url', 'pass the token exactly as issued, without quotes, whitespace or padding.');
  }
  try {
    return decodeProtectedHeader(jwt);
  } catch {
    throw identityError('JWT_BAD_BASE64', jwt, 'the header does not decode to a JSON object', 'pass the token exactly as issued.');
  }
}

async function resolveJwks(source: VerifyIdentityOptions['jwks']): Promise<JSONWebKeySet> {
  let jwks: unknown;
  try {
    jwks = typeof source === 'function' ? await source() : source;
  } catch (e) {
    if (e instanceof ConformanceInputError) throw e;
    throw new ConformanceInputError('JWKS_UNAVAILABLE', `the agent identity JWKS could not be loaded (${e instanceof Error ? e.message : String(e)}).`, 'serve a JSON Web Key Set at the JWKS URL, or pass one explicitly.');
  }
  if (typeof jwks !== 'object' || jwks === null || !Array.isArray((jwks as { keys?: unknown }).keys)) {
    throw new ConformanceInputError('JWKS_UNAVAILABLE', 'the agent identity JWKS is not a JSON Web Key Set ({"keys": [...]}).', 'serve or pass a JWKS document with a keys array.');
  }
  return jwks as JSONWebKeySet;
}

function verificationError(jwt: string, e: unknown, leeway: number): ConformanceInputError {
  if (e instanceof joseErrors.JWTExpired) {
    return identityError('JWT_EXPIRED', jwt, `it has expired (exp more than ${leeway} s ago)`, 'mint a new identity (codex login --with-access-token) and pass it again.');
  }
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    return identityError('JWT_INVALID', jwt, `claim ${e.claim} is invalid (${e.reason})`, `mint it with exp, iss ${AGENT_IDENTITY_ISSUER} and aud ${AGENT_IDENTITY_AUDIENCE}.`);
  }
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) {
    return identityError('JWT_INVALID', jwt, 'the signature does not verify with the JWKS key', 'mint the identity with the private key whose public half the JWKS publishes.');
  }
  if (e instanceof joseErrors.JWKSNoMatchingKey) {
    return identityError('JWT_UNKNOWN_KID', jwt, 'the JWKS has no RS256 signing key with this kid', 'publish the key as an RSA JWK (use sig, alg RS256 or none).');
  }
  return identityError('JWT_INVALID', jwt, `it does not verify (${e instanceof Error ? e.message : String(e)})`, 'mint a well-formed RS256 identity JWT with a JSON object payload.');
}

const STRING_CLAIMS = ['agent_runtime_id', 'agent_private_key', 'account_id', 'chatgpt_user_id', 'email', 'plan_type'] as const;
type StringClaim = (typeof STRING_CLAIMS)[number];

function claimsOf(jwt: string, p: JWTPayload): AgentIdentityClaims {
  const fix = 'mint the identity with every claim the client deserializes: iss, aud, iat, exp, agent_runtime_id, agent_private_key, account_id, chatgpt_user_id, email, plan_type, chatgpt_account_is_fedramp.';
  const invalid = (name: string, wanted: string) => identityError('JWT_INVALID', jwt, `claim ${name} is ${p[name] === undefined ? 'missing' : `not ${wanted}`}`, fix);
  for (const name of ['iss', 'aud'] as const) {
    if (typeof p[name] !== 'string') throw invalid(name, 'a single string');
  }
  for (const name of ['iat', 'exp'] as const) {
    const v = p[name];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw invalid(name, 'a non-negative integer');
  }
  const s = {} as Record<StringClaim, string>;
  for (const name of STRING_CLAIMS) {
    const v = p[name];
    if (typeof v !== 'string') throw invalid(name, 'a string');
    s[name] = v;
  }
  const fedramp = p['chatgpt_account_is_fedramp'];
  if (typeof fedramp !== 'boolean') throw invalid('chatgpt_account_is_fedramp', 'a boolean');
  return {
    agentRuntimeId: s.agent_runtime_id,
    agentPrivateKey: s.agent_private_key,
    accountId: s.account_id,
    chatgptUserId: s.chatgpt_user_id,
    email: s.email,
    planType: s.plan_type,
    isFedramp: fedramp,
    iat: p.iat as number,
    exp: p.exp as number,
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

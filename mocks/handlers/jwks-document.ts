import { HttpResponse } from 'msw';
import { assertNever } from '../../src/assert-never.js';
import type { MockContext } from './route.js';

/**
 * JWKS answers under which the source refuses every identity (codex-rs/agent-identity/src/lib.rs
 * rust-v0.171.0: `.json()` into `JwkSet` (a `keys` array), `jwks.find(&kid)` takes the first key
 * with the kid, `DecodingKey::from_jwk` + RS256 validation): not JSON; no `keys` array; only
 * other kids; the kid as a symmetric (`oct`) key; the kid twice, a foreign RSA key first. And one
 * it accepts the identity on: the kid's key after a foreign key with another kid (`kidNotFirst`).
 * Issue 20 (agent identity): a sound key set under an error status (`error_for_status` refuses
 * it: 404, 500); the keys without their kids (a token without a kid is refused before any key is
 * looked at); and the kid twice with the published key first (`find` stops at it: accepted).
 */
export const JWKS_DOCUMENT_FLAWS = [
  'notJson', 'noKeysArray', 'otherKidsOnly', 'octKey', 'duplicateKidForeignFirst', 'kidNotFirst',
  'notFoundWithKeys', 'serverErrorWithKeys', 'keysWithoutKid', 'duplicateKidPublishedFirst',
] as const;
export type JwksDocumentFlaw = (typeof JWKS_DOCUMENT_FLAWS)[number];

/** The JWKS document a flaw answers with, built from the keys the mock publishes and a foreign one. */
export async function jwksDocument(flaw: JwksDocumentFlaw, backend: MockContext['backend']): Promise<Response> {
  const published = backend.agentIdentityKeys.jwks().keys;
  const stranger = (await backend.outsideKey()).publicJwk;
  switch (flaw) {
    case 'notJson':
      return new HttpResponse('<html>jwks</html>', { status: 200, headers: { 'content-type': 'text/html' } });
    case 'noKeysArray':
      return HttpResponse.json({ keys: Object.fromEntries(published.map((k) => [k.kid ?? '', k])) });
    case 'otherKidsOnly':
      return HttpResponse.json({ keys: [stranger] });
    case 'octKey':
      return HttpResponse.json({ keys: published.map((k) => ({ kty: 'oct', kid: k.kid, alg: 'HS256', use: 'sig', k: Buffer.from(String(k.kid)).toString('base64url') })) });
    case 'duplicateKidForeignFirst':
      return HttpResponse.json({ keys: [...published.map((k) => ({ ...stranger, kid: k.kid })), ...published] });
    case 'kidNotFirst':
      return HttpResponse.json({ keys: [stranger, ...published] });
    case 'notFoundWithKeys':
      return HttpResponse.json({ keys: published }, { status: 404 });
    case 'serverErrorWithKeys':
      return HttpResponse.json({ keys: published }, { status: 500 });
    case 'keysWithoutKid':
      return HttpResponse.json({ keys: published.map(({ kid: _kid, ...k }) => k) });
    case 'duplicateKidPublishedFirst':
      return HttpResponse.json({ keys: [...published, ...published.map((k) => ({ ...stranger, kid: k.kid }))] });
    default:
      return assertNever(flaw, 'JWKS document flaw');
  }
}

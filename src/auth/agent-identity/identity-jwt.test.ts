import { generateKeyPair, SignJWT } from 'jose';
import fc from 'fast-check';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentKeyPair, createJwksSigningKey, jwksOf, mintAgentIdentityJwt, type MintAgentIdentityOptions } from '../../../mocks/fixtures/agent-identity-mint.js';
import { ConformanceInputError } from '../../errors.js';
import { jwksFetcher, verifyAgentIdentityJwt } from './identity-jwt.js';

const signingKey = await createJwksSigningKey('kid-1');
const rotated = await createJwksSigningKey('kid-2');
const jwks = jwksOf(rotated, signingKey);
const agent = createAgentKeyPair();
const T0 = 1_900_000_000;
const at = (s: number) => new Date(s * 1000);
const base: MintAgentIdentityOptions = {
  signingKey,
  agentRuntimeId: 'rt-1',
  agentPrivateKeyPkcs8B64: agent.privateKeyPkcs8B64,
  accountId: 'acct-1',
  chatgptUserId: 'user-1',
  email: 'a@example.test',
  planType: 'business',
  isFedramp: true,
  iat: T0,
  exp: T0 + 3600,
};

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'verified';
  } catch (e) {
    return e instanceof ConformanceInputError ? e.code : `untyped: ${String(e)}`;
  }
}
const check = async (o: Partial<MintAgentIdentityOptions>, now = at(T0 + 10)) => outcome(verifyAgentIdentityJwt(await mintAgentIdentityJwt({ ...base, ...o }), { jwks, now }));

describe('verifyAgentIdentityJwt (AGENT.JWT.001)', () => {
  it('AGENT.JWT.001 accepts RS256 with a kid in the JWKS and returns every claim', async () => {
    const claims = await verifyAgentIdentityJwt(await mintAgentIdentityJwt(base), { jwks, now: at(T0 + 10) });
    expect(claims).toEqual({
      agentRuntimeId: 'rt-1',
      agentPrivateKey: agent.privateKeyPkcs8B64,
      accountId: 'acct-1',
      chatgptUserId: 'user-1',
      email: 'a@example.test',
      planType: 'business',
      isFedramp: true,
      iat: T0,
      exp: T0 + 3600,
    });
  });

  it('AGENT.JWT.001 exp is checked with the 60 s leeway of jsonwebtoken', async () => {
    expect(await check({ exp: T0 }, at(T0 + 59))).toBe('verified');
    expect(await check({ exp: T0 }, at(T0 + 61))).toBe('JWT_EXPIRED');
    expect(await check({ exp: T0 + 3600 }, at(T0 + 7200))).toBe('JWT_EXPIRED');
    expect(await outcome(verifyAgentIdentityJwt(await mintAgentIdentityJwt({ ...base, exp: T0 }), { jwks, now: at(T0 + 30), leewaySeconds: 0 }))).toBe('JWT_EXPIRED');
  });

  it('AGENT.JWT.001 refuses wrong iss/aud, aud as an array, and any missing or mistyped claim', async () => {
    expect(await check({ iss: 'https://evil.example' })).toBe('JWT_INVALID');
    expect(await check({ aud: 'someone-else' })).toBe('JWT_INVALID');
    expect(await check({ aud: ['codex-app-server'] })).toBe('JWT_INVALID');
    for (const name of ['iss', 'aud', 'exp', 'iat', 'agent_runtime_id', 'agent_private_key', 'account_id', 'chatgpt_user_id', 'email', 'plan_type', 'chatgpt_account_is_fedramp']) {
      expect(await check({ extraClaims: { [name]: undefined } }), `without ${name}`).toBe('JWT_INVALID');
    }
    for (const [name, value] of [['iat', 1.5], ['iat', -1], ['iat', '1'], ['account_id', 7], ['plan_type', null], ['chatgpt_account_is_fedramp', 'true']] as const) {
      expect(await check({ extraClaims: { [name]: value } }), `${name}=${String(value)}`).toBe('JWT_INVALID');
    }
  });

  it('keeps an unknown plan type and empty strings (serde accepts them)', async () => {
    const claims = await verifyAgentIdentityJwt(await mintAgentIdentityJwt({ ...base, planType: 'galactic', email: '' }), { jwks, now: at(T0 + 10) });
    expect(claims).toMatchObject({ planType: 'galactic', email: '' });
  });

  it('refuses alg none / HS256 / RS512 (JWT_ALG_REJECTED), no kid or an unknown kid (JWT_UNKNOWN_KID), a foreign signature (JWT_INVALID)', async () => {
    expect(await check({ alg: 'none' })).toBe('JWT_ALG_REJECTED');
    const hs = new TextEncoder().encode('x'.repeat(32));
    expect(await outcome(verifyAgentIdentityJwt(await mintAgentIdentityJwt({ ...base, alg: 'HS256', signingKey: { kid: 'kid-1', privateKey: hs as never } }), { jwks }))).toBe('JWT_ALG_REJECTED');
    const rs512 = await generateKeyPair('RS512');
    expect(await outcome(verifyAgentIdentityJwt(await new SignJWT({}).setProtectedHeader({ alg: 'RS512', kid: 'kid-1' }).sign(rs512.privateKey), { jwks }))).toBe('JWT_ALG_REJECTED');
    expect(await check({ kid: null })).toBe('JWT_UNKNOWN_KID');
    expect(await check({ kid: 'kid-gone' })).toBe('JWT_UNKNOWN_KID');
    const foreign = await createJwksSigningKey('kid-1');
    expect(await check({ signingKey: foreign })).toBe('JWT_INVALID');
    expect(await check({ signingKey: rotated })).toBe('verified');
  });

  it('structure errors: not three segments (JWT_MALFORMED), a signature not base64url or a header not JSON (JWT_BAD_BASE64), a changed header or an empty signature (JWT_INVALID)', async () => {
    const good = await mintAgentIdentityJwt(base);
    const [h, p] = good.split('.') as [string, string, string];
    const cases: [string, string][] = [
      [`${h}.${p}`, 'JWT_MALFORMED'],
      [`${good}.x`, 'JWT_MALFORMED'],
      ['', 'JWT_MALFORMED'],
      [`${h}.${p}.a+b/`, 'JWT_BAD_BASE64'],
      [`${h}=.${p}.sig`, 'JWT_INVALID'],
      [`${h}.${p}.c2ln==`, 'JWT_BAD_BASE64'],
      [`.${p}.sig`, 'JWT_BAD_BASE64'],
      [`${Buffer.from('not json').toString('base64url')}.${p}.sig`, 'JWT_BAD_BASE64'],
      [`${h}.${p}.`, 'JWT_INVALID'],
    ];
    for (const [jwt, code] of cases) expect(await outcome(verifyAgentIdentityJwt(jwt, { jwks })), jwt.slice(0, 30)).toBe(code);
  });

  it('AGENT.JWT.003 the first JWKS key with the kid is the one used (jwks.find), a later duplicate is never tried', async () => {
    const foreign = await createJwksSigningKey('kid-1');
    const jwt = await mintAgentIdentityJwt(base);
    const now = at(T0 + 10);
    expect(await outcome(verifyAgentIdentityJwt(jwt, { jwks: jwksOf(signingKey, foreign), now }))).toBe('verified');
    expect(await outcome(verifyAgentIdentityJwt(jwt, { jwks: jwksOf(foreign, signingKey), now }))).toBe('JWT_INVALID');
  });

  it('AGENT.JWT.001 a token without a kid is refused even when the JWKS holds its key without a kid', async () => {
    const kidless = { keys: jwksOf(signingKey).keys.map(({ kid: _kid, ...k }) => k) };
    expect(await outcome(verifyAgentIdentityJwt(await mintAgentIdentityJwt({ ...base, kid: null }), { jwks: kidless, now: at(T0 + 10) }))).toBe('JWT_UNKNOWN_KID');
  });

  it('a JWKS loader that fails or returns a non-JWKS is JWKS_UNAVAILABLE', async () => {
    const jwt = await mintAgentIdentityJwt(base);
    expect(await outcome(verifyAgentIdentityJwt(jwt, { jwks: () => Promise.reject(new Error('down')) }))).toBe('JWKS_UNAVAILABLE');
    expect(await outcome(verifyAgentIdentityJwt(jwt, { jwks: async () => ({ nokeys: [] }) as never }))).toBe('JWKS_UNAVAILABLE');
  });

  it('never puts the token in an error message', async () => {
    const token = await mintAgentIdentityJwt({ ...base, aud: 'x' });
    const error = await verifyAgentIdentityJwt(token, { jwks }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ConformanceInputError);
    expect(String(error)).not.toContain(token);
    expect(String(error)).toMatch(/fp:[0-9a-f]{12}/);
  });

  it('random strings and random base64url segments give a typed JWT_ error, never a crash', async () => {
    const segment = fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b).toString('base64url'));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.tuple(segment, segment, segment).map((s) => s.join('.'))), async (s) => {
        expect(await outcome(verifyAgentIdentityJwt(s, { jwks }))).toMatch(/^JWT_/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('jwksFetcher', () => {
  const URL_OK = 'http://127.0.0.1:9/backend-api/wham/agent-identities/jwks';
  let reply: () => Response = () => HttpResponse.json(jwks);
  const server = setupServer(http.get(URL_OK, () => reply()));
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  it('GETs the JWKS the verifier then uses', async () => {
    reply = () => HttpResponse.json(jwks);
    const claims = await verifyAgentIdentityJwt(await mintAgentIdentityJwt(base), { jwks: jwksFetcher(URL_OK, fetch), now: at(T0) });
    expect(claims.agentRuntimeId).toBe('rt-1');
  });

  it('a status error (even with a key set), a non-JSON body, a non-JWKS body or a network error is JWKS_UNAVAILABLE', async () => {
    const jwt = await mintAgentIdentityJwt(base);
    for (const r of [() => HttpResponse.json({}, { status: 404 }), () => HttpResponse.json(jwks, { status: 500 }), () => new HttpResponse('<html>'), () => HttpResponse.json({ keys: 'no' }), () => HttpResponse.error()]) {
      reply = r;
      expect(await outcome(verifyAgentIdentityJwt(jwt, { jwks: jwksFetcher(URL_OK, fetch), now: at(T0) }))).toBe('JWKS_UNAVAILABLE');
    }
  });
});

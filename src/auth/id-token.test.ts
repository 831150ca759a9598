import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInputError } from '../errors.js';
import { decodeBase64UrlNoPad, jwtExpiration, parseIdToken } from './id-token.js';
import { unsignedJwt } from './unsigned-jwt.js';

const AUTH = 'https://api.openai.com/auth';
const PROFILE = 'https://api.openai.com/profile';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (isInputError(e)) return e.code;
    throw e;
  }
  return undefined;
}

describe('parseIdToken', () => {
  it('reads email, plan, user id, account id and FedRAMP flag from the auth claims', () => {
    const jwt = unsignedJwt({
      email: 'a@example.com',
      [AUTH]: {
        chatgpt_plan_type: 'business',
        chatgpt_user_id: 'user-1',
        chatgpt_account_id: 'acct-1',
        chatgpt_account_is_fedramp: true,
      },
    });
    expect(parseIdToken(jwt)).toEqual({
      email: 'a@example.com',
      planType: 'business',
      chatgptUserId: 'user-1',
      chatgptAccountId: 'acct-1',
      isFedramp: true,
      rawJwt: jwt,
    });
  });

  it('falls back to the profile email and to user_id', () => {
    const info = parseIdToken(
      unsignedJwt({ [PROFILE]: { email: 'p@example.com' }, [AUTH]: { user_id: 'legacy-user' } }),
    );
    expect(info.email).toBe('p@example.com');
    expect(info.chatgptUserId).toBe('legacy-user');
  });

  it('prefers the top-level email and chatgpt_user_id over the fallbacks', () => {
    const info = parseIdToken(
      unsignedJwt({
        email: 'top@example.com',
        [PROFILE]: { email: 'p@example.com' },
        [AUTH]: { chatgpt_user_id: 'u-new', user_id: 'u-old' },
      }),
    );
    expect(info.email).toBe('top@example.com');
    expect(info.chatgptUserId).toBe('u-new');
  });

  it('defaults FedRAMP to false and leaves absent claims out', () => {
    const info = parseIdToken(unsignedJwt({ sub: 'x' }));
    expect(info.isFedramp).toBe(false);
    expect(Object.keys(info).sort()).toEqual(['isFedramp', 'rawJwt']);
  });

  it('maps the raw plan aliases hc -> enterprise and education -> edu', () => {
    expect(parseIdToken(unsignedJwt({ [AUTH]: { chatgpt_plan_type: 'hc' } })).planType).toBe('enterprise');
    expect(parseIdToken(unsignedJwt({ [AUTH]: { chatgpt_plan_type: 'education' } })).planType).toBe('edu');
    expect(parseIdToken(unsignedJwt({ [AUTH]: { chatgpt_plan_type: 'mystery' } })).planType).toBe('mystery');
  });

  it('ignores segments after the third, as the source does', () => {
    const jwt = `${unsignedJwt({ email: 'x@example.com' })}.extra`;
    expect(parseIdToken(jwt).email).toBe('x@example.com');
  });

  it('rejects fewer than three non-empty segments with JWT_MALFORMED', () => {
    for (const bad of ['', 'a', 'a.b', 'a..c', '.b.c', 'a.b.']) {
      expect(codeOf(() => parseIdToken(bad))).toBe('JWT_MALFORMED');
    }
  });

  it('rejects padded, standard-alphabet or non-canonical base64 payloads with JWT_BAD_BASE64', () => {
    const payload = Buffer.from('{"a":1}').toString('base64'); // has padding "="
    expect(codeOf(() => parseIdToken(`h.${payload}.s`))).toBe('JWT_BAD_BASE64');
    expect(codeOf(() => parseIdToken('h.ab+/.s'))).toBe('JWT_BAD_BASE64');
    expect(codeOf(() => parseIdToken('h.abcde.s'))).toBe('JWT_BAD_BASE64'); // length % 4 == 1
    expect(codeOf(() => parseIdToken('h.QR.s'))).toBe('JWT_BAD_BASE64'); // trailing bits set
  });

  it('rejects a payload that is not a JSON object with JWT_MALFORMED', () => {
    const enc = (s: string) => Buffer.from(s).toString('base64url');
    expect(codeOf(() => parseIdToken(`h.${enc('not json')}.s`))).toBe('JWT_MALFORMED');
    expect(codeOf(() => parseIdToken(`h.${enc('[1,2]')}.s`))).toBe('JWT_MALFORMED');
    expect(codeOf(() => parseIdToken(`h.${enc('null')}.s`))).toBe('JWT_MALFORMED');
  });

  it('rejects claims of the wrong type, naming the claim', () => {
    try {
      parseIdToken(unsignedJwt({ [AUTH]: { chatgpt_account_is_fedramp: 'yes' } }));
      expect.unreachable();
    } catch (e) {
      expect(isInputError(e) && e.code).toBe('JWT_MALFORMED');
      expect((e as Error).message).toContain('chatgpt_account_is_fedramp');
    }
    expect(codeOf(() => parseIdToken(unsignedJwt({ email: 42 })))).toBe('JWT_MALFORMED');
    expect(codeOf(() => parseIdToken(unsignedJwt({ [AUTH]: 'flat' })))).toBe('JWT_MALFORMED');
  });

  it('never puts the raw token into an error message', () => {
    const secret = 'header-SECRET.payload-SECRET!!.sig';
    try {
      parseIdToken(secret);
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).not.toContain('SECRET');
    }
  });

  it('gives a typed error or a result for any random string (never a crash)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.array(fc.base64String(), { maxLength: 4 }).map((a) => a.join('.'))), (input) => {
        try {
          const info = parseIdToken(input);
          expect(info.rawJwt).toBe(input);
        } catch (e) {
          expect(isInputError(e)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('gives a typed error or a result for random JSON payloads', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const jwt = `h.${Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url')}.s`;
        try {
          parseIdToken(jwt);
        } catch (e) {
          expect(isInputError(e)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('decodeBase64UrlNoPad', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array(), (bytes) => {
        const text = Buffer.from(bytes).toString('base64url');
        expect(decodeBase64UrlNoPad(text)).toEqual(Buffer.from(bytes));
      }),
    );
  });
});

describe('jwtExpiration', () => {
  it('reads a numeric exp and ignores non-JWTs', () => {
    expect(jwtExpiration(unsignedJwt({ exp: 1_700_000_000 }))?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(jwtExpiration('opaque-access-token')).toBeUndefined();
    expect(jwtExpiration(unsignedJwt({ exp: 'soon' }))).toBeUndefined();
  });
});

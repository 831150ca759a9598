import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConformanceInputError } from '../errors.js';
import { normalizeBackendClientBaseUrl, normalizeChatgptBaseUrl } from './normalize-chatgpt-base-url.js';

function expectBadUrl(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConformanceInputError);
    expect((e as ConformanceInputError).code).toBe('BAD_URL');
    return;
  }
  throw new Error('expected BAD_URL');
}

describe('normalizeChatgptBaseUrl', () => {
  it.each([
    ['https://chatgpt.com/backend-api/', 'https://chatgpt.com/backend-api'],
    ['https://chatgpt.com', 'https://chatgpt.com/backend-api'],
    ['https://chat.openai.com//', 'https://chat.openai.com/backend-api'],
    ['https://chatgpt.com/backend-api/codex', 'https://chatgpt.com/backend-api'],
    ['http://localhost:8080/api/codex', 'http://localhost:8080/api/codex'],
    ['https://chatgpt.com/api/codex', 'https://chatgpt.com/api/codex'],
    ['https://chatgpt.com/backend-api/wham/remote/control/server/enroll', 'https://chatgpt.com/backend-api'],
    ['https://chatgpt.com/backend-api/wham/remote/control/server/', 'https://chatgpt.com/backend-api'],
    ['http://127.0.0.1:4000/backend-api/', 'http://127.0.0.1:4000/backend-api'],
  ])('URL.BASE normalizes %s to %s', (input, expected) => {
    expect(normalizeChatgptBaseUrl(input)).toBe(expected);
  });

  it('strips only one stacked /codex per call, as the source does', () => {
    expect(normalizeChatgptBaseUrl('http://h/x/codex/codex')).toBe('http://h/x/codex');
    expect(normalizeChatgptBaseUrl('http://h/x/codex')).toBe('http://h/x');
  });

  it.each(['', 'not a url', 'ftp://chatgpt.com/backend-api', ' https://chatgpt.com', 'https://u:p@h/backend-api', 'https://h/?q=1', '/backend-api'])(
    'rejects %j with BAD_URL',
    (input) => expectBadUrl(() => normalizeChatgptBaseUrl(input)),
  );

  const segment = fc.stringMatching(/^[a-z0-9-]{1,8}$/).filter((s) => s !== 'codex');
  const host = fc.constantFrom('https://chatgpt.com', 'https://chat.openai.com', 'http://127.0.0.1:9', 'https://example.test');
  const suffix = fc.constantFrom('', '/backend-api', '/api/codex');
  const base = fc.tuple(host, fc.array(segment, { maxLength: 3 }), suffix).map(([h, segs, s]) => `${h}${segs.map((x) => `/${x}`).join('')}${s}`);

  it('is idempotent on bases without stacked suffixes (property)', () => {
    fc.assert(
      fc.property(base, (b) => {
        const once = normalizeChatgptBaseUrl(b);
        expect(normalizeChatgptBaseUrl(once)).toBe(once);
      }),
    );
  });

  it('ignores trailing slashes and stripped suffixes (property)', () => {
    fc.assert(
      fc.property(
        base,
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom('', '/codex', '/wham/remote/control/server', '/wham/remote/control/server/enroll'),
        (b, slashes, stripped) => {
          fc.pre(!b.endsWith('/api/codex') || stripped !== '/codex');
          expect(normalizeChatgptBaseUrl(`${b}${stripped}${'/'.repeat(slashes)}`)).toBe(normalizeChatgptBaseUrl(b));
        },
      ),
    );
  });

  it('gives a URL or BAD_URL for any string, never another error (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.string({ unit: 'binary' })), (s) => {
        for (const fn of [normalizeChatgptBaseUrl, normalizeBackendClientBaseUrl]) {
          try {
            expect(typeof fn(s)).toBe('string');
          } catch (e) {
            expect(e).toBeInstanceOf(ConformanceInputError);
            expect((e as ConformanceInputError).code).toBe('BAD_URL');
          }
        }
      }),
    );
  });
});

describe('normalizeBackendClientBaseUrl', () => {
  it('trims slashes and appends /backend-api to bare chatgpt.com but strips no suffix', () => {
    expect(normalizeBackendClientBaseUrl('https://chatgpt.com/')).toBe('https://chatgpt.com/backend-api');
    expect(normalizeBackendClientBaseUrl('https://chatgpt.com/api/codex')).toBe('https://chatgpt.com/api/codex/backend-api');
    expect(normalizeBackendClientBaseUrl('http://127.0.0.1:1/backend-api/codex/')).toBe('http://127.0.0.1:1/backend-api/codex');
  });
});

import { describe, expect, it } from 'vitest';
import { redactedExcerpt, redactText } from './redact-text.js';

describe('redactText', () => {
  it('fingerprints JWTs, bearer values, API keys, PEM blocks, long tokens and known secrets; keeps prose', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const text = `refresh failed for ${jwt}; Authorization: Bearer opaque-token-123456 key sk-proj-abcdefghijkl rt_abcdefghijklmnop\n-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\nsecret=hunter2hunter2 ${'a1'.repeat(20)}`;
    const out = redactText(text, ['hunter2hunter2']);
    for (const secret of [jwt, 'opaque-token-123456', 'sk-proj-abcdefghijkl', 'rt_abcdefghijklmnop', 'MIIB', 'hunter2hunter2', 'a1'.repeat(20)]) expect(out).not.toContain(secret);
    expect(out).toMatch(/^refresh failed for fp:[0-9a-f]{12}; Authorization: Bearer fp:[0-9a-f]{12} key fp:/);
    const prose = 'connection refused at 127.0.0.1:443 (ECONNREFUSED); account 7b127e00-af64-4a2e-be1b-67cd6a228cb2; see README.md#other-implementations-the-driver-protocol';
    expect(redactText(prose)).toBe(prose);
  });

  it('an excerpt is the redacted tail, bounded', () => {
    const out = redactedExcerpt(`${'x '.repeat(400)}\nlast line Bearer abcdefghijk`, 100);
    expect(out.length).toBeLessThanOrEqual(101);
    expect(out).toMatch(/last line Bearer fp:[0-9a-f]{12}$/);
  });
});

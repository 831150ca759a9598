import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../redact/fingerprint.js';
import { scrubSecrets, tail } from './scrub-secrets.js';

describe('scrubbing the binary\'s output', () => {
  it('no secret survives, whatever text surrounds it', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8, maxLength: 40 }), fc.string(), fc.string(), (secret, before, after) => {
        const out = scrubSecrets(`${before}${secret}${after}${secret}`, [secret]);
        expect(out).not.toContain(secret);
      }),
    );
  });

  it('replaces a secret by its fingerprint, longest secret first', () => {
    expect(scrubSecrets('token=abcdefgh12345678', ['abcdefgh', 'abcdefgh12345678'])).toBe(`token=${fingerprint('abcdefgh12345678')}`);
  });

  it('keeps the end of long output, without ANSI colours', () => {
    expect(tail('\u001b[31mERROR\u001b[0m: boom')).toBe('ERROR: boom');
    const t = tail(`${'x'.repeat(1000)}\nlast line`, 50);
    expect(t.endsWith('last line')).toBe(true);
    expect(t.length).toBeLessThanOrEqual(51);
  });
});

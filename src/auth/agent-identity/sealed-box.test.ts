import fc from 'fast-check';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { openSealedBox, sealToEd25519, sealToX25519 } from './sealed-box.js';

describe('sealed box', () => {
  it('round-trips any plaintext to an X25519 key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (plaintext) => {
        const sk = x25519.utils.randomSecretKey();
        const sealed = sealToX25519(plaintext, x25519.getPublicKey(sk));
        expect(sealed.length).toBe(plaintext.length + 48);
        expect(openSealedBox(sealed, sk)).toEqual(plaintext);
      }),
      { numRuns: 50 },
    );
  });

  it('seals to the X25519 form of an Ed25519 key (opened with the converted secret)', () => {
    const seed = ed25519.utils.randomSecretKey();
    const sealed = sealToEd25519(new TextEncoder().encode('task_123'), ed25519.getPublicKey(seed));
    expect(new TextDecoder().decode(openSealedBox(sealed, ed25519.utils.toMontgomerySecret(seed)))).toBe('task_123');
  });

  it('refuses to open with another key or a tampered box', () => {
    const sk = x25519.utils.randomSecretKey();
    const sealed = sealToX25519(new Uint8Array([1, 2, 3]), x25519.getPublicKey(sk));
    expect(() => openSealedBox(sealed, x25519.utils.randomSecretKey())).toThrow();
    const tampered = sealed.slice();
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 1;
    expect(() => openSealedBox(tampered, sk)).toThrow();
  });
});

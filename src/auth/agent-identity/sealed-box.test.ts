import fc from 'fast-check';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { ConformanceInputError } from '../../errors.js';
import { boxKey, openSealedBox, SEAL_OVERHEAD, sealToEd25519, sealToX25519, x25519SecretFromEd25519Seed } from './sealed-box.js';

const hex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

/**
 * Known answers. The key pair is the NaCl/RFC 7748 "Alice" pair; `beforenm` of Alice's secret
 * and Bob's public key is the NaCl paper's "firstkey" (naclcrypto-20090310). The sealed box is
 * PyNaCl's reference vector tests/data/sealed_box_ref.txt (generated with libsodium
 * crypto_box_seal to Alice's key; plaintext = the NaCl box test message).
 */
const ALICE_SK = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
const ALICE_PK = hex('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
const BOB_PK = hex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
const FIRSTKEY = '1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389';
const PLAINTEXT =
  'be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffce5ecbaaf33bd751a1ac728d45e6c61296cdc3c01233561f41db66cce314adb310e3be8250c46f06dceea3a7fa1348057e2f6556ad6b1318a024a838f21af1fde048977eb48f59ffd4924ca1c60902e52f0a089bc76897040e082f937763848645e0705';
const SEALED =
  '199c808806a62c1be56951023ad3396b0ce0ef2c5b9ca688ac96d2d06ca43f65d314400cc9bbefb23dd26f824c9cb553f81e8c894ea9a553f4d777c77b66d5a6925da3f5961c5f7147172db5597ac14210066ee3ee13e6230a9a9610e9cddbf24094f54fbbf6694c08a436cec39ff5a373656d9584f4df9dd8c817e2e597540628d0ee21a6524a3fcf3eabdc0968390bd260a47366ead7f71cc2e774d411d96f3497c7e10291937bc16dc46a111686b85a8c86';

function codeOf(f: () => unknown): string {
  try {
    f();
    return 'opened';
  } catch (e) {
    return e instanceof ConformanceInputError ? e.code : `untyped: ${String(e)}`;
  }
}

describe('sealed box', () => {
  it('derives the NaCl box key (beforenm) of the known key pair', () => {
    expect(x25519.getPublicKey(ALICE_SK)).toEqual(ALICE_PK);
    expect(Buffer.from(boxKey(ALICE_SK, BOB_PK)).toString('hex')).toBe(FIRSTKEY);
  });

  it('opens the libsodium crypto_box_seal reference vector', () => {
    expect(Buffer.from(openSealedBox(hex(SEALED), ALICE_SK)).toString('hex')).toBe(PLAINTEXT);
  });

  it('round-trips any plaintext to an X25519 key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (plaintext) => {
        const sk = x25519.utils.randomSecretKey();
        const sealed = sealToX25519(plaintext, x25519.getPublicKey(sk));
        expect(sealed.length).toBe(plaintext.length + SEAL_OVERHEAD);
        expect(openSealedBox(sealed, sk)).toEqual(plaintext);
      }),
      { numRuns: 50 },
    );
  });

  it('seals to the X25519 form of an Ed25519 key, opened with SHA-512(seed)[0..32] clamped', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const xsk = x25519SecretFromEd25519Seed(seed);
        expect(xsk).toEqual(ed25519.utils.toMontgomerySecret(seed));
        expect(xsk[0]! & 7).toBe(0);
        expect(xsk[31]! & 0xc0).toBe(0x40);
        const sealed = sealToEd25519(new TextEncoder().encode('task_123'), ed25519.getPublicKey(seed));
        expect(new TextDecoder().decode(openSealedBox(sealed, xsk))).toBe('task_123');
      }),
      { numRuns: 20 },
    );
    expect(() => x25519SecretFromEd25519Seed(new Uint8Array(31))).toThrow(RangeError);
  });

  it('another key, a tampered byte, a short box or a bad key size is SEALED_BOX_INVALID', () => {
    const sealed = hex(SEALED);
    expect(codeOf(() => openSealedBox(sealed, x25519.utils.randomSecretKey()))).toBe('SEALED_BOX_INVALID');
    for (const at of [0, 31, 32, 47, 48, sealed.length - 1]) {
      const tampered = sealed.slice();
      tampered[at] = tampered[at]! ^ 1;
      expect(codeOf(() => openSealedBox(tampered, ALICE_SK))).toBe('SEALED_BOX_INVALID');
    }
    expect(codeOf(() => openSealedBox(sealed.subarray(0, 47), ALICE_SK))).toBe('SEALED_BOX_INVALID');
    expect(codeOf(() => openSealedBox(sealed, ALICE_SK.subarray(0, 31)))).toBe('SEALED_BOX_INVALID');
    // An all-zero (low-order) ephemeral key: X25519 gives the all-zero secret, which is refused.
    const lowOrder = sealed.slice();
    lowOrder.fill(0, 0, 32);
    expect(codeOf(() => openSealedBox(lowOrder, ALICE_SK))).toBe('SEALED_BOX_INVALID');
  });

  it('random bytes and random keys give SEALED_BOX_INVALID, never another throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 128 }), fc.uint8Array({ minLength: 0, maxLength: 40 }), (box, key) => {
        expect(codeOf(() => openSealedBox(box, key))).toBe('SEALED_BOX_INVALID');
      }),
      { numRuns: 300 },
    );
  });
});

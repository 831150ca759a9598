import { generateKeyPairSync, verify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConformanceInputError } from '../../errors.js';
import { loadAgentKey, signBase64 } from './ed25519-key.js';

const ed = generateKeyPairSync('ed25519');
const pkcs8 = ed.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');

function outcome(input: string): string {
  try {
    loadAgentKey(input);
    return 'loaded';
  } catch (e) {
    return e instanceof ConformanceInputError ? e.code : `untyped: ${String(e)}`;
  }
}

describe('Ed25519 agent key from the agent_private_key claim', () => {
  it('loads seed, public key and signs "{runtime}:{timestamp}" verifiably', () => {
    const key = loadAgentKey(pkcs8);
    expect(key.seed).toHaveLength(32);
    expect(Buffer.from(key.publicKeyRaw).equals(ed.publicKey.export({ format: 'der', type: 'spki' }).subarray(12))).toBe(true);
    const sig = Buffer.from(signBase64(key, 'rt:2026-01-01T00:00:00Z'), 'base64');
    expect(sig).toHaveLength(64);
    expect(verify(null, Buffer.from('rt:2026-01-01T00:00:00Z'), ed.publicKey, sig)).toBe(true);
  });

  it('bad base64, non-canonical base64, garbage DER and non-Ed25519 keys are PKCS8_INVALID (no key material in the message)', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    const x25519 = generateKeyPairSync('x25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    const truncated = pkcs8.slice(0, -4);
    for (const bad of ['', 'not base64!', 'AAAA', `${pkcs8} `, `${pkcs8}=`, truncated, `${truncated}AA=`, rsa, x25519]) {
      expect(outcome(bad), bad.slice(0, 20)).toBe('PKCS8_INVALID');
    }
    try {
      loadAgentKey(rsa);
      expect.unreachable();
    } catch (e) {
      expect(String(e)).not.toContain(rsa.slice(0, 40));
      expect(String(e)).toMatch(/rsa key, not Ed25519/);
    }
  });

  it('a base64 string with non-zero stray bits is refused, as the base64 crate refuses it', () => {
    // "AB==" decodes to one byte, but its last sextet carries stray bits; canonical is "AA==".
    expect(outcome('AB==')).toBe('PKCS8_INVALID');
  });

  it('random bytes (as base64) and random strings give PKCS8_INVALID, never another throw', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 96 }).map((b) => Buffer.from(b).toString('base64')), fc.string({ maxLength: 80 })), (input) => {
        expect(outcome(input)).toBe('PKCS8_INVALID');
      }),
      { numRuns: 400 },
    );
  });
});

/**
 * Ed25519 public keys for signature checks, from the forms a case can hold: a KeyObject, a raw
 * 32-byte public key, or the identity's PKCS#8 DER private key in standard base64 (the
 * `agent_private_key` claim, codex-rs/agent-identity/src/lib.rs). Uses node:crypto directly so
 * the checker shares no code with the reference client it judges.
 */
import { createPrivateKey, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { ConformanceInputError } from '../errors.js';

export type Ed25519KeyInput = KeyObject | Uint8Array | { readonly pkcs8Base64: string };

export function ed25519PublicKey(input: Ed25519KeyInput): KeyObject {
  try {
    if (input instanceof Uint8Array) {
      if (input.length !== 32) throw new Error(`raw key has ${input.length} bytes`);
      const x = Buffer.from(input).toString('base64url');
      return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    }
    if ('pkcs8Base64' in input) {
      const der = Buffer.from(input.pkcs8Base64, 'base64');
      return createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
    }
    const key = input.type === 'private' ? createPublicKey(input) : input;
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`key type ${String(key.asymmetricKeyType)}`);
    return key;
  } catch (cause) {
    throw new ConformanceInputError(
      'PKCS8_INVALID',
      'the agent public key given to the checker is not an Ed25519 key.',
      'pass a KeyObject, the raw 32-byte public key, or { pkcs8Base64 } holding the identity\'s private key.',
      { cause },
    );
  }
}

/** True when `signature` is a valid Ed25519 signature of `message` under `key`. */
export function ed25519Verifies(key: KeyObject, message: string, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  try {
    return verify(null, Buffer.from(message, 'utf8'), key, signature);
  } catch {
    return false;
  }
}

import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * Ed25519 agent keys as the mock makes and reads them: a private key from a 32-byte seed, and the
 * public key of a PKCS#8 private key given as standard base64 (as in the identity JWT).
 */

/** PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function ed25519PrivateKeyFromSeed(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, Buffer.from(seed)]), format: 'der', type: 'pkcs8' });
}

/** Public key of an Ed25519 PKCS#8 private key given as standard base64 (as in the identity JWT). */
export function ed25519PublicKeyOf(pkcs8Base64: string): KeyObject {
  return createPublicKey(createPrivateKey({ key: Buffer.from(pkcs8Base64, 'base64'), format: 'der', type: 'pkcs8' }));
}

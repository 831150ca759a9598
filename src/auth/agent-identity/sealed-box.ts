/**
 * libsodium `crypto_box_seal` to the X25519 key derived from an agent's Ed25519 public key, as
 * the backend answers `encrypted_task_id` (codex-rs/agent-identity/src/lib.rs `decrypt_task_id_response` opens it with the
 * `crypto_box` crate's `SecretKey::unseal`, keyed by the X25519 secret derived from the Ed25519 seed). Layout: ephemeral pk (32) || MAC (16) || ct.
 * nonce = BLAKE2b-192(epk || recipient pk); key = HSalsa20(X25519(esk, pk), 0^16).
 */
import { createHash } from 'node:crypto';
import { hsalsa, xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { ConformanceInputError } from '../../errors.js';

/** Ephemeral public key (32) + Poly1305 MAC (16). */
export const SEAL_OVERHEAD = 48;

const SIGMA = new Uint32Array([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]); // "expand 32-byte k"

function words(bytes: Uint8Array): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint32(i * 4, true);
  return out;
}

function bytesOf(w: Uint32Array): Uint8Array {
  const out = new Uint8Array(w.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < w.length; i++) view.setUint32(i * 4, w[i] as number, true);
  return out;
}

/** crypto_box_beforenm: HSalsa20 of the X25519 shared secret with a zero nonce. */
export function boxKey(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  const shared = x25519.getSharedSecret(secretKey, publicKey);
  const out = new Uint32Array(8);
  hsalsa(SIGMA, words(shared), new Uint32Array(4), out);
  return bytesOf(out);
}

function sealNonce(ephemeralPk: Uint8Array, recipientPk: Uint8Array): Uint8Array {
  const input = new Uint8Array(64);
  input.set(ephemeralPk, 0);
  input.set(recipientPk, 32);
  return blake2b(input, { dkLen: 24 });
}

export function sealToX25519(plaintext: Uint8Array, recipientPk: Uint8Array): Uint8Array {
  const esk = x25519.utils.randomSecretKey();
  const epk = x25519.getPublicKey(esk);
  const ct = xsalsa20poly1305(boxKey(esk, recipientPk), sealNonce(epk, recipientPk)).encrypt(plaintext);
  const out = new Uint8Array(32 + ct.length);
  out.set(epk, 0);
  out.set(ct, 32);
  return out;
}

/** Seals to the X25519 form of a raw 32-byte Ed25519 public key. */
export function sealToEd25519(plaintext: Uint8Array, ed25519PublicKey: Uint8Array): Uint8Array {
  return sealToX25519(plaintext, ed25519.utils.toMontgomery(ed25519PublicKey));
}

/**
 * crypto_box_seal_open. Any failure (shorter than 48 bytes, a key of the wrong size, a low-order
 * ephemeral key, a MAC that does not authenticate) is SEALED_BOX_INVALID; never another throw.
 */
export function openSealedBox(sealed: Uint8Array, recipientSk: Uint8Array): Uint8Array {
  const fix = "seal with crypto_box_seal to the X25519 form of the agent's Ed25519 public key (ephemeral pk || MAC || ciphertext).";
  if (recipientSk.length !== 32) {
    throw new ConformanceInputError('SEALED_BOX_INVALID', `the recipient X25519 secret is ${recipientSk.length} bytes, not 32.`, 'derive it from the 32-byte Ed25519 seed (x25519SecretFromEd25519Seed).');
  }
  if (sealed.length < SEAL_OVERHEAD) {
    throw new ConformanceInputError('SEALED_BOX_INVALID', `the sealed box is ${sealed.length} bytes, shorter than the ${SEAL_OVERHEAD}-byte overhead.`, fix);
  }
  const epk = sealed.subarray(0, 32);
  try {
    const recipientPk = x25519.getPublicKey(recipientSk);
    return xsalsa20poly1305(boxKey(recipientSk, epk), sealNonce(epk, recipientPk)).decrypt(sealed.subarray(32));
  } catch {
    throw new ConformanceInputError('SEALED_BOX_INVALID', `the ${sealed.length}-byte sealed box does not open with this key (wrong recipient, or tampered).`, fix);
  }
}

/**
 * The X25519 secret an agent opens sealed boxes with: SHA-512 of the Ed25519 seed, first 32
 * bytes, clamped (codex-rs/agent-identity/src/lib.rs derives it the same way).
 */
export function x25519SecretFromEd25519Seed(seed: Uint8Array): Uint8Array {
  if (seed.length !== 32) throw new RangeError(`an Ed25519 seed is 32 bytes, got ${seed.length}`);
  const h = createHash('sha512').update(seed).digest().subarray(0, 32);
  const sk = new Uint8Array(h);
  sk[0] = (sk[0] as number) & 248;
  sk[31] = ((sk[31] as number) & 127) | 64;
  return sk;
}

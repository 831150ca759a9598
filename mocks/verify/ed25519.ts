import { verify, type KeyObject } from 'node:crypto';

/** Standard base64 (padding optional) to bytes, or undefined when it is not base64. */
export function decodeStandardBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.replace(/=+$/, '').length % 4 === 1) return undefined;
  return Buffer.from(text, 'base64');
}

/** Ed25519 verification of `message` (UTF-8) with a base64 (standard) signature. */
export function verifyEd25519(publicKey: KeyObject, message: string, signatureBase64: string): boolean {
  const signature = decodeStandardBase64(signatureBase64);
  if (signature === undefined || signature.length !== 64) return false;
  try {
    return verify(null, Buffer.from(message, 'utf8'), publicKey, signature);
  } catch {
    return false;
  }
}

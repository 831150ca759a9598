/**
 * The agent's Ed25519 key, carried in the identity JWT claim `agent_private_key` as PKCS#8 DER in
 * standard base64 (codex-rs/agent-identity/src/lib.rs `signing_key_from_private_key_pkcs8_base64`:
 * base64 crate STANDARD engine, i.e. padded and canonical, then ed25519-dalek
 * `SigningKey::from_pkcs8_der`). Node's crypto signs with it directly.
 */
import { createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { ConformanceInputError } from '../../errors.js';
import { fingerprint } from '../../redact/fingerprint.js';

const STD_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;


export interface AgentKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The 32-byte seed (the PKCS#8 private key octets), for the X25519 derivation. */
  readonly seed: Uint8Array;
  /** The raw 32-byte public key. */
  readonly publicKeyRaw: Uint8Array;
}

/**
 * Parsed keys by their PKCS#8 text: an agent signs every request with the same key, and parsing
 * (DER, then a JWK export for the seed) costs more than the signature. Key objects are immutable;
 * the map is bounded and emptied when full.
 */
const parsed = new Map<string, AgentKey>();
const MAX_PARSED = 256;

export function loadAgentKey(pkcs8Base64: string): AgentKey {
  const known = parsed.get(pkcs8Base64);
  if (known !== undefined) return known;
  const key = parseAgentKey(pkcs8Base64);
  if (parsed.size >= MAX_PARSED) parsed.clear();
  parsed.set(pkcs8Base64, key);
  return key;
}

function parseAgentKey(pkcs8Base64: string): AgentKey {
  const shown = fingerprint(pkcs8Base64);
  const fix = 'mint the identity with an Ed25519 key exported as PKCS#8 DER in standard base64 (`agent_private_key` claim).';
  const der = Buffer.from(pkcs8Base64, 'base64');
  if (pkcs8Base64.length % 4 !== 0 || !STD_BASE64.test(pkcs8Base64) || der.toString('base64') !== pkcs8Base64) {
    throw new ConformanceInputError('PKCS8_INVALID', `agent_private_key ${shown} is not canonical standard base64 (padded, no stray bits).`, fix);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    throw new ConformanceInputError('PKCS8_INVALID', `agent_private_key ${shown} is not a PKCS#8 DER private key.`, fix);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new ConformanceInputError('PKCS8_INVALID', `agent_private_key ${shown} is a ${privateKey.asymmetricKeyType ?? 'unknown'} key, not Ed25519.`, fix);
  }
  const publicKey = createPublicKey(privateKey);
  const jwk = privateKey.export({ format: 'jwk' });
  const seed = new Uint8Array(Buffer.from(jwk.d ?? '', 'base64url'));
  const publicKeyRaw = new Uint8Array(Buffer.from(jwk.x ?? '', 'base64url'));
  return { privateKey, publicKey, seed, publicKeyRaw };
}

/** Standard base64 of the Ed25519 signature over the UTF-8 message. */
export function signBase64(key: AgentKey, message: string): string {
  return sign(null, Buffer.from(message, 'utf8'), key.privateKey).toString('base64');
}

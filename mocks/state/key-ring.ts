import type { CryptoKey, JWK } from 'jose';
import { randomBytes } from 'node:crypto';
import { KeyAllocator } from './key-pool.js';

/**
 * RS256 signing keys the mock owns, with rotation. One ring signs ChatGPT access/id tokens,
 * another signs Agent Identity JWTs and is published as the JWKS
 * (codex-rs/agent-identity/src/lib.rs fetches it and checks `kid`).
 */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly publicJwk: JWK;
  readonly createdAt: number;
}

export interface KeyRing {
  /** The key new tokens are signed with. */
  current(): SigningKey;
  /** Keys a verifier accepts (current plus retained previous keys). */
  published(): readonly SigningKey[];
  find(kid: string): SigningKey | undefined;
  /** A new current key; `retainPrevious` keeps the old key published (a graceful rotation). */
  rotate(opts?: { retainPrevious?: boolean }): Promise<SigningKey>;
  jwks(): { keys: JWK[] };
}

/**
 * A signing key with a fresh kid. The RSA material comes from the run's key pool (key-pool.ts)
 * through `keys`, which never hands out the same material twice.
 */
export async function createSigningKey(kidPrefix: string, now: number, keys: KeyAllocator, random: (bytes: number) => Uint8Array = randomBytes): Promise<SigningKey> {
  const kid = `${kidPrefix}-${Buffer.from(random(6)).toString('hex')}`;
  const { privateKey, publicKey, publicJwk } = await keys.next();
  return { kid, privateKey, publicKey, publicJwk: { ...publicJwk, kid, alg: 'RS256', use: 'sig' }, createdAt: now };
}

export async function createKeyRing(
  kidPrefix: string,
  now: () => number,
  allocator: KeyAllocator = new KeyAllocator(),
  random: (bytes: number) => Uint8Array = randomBytes,
): Promise<KeyRing> {
  let keys: SigningKey[] = [await createSigningKey(kidPrefix, now(), allocator, random)];
  const ring: KeyRing = {
    current: () => keys[0] as SigningKey,
    published: () => keys,
    find: (kid) => keys.find((k) => k.kid === kid),
    rotate: async (opts) => {
      const next = await createSigningKey(kidPrefix, now(), allocator, random);
      keys = opts?.retainPrevious === true ? [next, ...keys] : [next];
      return next;
    },
    jwks: () => ({ keys: keys.map((k) => k.publicJwk) }),
  };
  return ring;
}

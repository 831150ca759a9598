import { readFileSync } from 'node:fs';
import { exportJWK, exportPKCS8, generateKeyPair, importJWK, importPKCS8, type CryptoKey, type JWK } from 'jose';

/**
 * RSA-2048 key material for RS256, made once per run and shared by index: generating a key costs
 * hundreds of milliseconds (more on a loaded machine), while every mock backend, key rotation and
 * "key outside the JWKS" needs one. Each consumer takes keys through its own `KeyAllocator`, so
 * the keys it holds are distinct from each other; two consumers in one process get the same
 * material for the same index (their `kid`s differ, so neither accepts the other's tokens).
 *
 * A test runner can mint the pool once for all its worker processes: `writeKeyPoolFile` in a
 * global setup, with the file's path in `CONFORMANCE_KEY_POOL_FILE` (mode 0600, removed at
 * teardown); processes that see the variable load those keys instead of generating them.
 */
export interface RsaKeyMaterial {
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  /** Public JWK (kty, n, e) without kid, alg or use. */
  readonly publicJwk: JWK;
}

export const KEY_POOL_FILE_ENV = 'CONFORMANCE_KEY_POOL_FILE';

interface PoolFile {
  readonly rsa2048: readonly { readonly pkcs8: string; readonly publicJwk: JWK }[];
}

const pool: Promise<RsaKeyMaterial>[] = [];
let preminted: PoolFile['rsa2048'] | undefined;

function premintedKeys(): PoolFile['rsa2048'] {
  if (preminted !== undefined) return preminted;
  preminted = [];
  const path = process.env[KEY_POOL_FILE_ENV];
  if (path !== undefined && path !== '') {
    try {
      const file = JSON.parse(readFileSync(path, 'utf8')) as PoolFile;
      if (Array.isArray(file.rsa2048)) preminted = file.rsa2048;
    } catch {
      // An unreadable pool file only costs time: keys are generated instead.
      preminted = [];
    }
  }
  return preminted;
}

async function generate(): Promise<RsaKeyMaterial> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const { kty, n, e } = await exportJWK(publicKey);
  return { privateKey, publicKey, publicJwk: { kty, n, e } as JWK };
}

async function load(entry: PoolFile['rsa2048'][number]): Promise<RsaKeyMaterial> {
  const privateKey = await importPKCS8(entry.pkcs8, 'RS256', { extractable: true });
  const publicKey = (await importJWK({ ...entry.publicJwk, alg: 'RS256' }, 'RS256')) as CryptoKey;
  return { privateKey, publicKey, publicJwk: entry.publicJwk };
}

/** The pool's key at `index`, generated (or loaded) on first use and kept for the process. */
export function pooledRsaKey(index: number): Promise<RsaKeyMaterial> {
  if (!Number.isInteger(index) || index < 0) throw new TypeError(`pooledRsaKey: index must be a non-negative integer, got ${index}`);
  let key = pool[index];
  if (key === undefined) {
    const entry = premintedKeys()[index];
    key = entry === undefined ? generate() : load(entry).catch(() => generate());
    pool[index] = key;
  }
  return key;
}

/** Hands out distinct pool keys, in index order, to one consumer (a mock backend, a test file). */
export class KeyAllocator {
  #next = 0;
  next(): Promise<RsaKeyMaterial> {
    const index = this.#next;
    this.#next += 1;
    return pooledRsaKey(index);
  }
  /** Starts making the next `count` keys in the background without handing them out. */
  warm(count: number): void {
    for (let i = 0; i < count; i += 1) void pooledRsaKey(this.#next + i).catch(() => undefined);
  }
}

/** Mints `count` keys (in parallel) and writes them for other processes of the same run. */
export async function writeKeyPoolFile(path: string, count: number): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  const keys = await Promise.all(Array.from({ length: count }, () => generate()));
  const file: PoolFile = {
    rsa2048: await Promise.all(keys.map(async (k) => ({ pkcs8: await exportPKCS8(k.privateKey), publicJwk: k.publicJwk }))),
  };
  await writeFile(path, JSON.stringify(file), { mode: 0o600 });
}

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConformanceInputError } from '../errors.js';

/**
 * Where the fingerprint key comes from, so one credential has one `fp:` in every command's output
 * (fixture, request, the serve journal, check, run reports) within a workspace:
 * 1. env CODEX_AUTH_CONFORMANCE_FINGERPRINT_KEY (any text; share it to compare fingerprints
 *    across machines);
 * 2. else a random key kept per workspace (the nearest directory up from the working directory
 *    holding `.git` or `package.json`) in `$XDG_CACHE_HOME` or `~/.cache`, under
 *    `codex-auth-conformance/fingerprint-keys/`, created on first use with mode 0600;
 * 3. else (no HOME) a key for this process only.
 * The key never leaves the machine and is never printed; a fingerprint is not the secret.
 */
export const FINGERPRINT_KEY_ENV = 'CODEX_AUTH_CONFORMANCE_FINGERPRINT_KEY';

export type FingerprintKeySource = { readonly kind: 'env' } | { readonly kind: 'workspace'; readonly workspace: string; readonly file: string } | { readonly kind: 'process' };

export interface FingerprintKey {
  readonly key: Buffer;
  readonly source: FingerprintKeySource;
}

function derive(material: string | Buffer): Buffer {
  return createHash('sha256').update('codex-auth-conformance fingerprint key v1\u0000').update(material).digest();
}

async function isDir(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** The nearest directory up from `cwd` that holds `.git` or `package.json`, else `cwd`. */
export async function workspaceOf(cwd: string): Promise<string> {
  let dir = resolve(cwd);
  for (;;) {
    if ((await exists(join(dir, '.git'))) || (await exists(join(dir, 'package.json')))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(cwd);
    dir = parent;
  }
}

export async function resolveFingerprintKey(env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<FingerprintKey> {
  const given = env[FINGERPRINT_KEY_ENV];
  if (given !== undefined && given !== '') return { key: derive(given), source: { kind: 'env' } };
  const cacheRoot = env['XDG_CACHE_HOME'] !== undefined && env['XDG_CACHE_HOME'] !== '' ? env['XDG_CACHE_HOME'] : env['HOME'] !== undefined && env['HOME'] !== '' ? join(env['HOME'], '.cache') : undefined;
  if (cacheRoot === undefined || !(await isDir(dirname(cacheRoot)))) return { key: derive(randomBytes(32)), source: { kind: 'process' } };
  const workspace = await workspaceOf(cwd);
  const file = join(cacheRoot, 'codex-auth-conformance', 'fingerprint-keys', `${createHash('sha256').update(workspace).digest('hex').slice(0, 24)}.key`);
  const fix = `delete ${file} (a new key is made; earlier fingerprints then differ), or set ${FINGERPRINT_KEY_ENV}.`;
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(`${randomBytes(32).toString('hex')}\n`, 'utf8');
    } finally {
      await handle.close();
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') {
      // A read-only home: fall back to a key for this process (fingerprints then differ per command).
      if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') return { key: derive(randomBytes(32)), source: { kind: 'process' } };
      throw new ConformanceInputError('BAD_CONFIG', `cannot create the fingerprint key ${file} (${code ?? 'error'}).`, fix, { cause: e });
    }
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ConformanceInputError('BAD_CONFIG', `cannot read the fingerprint key ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`, fix, { cause: e });
  }
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new ConformanceInputError('BAD_CONFIG', `the fingerprint key ${file} is not 64 hex digits.`, fix);
  return { key: derive(Buffer.from(hex, 'hex')), source: { kind: 'workspace', workspace, file } };
}

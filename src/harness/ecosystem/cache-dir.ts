import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConformanceInputError } from '../../errors.js';

/**
 * Where third-party code is installed on demand: `<repo>/.cache` (gitignored), or the directory
 * in env CODEX_AUTH_CONFORMANCE_CACHE (absolute). Nothing there is a dependency of the project.
 */
export const CACHE_ENV = 'CODEX_AUTH_CONFORMANCE_CACHE';

export function cacheRoot(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const override = env[CACHE_ENV];
  if (override !== undefined && override.trim() !== '') {
    if (!isAbsolute(override)) {
      throw new ConformanceInputError('BAD_CONFIG', `${CACHE_ENV}=${JSON.stringify(override.slice(0, 200))} is not an absolute path.`, `Set ${CACHE_ENV} to an absolute directory (it is created if missing), or unset it to use <repo>/.cache.`);
    }
    return override;
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../../.cache');
}

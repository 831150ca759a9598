import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEY_POOL_FILE_ENV, writeKeyPoolFile } from './mocks/state/key-pool.js';

/**
 * Vitest global setup: mints the run's RSA-2048 keys once (in parallel) for every worker process
 * (mocks/state/key-pool.ts), instead of each test file generating its own. The file is 0600 in a
 * private temp directory and removed when the run ends. Keys a worker needs beyond the pool are
 * generated there as before.
 */
const POOL_SIZE = 4;

export default async function setup(): Promise<() => Promise<void>> {
  if (process.env[KEY_POOL_FILE_ENV] !== undefined) return async () => undefined;
  const dir = await mkdtemp(join(tmpdir(), 'conformance-keys-'));
  const file = join(dir, 'rsa-pool.json');
  await writeKeyPoolFile(file, POOL_SIZE);
  process.env[KEY_POOL_FILE_ENV] = file;
  return async () => {
    delete process.env[KEY_POOL_FILE_ENV];
    await rm(dir, { recursive: true, force: true });
  };
}

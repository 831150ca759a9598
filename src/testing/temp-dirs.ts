import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Temporary directories for tests, removed when each test file finishes, so `npm test` leaves
 * nothing behind in the temp directory. The removal is registered for every test file by the
 * setup file src/testing/temp-dirs-setup.ts (vitest.config.ts `setupFiles`): with `isolate: false`
 * this module is loaded once per worker, so a hook registered here would run for the first file only.
 */
const made: string[] = [];

export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every directory `tempDir` made since the last call. */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

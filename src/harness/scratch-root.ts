import { accessSync, constants, statSync } from 'node:fs';
import { tmpdir } from 'node:os';

/**
 * Where a run keeps its per-case CODEX_HOMEs. They are real directories and files (auth.json is
 * written, renamed and fsynced exactly as on any disk, which REFRESH.PERSIST judges), but on a
 * memory file system when the machine has one (`/dev/shm`), so the many small writes, renames
 * and fsyncs of a run cost no disk waits. `CONFORMANCE_SCRATCH_DIR` picks another place;
 * without a writable `/dev/shm` the OS temp directory is used.
 */
export const SCRATCH_DIR_ENV = 'CONFORMANCE_SCRATCH_DIR';

function writableDir(path: string): boolean {
  try {
    if (!statSync(path).isDirectory()) return false;
    accessSync(path, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function scratchRoot(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env[SCRATCH_DIR_ENV];
  if (chosen !== undefined && chosen !== '') return chosen;
  return writableDir('/dev/shm') ? '/dev/shm' : tmpdir();
}

/**
 * A cross-process lock on the credentials of one CODEX_HOME: a sidecar `auth.json.lock` created
 * exclusively (O_EXCL), held while the guarded reload, the token request and the write of the
 * rotated pair run, removed afterwards. A process that finds the lock waits, then reloads under
 * it and finds the winner's tokens (no second redemption).
 *
 * Source: 0.171.0 has a credential commit lock (the binary's literals: "credential commit lock
 * timed out", "Credentials changed before refresh commit.", an `auth.json.lock` sidecar observed
 * beside auth.json); its code and scope are not readable, so this is the reference's own
 * conforming choice for rule SHARE.RACE.001 (a SHOULD), holding the lock across the request.
 * Earlier releases have no cross-process lock (PR #24663 closed unmerged).
 */
import { open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const CREDENTIAL_LOCK_FILE = 'auth.json.lock';

export interface CredentialLockOptions {
  /** How long to wait for another holder before giving up (default 10 s). */
  readonly timeoutMs?: number;
  /** Poll interval while waiting (default 5 ms). */
  readonly pollMs?: number;
  /** A lock file older than this is left over by a killed process and taken over (default 30 s). */
  readonly staleMs?: number;
}

/** Thrown when the lock could not be taken in time (a transient refresh failure for the caller). */
export class CredentialLockTimeoutError extends Error {
  constructor(readonly codexHome: string) {
    super(`credential commit lock timed out in ${codexHome}`);
    this.name = 'CredentialLockTimeoutError';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `fn` holding the credential lock of `codexHome`; a missing CODEX_HOME runs it unlocked. */
export async function withCredentialLock<T>(codexHome: string, fn: () => Promise<T>, opts: CredentialLockOptions = {}): Promise<T> {
  const path = join(codexHome, CREDENTIAL_LOCK_FILE);
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  const staleMs = opts.staleMs ?? 30_000;
  for (;;) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.close();
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return fn(); // no CODEX_HOME: nothing on disk to protect
      if (code !== 'EEXIST') throw error;
      const age = await stat(path).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > staleMs) await rm(path, { force: true });
      else if (Date.now() >= deadline) throw new CredentialLockTimeoutError(codexHome);
      else await sleep(opts.pollMs ?? 5);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(path, { force: true });
  }
}

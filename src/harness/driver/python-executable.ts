import { execFileSync } from 'node:child_process';

/**
 * The Python interpreter `python3` runs, resolved once (`sys.executable`). Where `python3` is a
 * version-manager shim (pyenv runs several shell scripts before the interpreter), starting the
 * interpreter directly saves that on every driver process; elsewhere it is the same program.
 * Falls back to `python3` when it cannot be resolved.
 */
let resolved: string | undefined;

export function pythonExecutable(): string {
  if (resolved !== undefined) return resolved;
  try {
    const path = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8', timeout: 30_000 }).trim();
    resolved = path !== '' && !/\s/.test(path) ? path : 'python3';
  } catch {
    resolved = 'python3';
  }
  return resolved;
}

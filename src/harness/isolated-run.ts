import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { probeNetns, spawnInNetns } from './codex-cli/netns-run.js';

/**
 * Runs `codex-auth-conformance run ...` again inside a fresh network namespace with only loopback
 * up, so the harness, its mock on 127.0.0.1 and the driver process all share a loopback-only
 * network: a driver that tries any other address fails before a packet leaves the machine.
 */
export const ISOLATED_ENV = 'CODEX_AUTH_CONFORMANCE_ISOLATED';
/** Mirrors src/cli/main.ts: a child run forwards its status lines with this prefix. */
const STATUS_ENV = 'CODEX_AUTH_CONFORMANCE_STATUS';
const STATUS_LINE_PREFIX = '\u001b[status] ';

export function runningIsolated(env: Readonly<Record<string, string | undefined>>): boolean {
  return env[ISOLATED_ENV] === '1';
}

export async function namespacesAvailable(): Promise<boolean> {
  return (await probeNetns()) !== undefined;
}

const MAIN = fileURLToPath(new URL('../cli/main.ts', import.meta.url));

/** Re-executes `run` with `argv` isolated; forwards its output line by line; returns its exit code. */
export async function rerunIsolated(argv: readonly string[], io: { out(line: string): void; err(line: string): void; status?: ((text: string) => void) | undefined }, cwd: string): Promise<number> {
  const workDir = await mkdtemp(join(tmpdir(), 'cac-isolated-'));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  env[ISOLATED_ENV] = '1';
  if (io.status !== undefined) env[STATUS_ENV] = 'forward';
  else delete env[STATUS_ENV];
  try {
    const child = await spawnInNetns({ main: { command: process.execPath, args: ['--import', 'tsx', MAIN, 'run', ...argv], env, cwd }, workDir });
    child.process.stdin.end();
    createInterface({ input: child.process.stdout }).on('line', (l) => io.out(l));
    createInterface({ input: child.process.stderr }).on('line', (l) => {
      if (l.startsWith(STATUS_LINE_PREFIX)) io.status?.(l.slice(STATUS_LINE_PREFIX.length));
      else io.err(l);
    });
    const { code } = await child.exited;
    return code ?? 3;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

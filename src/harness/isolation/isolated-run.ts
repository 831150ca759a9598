import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { ConformanceInputError } from '../../errors.js';
import { probeNetns, spawnInNetns } from './netns-run.js';

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

/** Set to `off` to treat namespaces as unavailable (shows the refusal a machine without them gets). */
export const NETNS_ENV = 'CODEX_AUTH_CONFORMANCE_NETNS';

export async function namespacesAvailable(env: Readonly<Record<string, string | undefined>> = process.env): Promise<boolean> {
  if (env[NETNS_ENV] === 'off') return false;
  return (await probeNetns()) !== undefined;
}

/**
 * The policy for foreign code (a driver) started by `command`: run it isolated (re-executing the
 * command inside a loopback-only namespace), or refuse with a typed error when no namespace can
 * be made, unless `--allow-network`. Returns the exit code of the isolated re-run, or undefined
 * when the command should go on in this process (already isolated, or allowed).
 */
export async function isolateForeignCode(command: string, argv: readonly string[], io: { out(line: string): void; err(line: string): void; env: Readonly<Record<string, string | undefined>>; cwd: string; status?: ((text: string) => void) | undefined }, allowNetwork: boolean, what = 'the driver'): Promise<number | undefined> {
  if (allowNetwork || runningIsolated(io.env)) return undefined;
  if (!(await namespacesAvailable(io.env))) {
    throw new ConformanceInputError(
      'NETWORK_REFUSED',
      `cannot create a loopback-only network namespace here, so ${what} could reach the network; nothing was started.`,
      'run as root or allow unprivileged user namespaces (util-linux unshare, iproute2), or pass --allow-network to run it unisolated.',
    );
  }
  io.err(`… running ${what} inside a network namespace with only loopback up`);
  return rerunIsolated(command, argv, io, io.cwd);
}

const MAIN = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));
/**
 * tsx as this harness resolves it (its own dependency), not as the working directory would: the
 * harness installed into another project (`npm install` of a tarball or git URL) re-executes
 * itself from that project's directory, where a bare `--import tsx` may resolve to nothing.
 */
const TSX = import.meta.resolve('tsx');

/** Re-executes `command` with `argv` isolated; forwards its output line by line; returns its exit code. */
export async function rerunIsolated(command: string, argv: readonly string[], io: { out(line: string): void; err(line: string): void; status?: ((text: string) => void) | undefined }, cwd: string): Promise<number> {
  const workDir = await mkdtemp(join(tmpdir(), 'cac-isolated-'));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  env[ISOLATED_ENV] = '1';
  if (io.status !== undefined) env[STATUS_ENV] = 'forward';
  else delete env[STATUS_ENV];
  try {
    const child = await spawnInNetns({ main: { command: process.execPath, args: ['--import', TSX, MAIN, command, ...argv], env, cwd }, workDir });
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

import { spawn, execFile, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ConformanceInputError } from '../../errors.js';
import { PRODUCTION_HOSTS, renderHostsFile, renderResolvConf } from './production-hosts.js';

const run = promisify(execFile);

/**
 * Runs a command (the codex binary) and, optionally, the mock server together inside a fresh
 * network + mount namespace with only loopback up, where the production host names resolve to
 * 127.0.0.1. Nothing the binary does can reach another machine. See docs/real-cli.md.
 * The in-namespace steps live in netns-launcher.mjs; the plan (with any credentials in env)
 * goes to it over fd 3, never through a file or argv.
 */
export interface NetnsProcess {
  readonly command: string;
  readonly args: readonly string[];
  /** The complete environment (nothing is inherited from this process). */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

export interface NetnsRunOptions {
  readonly main: NetnsProcess;
  /**
   * The mock server. It gets env CODEX_CONFORMANCE_READY_FILE and must create that file once it
   * listens; its stdout/stderr go to `<workDir>/server.log`.
   */
  readonly server?: NetnsProcess;
  /** Scratch directory for the hosts file, resolv.conf, ready file and server log. */
  readonly workDir: string;
  readonly hosts?: readonly string[];
  readonly readyTimeoutMs?: number;
  /**
   * Without namespaces the run would reach the real network; it is refused unless this is true,
   * and then nothing is isolated and the hosts are NOT remapped (use loopback URLs only).
   */
  readonly allowNetwork?: boolean;
}

export type UnshareMode = 'root' | 'userns';

/** `unshare` arguments per mode: as root, or as a user via a user namespace mapping root. */
export function unshareArgs(mode: UnshareMode): readonly string[] {
  return mode === 'root' ? ['--net', '--mount', '--propagation', 'private'] : ['--user', '--map-root-user', '--net', '--mount', '--propagation', 'private'];
}

let probed: Promise<UnshareMode | undefined> | undefined;

/** Which way of creating a namespace works here (probed once per process), if any. */
export function probeNetns(): Promise<UnshareMode | undefined> {
  probed ??= (async () => {
    for (const mode of ['root', 'userns'] as const) {
      try {
        await run('unshare', [...unshareArgs(mode), 'ip', 'link', 'set', 'lo', 'up'], { timeout: 10_000 });
        return mode;
      } catch {
        // try the next mode
      }
    }
    return undefined;
  })();
  return probed;
}

export const LAUNCHER_EXIT = { setupFailed: 90, notIsolated: 91, serverNotReady: 92 } as const;

export interface LauncherPlan {
  readonly isolate: boolean;
  readonly hostsFile: string;
  readonly resolvConf: string;
  readonly readyFile: string;
  readonly serverLogFile: string;
  readonly readyTimeoutMs: number;
  readonly main: NetnsProcess;
  readonly server?: NetnsProcess;
}

export function launcherPath(): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'netns-launcher.mjs');
}

/** The plan handed to the launcher; pure, so its shape is testable. */
export function buildPlan(options: NetnsRunOptions, isolate: boolean): LauncherPlan {
  if (options.main.command === '') {
    throw new ConformanceInputError('USAGE', 'The command to run in the namespace is empty.', 'Pass the codex binary path as main.command.');
  }
  const withEnv = (p: NetnsProcess): NetnsProcess => ({ ...p, env: p.env ?? { PATH: '/usr/local/bin:/usr/bin:/bin' } });
  return {
    isolate,
    hostsFile: join(options.workDir, 'hosts'),
    resolvConf: join(options.workDir, 'resolv.conf'),
    readyFile: join(options.workDir, 'server.ready'),
    serverLogFile: join(options.workDir, 'server.log'),
    readyTimeoutMs: options.readyTimeoutMs ?? 15_000,
    main: withEnv(options.main),
    ...(options.server === undefined ? {} : { server: withEnv(options.server) }),
  };
}

export interface NetnsChild {
  /** stdin/stdout/stderr of the main command (e.g. app-server JSON-RPC over stdio). */
  readonly process: ChildProcessWithoutNullStreams;
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  readonly serverLogFile: string;
  readonly isolated: boolean;
  /** Ends the whole run (the launcher's process group, which this module started). */
  kill(): void;
}

export async function spawnInNetns(options: NetnsRunOptions): Promise<NetnsChild> {
  const mode = await probeNetns();
  if (mode === undefined && options.allowNetwork !== true) {
    throw new ConformanceInputError(
      'BAD_CONFIG',
      'Cannot create a network namespace here (`unshare --net --mount` failed as root and as a user namespace), so the real codex binary could reach the internet.',
      'Run as root or allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1; on Ubuntu 24.04 also kernel.apparmor_restrict_unprivileged_userns=0), install util-linux and iproute2, or pass allowNetwork: true to accept an unisolated run.',
    );
  }
  const isolate = mode !== undefined;
  const plan = buildPlan(options, isolate);
  await mkdir(options.workDir, { recursive: true, mode: 0o700 });
  await writeFile(plan.hostsFile, renderHostsFile(options.hosts ?? PRODUCTION_HOSTS));
  await writeFile(plan.resolvConf, renderResolvConf());
  const launcher = [process.execPath, launcherPath()];
  const [command, ...args] = isolate ? ['unshare', ...unshareArgs(mode), ...launcher] : launcher;
  const child = spawn(command!, args, { stdio: ['pipe', 'pipe', 'pipe', 'pipe'], detached: true, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' } });
  const planPipe = child.stdio[3] as NodeJS.WritableStream;
  planPipe.end(JSON.stringify(plan));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    process: child as unknown as ChildProcessWithoutNullStreams,
    exited,
    serverLogFile: plan.serverLogFile,
    isolated: isolate,
    kill: () => {
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
  };
}

export interface NetnsResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly serverLog: string;
  readonly timedOut: boolean;
  readonly isolated: boolean;
}

/** Runs to completion and collects output; launcher failures become typed errors. */
export async function runInNetns(options: NetnsRunOptions & { readonly input?: string; readonly timeoutMs?: number }): Promise<NetnsResult> {
  const child = await spawnInNetns(options);
  let stdout = '';
  let stderr = '';
  child.process.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.process.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.process.stdin.end(options.input ?? '');
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill();
  }, options.timeoutMs ?? 120_000);
  const { code, signal } = await child.exited.finally(() => clearTimeout(timer));
  const serverLog = await readFile(child.serverLogFile, 'utf8').catch(() => '');
  const launcherLine = stderr.split('\n').find((l) => l.startsWith('netns-launcher: '));
  if (launcherLine !== undefined && code !== null && Object.values(LAUNCHER_EXIT).includes(code as 90 | 91 | 92)) {
    throw new ConformanceInputError(
      'BAD_CONFIG',
      `The namespace run failed before the command started (${launcherLine.slice('netns-launcher: '.length)}).`,
      code === LAUNCHER_EXIT.serverNotReady ? `Make the server create $CODEX_CONFORMANCE_READY_FILE once it listens; its log: ${child.serverLogFile}.` : 'Check that iproute2 and mount are installed and that the run may create namespaces.',
    );
  }
  return { code, signal, stdout, stderr, serverLog, timedOut, isolated: child.isolated };
}

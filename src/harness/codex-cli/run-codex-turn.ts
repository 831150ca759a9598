import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { AppServerOutcome } from './app-server-client.js';
import type { WrittenCodexHome } from '../scenario/codex-home.js';
import { scrubSecrets, tail } from '../isolation/scrub-secrets.js';

/**
 * Runs the codex binary as a direct child: one non-interactive turn (`codex exec
 * --skip-git-repo-check <prompt>`, runCodexTurn) or a long-lived process (`codex app-server`,
 * spawnCodex, driven by app-server-session.ts). Callers start it only after assertIsolated()
 * (inside the namespace) or with an explicit allowNetwork opt-in (docs/real-cli.md §5).
 */
export type CodexCliFlow = 'exec' | 'appServer' | 'tui';

export const DEFAULT_PROMPT = 'say hi';

export interface TurnOptions {
  readonly binaryPath: string;
  readonly clientVersion: string;
  readonly home: WrittenCodexHome;
  readonly flow: 'exec';
  readonly prompt?: string;
  readonly timeoutMs: number;
  /** Scrubbed from everything the outcome carries. */
  readonly secrets: readonly string[];
  /** PATH for the binary (default /usr/local/bin:/usr/bin:/bin). */
  readonly path?: string;
  /**
   * A hosts file for this turn only: the binary runs in a nested private mount namespace with it
   * bind-mounted over /etc/hosts (one loopback address per concurrent case). Only inside the run's
   * network namespace.
   */
  readonly hostsFile?: string;
  /** Ends the turn early (the evidence a case needs is recorded); the outcome says `stoppedEarly`. */
  readonly stopWhen?: () => boolean;
}

export interface TurnOutcome {
  readonly flow: CodexCliFlow;
  /** True when a turn completed (exec exit 0, or app-server `turn/completed` without failure). */
  readonly completed: boolean;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly durationMs: number;
  /** Scrubbed tail of stderr. */
  readonly stderrTail: string;
  /** Scrubbed last agent message (exec stdout, or the app-server agentMessage item). */
  readonly agentMessage?: string;
  /** Where the app-server flow stopped, and why (scrubbed). */
  readonly appServer?: AppServerOutcome;
  /** The harness ended the turn once the case's evidence was recorded (stopWhen). */
  readonly stoppedEarly?: boolean;
  /**
   * The interactive TUI (tui-session.ts): still running when stopped, terminal queries answered,
   * the screen's end (scrubbed; diagnosis only), background app-server processes it left and the
   * harness ended.
   */
  readonly tui?: { readonly runningAtStop: boolean; readonly terminalReplies: number; readonly screenTail: string; readonly daemonsEnded: number };
}

/** argv of the binary for a flow (pure). */
export function codexArgs(flow: Exclude<CodexCliFlow, 'tui'>, prompt: string): string[] {
  return flow === 'exec' ? ['exec', '--skip-git-repo-check', prompt] : ['app-server'];
}

/** The command that runs the binary with its own /etc/hosts (pure): `unshare -m` + bind mount + exec. */
export function withHostsFile(hostsFile: string, command: string, args: readonly string[]): { readonly command: string; readonly args: string[] } {
  return {
    command: 'unshare',
    args: ['--mount', '--propagation', 'private', '/bin/sh', '-c', 'mount --bind "$0" /etc/hosts && exec "$@"', hostsFile, command, ...args],
  };
}

export interface SpawnedCodex {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  /** Raw stderr so far (last 64 KiB; scrub before showing). */
  stderr(): string;
  /** Ends the process group (SIGKILL) and waits for the exit. */
  stop(): Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly stderr: string }>;
}

/** Starts the binary in its own process group with the home's environment (and hosts file). */
export function spawnCodex(opts: { readonly binaryPath: string; readonly args: readonly string[]; readonly cwd: string; readonly env: Readonly<Record<string, string>>; readonly hostsFile?: string; readonly path?: string }): SpawnedCodex {
  const launch = opts.hostsFile === undefined ? { command: opts.binaryPath, args: [...opts.args] } : withHostsFile(opts.hostsFile, opts.binaryPath, opts.args);
  const child = spawn(launch.command, launch.args, {
    cwd: opts.cwd,
    env: { PATH: opts.path ?? '/usr/local/bin:/usr/bin:/bin', ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  }) as ChildProcessWithoutNullStreams;
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-64 * 1024)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('error', () => resolve({ code: null, signal: null }));
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const killGroup = (): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  return {
    child,
    exited,
    stderr: () => stderr,
    async stop() {
      child.stdin.end();
      killGroup();
      const r = await exited;
      return { ...r, stderr };
    },
  };
}

export async function runCodexTurn(opts: TurnOptions): Promise<TurnOutcome> {
  const prompt = opts.prompt ?? DEFAULT_PROMPT;
  const started = performance.now();
  const proc = spawnCodex({ binaryPath: opts.binaryPath, args: codexArgs('exec', prompt), cwd: opts.home.home, env: opts.home.env, ...(opts.hostsFile === undefined ? {} : { hostsFile: opts.hostsFile }), ...(opts.path === undefined ? {} : { path: opts.path }) });
  const { child } = proc;
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const killGroup = (): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  let timedOut = false;
  let stoppedEarly = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, opts.timeoutMs);
  const poll =
    opts.stopWhen === undefined
      ? undefined
      : setInterval(() => {
          if (opts.stopWhen?.() === true && !stoppedEarly) {
            stoppedEarly = true;
            // Let in-flight requests land in the journal first.
            setTimeout(killGroup, 300);
          }
        }, 50);
  const scrub = (t: string): string => scrubSecrets(t, opts.secrets);
  try {
    child.stdin.end();
    const { code, signal } = await proc.exited;
    const message = stdout.trim();
    return {
      flow: 'exec',
      completed: code === 0 && !timedOut,
      exitCode: code,
      signal,
      timedOut,
      durationMs: Math.round(performance.now() - started),
      stderrTail: scrub(tail(proc.stderr())),
      ...(message === '' ? {} : { agentMessage: scrub(tail(message, 300)) }),
      ...(stoppedEarly ? { stoppedEarly } : {}),
    };
  } finally {
    clearTimeout(timer);
    if (poll !== undefined) clearInterval(poll);
    killGroup();
  }
}

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { driveAppServer, type AppServerOutcome } from './app-server-client.js';
import type { CodexCliFlow } from './codex-cli-cases.js';
import type { WrittenCodexHome } from './codex-home.js';
import { scrubSecrets, tail } from './scrub-secrets.js';
import type { HostTokens } from './seed-case.js';

/**
 * Runs the codex binary for one non-interactive turn, as a direct child. Callers start it only
 * after assertIsolated() (inside the namespace) or with an explicit allowNetwork opt-in.
 * Flows per docs/real-cli.md §5: `codex exec --skip-git-repo-check <prompt>`, or
 * `codex app-server` driven over JSON-RPC for host-supplied tokens.
 */
export const DEFAULT_PROMPT = 'say hi';

export interface TurnOptions {
  readonly binaryPath: string;
  readonly clientVersion: string;
  readonly home: WrittenCodexHome;
  readonly flow: CodexCliFlow;
  readonly hostTokens?: HostTokens;
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
  /** app-server flow: tokens the host answers `account/chatgptAuthTokens/refresh` with. */
  readonly refreshTokens?: HostTokens;
  /** app-server flow: after the first turn, log in as this account and run a second turn (same process). */
  readonly switchTo?: HostTokens;
  readonly onSwitch?: () => void;
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
}

/** argv of the binary for a flow (pure). */
export function codexArgs(flow: CodexCliFlow, prompt: string): string[] {
  return flow === 'exec' ? ['exec', '--skip-git-repo-check', prompt] : ['app-server'];
}

/** The command that runs the binary with its own /etc/hosts (pure): `unshare -m` + bind mount + exec. */
export function withHostsFile(hostsFile: string, command: string, args: readonly string[]): { readonly command: string; readonly args: string[] } {
  return {
    command: 'unshare',
    args: ['--mount', '--propagation', 'private', '/bin/sh', '-c', 'mount --bind "$0" /etc/hosts && exec "$@"', hostsFile, command, ...args],
  };
}

export async function runCodexTurn(opts: TurnOptions): Promise<TurnOutcome> {
  const prompt = opts.prompt ?? DEFAULT_PROMPT;
  const started = performance.now();
  const argv = codexArgs(opts.flow, prompt);
  const launch = opts.hostsFile === undefined ? { command: opts.binaryPath, args: argv } : withHostsFile(opts.hostsFile, opts.binaryPath, argv);
  const child = spawn(launch.command, launch.args, {
    cwd: opts.home.home,
    env: { PATH: opts.path ?? '/usr/local/bin:/usr/bin:/bin', ...opts.home.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  }) as ChildProcessWithoutNullStreams;
  let stdout = '';
  let stderr = '';
  if (opts.flow === 'exec') child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
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
    if (opts.flow === 'exec') {
      child.stdin.end();
      const { code, signal } = await exited;
      const message = stdout.trim();
      return {
        flow: 'exec',
        completed: code === 0 && !timedOut,
        exitCode: code,
        signal,
        timedOut,
        durationMs: Math.round(performance.now() - started),
        stderrTail: scrub(tail(stderr)),
        ...(message === '' ? {} : { agentMessage: scrub(tail(message, 300)) }),
        ...(stoppedEarly ? { stoppedEarly } : {}),
      };
    }
    if (opts.hostTokens === undefined) throw new TypeError('runCodexTurn: the appServer flow needs hostTokens');
    const outcome = await driveAppServer(child, opts.hostTokens, { cwd: opts.home.home, prompt, clientVersion: opts.clientVersion, timeoutMs: opts.timeoutMs, ...(opts.refreshTokens === undefined ? {} : { refreshTokens: opts.refreshTokens }), ...(opts.switchTo === undefined ? {} : { switchTo: opts.switchTo }), ...(opts.onSwitch === undefined ? {} : { onSwitch: opts.onSwitch }) });
    child.stdin.end();
    killGroup();
    const { code, signal } = await exited;
    return {
      flow: 'appServer',
      completed: outcome.reached === 'turnCompleted',
      exitCode: code,
      signal,
      timedOut,
      durationMs: Math.round(performance.now() - started),
      stderrTail: scrub(tail(stderr)),
      ...(outcome.agentMessage === undefined ? {} : { agentMessage: scrub(tail(outcome.agentMessage, 300)) }),
      appServer: { reached: outcome.reached, hostRefreshRequests: outcome.hostRefreshRequests ?? 0, ...(outcome.error === undefined ? {} : { error: scrub(outcome.error) }) },
    };
  } finally {
    clearTimeout(timer);
    if (poll !== undefined) clearInterval(poll);
    killGroup();
  }
}

import { basename } from 'node:path';
import type { Capabilities, Implementation, StartOptions } from '../implementation.js';
import type { DriverHello } from './driver-link.js';
import { DriverSession, type SessionPark } from './driver-session.js';
import type { DriverSessionOptions } from './driver-session-options.js';
import { isDriverProtocolError } from './driver-error.js';

/**
 * An Implementation served by a driver process speaking driver protocol v1
 * (docs/driver-protocol.md). A driver that declares `capabilities.reset` keeps its process
 * between cases: `stop()` parks the session, the next `start()` sends `reset` and reuses it.
 * `start({ freshProcess: true })` always gets a new process (booted ahead in the background once
 * a run has asked for one) that `stop()` ends. Drivers without `reset`: one process per
 * `start()`, as before.
 */
export interface DriverOptions {
  /** Longest wait for any single response (every wait has this timeout). */
  readonly timeoutMs: number;
  /** Longest wait for the first `start` response; default `timeoutMs`. */
  readonly startTimeoutMs?: number;
  /** Validate every message both ways against schemas/driver/v1/ (the CLI's `--validate`). */
  readonly validate?: boolean;
  /** Restarts allowed per session after uncaught failures; then invokes come back `errored`. */
  readonly maxRestarts: number;
  readonly cwd?: string;
  /**
   * Extra environment for the driver process. The driver inherits the harness environment minus
   * every `OPENAI_*` and `CODEX_*` variable, so auth comes only from the case setup.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Bytes of newest stderr kept per session (never parsed); default 64 KiB. */
  readonly stderrLimitBytes?: number;
  /** Longest response line accepted; default 16 MiB. */
  readonly maxLineBytes?: number;
  /** Reuse the processes of drivers that declare `reset` (default true). */
  readonly reuseProcesses?: boolean;
}

/** How an implementation's sessions were served (for benchmarks and diagnosis). */
export interface DriverUsage {
  /** Driver processes started (sessions opened, spares booted ahead included). */
  readonly processes: number;
  /** Sessions served by a parked process after `reset`. */
  readonly reused: number;
  /** `freshProcess` starts. */
  readonly fresh: number;
}

export interface DriverImplementation extends Implementation {
  start(options?: StartOptions): Promise<DriverSession>;
  close(): Promise<void>;
  readonly usage: DriverUsage;
  /** What the driver said in its latest `start` response, once a session has started. */
  readonly hello: DriverHello | undefined;
  processHistory(caseId: string): readonly string[] | undefined;
  protocolFailures(caseId: string): readonly string[];
  setProcessReuse(enabled: boolean): void;
}

const AUTH_ENV = /^(OPENAI_|CODEX_)/;

function driverEnv(extra: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !AUTH_ENV.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

function sessionOptions(opts: DriverOptions, onServe?: DriverSessionOptions['onServe'], onFailure?: DriverSessionOptions['onFailure']): DriverSessionOptions {
  if (!Number.isFinite(opts.timeoutMs) || opts.timeoutMs <= 0) {
    throw new TypeError(`driverImplementation: timeoutMs must be a positive number of milliseconds, got ${String(opts.timeoutMs)}`);
  }
  if (!Number.isInteger(opts.maxRestarts) || opts.maxRestarts < 0) {
    throw new TypeError(`driverImplementation: maxRestarts must be a non-negative integer, got ${String(opts.maxRestarts)}`);
  }
  return {
    timeoutMs: opts.timeoutMs,
    maxRestarts: opts.maxRestarts,
    env: driverEnv(opts.env),
    stderrLimitBytes: opts.stderrLimitBytes ?? 64 * 1024,
    maxLineBytes: opts.maxLineBytes ?? 16 * 1024 * 1024,
    ...(opts.startTimeoutMs !== undefined ? { startTimeoutMs: opts.startTimeoutMs } : {}),
    ...(opts.validate !== undefined ? { validate: opts.validate } : {}),
    ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
    ...(onServe !== undefined ? { onServe } : {}),
    ...(onFailure !== undefined ? { onFailure } : {}),
  };
}

const NO_CAPABILITIES: Capabilities = { authModes: [], callsites: [], introspect: [] };
/** Parked processes kept per implementation (cases run one at a time), and how long one waits. */
const MAX_IDLE = 2;
const IDLE_MS = 30_000;

/**
 * Wraps a driver command. `name`, `version` and `capabilities` come from the driver's `start`
 * response: before the first `start()` they are a placeholder (the command's base name, version
 * `unknown`, no capabilities). Use `probeDriver` when they must be known up front.
 */
export function driverImplementation(command: readonly string[], opts: DriverOptions): DriverImplementation {
  if (command.length === 0 || command[0] === '') {
    throw new TypeError('driverImplementation: the command is empty; pass e.g. ["python3", "examples/drivers/python/codex_auth_driver.py"]');
  }
  /** Per case id: the case ids its process served before it (kept for the run, for replays). */
  const history = new Map<string, readonly string[]>();
  /** Per case id: the protocol failures seen while serving it (descriptions, secrets fingerprinted). */
  const failures = new Map<string, (() => string)[]>();
  const options = sessionOptions(
    opts,
    (caseId, before) => history.set(caseId, before),
    (caseId, describe) => {
      if (caseId !== undefined) failures.set(caseId, [...(failures.get(caseId) ?? []), describe]);
    },
  );
  const frozen = [...command];
  let reuse = opts.reuseProcesses !== false;
  let hello: DriverHello | undefined;
  const idle: { readonly session: DriverSession; readonly timer: NodeJS.Timeout }[] = [];
  /** A fresh process booted ahead for the next `freshProcess` start (undefined if booting failed). */
  let spare: Promise<DriverSession | undefined> | undefined;
  const park: SessionPark = {
    park(session) {
      if (!reuse || idle.length >= MAX_IDLE) return false;
      session.setIdle(true);
      const timer = setTimeout(() => {
        const i = idle.findIndex((e) => e.session === session);
        if (i >= 0) void idle.splice(i, 1)[0]!.session.end();
      }, IDLE_MS);
      timer.unref();
      idle.push({ session, timer });
      return true;
    },
  };
  const usage = { processes: 0, reused: 0, fresh: 0 };
  const open = (withPark?: SessionPark): Promise<DriverSession> => {
    usage.processes += 1;
    return DriverSession.open(frozen, options, withPark);
  };
  const bootSpare = (): void => {
    spare = open().catch(() => undefined);
  };
  const started = (session: DriverSession): DriverSession => {
    hello = session.hello;
    return session;
  };
  return {
    get name() {
      return hello?.implementation.name ?? basename(frozen[frozen.length - 1] ?? frozen[0]!);
    },
    get version() {
      return hello?.implementation.version ?? 'unknown';
    },
    get capabilities() {
      return hello?.capabilities ?? NO_CAPABILITIES;
    },
    get hello() {
      return hello;
    },
    get usage() {
      return { ...usage };
    },
    async start(startOptions: StartOptions = {}) {
      if (startOptions.freshProcess === true) {
        usage.fresh += 1;
        const ready = spare === undefined ? undefined : await spare;
        spare = undefined;
        const session = ready ?? (await open());
        // Only drivers that reuse processes get a spare booted ahead; others start one per case anyway.
        if (reuse && session.hello.capabilities.reset === true) bootSpare();
        return started(session);
      }
      while (reuse && idle.length > 0) {
        const { session, timer } = idle.pop()!;
        clearTimeout(timer);
        session.setIdle(false);
        if (await session.reset()) {
          usage.reused += 1;
          return started(session);
        }
        await session.end();
      }
      return started(await open(park));
    },
    processHistory(caseId: string) {
      return history.get(caseId);
    },
    protocolFailures(caseId: string) {
      return [...failures].filter(([id]) => id === caseId || id.startsWith(`${caseId}-`)).flatMap(([, list]) => list.map((describe) => describe()));
    },
    setProcessReuse(enabled: boolean) {
      reuse = enabled;
    },
    async close() {
      const waiting = idle.splice(0);
      const pending = spare;
      spare = undefined;
      for (const { timer } of waiting) clearTimeout(timer);
      await Promise.all([...waiting.map(({ session }) => session.end()), pending?.then((s) => s?.end())]);
    },
  };
}

/** Starts the driver once (start + stop) so the returned Implementation knows its capabilities. */
export async function probeDriver(command: readonly string[], opts: DriverOptions): Promise<DriverImplementation> {
  const implementation = driverImplementation(command, opts);
  const session = await implementation.start();
  await session.stop();
  return implementation;
}

export type SmokeReport =
  | { readonly ok: true; readonly hello: DriverHello; readonly stderrTail: string }
  | { readonly ok: false; readonly problem: string; readonly failure?: string; readonly stderrTail: string };

/**
 * Checks that a driver answers `start` and `stop` (validating both against the schemas).
 * Never throws for a broken driver: the report says what went wrong.
 */
export async function smoke(command: readonly string[], opts: Partial<DriverOptions> = {}): Promise<SmokeReport> {
  const options = sessionOptions({ timeoutMs: 10_000, maxRestarts: 0, validate: true, ...opts });
  let session: DriverSession;
  try {
    session = await DriverSession.open(command, options);
  } catch (error) {
    if (!isDriverProtocolError(error)) throw error;
    return { ok: false, problem: error.message, failure: error.failure, stderrTail: error.stderrTail };
  }
  await session.stop();
  const stopFailure = session.events.find((e) => e.kind === 'uncaught');
  if (stopFailure !== undefined && stopFailure.kind === 'uncaught') {
    return { ok: false, problem: stopFailure.error.message, failure: stopFailure.error.failure, stderrTail: session.stderrTail() };
  }
  return { ok: true, hello: session.hello, stderrTail: session.stderrTail() };
}

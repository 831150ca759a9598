import { fingerprint } from '../../redact/fingerprint.js';
import { redactedExcerpt } from '../../redact/redact-text.js';
import { assertNever } from '../../assert-never.js';
import type { Capabilities, CaseSetup, Outcome, Session } from '../implementation.js';
import { DriverProcess } from './driver-process.js';
import { DriverProtocolError, isDriverProtocolError } from './driver-error.js';
import { formatIssues, validateRequest, validateResponse } from './driver-schemas.js';
import {
  DRIVER_PROTOCOL_VERSION,
  DRIVER_PROTOCOL_VERSIONS,
  type DriverProtocolVersion,
  type DriverCapabilities,
  type DriverCommand,
  type DriverImplementationInfo,
  type DriverRequest,
  type WireOutcome,
} from './protocol.js';

export interface DriverSessionOptions {
  /** Longest wait for any one response. */
  readonly timeoutMs: number;
  /** Longest wait for the `start` response (interpreters can be slow to boot); default timeoutMs. */
  readonly startTimeoutMs?: number;
  /** Validate every message both ways against schemas/driver/v1/. */
  readonly validate?: boolean;
  /** How many times a session may restart its driver after uncaught failures. */
  readonly maxRestarts: number;
  readonly cwd?: string;
  readonly env: Readonly<Record<string, string>>;
  readonly stderrLimitBytes: number;
  readonly maxLineBytes: number;
  /**
   * Called at each `configure` with the case id and the case ids this driver process served
   * before it (since the process started; a `reset` does not clear it): what a failure of the
   * case may depend on when the process carries state across cases.
   */
  readonly onServe?: (caseId: string, servedBefore: readonly string[]) => void;
  /**
   * Called at each uncaught protocol failure (and when the session gives up) with the case it
   * happened in (undefined before the first `configure`) and a one-line description to compute
   * once the case is over (the driver's stderr arrives on its own pipe, after the failure): the
   * failure, the restarts, and an excerpt of the driver's stderr with secrets fingerprinted.
   */
  readonly onFailure?: (caseId: string | undefined, describe: () => string) => void;
}

/** What the driver said about itself in its `start` response. */
export interface DriverHello {
  /** The protocol version the driver chose among the harness's `accepts` (1 for version-1 drivers). */
  readonly version: DriverProtocolVersion;
  readonly implementation: DriverImplementationInfo;
  readonly capabilities: DriverCapabilities;
}

/**
 * Where a session goes when its case ends (driver-implementation.ts keeps idle processes of
 * drivers that declare `reset`): `park` returns true when it took the session, which then keeps
 * its process instead of sending `stop`.
 */
export interface SessionPark {
  park(session: DriverSession): boolean;
}

/** An event the session records for diagnosis: each uncaught failure and each restart. */
export type DriverEvent =
  | { readonly kind: 'uncaught'; readonly command: DriverCommand; readonly error: DriverProtocolError }
  | { readonly kind: 'restarted'; readonly attempt: number }
  | { readonly kind: 'gaveUp'; readonly restarts: number };

type Reply = { readonly kind: 'ok'; readonly message: Record<string, unknown> } | { readonly kind: 'error'; readonly message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A Session backed by a driver process. Requests are serialized. Uncaught failures (crash, invalid
 * JSON, wrong seq, timeout, schema violation) restart the driver and replay `start` plus the last
 * `configure`; the failed invoke becomes an `errored` outcome prefixed `uncaught:`.
 */
export class DriverSession implements Session {
  readonly #command: readonly string[];
  readonly #options: DriverSessionOptions;
  #process: DriverProcess | undefined;
  #seq = 0;
  #restarts = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #lastSetup: CaseSetup | undefined;
  /** Version 2: the last setup of each named instance (replayed after a restart, like #lastSetup). */
  #instanceSetups = new Map<string, CaseSetup>();
  /** Why invokes of the current case cannot run (configure failed), if so. */
  #caseError: string | undefined;
  #gaveUp: DriverProtocolError | undefined;
  #hello: DriverHello | undefined;
  #stderrOfDeadProcesses = '';
  #park: SessionPark | undefined;
  /** Case ids the current process has been configured for, oldest first. */
  #served: string[] = [];
  readonly events: DriverEvent[] = [];

  private constructor(command: readonly string[], options: DriverSessionOptions) {
    this.#command = command;
    this.#options = options;
  }

  /**
   * Spawns the driver and performs `start`; throws DriverProtocolError if that fails. With
   * `park`, `stop()` offers the session to it first (see `reset()`).
   */
  static async open(command: readonly string[], options: DriverSessionOptions, park?: SessionPark): Promise<DriverSession> {
    const session = new DriverSession(command, options);
    session.#park = park;
    try {
      await session.#boot();
    } catch (error) {
      await session.#discardProcess();
      if (isDriverProtocolError(error)) error.stderrTail = session.stderrTail();
      throw error;
    }
    return session;
  }

  get hello(): DriverHello {
    if (this.#hello === undefined) throw new TypeError('driver session: not started');
    return this.#hello;
  }

  get restarts(): number {
    return this.#restarts;
  }

  /** The newest stderr output of this session's driver processes (bounded, never parsed). */
  stderrTail(): string {
    const all = this.#stderrOfDeadProcesses + (this.#process?.stderrTail() ?? '');
    return all.slice(-this.#options.stderrLimitBytes);
  }

  configure(setup: CaseSetup, instance?: string): Promise<void> {
    return this.#serial(async () => {
      this.#checkInstance(instance);
      if (instance === undefined) this.#lastSetup = setup;
      else this.#instanceSetups.set(instance, setup);
      this.#caseError = undefined;
      this.#options.onServe?.(setup.caseId, [...this.#served]);
      this.#served.push(setup.caseId);
            const message = { cmd: 'configure', seq: 0, setup, ...(instance === undefined ? {} : { instance }) } as const;
      this.#checkRequest('configure', { ...message, seq: 1 });
      const reply = await this.#call('configure', (seq) => ({ ...message, seq }));
      if (reply.kind === 'error') this.#caseError = `configure failed: ${reply.message}`;
    });
  }

  invoke(callsiteId: string, instance?: string): Promise<Outcome> {
    return this.#serial(() => this.#invokeNow(callsiteId, instance));
  }

  async #invokeNow(callsiteId: string, instance: string | undefined): Promise<Outcome> {
    this.#checkInstance(instance);
    if ((instance === undefined ? this.#lastSetup : this.#instanceSetups.get(instance)) === undefined) {
      throw new TypeError(`driver session: invoke() before configure()${instance === undefined ? '' : ` of instance ${instance}`}; call configure(setup${instance === undefined ? '' : ', instance'}) first`);
    }
    if (this.#caseError !== undefined) return { kind: 'errored', message: this.#caseError };
    const tag = instance === undefined ? {} : { instance };
    this.#checkRequest('invoke', { cmd: 'invoke', seq: 1, callsite: callsiteId, ...tag });
    const reply = await this.#call('invoke', (seq) => ({ cmd: 'invoke', seq, callsite: callsiteId, ...tag }));
    if (reply.kind === 'error') return { kind: 'errored', message: reply.message };
    return toOutcome(reply.message['outcome'] as WireOutcome);
  }

  /**
   * Several invokes at once (version 2): sent together when the driver declares
   * `concurrentInvokes` (each answered with its seq, in any order), else one after another.
   * Outcomes come back in the order of `calls`. An uncaught failure errors every invoke in flight;
   * the driver is then restarted once, as after any uncaught failure.
   */
  invokeConcurrently(calls: ReadonlyArray<{ readonly callsite: string; readonly instance?: string }>): Promise<Outcome[]> {
    return this.#serial(async () => {
      const process = this.#process;
      if (this.#hello?.capabilities.concurrentInvokes !== true || process === undefined || !process.alive || this.#caseError !== undefined) {
        const out: Outcome[] = [];
        for (const c of calls) out.push(await this.#invokeNow(c.callsite, c.instance));
        return out;
      }
      for (const c of calls) this.#checkInstance(c.instance);
      process.pipelining = true;
      let broken: DriverProtocolError | undefined;
      try {
        return await Promise.all(
          calls.map(async (c): Promise<Outcome> => {
            const request = { cmd: 'invoke', seq: this.#nextSeq(), callsite: c.callsite, ...(c.instance === undefined ? {} : { instance: c.instance }) } as const;
            this.#checkRequest('invoke', request);
            try {
              const message = await this.#exchange(process, 'invoke', request, this.#options.timeoutMs);
              if (isRecord(message['error'])) return { kind: 'errored', message: String(message['error']['message']) };
              return toOutcome(message['outcome'] as WireOutcome);
            } catch (error) {
              if (!isDriverProtocolError(error)) throw error;
              broken ??= error;
              return { kind: 'errored', message: `uncaught: ${error.message}` };
            }
          }),
        );
      } finally {
        process.pipelining = false;
        if (broken !== undefined) {
          this.events.push({ kind: 'uncaught', command: 'invoke', error: broken });
          await this.#recover(this.#lastSetup);
        }
      }
    });
  }

  /** An instance is only for a version-2 driver that declares `capabilities.instances`. */
  #checkInstance(instance: string | undefined): void {
    if (instance === undefined) return;
    if (this.#hello?.version !== 2 || this.#hello.capabilities.instances !== true) {
      throw new TypeError(`driver session: instance ${JSON.stringify(instance)} needs a protocol-2 driver that declares capabilities.instances; this one speaks version ${this.#hello?.version ?? '?'}${this.#hello?.capabilities.instances === true ? '' : ' without instances'}`);
    }
  }

  introspect(what: string, instance?: string): Promise<unknown> {
    return this.#serial(async () => {
      this.#checkInstance(instance);
      if (!this.hello.capabilities.introspect.includes(what)) {
        throw new TypeError(
          `driver session: the driver does not offer introspect ${JSON.stringify(what)}; it offers ${JSON.stringify(this.hello.capabilities.introspect)}`,
        );
      }
      const tag = instance === undefined ? {} : { instance };
      this.#checkRequest('introspect', { cmd: 'introspect', seq: 1, what, ...tag });
      const reply = await this.#call('introspect', (seq) => ({ cmd: 'introspect', seq, what, ...tag }));
      if (reply.kind === 'error') {
        throw new DriverProtocolError('driverError', `Driver could not introspect ${JSON.stringify(what)}: ${reply.message}`, 'fix the driver or stop listing the item in capabilities.introspect');
      }
      return reply.message['value'];
    });
  }

  /**
   * True when this session's process can serve another case after `reset()`: the driver
   * declared `capabilities.reset`, its process is alive and the session has not given up.
   */
  /** Marks the process idle (kept for a later case, not keeping the harness alive) or busy. */
  setIdle(idle: boolean): void {
    this.#process?.setIdle(idle);
  }

  get reusable(): boolean {
    return this.#hello?.capabilities.reset === true && this.#gaveUp === undefined && this.#process?.alive === true;
  }

  /**
   * Readies a parked session for a new case: sends `reset` (the driver is then as good as a fresh
   * process) and forgets the previous case (its configure, failures and restart count). Resolves
   * false when the driver cannot be reused (error response, crash, timeout): the caller then
   * discards it with `stop()` and starts a fresh process.
   */
  reset(): Promise<boolean> {
    return this.#serial(async () => {
      const process = this.#process;
      if (!this.reusable || process === undefined) return false;
      this.#checkRequest('reset', { cmd: 'reset', seq: 1 });
      try {
        const reply = await this.#exchange(process, 'reset', { cmd: 'reset', seq: this.#nextSeq() }, this.#options.timeoutMs);
        if (isRecord(reply['error'])) return false;
      } catch (error) {
        if (!isDriverProtocolError(error)) throw error;
        this.#record({ kind: 'uncaught', command: 'reset', error });
        return false;
      }
      this.#lastSetup = undefined;
      this.#instanceSetups.clear();
      this.#caseError = undefined;
      this.#restarts = 0;
      return true;
    });
  }

  /**
   * Ends the case. A session opened with a park that takes it keeps its process for the next
   * case; otherwise sends `stop` and ends the process. `end()` always ends the process.
   */
  stop(): Promise<void> {
    if (this.#park !== undefined && this.reusable && this.#park.park(this)) return this.#queue.then(() => undefined);
    return this.end();
  }

  /** Sends `stop` and ends the process (also for a session that could be parked). */
  end(): Promise<void> {
    return this.#serial(async () => {
      const process = this.#process;
      if (process === undefined) return;
      try {
        if (process.alive) {
          const seq = this.#nextSeq();
          await this.#exchange(process, 'stop', { cmd: 'stop', seq }, this.#options.timeoutMs);
        }
      } catch (error) {
        // A driver that fails at stop is killed below; results it produced earlier stand.
        if (!isDriverProtocolError(error)) throw error;
        this.#record({ kind: 'uncaught', command: 'stop', error });
      }
      await this.#discardProcess();
    });
  }

  /** Records a failure event and reports it for the current case (see `onFailure`). */
  #record(event: DriverEvent): void {
    this.events.push(event);
    const report = this.#options.onFailure;
    if (report === undefined || event.kind === 'restarted') return;
    const what = event.kind === 'uncaught' ? `${event.command}: ${event.error.message} [${event.error.failure}]` : `gave up after ${event.restarts} restart(s)`;
    const restarts = this.#restarts;
    const setup = this.#lastSetup;
    report(setup?.caseId, () => {
      const stderr = redactedExcerpt(this.stderrTail(), 400, knownSecrets(setup));
      return `driver protocol error at ${what}${restarts > 0 ? `; ${restarts} restart(s) so far` : ''}${stderr === '' ? '; no stderr' : `; stderr: ${stderr.replace(/\s*\n\s*/g, ' | ')}`}`;
    });
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #nextSeq(): number {
    this.#seq += 1;
    return this.#seq;
  }

  #checkRequest(cmd: DriverCommand, message: unknown): void {
    if (this.#options.validate !== true) return;
    const issues = validateRequest(cmd, message, this.#hello?.version ?? 1);
    if (issues.length > 0) {
      throw new DriverProtocolError(
        'schema',
        `The harness built a ${cmd} request that violates schemas/driver/v${this.#hello?.version ?? 1}/${cmd}.request.json: ${formatIssues(issues)}.`,
        'fix the case setup (or the adapter) so the request matches the schema',
      );
    }
  }

  /** Sends one request, restarting the driver after uncaught failures. */
  async #call(cmd: 'configure' | 'invoke' | 'introspect', build: (seq: number) => DriverRequest): Promise<Reply> {
    if (this.#gaveUp !== undefined) return { kind: 'error', message: `uncaught: ${this.#gaveUp.message}` };
    if (this.#process === undefined || !this.#process.alive) {
      // The driver broke between requests (exited, or wrote an unsolicited line): record it,
      // then restart before sending this request.
      const between = this.#process?.failure;
      if (between !== undefined) this.#record({ kind: 'uncaught', command: cmd, error: between });
      const ready = await this.#recover(cmd === 'configure' ? undefined : this.#lastSetup);
      if (!ready) return { kind: 'error', message: `uncaught: ${this.#gaveUpMessage()}` };
    }
    const process = this.#process!;
    try {
      const message = await this.#exchange(process, cmd, build(this.#nextSeq()), this.#options.timeoutMs);
      return isRecord(message['error']) ? { kind: 'error', message: String(message['error']['message']) } : { kind: 'ok', message };
    } catch (error) {
      if (!isDriverProtocolError(error)) throw error;
      this.#record({ kind: 'uncaught', command: cmd, error });
      // Replay the last configure only when the failed request was not that configure itself.
      await this.#recover(cmd === 'configure' ? undefined : this.#lastSetup);
      if (cmd === 'configure') this.#caseError = `uncaught: ${error.message}`;
      return { kind: 'error', message: `uncaught: ${error.message}` };
    }
  }

  #gaveUpMessage(): string {
    return this.#gaveUp?.message ?? 'driver unavailable';
  }

  /** Restarts the driver (start + replayed configure) until it works or restarts run out. */
  async #recover(replay: CaseSetup | undefined): Promise<boolean> {
    for (;;) {
      await this.#discardProcess();
      if (this.#restarts >= this.#options.maxRestarts) {
        this.#gaveUp = new DriverProtocolError(
          'gaveUp',
          `Driver \`${this.#command.join(' ')}\` failed after ${this.#restarts} restart(s); no further requests are sent this session.`,
          'fix the driver (see the session events and stderrTail()), or raise maxRestarts',
        );
        this.#record({ kind: 'gaveUp', restarts: this.#restarts });
        return false;
      }
      this.#restarts += 1;
      this.events.push({ kind: 'restarted', attempt: this.#restarts });
      try {
        await this.#boot();
        if (replay !== undefined) {
          const seq = this.#nextSeq();
          const reply = await this.#exchange(this.#process!, 'configure', { cmd: 'configure', seq, setup: replay }, this.#options.timeoutMs);
          if (isRecord(reply['error'])) this.#caseError = `configure failed on replay: ${String(reply['error']['message'])}`;
        }
        for (const [instance, setup] of this.#instanceSetups) {
          const reply = await this.#exchange(this.#process!, 'configure', { cmd: 'configure', seq: this.#nextSeq(), setup, instance }, this.#options.timeoutMs);
          if (isRecord(reply['error'])) this.#caseError = `configure of instance ${instance} failed on replay: ${String(reply['error']['message'])}`;
        }
        return true;
      } catch (error) {
        if (!isDriverProtocolError(error)) throw error;
        this.#record({ kind: 'uncaught', command: 'start', error });
      }
    }
  }

  async #boot(): Promise<void> {
    this.#served = [];
    this.#process = new DriverProcess(this.#command, {
      env: this.#options.env,
      stderrLimitBytes: this.#options.stderrLimitBytes,
      maxLineBytes: this.#options.maxLineBytes,
      ...(this.#options.cwd !== undefined ? { cwd: this.#options.cwd } : {}),
    });
    const seq = this.#nextSeq();
    const reply = await this.#exchange(
      this.#process,
      'start',
      { cmd: 'start', seq, version: DRIVER_PROTOCOL_VERSION, accepts: DRIVER_PROTOCOL_VERSIONS },
      this.#options.startTimeoutMs ?? this.#options.timeoutMs,
    );
    if (isRecord(reply['error'])) {
      throw new DriverProtocolError('driverError', `Driver refused start: ${String(reply['error']['message'])}`, 'fix the driver so it can start');
    }
    this.#hello = {
      version: reply['version'] === 2 ? 2 : 1,
      implementation: reply['implementation'] as DriverImplementationInfo,
      capabilities: reply['capabilities'] as DriverCapabilities,
    };
  }

  async #discardProcess(): Promise<void> {
    const process = this.#process;
    if (process === undefined) return;
    this.#process = undefined;
    await process.close(Math.min(this.#options.timeoutMs, 2000));
    this.#stderrOfDeadProcesses = (this.#stderrOfDeadProcesses + process.stderrTail()).slice(-this.#options.stderrLimitBytes);
  }

  /** One request/response round trip with parsing, seq check and (optional) schema validation. */
  async #exchange(process: DriverProcess, cmd: DriverCommand, request: DriverRequest, timeoutMs: number): Promise<Record<string, unknown>> {
    const line = await process.request(request, timeoutMs);
    const fail = (failure: 'invalidJson' | 'wrongSeq' | 'malformed' | 'schema' | 'versionMismatch', problem: string, fix: string): never => {
      process.kill();
      throw new DriverProtocolError(failure, problem, fix);
    };
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return fail(
        'invalidJson',
        `Driver answered ${cmd} (seq ${request.seq}) with a line that is not JSON (${line.length} chars, ${fingerprint(line)}).`,
        'write exactly one JSON object per line on stdout; send logs to stderr',
      );
    }
    if (!isRecord(parsed)) {
      return fail('malformed', `Driver answered ${cmd} (seq ${request.seq}) with JSON that is not an object.`, 'answer with a JSON object');
    }
    if (parsed['seq'] !== request.seq) {
      return fail(
        'wrongSeq',
        `Driver answered ${cmd} with seq ${JSON.stringify(parsed['seq'])}; expected ${request.seq}.`,
        'echo the seq of the request unchanged in its response',
      );
    }
    if (cmd === 'start' && !isRecord(parsed['error']) && !(DRIVER_PROTOCOL_VERSIONS as readonly unknown[]).includes(parsed['version'])) {
      return fail(
        'versionMismatch',
        `Driver speaks protocol version ${JSON.stringify(parsed['version'])}; this harness speaks versions ${DRIVER_PROTOCOL_VERSIONS.join(' and ')}.`,
        `answer start with "version": 1 (or 2, when the request's accepts lists it)`,
      );
    }
    const version: DriverProtocolVersion = cmd === 'start' ? (parsed['version'] === 2 ? 2 : 1) : (this.#hello?.version ?? 1);
    if (this.#options.validate === true) {
      const issues = validateResponse(cmd, parsed, version);
      if (issues.length > 0) {
        return fail('schema', `Driver's ${cmd} response violates schemas/driver/v${version}/${cmd}.response.json: ${formatIssues(issues)}.`, 'make the response match the schema');
      }
    }
    if (isRecord(parsed['error'])) {
      if (typeof parsed['error']['message'] !== 'string') {
        return fail('malformed', `Driver's ${cmd} error response has no string error.message.`, 'answer {"seq": n, "error": {"message": "..."}}');
      }
      return parsed;
    }
    const problem = minimalShapeProblem(cmd, parsed);
    if (problem !== undefined) {
      return fail('malformed', `Driver's ${cmd} response is malformed: ${problem}.`, `make the response match schemas/driver/v1/${cmd}.response.json`);
    }
    return parsed;
  }
}

/** The checks the adapter needs even without `validate`, to turn a response into data. */
function minimalShapeProblem(cmd: DriverCommand, message: Record<string, unknown>): string | undefined {
  switch (cmd) {
    case 'start': {
      const impl = message['implementation'];
      if (!isRecord(impl) || typeof impl['name'] !== 'string' || typeof impl['version'] !== 'string') {
        return 'implementation {name, version, language} is missing';
      }
      const caps = message['capabilities'];
      if (!isRecord(caps) || !['authModes', 'callsites', 'introspect'].every((k) => Array.isArray(caps[k]))) {
        return 'capabilities {authModes, callsites, introspect} must hold three arrays';
      }
      return undefined;
    }
    case 'configure':
    case 'reset':
    case 'stop':
      return message['ok'] === true ? undefined : 'expected "ok": true';
    case 'invoke': {
      const outcome = message['outcome'];
      if (!isRecord(outcome)) return 'expected an outcome object';
      switch (outcome['kind']) {
        case 'sent':
          return Number.isInteger(outcome['status']) ? undefined : 'a sent outcome needs an integer status';
        case 'refused':
        case 'skipped':
          return typeof outcome['reason'] === 'string' ? undefined : `a ${String(outcome['kind'])} outcome needs a string reason`;
        case 'errored':
          return typeof outcome['message'] === 'string' ? undefined : 'an errored outcome needs a string message';
        default:
          return `unknown outcome kind ${JSON.stringify(outcome['kind'])}`;
      }
    }
    case 'introspect':
      return Object.hasOwn(message, 'value') ? undefined : 'expected a value';
    default:
      return assertNever(cmd, 'driver command');
  }
}

function toOutcome(wire: WireOutcome): Outcome {
  switch (wire.kind) {
    case 'sent':
      return wire.body === undefined ? { kind: 'sent', status: wire.status } : { kind: 'sent', status: wire.status, body: wire.body };
    case 'refused':
      return { kind: 'refused', reason: wire.reason };
    case 'errored':
      return { kind: 'errored', message: wire.message };
    case 'skipped':
      return wire.link === undefined ? { kind: 'skipped', reason: wire.reason } : { kind: 'skipped', reason: wire.reason, link: wire.link };
    default:
      return assertNever(wire, 'outcome');
  }
}

/** Credentials the harness handed the driver for a case (auth.json values, env, host tokens): fingerprinted wherever its stderr shows them. */
function knownSecrets(setup: CaseSetup | undefined): string[] {
  if (setup === undefined) return [];
  const out: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (isRecord(value)) Object.values(value).forEach(collect);
  };
  for (const [key, value] of Object.entries(setup.env)) if (/KEY|TOKEN|SECRET|PASS/i.test(key)) collect(value);
  collect(setup.hostTokens);
  collect(setup.hostHeaders);
  for (const text of Object.values(setup.files)) {
    try {
      collect(JSON.parse(text));
    } catch {
      // not JSON (config.toml, a PEM): the shape-based redaction covers what looks like a secret
    }
  }
  return out.filter((x) => x.length >= 12 && !/^https?:\/\//.test(x));
}

import { redactedExcerpt } from '../../redact/redact-text.js';
import type { CaseSetup, Outcome, Session } from '../implementation.js';
import { knownSecrets } from './case-secrets.js';
import { DriverProtocolError, isDriverProtocolError } from './driver-error.js';
import { driverFailureLine, failedWhat, type DriverEvent } from './driver-event.js';
import { DriverLink, type DriverHello } from './driver-link.js';
import { isRecord } from './driver-response.js';
import type { DriverSessionOptions } from './driver-session-options.js';
import type { DriverRequest, WireOutcome } from './protocol.js';
import { toOutcome } from './wire-outcome.js';

/**
 * Where a session goes when its case ends (driver-implementation.ts keeps idle processes of
 * drivers that declare `reset`): `park` returns true when it took the session, which then keeps
 * its process instead of sending `stop`.
 */
export interface SessionPark {
  park(session: DriverSession): boolean;
}

type Reply = { readonly kind: 'ok'; readonly message: Record<string, unknown> } | { readonly kind: 'error'; readonly message: string };

/**
 * A Session backed by a driver process. Requests are serialized. Uncaught failures (crash, invalid
 * JSON, wrong seq, timeout, schema violation) restart the driver and replay `start` plus the last
 * `configure`; the failed invoke becomes an `errored` outcome prefixed `uncaught:`.
 */
export class DriverSession implements Session {
  readonly #options: DriverSessionOptions;
  readonly #link: DriverLink;
  #restarts = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #lastSetup: CaseSetup | undefined;
  /** Version 2: the last setup of each named instance (replayed after a restart, like #lastSetup). */
  #instanceSetups = new Map<string, CaseSetup>();
  /** Why invokes of the current case cannot run (configure failed), if so. */
  #caseError: string | undefined;
  #gaveUp: DriverProtocolError | undefined;
  #park: SessionPark | undefined;
  /** Case ids the current process has been configured for, oldest first. */
  #served: string[] = [];
  readonly events: DriverEvent[] = [];

  private constructor(command: readonly string[], options: DriverSessionOptions) {
    this.#options = options;
    this.#link = new DriverLink(command, options);
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
      await session.#link.discard();
      if (isDriverProtocolError(error)) error.stderrTail = session.stderrTail();
      throw error;
    }
    return session;
  }

  get hello(): DriverHello {
    const hello = this.#link.hello;
    if (hello === undefined) throw new TypeError('driver session: not started');
    return hello;
  }

  get restarts(): number {
    return this.#restarts;
  }

  /** The newest stderr output of this session's driver processes (bounded, never parsed). */
  stderrTail(): string {
    return this.#link.stderrTail();
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
      this.#link.checkRequest('configure', { ...message, seq: 1 });
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
    this.#link.checkRequest('invoke', { cmd: 'invoke', seq: 1, callsite: callsiteId, ...tag });
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
      const process = this.#link.process;
      if (this.#link.hello?.capabilities.concurrentInvokes !== true || process === undefined || !process.alive || this.#caseError !== undefined) {
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
            const request = { cmd: 'invoke', seq: this.#link.nextSeq(), callsite: c.callsite, ...(c.instance === undefined ? {} : { instance: c.instance }) } as const;
            this.#link.checkRequest('invoke', request);
            try {
              const message = await this.#link.exchange(process, 'invoke', request, this.#options.timeoutMs);
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
    if (this.#link.hello?.version !== 2 || this.#link.hello.capabilities.instances !== true) {
      throw new TypeError(`driver session: instance ${JSON.stringify(instance)} needs a protocol-2 driver that declares capabilities.instances; this one speaks version ${this.#link.hello?.version ?? '?'}${this.#link.hello?.capabilities.instances === true ? '' : ' without instances'}`);
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
      this.#link.checkRequest('introspect', { cmd: 'introspect', seq: 1, what, ...tag });
      const reply = await this.#call('introspect', (seq) => ({ cmd: 'introspect', seq, what, ...tag }));
      if (reply.kind === 'error') {
        throw new DriverProtocolError('driverError', `Driver could not introspect ${JSON.stringify(what)}: ${reply.message}`, 'fix the driver or stop listing the item in capabilities.introspect');
      }
      return reply.message['value'];
    });
  }

  /** Marks the process idle (kept for a later case, not keeping the harness alive) or busy. */
  setIdle(idle: boolean): void {
    this.#link.process?.setIdle(idle);
  }

  /**
   * True when this session's process can serve another case after `reset()`: the driver
   * declared `capabilities.reset`, its process is alive and the session has not given up.
   */
  get reusable(): boolean {
    return this.#link.hello?.capabilities.reset === true && this.#gaveUp === undefined && this.#link.process?.alive === true;
  }

  /**
   * Readies a parked session for a new case: sends `reset` (the driver is then as good as a fresh
   * process) and forgets the previous case (its configure, failures and restart count). Resolves
   * false when the driver cannot be reused (error response, crash, timeout): the caller then
   * discards it with `stop()` and starts a fresh process.
   */
  reset(): Promise<boolean> {
    return this.#serial(async () => {
      const process = this.#link.process;
      if (!this.reusable || process === undefined) return false;
      this.#link.checkRequest('reset', { cmd: 'reset', seq: 1 });
      try {
        const reply = await this.#link.exchange(process, 'reset', { cmd: 'reset', seq: this.#link.nextSeq() }, this.#options.timeoutMs);
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
      const process = this.#link.process;
      if (process === undefined) return;
      try {
        if (process.alive) {
          const seq = this.#link.nextSeq();
          await this.#link.exchange(process, 'stop', { cmd: 'stop', seq }, this.#options.timeoutMs);
        }
      } catch (error) {
        // A driver that fails at stop is killed below; results it produced earlier stand.
        if (!isDriverProtocolError(error)) throw error;
        this.#record({ kind: 'uncaught', command: 'stop', error });
      }
      await this.#link.discard();
    });
  }

  /** Records a failure event and reports it for the current case (see `onFailure`). */
  #record(event: DriverEvent): void {
    this.events.push(event);
    const report = this.#options.onFailure;
    if (report === undefined || event.kind === 'restarted') return;
    const what = failedWhat(event);
    const restarts = this.#restarts;
    const setup = this.#lastSetup;
    report(setup?.caseId, () => driverFailureLine(what, restarts, redactedExcerpt(this.stderrTail(), 400, knownSecrets(setup))));
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Sends one request, restarting the driver after uncaught failures. */
  async #call(cmd: 'configure' | 'invoke' | 'introspect', build: (seq: number) => DriverRequest): Promise<Reply> {
    if (this.#gaveUp !== undefined) return { kind: 'error', message: `uncaught: ${this.#gaveUp.message}` };
    if (this.#link.process === undefined || !this.#link.process.alive) {
      // The driver broke between requests (exited, or wrote an unsolicited line): record it,
      // then restart before sending this request.
      const between = this.#link.process?.failure;
      if (between !== undefined) this.#record({ kind: 'uncaught', command: cmd, error: between });
      const ready = await this.#recover(cmd === 'configure' ? undefined : this.#lastSetup);
      if (!ready) return { kind: 'error', message: `uncaught: ${this.#gaveUpMessage()}` };
    }
    const process = this.#link.process!;
    try {
      const message = await this.#link.exchange(process, cmd, build(this.#link.nextSeq()), this.#options.timeoutMs);
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
      await this.#link.discard();
      if (this.#restarts >= this.#options.maxRestarts) {
        this.#gaveUp = new DriverProtocolError(
          'gaveUp',
          `Driver \`${this.#link.command.join(' ')}\` failed after ${this.#restarts} restart(s); no further requests are sent this session.`,
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
          const seq = this.#link.nextSeq();
          const reply = await this.#link.exchange(this.#link.process!, 'configure', { cmd: 'configure', seq, setup: replay }, this.#options.timeoutMs);
          if (isRecord(reply['error'])) this.#caseError = `configure failed on replay: ${String(reply['error']['message'])}`;
        }
        for (const [instance, setup] of this.#instanceSetups) {
          const reply = await this.#link.exchange(this.#link.process!, 'configure', { cmd: 'configure', seq: this.#link.nextSeq(), setup, instance }, this.#options.timeoutMs);
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
    await this.#link.start();
  }
}

import { DriverProcess } from './driver-process.js';
import { DriverProtocolError } from './driver-error.js';
import { readDriverResponse, isRecord } from './driver-response.js';
import { formatIssues, validateRequest } from './driver-schemas.js';
import type { DriverSessionOptions } from './driver-session-options.js';
import {
  DRIVER_PROTOCOL_VERSION,
  DRIVER_PROTOCOL_VERSIONS,
  type DriverProtocolVersion,
  type DriverCapabilities,
  type DriverCommand,
  type DriverImplementationInfo,
  type DriverRequest,
} from './protocol.js';

/** What the driver said about itself in its `start` response. */
export interface DriverHello {
  /** The protocol version the driver chose among the harness's `accepts` (1 for version-1 drivers). */
  readonly version: DriverProtocolVersion;
  readonly implementation: DriverImplementationInfo;
  readonly capabilities: DriverCapabilities;
}

/**
 * A session's link to its driver: the current driver process and what outlives each process (the
 * seq counter, the last `start` answer, the stderr of processes that ended). It spawns and starts
 * a process, checks a request against the schema, sends it and reads the response, and closes
 * the process. Restarts, replays and the case's state are the session's (driver-session.ts).
 */
export class DriverLink {
  readonly command: readonly string[];
  readonly #options: DriverSessionOptions;
  #process: DriverProcess | undefined;
  #seq = 0;
  #hello: DriverHello | undefined;
  #stderrOfDeadProcesses = '';

  constructor(command: readonly string[], options: DriverSessionOptions) {
    this.command = command;
    this.#options = options;
  }

  /** The current process (undefined before the first start and after discard). */
  get process(): DriverProcess | undefined {
    return this.#process;
  }

  /** The newest `start` answer (kept after its process ended, until the next one answers). */
  get hello(): DriverHello | undefined {
    return this.#hello;
  }

  nextSeq(): number {
    this.#seq += 1;
    return this.#seq;
  }

  /** The newest stderr output of this link's driver processes (bounded, never parsed). */
  stderrTail(): string {
    const all = this.#stderrOfDeadProcesses + (this.#process?.stderrTail() ?? '');
    return all.slice(-this.#options.stderrLimitBytes);
  }

  /** With `validate`, throws when the harness built a request its schema refuses. */
  checkRequest(cmd: DriverCommand, message: unknown): void {
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

  /** Spawns a new driver process and performs `start`; throws DriverProtocolError if that fails. */
  async start(): Promise<void> {
    this.#process = new DriverProcess(this.command, {
      env: this.#options.env,
      stderrLimitBytes: this.#options.stderrLimitBytes,
      maxLineBytes: this.#options.maxLineBytes,
      ...(this.#options.cwd !== undefined ? { cwd: this.#options.cwd } : {}),
    });
    const seq = this.nextSeq();
    const reply = await this.exchange(
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

  /** Closes the current process (if any), keeping its stderr for stderrTail(). */
  async discard(): Promise<void> {
    const process = this.#process;
    if (process === undefined) return;
    this.#process = undefined;
    await process.close(Math.min(this.#options.timeoutMs, 2000));
    this.#stderrOfDeadProcesses = (this.#stderrOfDeadProcesses + process.stderrTail()).slice(-this.#options.stderrLimitBytes);
  }

  /** One request/response round trip; a response that breaks the protocol kills the process and throws. */
  async exchange(process: DriverProcess, cmd: DriverCommand, request: DriverRequest, timeoutMs: number): Promise<Record<string, unknown>> {
    const line = await process.request(request, timeoutMs);
    const reading = readDriverResponse(line, cmd, request.seq, this.#hello?.version ?? 1, this.#options.validate === true);
    if (reading.kind === 'broken') {
      process.kill();
      throw new DriverProtocolError(reading.failure, reading.problem, reading.fix);
    }
    return reading.message;
  }
}

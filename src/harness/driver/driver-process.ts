import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fingerprint } from '../../redact/fingerprint.js';
import { DriverProtocolError } from './driver-error.js';

/** One driver child process: newline-delimited JSON requests in, one response line per request out. */
export interface DriverProcessOptions {
  readonly cwd?: string;
  /** Environment of the child; the adapter passes a copy of its own minus auth variables. */
  readonly env: Readonly<Record<string, string>>;
  /** How many bytes of the newest stderr output to keep (never parsed). */
  readonly stderrLimitBytes: number;
  /** Longest stdout line accepted before the output counts as garbage. */
  readonly maxLineBytes: number;
}

type Pending = {
  readonly resolve: (line: string) => void;
  readonly reject: (error: DriverProtocolError) => void;
  readonly timer: NodeJS.Timeout;
};

const DRIVER_FIX = 'fix the driver so it follows docs/driver-protocol.md (run `smoke` on it), then rerun';

/** Bounded buffer of the newest bytes written to stderr. */
class StderrTail {
  #chunks: Buffer[] = [];
  #size = 0;
  #total = 0;
  constructor(private readonly limit: number) {}
  push(chunk: Buffer): void {
    this.#total += chunk.length;
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    while (this.#size > this.limit && this.#chunks.length > 0) {
      const first = this.#chunks[0]!;
      const excess = this.#size - this.limit;
      if (first.length <= excess) {
        this.#chunks.shift();
        this.#size -= first.length;
      } else {
        this.#chunks[0] = first.subarray(excess);
        this.#size -= excess;
      }
    }
  }
  text(): string {
    return Buffer.concat(this.#chunks).toString('utf8');
  }
  get totalBytes(): number {
    return this.#total;
  }
}

export class DriverProcess {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #stderr: StderrTail;
  readonly #maxLineBytes: number;
  #buffer = '';
  /** Requests waiting for their response line, by seq (more than one only when `pipelining`). */
  #pending = new Map<number, Pending>();
  /** Protocol v2 `concurrentInvokes`: several requests may be in flight; lines are routed by seq. */
  pipelining = false;
  /** Set once the process is unusable; every later request fails with it. */
  #broken: DriverProtocolError | undefined;
  #exited = false;
  readonly #exit: Promise<void>;
  readonly label: string;

  constructor(command: readonly string[], options: DriverProcessOptions) {
    const [file, ...args] = command;
    if (file === undefined || file === '') {
      throw new DriverProtocolError('spawnFailed', 'The driver command is empty.', 'pass the driver command, e.g. ["python3", "driver.py"]');
    }
    this.label = command.join(' ');
    this.#stderr = new StderrTail(options.stderrLimitBytes);
    this.#maxLineBytes = options.maxLineBytes;
    this.#child = spawn(file, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...options.env },
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    });
    this.#exit = new Promise((resolve) => {
      this.#child.once('close', () => resolve());
    });
    this.#child.once('error', (error) => {
      this.#fail(
        new DriverProtocolError('spawnFailed', `Could not start driver \`${this.label}\`: ${error.message}.`, 'check the command exists and is executable', {
          cause: error,
        }),
      );
    });
    this.#child.once('exit', (code, signal) => {
      this.#exited = true;
      this.#fail(
        new DriverProtocolError(
          'crashed',
          `Driver \`${this.label}\` exited (${signal !== null ? `signal ${signal}` : `code ${String(code)}`}) without answering; stderr holds ${this.#stderr.totalBytes} bytes.`,
          DRIVER_FIX,
        ),
      );
    });
    this.#child.stdout.setEncoding('utf8');
    this.#child.stdout.on('data', (chunk: string) => this.#onStdout(chunk));
    this.#child.stderr.on('data', (chunk: Buffer) => this.#stderr.push(chunk));
    // EPIPE and friends surface as a failed request, never as an unhandled 'error' event.
    this.#child.stdin.on('error', (error) => {
      this.#fail(new DriverProtocolError('writeFailed', `Could not write to driver \`${this.label}\`: ${error.message}.`, DRIVER_FIX, { cause: error }));
    });
  }

  /**
   * Sends one request line and resolves with its response line: the next stdout line, or, with
   * several requests in flight (`pipelining`), the line whose seq is the request's.
   */
  request(message: { readonly seq: number }, timeoutMs: number): Promise<string> {
    if (this.#broken !== undefined) return Promise.reject(this.#broken);
    if (this.#pending.size > 0 && !this.pipelining) {
      return Promise.reject(new TypeError('driver process: a request is already in flight; await it before sending the next'));
    }
    if (this.#pending.has(message.seq)) return Promise.reject(new TypeError(`driver process: seq ${message.seq} is already in flight`));
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#fail(
          new DriverProtocolError(
            'timeout',
            `Driver \`${this.label}\` did not answer within ${timeoutMs} ms.`,
            'make the driver answer every request (write one line and flush stdout), or raise timeoutMs',
          ),
        );
        this.kill();
      }, timeoutMs);
      this.#pending.set(message.seq, { resolve, reject, timer });
      const line = `${JSON.stringify(message)}\n`;
      this.#child.stdin.write(line, (error) => {
        if (error) {
          this.#fail(new DriverProtocolError('writeFailed', `Could not write to driver \`${this.label}\`: ${error.message}.`, DRIVER_FIX, { cause: error }));
        }
      });
    });
  }

  stderrTail(): string {
    return this.#stderr.text();
  }

  /** Why the process became unusable, if it did. */
  get failure(): DriverProtocolError | undefined {
    return this.#broken;
  }

  get alive(): boolean {
    return !this.#exited && this.#broken === undefined;
  }

  /** Closes stdin and waits up to `graceMs` for the process to exit, then kills it. */
  async close(graceMs: number): Promise<void> {
    if (!this.#exited) this.#child.stdin.end();
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
    if ((await Promise.race([this.#exit.then(() => 'exited' as const), timer])) === 'timeout') {
      this.kill();
      await this.#exit;
    }
  }

  kill(): void {
    if (!this.#exited) this.#child.kill('SIGKILL');
  }

  /**
   * An idle process (kept for a later case) must not keep the harness alive: unreferenced, the
   * harness can exit, which closes the driver's stdin, which ends the driver.
   */
  setIdle(idle: boolean): void {
    const handles = [this.#child, this.#child.stdin, this.#child.stdout, this.#child.stderr] as unknown as { ref?(): void; unref?(): void }[];
    for (const h of handles) {
      if (idle) h.unref?.();
      else h.ref?.();
    }
  }

  /** Resolves once the process has exited and its pipes are closed. */
  exited(): Promise<void> {
    return this.#exit;
  }

  #onStdout(chunk: string): void {
    this.#buffer += chunk;
    for (;;) {
      const newline = this.#buffer.indexOf('\n');
      if (newline < 0) break;
      const line = this.#buffer.slice(0, newline).replace(/\r$/, '');
      this.#buffer = this.#buffer.slice(newline + 1);
      if (line.trim() === '') continue;
      this.#onLine(line);
    }
    if (Buffer.byteLength(this.#buffer) > this.#maxLineBytes) {
      this.#fail(
        new DriverProtocolError(
          'invalidJson',
          `Driver \`${this.label}\` wrote more than ${this.#maxLineBytes} bytes without a newline.`,
          'write each response as one JSON object followed by a newline',
        ),
      );
      this.#buffer = '';
      this.kill();
    }
  }

  #onLine(line: string): void {
    if (this.#pending.size === 0) {
      this.#fail(
        new DriverProtocolError(
          'unsolicited',
          `Driver \`${this.label}\` wrote a line (${line.length} chars, ${fingerprint(line)}) when no request was waiting.`,
          'write exactly one response line per request; send logs to stderr',
        ),
      );
      return;
    }
    // One request waiting: the line is its answer (the session checks the seq). Several: route by seq.
    let seq = this.#pending.size === 1 ? [...this.#pending.keys()][0]! : undefined;
    if (seq === undefined) {
      try {
        const parsed = JSON.parse(line) as { seq?: unknown };
        if (typeof parsed.seq === 'number' && this.#pending.has(parsed.seq)) seq = parsed.seq;
      } catch {
        // not JSON: no request to route it to
      }
    }
    const pending = seq === undefined ? undefined : this.#pending.get(seq);
    if (seq === undefined || pending === undefined) {
      this.#fail(new DriverProtocolError('wrongSeq', `Driver \`${this.label}\` answered with a line whose seq matches none of the ${this.#pending.size} requests in flight (${fingerprint(line)}).`, 'echo the seq of each request unchanged in its response'));
      this.kill();
      return;
    }
    this.#pending.delete(seq);
    clearTimeout(pending.timer);
    pending.resolve(line);
  }

  #fail(error: DriverProtocolError): void {
    if (this.#broken === undefined) this.#broken = error;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(error);
    }
  }
}

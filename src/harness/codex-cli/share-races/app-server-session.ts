import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import type { JsonRpcMessage } from '../app-server-client.js';

/**
 * A long-lived `codex app-server` driven step by step over newline-delimited JSON-RPC, for runs
 * whose auth lives in CODEX_HOME/auth.json (managed ChatGPT tokens): the harness changes the
 * files between requests, so unlike app-server-client.ts (host-supplied tokens, one scripted
 * exchange) each request is its own call. Methods as in docs/real-cli.md §5 (`initialize`,
 * `thread/start`, `turn/start`, notification `turn/completed`); server requests (approvals) are
 * declined.
 */
export interface TurnResult {
  readonly completed: boolean;
  /** Why the turn did not complete (a JSON-RPC error, a failed turn's message, a timeout), unscrubbed. */
  readonly error?: string;
}

export class AppServerSession {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: Interface;
  readonly #pending = new Map<number | string, (m: JsonRpcMessage) => void>();
  #turnDone: ((m: JsonRpcMessage) => void) | undefined;
  #nextId = 1;
  readonly #exited: Promise<JsonRpcMessage>;
  /** Error notifications the server sent (`error` method), unscrubbed. */
  readonly errors: string[] = [];

  constructor(child: ChildProcessWithoutNullStreams) {
    this.#child = child;
    this.#exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ error: { message: `app-server exited (${code ?? signal})` } })));
    this.#lines = createInterface({ input: child.stdout });
    this.#lines.on('line', (line) => this.#onLine(line));
  }

  #send(m: JsonRpcMessage): void {
    this.#child.stdin.write(`${JSON.stringify(m)}\n`);
  }

  #onLine(line: string): void {
    let msg: JsonRpcMessage;
    try {
      msg = JSON.parse(line) as JsonRpcMessage;
    } catch {
      return;
    }
    if (msg.method !== undefined && msg.id !== undefined) {
      this.#send({ id: msg.id, error: { code: -32601, message: 'declined by the conformance harness' } });
      return;
    }
    if (msg.method === 'error') {
      const p = (msg.params ?? {}) as { error?: { message?: string } };
      this.errors.push(p.error?.message ?? JSON.stringify(msg.params).slice(0, 400));
    }
    if (msg.method === 'turn/completed') this.#turnDone?.(msg);
    if (msg.method === undefined && msg.id !== undefined) this.#pending.get(msg.id)?.(msg);
  }

  #within(p: Promise<JsonRpcMessage>, timeoutMs: number): Promise<JsonRpcMessage> {
    return Promise.race([p, this.#exited, new Promise<JsonRpcMessage>((r) => setTimeout(() => r({ error: { message: 'timed out' } }), timeoutMs).unref())]);
  }

  call(method: string, params: unknown, timeoutMs: number): Promise<JsonRpcMessage> {
    const id = this.#nextId++;
    const answered = new Promise<JsonRpcMessage>((resolve) => this.#pending.set(id, resolve));
    this.#send({ id, method, params });
    return this.#within(answered, timeoutMs);
  }

  notify(method: string, params: unknown): void {
    this.#send({ method, params });
  }

  async initialize(clientVersion: string, timeoutMs: number): Promise<string | undefined> {
    const a = await this.call('initialize', { clientInfo: { name: 'codex-auth-conformance', title: null, version: clientVersion }, capabilities: { experimentalApi: true } }, timeoutMs);
    if (a.error !== undefined) return a.error.message ?? 'initialize failed';
    this.notify('initialized', {});
    return undefined;
  }

  async startThread(cwd: string, timeoutMs: number): Promise<{ readonly threadId?: string; readonly error?: string }> {
    const a = await this.call('thread/start', { cwd }, timeoutMs);
    const threadId = (a.result as { thread?: { id?: string } } | undefined)?.thread?.id;
    if (threadId === undefined) return { error: a.error?.message ?? 'thread/start returned no thread id' };
    return { threadId };
  }

  async turn(threadId: string, prompt: string, timeoutMs: number): Promise<TurnResult> {
    const done = this.#within(new Promise<JsonRpcMessage>((resolve) => (this.#turnDone = resolve)), timeoutMs);
    const a = await this.call('turn/start', { threadId, input: [{ type: 'text', text: prompt }] }, timeoutMs);
    if (a.error !== undefined) return { completed: false, error: `turn/start: ${a.error.message ?? 'error'}` };
    const m = await done;
    if (m.error !== undefined) return { completed: false, error: m.error.message ?? 'turn error' };
    const turn = (m.params as { turn?: { status?: string; error?: { message?: string } } } | undefined)?.turn;
    if (turn?.status === 'failed') return { completed: false, error: turn.error?.message ?? 'turn failed' };
    return { completed: true };
  }

  close(): void {
    this.#lines.close();
    this.#child.stdin.end();
  }
}

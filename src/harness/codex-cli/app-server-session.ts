import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { answerServerRequest, type AppServerStep, type HostTokens, type JsonRpcMessage } from './app-server-client.js';

/**
 * A long-lived `codex app-server` driven step by step (a scenario's `codexAppServer` actor):
 * `initialize` at start, then any of `login` (account/login/start with host-supplied tokens),
 * `turn` (thread/start once, turn/start, until turn/completed) and raw JSON-RPC requests, in the
 * order the scenario gives. Server requests are answered as the host would:
 * `account/chatgptAuthTokens/refresh` with the refresh-answer tokens (or the last login's), anything
 * else declined. Message shapes: app-server-client.ts (codex-rs/app-server-protocol v2).
 */
export interface AppServerAnswer {
  /** The last step that completed. */
  readonly reached: AppServerStep | 'none';
  readonly ok: boolean;
  /** The JSON-RPC error or timeout that stopped the step (unscrubbed: scrub before showing). */
  readonly error?: string;
  readonly agentMessage?: string;
  readonly result?: unknown;
}

export class AppServerSession {
  #nextId = 1;
  #pending = new Map<number | string, (m: JsonRpcMessage) => void>();
  #turnDone: ((m: JsonRpcMessage) => void) | undefined;
  #agentMessage: string | undefined;
  #threadId: string | undefined;
  #login: HostTokens | undefined;
  #exited: Promise<JsonRpcMessage>;
  #lines;
  reached: AppServerAnswer['reached'] = 'none';
  hostRefreshRequests = 0;

  constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly opts: { readonly cwd: string; readonly clientVersion: string; readonly timeoutMs: number; readonly refreshAnswer?: HostTokens },
  ) {
    this.#exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ error: { message: `app-server exited (${code ?? signal})` } })));
    this.#lines = createInterface({ input: child.stdout });
    this.#lines.on('line', (line) => this.#onLine(line));
  }

  #send(m: JsonRpcMessage): void {
    this.child.stdin.write(`${JSON.stringify(m)}\n`);
  }

  #onLine(line: string): void {
    let msg: JsonRpcMessage;
    try {
      msg = JSON.parse(line) as JsonRpcMessage;
    } catch {
      return;
    }
    if (msg.method !== undefined && msg.id !== undefined) {
      if (msg.method === 'account/chatgptAuthTokens/refresh') this.hostRefreshRequests += 1;
      const tokens = this.opts.refreshAnswer ?? this.#login;
      this.#send(tokens === undefined ? { id: msg.id, error: { code: -32601, message: 'codex-auth-conformance holds no host tokens' } } : answerServerRequest(msg, tokens));
      return;
    }
    if (msg.method !== undefined) {
      const params = (msg.params ?? {}) as { item?: { type?: string; text?: string } };
      if (msg.method === 'item/completed' && params.item?.type === 'agentMessage' && typeof params.item.text === 'string') this.#agentMessage = params.item.text;
      if (msg.method === 'turn/completed') this.#turnDone?.(msg);
      return;
    }
    if (msg.id !== undefined) this.#pending.get(msg.id)?.(msg);
  }

  #within(p: Promise<JsonRpcMessage>): Promise<JsonRpcMessage> {
    return Promise.race([p, this.#exited, new Promise<JsonRpcMessage>((r) => setTimeout(() => r({ error: { message: 'timed out' } }), this.opts.timeoutMs).unref())]);
  }

  #call(method: string, params: unknown): Promise<JsonRpcMessage> {
    const id = this.#nextId++;
    const answered = new Promise<JsonRpcMessage>((resolve) => this.#pending.set(id, resolve));
    this.#send({ id, method, params });
    return this.#within(answered);
  }

  #answer(ok: boolean, error?: string, result?: unknown): AppServerAnswer {
    return { reached: this.reached, ok, ...(error === undefined ? {} : { error }), ...(this.#agentMessage === undefined ? {} : { agentMessage: this.#agentMessage }), ...(result === undefined ? {} : { result }) };
  }

  static failed(m: JsonRpcMessage): string | undefined {
    return m.error !== undefined ? (m.error.message ?? JSON.stringify(m.error)) : undefined;
  }

  async initialize(): Promise<AppServerAnswer> {
    const a = await this.#call('initialize', { clientInfo: { name: 'codex-auth-conformance', title: null, version: this.opts.clientVersion }, capabilities: { experimentalApi: true } });
    const err = AppServerSession.failed(a);
    if (err !== undefined) return this.#answer(false, `initialize: ${err}`);
    this.reached = 'initialize';
    this.#send({ method: 'initialized', params: {} });
    return this.#answer(true);
  }

  async login(tokens: HostTokens): Promise<AppServerAnswer> {
    this.#login = tokens;
    const a = await this.#call('account/login/start', { type: 'chatgptAuthTokens', accessToken: tokens.accessToken, chatgptAccountId: tokens.accountId, chatgptPlanType: tokens.planType });
    const err = AppServerSession.failed(a);
    if (err !== undefined) return this.#answer(false, `account/login/start: ${err}`);
    this.reached = 'login';
    return this.#answer(true);
  }

  async turn(prompt: string): Promise<AppServerAnswer> {
    let a = await this.#call('thread/start', { cwd: this.opts.cwd });
    const threadId = (a.result as { thread?: { id?: string } } | undefined)?.thread?.id;
    if (AppServerSession.failed(a) !== undefined || threadId === undefined) return this.#answer(false, `thread/start: ${AppServerSession.failed(a) ?? 'no thread id'}`);
    this.#threadId = threadId;
    this.reached = 'threadStart';
    const completed = this.#within(new Promise<JsonRpcMessage>((resolve) => (this.#turnDone = resolve)));
    a = await this.#call('turn/start', { threadId, input: [{ type: 'text', text: prompt }] });
    if (AppServerSession.failed(a) !== undefined) return this.#answer(false, `turn/start: ${AppServerSession.failed(a)}`);
    this.reached = 'turnStart';
    const done = await completed;
    if (AppServerSession.failed(done) !== undefined) return this.#answer(false, `turn: ${AppServerSession.failed(done)}`);
    const turn = (done.params as { turn?: { status?: string; error?: { message?: string } } } | undefined)?.turn;
    if (turn?.status === 'failed') return this.#answer(false, `turn failed: ${turn.error?.message ?? 'no message'}`);
    this.reached = 'turnCompleted';
    return this.#answer(true);
  }

  async request(method: string, params: unknown): Promise<AppServerAnswer> {
    const a = await this.#call(method, params ?? {});
    const err = AppServerSession.failed(a);
    return err === undefined ? this.#answer(true, undefined, a.result) : this.#answer(false, `${method}: ${err}`);
  }

  get threadId(): string | undefined {
    return this.#threadId;
  }

  close(): void {
    this.#lines.close();
  }
}

import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { HostTokens } from './seed-case.js';

/**
 * A minimal client for `codex app-server`: newline-delimited JSON-RPC over the child's stdio
 * (no `jsonrpc` field needed). Method and field names from
 * codex-rs/app-server-protocol/src/protocol/v2/account.rs (`account/login/start` with
 * `type: "chatgptAuthTokens"`, server request `account/chatgptAuthTokens/refresh`) and the v2
 * thread/turn methods (`thread/start`, `turn/start`, notification `turn/completed`); the
 * exchange is recorded in docs/real-cli.md §5.
 */
export interface JsonRpcMessage {
  readonly id?: number | string;
  readonly method?: string;
  readonly params?: unknown;
  readonly result?: unknown;
  readonly error?: { readonly code?: number; readonly message?: string };
}

export type AppServerStep = 'initialize' | 'login' | 'threadStart' | 'turnStart' | 'turnCompleted';

export interface AppServerOutcome {
  /** The last step that completed. */
  readonly reached: AppServerStep | 'none';
  readonly agentMessage?: string;
  /** The error that stopped the flow (a JSON-RPC error or a timeout), unscrubbed. */
  readonly error?: string;
  /** How many `account/chatgptAuthTokens/refresh` server requests the host answered. */
  readonly hostRefreshRequests?: number;
}

/** The JSON-RPC requests the client sends, in order (pure, so the exchange is testable). */
export function appServerRequests(tokens: HostTokens, cwd: string, prompt: string, clientVersion: string): Record<AppServerStep, JsonRpcMessage | undefined> {
  return {
    initialize: { id: 1, method: 'initialize', params: { clientInfo: { name: 'codex-auth-conformance', title: null, version: clientVersion }, capabilities: { experimentalApi: true } } },
    login: {
      id: 2,
      method: 'account/login/start',
      params: { type: 'chatgptAuthTokens', accessToken: tokens.accessToken, chatgptAccountId: tokens.accountId, chatgptPlanType: tokens.planType },
    },
    threadStart: { id: 3, method: 'thread/start', params: { cwd } },
    turnStart: undefined,
    turnCompleted: undefined,
  };
}

/** Answer to a server-initiated request: refresh hands back the same host tokens; anything else is declined. */
export function answerServerRequest(msg: JsonRpcMessage, tokens: HostTokens): JsonRpcMessage {
  if (msg.method === 'account/chatgptAuthTokens/refresh') {
    return { id: msg.id!, result: { accessToken: tokens.accessToken, chatgptAccountId: tokens.accountId, chatgptPlanType: tokens.planType } };
  }
  return { id: msg.id!, error: { code: -32601, message: `codex-auth-conformance does not answer ${String(msg.method)}` } };
}

export async function driveAppServer(
  child: ChildProcessWithoutNullStreams,
  tokens: HostTokens,
  opts: {
    readonly cwd: string;
    readonly prompt: string;
    readonly clientVersion: string;
    readonly timeoutMs: number;
    /** Tokens the host hands back when the server asks it to refresh (default: the login tokens). */
    readonly refreshTokens?: HostTokens;
    /**
     * After the first turn, log in as another account (account/login/start again) and run a
     * second turn in the same process; `onSwitch` runs just before that login.
     */
    readonly switchTo?: HostTokens;
    readonly onSwitch?: () => void;
  },
): Promise<AppServerOutcome> {
  let hostRefreshRequests = 0;
  const pending = new Map<number | string, (m: JsonRpcMessage) => void>();
  let reached: AppServerOutcome['reached'] = 'none';
  let agentMessage: string | undefined;
  let turnDone: ((m: JsonRpcMessage) => void) | undefined;
  const send = (m: JsonRpcMessage): void => {
    child.stdin.write(`${JSON.stringify(m)}\n`);
  };
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    let msg: JsonRpcMessage;
    try {
      msg = JSON.parse(line) as JsonRpcMessage;
    } catch {
      return;
    }
    if (msg.method !== undefined && msg.id !== undefined) {
      if (msg.method === 'account/chatgptAuthTokens/refresh') hostRefreshRequests += 1;
      send(answerServerRequest(msg, opts.refreshTokens ?? tokens));
      return;
    }
    if (msg.method !== undefined) {
      const params = (msg.params ?? {}) as { item?: { type?: string; text?: string } };
      if (msg.method === 'item/completed' && params.item?.type === 'agentMessage' && typeof params.item.text === 'string') agentMessage = params.item.text;
      if (msg.method === 'turn/completed') turnDone?.(msg);
      return;
    }
    if (msg.id !== undefined) pending.get(msg.id)?.(msg);
  });
  const exited = new Promise<JsonRpcMessage>((resolve) => child.on('exit', (code, signal) => resolve({ error: { message: `app-server exited (${code ?? signal})` } })));
  const deadline = Date.now() + opts.timeoutMs;
  const within = <T extends JsonRpcMessage>(p: Promise<T>): Promise<JsonRpcMessage> =>
    Promise.race([p, exited, new Promise<JsonRpcMessage>((r) => setTimeout(() => r({ error: { message: 'timed out' } }), Math.max(0, deadline - Date.now())).unref())]);
  const call = (m: JsonRpcMessage): Promise<JsonRpcMessage> => {
    const answered = new Promise<JsonRpcMessage>((resolve) => pending.set(m.id!, resolve));
    send(m);
    return within(answered);
  };
  const failed = (m: JsonRpcMessage): string | undefined => (m.error !== undefined ? (m.error.message ?? JSON.stringify(m.error)) : undefined);
  const reqs = appServerRequests(tokens, opts.cwd, opts.prompt, opts.clientVersion);
  const counted = (o: AppServerOutcome): AppServerOutcome => ({ ...o, hostRefreshRequests });
  try {
    let answer = await call(reqs.initialize!);
    if (failed(answer) !== undefined) return counted({ reached, error: `initialize: ${failed(answer)}` });
    reached = 'initialize';
    send({ method: 'initialized', params: {} });
    answer = await call(reqs.login!);
    if (failed(answer) !== undefined) return counted({ reached, error: `account/login/start: ${failed(answer)}` });
    reached = 'login';
    let nextId = 10;
    const runTurn = async (): Promise<AppServerOutcome | undefined> => {
      answer = await call({ ...reqs.threadStart!, id: nextId++ });
      const threadId = (answer.result as { thread?: { id?: string } } | undefined)?.thread?.id;
      if (failed(answer) !== undefined || threadId === undefined) return counted({ reached, error: `thread/start: ${failed(answer) ?? 'no thread id'}` });
      reached = 'threadStart';
      const completed = within(new Promise<JsonRpcMessage>((resolve) => (turnDone = resolve)));
      answer = await call({ id: nextId++, method: 'turn/start', params: { threadId, input: [{ type: 'text', text: opts.prompt }] } });
      if (failed(answer) !== undefined) return counted({ reached, error: `turn/start: ${failed(answer)}` });
      reached = 'turnStart';
      const done = await completed;
      if (failed(done) !== undefined) return counted({ reached, error: `turn: ${failed(done)}`, ...(agentMessage === undefined ? {} : { agentMessage }) });
      const turn = (done.params as { turn?: { status?: string; error?: { message?: string } } } | undefined)?.turn;
      if (turn?.status === 'failed') return counted({ reached, error: `turn failed: ${turn.error?.message ?? 'no message'}`, ...(agentMessage === undefined ? {} : { agentMessage }) });
      reached = 'turnCompleted';
      return undefined;
    };
    const first = await runTurn();
    if (first !== undefined) return first;
    if (opts.switchTo !== undefined) {
      opts.onSwitch?.();
      answer = await call({ id: nextId++, method: 'account/login/start', params: { type: 'chatgptAuthTokens', accessToken: opts.switchTo.accessToken, chatgptAccountId: opts.switchTo.accountId, chatgptPlanType: opts.switchTo.planType } });
      if (failed(answer) !== undefined) return counted({ reached, error: `second account/login/start: ${failed(answer)}` });
      const second = await runTurn();
      if (second !== undefined) return second;
    }
    return counted({ reached, ...(agentMessage === undefined ? {} : { agentMessage }) });
  } finally {
    lines.close();
  }
}

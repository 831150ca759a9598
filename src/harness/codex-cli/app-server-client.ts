
/**
 * The messages of `codex app-server` (driven step by step by app-server-session.ts): newline-delimited JSON-RPC over the child's stdio
 * (no `jsonrpc` field needed). Method and field names from
 * codex-rs/app-server-protocol/src/protocol/v2/account.rs (`account/login/start` with
 * `type: "chatgptAuthTokens"`, server request `account/chatgptAuthTokens/refresh`) and the v2
 * thread/turn methods (`thread/start`, `turn/start`, notification `turn/completed`); the
 * exchange is recorded in docs/real-cli.md §5.
 */
/** Host-supplied ChatGPT tokens as `account/login/start` (type chatgptAuthTokens) carries them. */
export interface HostTokens {
  readonly accessToken: string;
  readonly accountId: string;
  readonly planType: string;
}

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

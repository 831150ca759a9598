import { getResponse, HttpHandler, ws, type WebSocketHandler } from 'msw';
import { WebSocket as WsWebSocket } from 'ws';
import { acceptsWebSocket, RESPONSES_WEBSOCKET_PATHS } from '../handlers/responses-websocket.js';
import { caseIdOf, type MockContext } from '../handlers/route.js';
import { answerWsFrame, errorFrame } from './responses-ws-protocol.js';

/**
 * The Responses WebSocket in process, with msw's `ws` API: a process-wide `ws.link` intercepts
 * `new WebSocket(url, init)` and serves the mocked origins' Responses paths. The WHATWG constructor has no headers,
 * so the upgrade request is taken from what the client handed the constructor: undici's
 * non-standard init form `new WebSocket(url, { protocols, headers })` (the headers an undici
 * client puts on the wire), plus the upgrade headers the protocol itself sends. That request is
 * answered by the route table like any HTTP request (auth verified, faults, journal); a refused
 * upgrade closes the socket with code 4000 + HTTP status (4401, 4426, ...) and the rejection
 * code as reason.
 */
export type WebSocketInit = string | readonly string[] | { readonly protocols?: string | readonly string[]; readonly headers?: Readonly<Record<string, string>> };

/** Headers an undici-style init carries (empty for the WHATWG forms). */
export function initHeaders(init: unknown): Record<string, string> {
  if (typeof init !== 'object' || init === null || Array.isArray(init)) return {};
  const h = (init as { headers?: unknown }).headers;
  if (typeof h !== 'object' || h === null) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h as Record<string, unknown>)) if (typeof v === 'string') out[k.toLowerCase()] = v;
  return out;
}

/** `wss://host/p` -> `https://host/p` (the route table matches http(s) origins). */
export function httpUrlOf(wsUrl: string): string {
  const u = new URL(wsUrl);
  u.protocol = u.protocol === 'wss:' ? 'https:' : u.protocol === 'ws:' ? 'http:' : u.protocol;
  return u.toString();
}

/** The upgrade request the in-process client made, as a Fetch Request. */
export function upgradeRequestOf(wsUrl: string, init: unknown): Request {
  const headers = new Headers(initHeaders(init));
  headers.set('upgrade', 'websocket');
  headers.set('connection', 'Upgrade');
  headers.set('sec-websocket-version', '13');
  return new Request(httpUrlOf(wsUrl), { method: 'GET', headers });
}

/**
 * Node 20 has no global WebSocket unless started with --experimental-websocket, and msw can only
 * intercept a global one. When it is missing, installs (configurable) a WebSocket built on the
 * `ws` library that accepts the undici init form, before msw patches it. Returns true if it did.
 */
export function ensureGlobalWebSocket(): boolean {
  if (typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'function') return false;
  class NodeWebSocket extends WsWebSocket {
    constructor(url: string | URL, init?: WebSocketInit) {
      const protocols = typeof init === 'string' || Array.isArray(init) ? (init as string | string[]) : ((init as { protocols?: string | string[] } | undefined)?.protocols ?? []);
      super(url, protocols, { headers: initHeaders(init) });
    }
  }
  Object.defineProperty(globalThis, 'WebSocket', { value: NodeWebSocket, configurable: true, writable: true, enumerable: false });
  return true;
}

/** What the process-wide links serve: the in-process mock started last (msw interception is global). */
export interface InProcessWebSocketTarget {
  readonly ctx: MockContext;
  /** True when the http(s) URL is a mocked origin + Responses path. */
  readonly isMocked: (httpUrl: string) => boolean;
  /** The mock's current handlers (faults first), to answer the upgrade request. */
  readonly currentHandlers: () => readonly unknown[];
  /** Journals an upgrade to a URL the mock does not serve. */
  readonly recordUnhandled: (request: Request) => void;
}

let target: InProcessWebSocketTarget | undefined;
let links: WebSocketHandler[] | undefined;

async function refuse(client: { close(code?: number, reason?: string): void }, response: Response | undefined): Promise<void> {
  let code = 'no_response';
  try {
    code = ((await response?.json()) as { error?: { code?: string } } | undefined)?.error?.code ?? code;
  } catch {
    // not JSON
  }
  client.close(4000 + ((response?.status ?? 501) % 1000), code.slice(0, 100));
}

/**
 * The msw `ws` handlers, created once per process (msw adds a listener to one shared
 * BroadcastChannel per link) and bound to the current mock with `bindInProcessWebSocket`.
 * Every WebSocket URL is matched: a mocked Responses URL gets the judged upgrade and the
 * session; anything else is journalled as unhandled and closed with 4501, so no in-process
 * WebSocket leaves the process.
 */
/** Ids of the connections being served (msw's client id), so a connection handed over twice is judged once. */
const seen = new Set<string>();

export function inProcessWebSocketLinks(): WebSocketHandler[] {
  links ??= [
    ws.link(/^wss?:\/\//).addEventListener('connection', ({ client, info }) => {
      // One connection is judged once: with two msw servers listening in one process (a test
      // file's mock not yet closed while the next one starts) the interceptor hands the same
      // connection to each, which journalled the upgrade twice.
      if (seen.has(client.id)) return;
      seen.add(client.id);
      client.addEventListener('close', () => seen.delete(client.id));
      const request = upgradeRequestOf(client.url.toString(), info.protocols);
      const bound = target;
      if (bound === undefined || !bound.isMocked(request.url)) {
        bound?.recordUnhandled(request);
        client.close(4501, 'origin_not_mocked');
        return;
      }
      const caseId = caseIdOf(bound.ctx, request);
      // Judge the upgrade; frames that arrive meanwhile wait for the verdict (msw opens the
      // client socket before an async listener finishes).
      const accepted = (async (): Promise<boolean> => {
        const httpHandlers = bound.currentHandlers().filter((h): h is HttpHandler => h instanceof HttpHandler);
        const response = await getResponse(httpHandlers, request).catch(() => undefined);
        if (response !== undefined && acceptsWebSocket(response)) return true;
        await refuse(client, response);
        return false;
      })();
      client.addEventListener('message', (event) => {
        void accepted.then((ok) => {
          if (!ok) return;
          const frames =
            typeof event.data === 'string'
              ? answerWsFrame(event.data, { modelRequests: bound.ctx.backend.modelRequests, caseId, url: request.url })
              : [errorFrame(400, 'invalid_request', 'The Responses WebSocket takes text frames only.')];
          for (const f of frames) client.send(f);
        });
      });
    }),
  ];
  return links;
}

export function bindInProcessWebSocket(next: InProcessWebSocketTarget): () => void {
  target = next;
  return () => {
    if (target === next) target = undefined;
  };
}

/** True when `httpUrl` is one of `origins` with a Responses WebSocket path. */
export function isResponsesWebSocketUrl(origins: readonly string[], httpUrl: string): boolean {
  const u = new URL(httpUrl);
  const paths: readonly string[] = [...RESPONSES_WEBSOCKET_PATHS.chatgpt, ...RESPONSES_WEBSOCKET_PATHS.openai];
  return origins.includes(u.origin) && paths.includes(u.pathname.replace(/\/+$/, ''));
}

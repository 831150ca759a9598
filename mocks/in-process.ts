import { http, HttpResponse, passthrough, type HttpHandler } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import { faultHandlers, type Fault } from './faults.js';
import { recordUnhandled } from './handlers/fallback.js';
import { createHandlers } from './handlers/index.js';
import type { MockContext } from './handlers/route.js';
import { Journal } from './journal.js';
import { MockBackend } from './state/mock-backend.js';
import type { MockBackendOptions } from './state/mock-backend-options.js';
import { bindInProcessWebSocket, ensureGlobalWebSocket, inProcessWebSocketLinks, isResponsesWebSocketUrl } from './ws/in-process-websocket.js';

/**
 * The mock backend intercepting fetch in this process (msw setupServer). It serves the
 * production hosts and, optionally, one loopback origin; a request to any other origin is
 * journaled as unhandled and answered 501, so nothing leaves the process. Loopback origins that
 * are not mocked pass through (a real server on 127.0.0.1, e.g. the node:http bridge).
 */
export const PRODUCTION_ORIGINS = ['https://chatgpt.com', 'https://auth.openai.com', 'https://api.openai.com'] as const;

export interface InProcessMockOptions extends MockBackendOptions {
  /** Extra origin to serve, e.g. `http://127.0.0.1:4010` (nothing listens there; msw answers). */
  readonly loopbackOrigin?: string;
  /** Replace the production origins (default PRODUCTION_ORIGINS). */
  readonly origins?: readonly string[];
}

export interface BaseUrls {
  /** ChatGPT base URL, `/backend-api` style (wham paths). */
  readonly chatgpt: string;
  /** ChatGPT base URL, `/api/codex` style. */
  readonly chatgptCodexApi: string;
  readonly openai: string;
  readonly refreshTokenUrl: string;
  /** Authapi for agent task registration. */
  readonly authapi: string;
  readonly loopback?: { readonly chatgpt: string; readonly chatgptCodexApi: string; readonly openai: string; readonly refreshTokenUrl: string };
}

export interface InProcessMock {
  readonly backend: MockBackend;
  readonly journal: Journal;
  readonly server: SetupServer;
  readonly ctx: MockContext;
  readonly baseUrls: BaseUrls;
  /** Case id given to requests that carry no case header. */
  setCase(caseId: string | undefined): void;
  /** Adds fault handlers (until reset()). */
  useFaults(...faults: Fault[]): void;
  /** Resets state, journal and faults (server.resetHandlers()). */
  reset(): void;
  close(): void;
}

function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

export async function startInProcessMock(opts: InProcessMockOptions = {}): Promise<InProcessMock> {
  const backend = await MockBackend.create(opts);
  const journal = new Journal(() => backend.now());
  const loopback = opts.loopbackOrigin?.replace(/\/+$/, '');
  const origins = [...(opts.origins ?? PRODUCTION_ORIGINS), ...(loopback === undefined ? [] : [loopback])];
  const ctx: MockContext = { backend, journal, origins };
  const foreignOrigin: HttpHandler = http.all('*', ({ request }) => {
    const url = new URL(request.url);
    if (isLoopback(url) && !origins.includes(url.origin)) return passthrough();
    recordUnhandled(ctx, request, undefined, 501);
    return HttpResponse.json(
      { error: { code: 'origin_not_mocked', message: `The mock backend does not serve ${url.origin}.` } },
      { status: 501 },
    );
  });
  // The Responses WebSocket (mocks/ws/in-process-websocket.ts); msw intercepts only a global WebSocket.
  ensureGlobalWebSocket();
  const server: SetupServer = setupServer(...createHandlers(ctx), foreignOrigin, ...inProcessWebSocketLinks());
  const unbindWebSocket = bindInProcessWebSocket({
    ctx,
    isMocked: (httpUrl) => isResponsesWebSocketUrl(origins, httpUrl),
    currentHandlers: () => server.listHandlers(),
    recordUnhandled: (request) => recordUnhandled(ctx, request, undefined, 501),
  });
  server.listen({
    onUnhandledRequest: (request, print) => {
      recordUnhandled(ctx, request, undefined, 0);
      print.error();
    },
  });
  const baseUrls: BaseUrls = {
    chatgpt: 'https://chatgpt.com/backend-api',
    chatgptCodexApi: 'https://chatgpt.com/api/codex',
    openai: 'https://api.openai.com/v1',
    refreshTokenUrl: 'https://auth.openai.com/oauth/token',
    authapi: 'https://auth.openai.com/api/accounts',
    ...(loopback === undefined
      ? {}
      : {
          loopback: {
            chatgpt: `${loopback}/backend-api`,
            chatgptCodexApi: `${loopback}/api/codex`,
            openai: `${loopback}/v1`,
            refreshTokenUrl: `${loopback}/oauth/token`,
          },
        }),
  };
  return {
    backend,
    journal,
    server,
    ctx,
    baseUrls,
    setCase: (caseId) => {
      ctx.currentCaseId = caseId;
    },
    useFaults: (...faults) => server.use(...faults.flatMap((f) => faultHandlers(ctx, f))),
    reset: () => {
      server.resetHandlers();
      backend.reset();
      journal.clear();
      ctx.currentCaseId = undefined;
    },
    close: () => {
      unbindWebSocket();
      server.close();
    },
  };
}

import { HttpResponse, type HttpHandler } from 'msw';
import { reject } from '../verify/rejection.js';
import { backendPaths } from './paths.js';
import { defineRoute, type MockContext, type RouteRequest, type RouteResult } from './route.js';

/**
 * The Responses WebSocket upgrade as a route like any other: `GET {chatgpt base}/codex/responses`
 * (codex-backend auth) and `GET {openai base}/responses` = `/v1/responses` (API key), the URL
 * `provider.websocket_url_for_path("responses")` builds (codex-rs/codex-api/src/endpoint/
 * responses_websocket.rs). The upgrade request goes through the same auth verification and
 * journal as every HTTP request; a verified upgrade is answered 200 with the accept marker
 * header, which the WebSocket adapters (mocks/ws/) turn into the 101 switch and the session
 * (journal status 200 + endpoint `*.websocket` = upgrade accepted). A GET without
 * `Upgrade: websocket` is answered 426.
 */
export const WEBSOCKET_ACCEPT_HEADER = 'x-codex-mock-websocket-accept';

export function isWebSocketUpgrade(headers: Headers): boolean {
  return (headers.get('upgrade') ?? '').toLowerCase() === 'websocket';
}

/** True when a route answer means "switch protocols" (only the WebSocket adapters look). */
export function acceptsWebSocket(response: Response): boolean {
  return response.status === 200 && response.headers.get(WEBSOCKET_ACCEPT_HEADER) === '1';
}

function upgrade(req: RouteRequest): RouteResult {
  if (!isWebSocketUpgrade(req.request.headers)) {
    return reject(426, 'upgrade_required', 'GET on the Responses endpoint is the WebSocket upgrade; send Upgrade: websocket, or POST for SSE.', { headers: { upgrade: 'websocket' } });
  }
  return new HttpResponse(null, { status: 200, headers: { [WEBSOCKET_ACCEPT_HEADER]: '1' } });
}

export const RESPONSES_WEBSOCKET_PATHS = {
  chatgpt: backendPaths({ wham: '/codex/responses', codexApi: ['/codex/responses', '/responses'], root: '/codex/responses' }),
  openai: ['/v1/responses'],
} as const;

export function responsesWebSocketHandlers(ctx: MockContext): HttpHandler[] {
  return [
    ...defineRoute(ctx, { endpoint: 'openai.responses.websocket', method: 'GET', paths: RESPONSES_WEBSOCKET_PATHS.openai, auth: 'openaiApi', handle: upgrade }),
    ...defineRoute(ctx, { endpoint: 'codex.responses.websocket', method: 'GET', paths: RESPONSES_WEBSOCKET_PATHS.chatgpt, auth: 'codexBackend', handle: upgrade }),
  ];
}

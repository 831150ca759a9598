import { HttpResponse, type HttpHandler } from 'msw';
import { randomBytes } from 'node:crypto';
import { toolNamesInBody } from '../state/model-request-log.js';
import { reject, type Rejection } from '../verify/rejection.js';
import { backendPaths } from './paths.js';
import { defineRoute, isObject, parseJsonBody, type MockContext, type RouteRequest } from './route.js';
import { responseEvents, sseStream, SSE_HEADERS } from './sse.js';

/**
 * Responses API stream. ChatGPT modes post to `{chatgpt base}/codex/responses`; API keys to
 * `{openai base}/responses` (`/v1/responses`), see openai-api.ts. Body: JSON object with a
 * `model`; answered as SSE.
 */
export function streamResponse(req: RouteRequest): Response | Rejection {
  const parsed = parseJsonBody(req.body);
  if (!parsed.ok) return parsed.rejection;
  if (!isObject(parsed.value) || typeof parsed.value['model'] !== 'string') {
    return reject(400, 'invalid_request', 'The Responses body must be a JSON object with a string model.');
  }
  req.ctx.backend.modelRequests.record({
    ...(req.caseId === undefined ? {} : { caseId: req.caseId }),
    transport: 'sse',
    url: req.request.url,
    model: parsed.value['model'],
    toolNames: toolNamesInBody(parsed.value),
    prewarm: false,
  });
  const id = `resp_${randomBytes(8).toString('hex')}`;
  return new HttpResponse(sseStream(responseEvents(id, parsed.value['model'], 'Hello from the mock backend.')), {
    status: 200,
    headers: SSE_HEADERS,
  });
}

export function responsesHandlers(ctx: MockContext): HttpHandler[] {
  return defineRoute(ctx, {
    endpoint: 'codex.responses',
    method: 'POST',
    paths: backendPaths({ wham: '/codex/responses', codexApi: ['/codex/responses', '/responses'], root: '/codex/responses' }),
    auth: 'codexBackend',
    handle: streamResponse,
  });
}

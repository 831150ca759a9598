import { HttpResponse, type HttpHandler } from 'msw';
import { MOCK_MODELS } from './models.js';
import { streamResponse } from './responses.js';
import { defineRoute, type MockContext } from './route.js';

/**
 * The OpenAI API surface API-key mode talks to (`{openai base}` = `https://api.openai.com/v1`):
 * `POST /v1/responses` (SSE) and `GET /v1/models`; the WebSocket upgrade on `GET /v1/responses`
 * is in responses-websocket.ts.
 */
export function openaiApiHandlers(ctx: MockContext): HttpHandler[] {
  return [
    ...defineRoute(ctx, {
      endpoint: 'openai.responses',
      method: 'POST',
      paths: ['/v1/responses'],
      auth: 'modelApi',
      handle: streamResponse,
    }),
    ...defineRoute(ctx, {
      endpoint: 'openai.models',
      method: 'GET',
      paths: ['/v1/models'],
      auth: 'modelApi',
      handle: () =>
        HttpResponse.json({ object: 'list', data: MOCK_MODELS.map((id) => ({ id, object: 'model', created: 0, owned_by: 'mock' })) }),
    }),
  ];
}

import { HttpResponse, type HttpHandler } from 'msw';
import { reject } from '../verify/rejection.js';
import { MOCK_MODELS } from './models.js';
import { streamResponse } from './responses.js';
import { defineRoute, type MockContext } from './route.js';

/**
 * The OpenAI API surface API-key mode talks to (`{openai base}` = `https://api.openai.com/v1`):
 * `POST /v1/responses` (SSE), `GET /v1/responses` (the WebSocket attempt codex 0.171.0 makes
 * first; refused with 426 so the client falls back) and `GET /v1/models`.
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
      endpoint: 'openai.responses.websocket',
      method: 'GET',
      paths: ['/v1/responses'],
      auth: 'openaiApi',
      handle: () => reject(426, 'websocket_unsupported', 'The mock serves Responses over SSE only; POST /v1/responses.'),
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

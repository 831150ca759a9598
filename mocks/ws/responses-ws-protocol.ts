import { randomBytes } from 'node:crypto';
import { toolNamesInBody, type ModelRequestLog } from '../state/model-request-log.js';
import { responseEvents, type SseEvent } from '../handlers/sse.js';

/**
 * The Responses API over a WebSocket, as codex-rs/codex-api/src/endpoint/responses_websocket.rs
 * speaks it: after the upgrade the client sends one text frame per request, a JSON object tagged
 * `type` (`response.create` with the Responses body, or `response.processed` with a
 * `response_id`, codex-rs/codex-api/src/common.rs `ResponsesWsRequest`); the server answers a
 * `response.create` with one text frame per event, each the same JSON an SSE `data:` line carries
 * (`{"type":"response.created",...}` ... `{"type":"response.completed",...}`), and keeps the
 * connection open for the next request. An `{"type":"error","status":N,"error":{...}}` frame is
 * how the server reports a failed request (`parse_wrapped_websocket_error_event`).
 * A `response.create` with `generate: false` (a prewarm) is answered created + completed.
 */
export type WsClientMessage =
  | { readonly kind: 'create'; readonly model: string; readonly toolNames: readonly string[]; readonly generate: boolean }
  | { readonly kind: 'processed'; readonly responseId: string }
  | { readonly kind: 'invalid'; readonly reason: string };

export function parseWsClientMessage(text: string): WsClientMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'invalid', reason: 'the frame is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'invalid', reason: 'the frame is not a JSON object' };
  const o = value as Record<string, unknown>;
  switch (o['type']) {
    case 'response.create':
      if (typeof o['model'] !== 'string') return { kind: 'invalid', reason: 'response.create needs a string model' };
      return { kind: 'create', model: o['model'], toolNames: toolNamesInBody(o), generate: o['generate'] !== false };
    case 'response.processed':
      return typeof o['response_id'] === 'string' ? { kind: 'processed', responseId: o['response_id'] } : { kind: 'invalid', reason: 'response.processed needs a string response_id' };
    default:
      return { kind: 'invalid', reason: `unknown frame type ${JSON.stringify(o['type']).slice(0, 60)}` };
  }
}

/** One event as the text frame the server sends: the SSE `data:` JSON. */
export function eventFrame(event: SseEvent): string {
  return JSON.stringify({ type: event.type, ...event.data });
}

export function errorFrame(status: number, code: string, message: string): string {
  return JSON.stringify({ type: 'error', status, error: { type: 'invalid_request_error', code, message } });
}

export const MOCK_REPLY_TEXT = 'Hello from the mock backend.';

/** Frames to send back for one client frame (pure apart from the response id and the log entry). */
export function answerWsFrame(
  text: string,
  log: { readonly modelRequests: ModelRequestLog; readonly caseId: string | undefined; readonly url: string },
): string[] {
  const msg = parseWsClientMessage(text);
  switch (msg.kind) {
    case 'processed':
      return [];
    case 'invalid':
      return [errorFrame(400, 'invalid_request', `The mock could not read the WebSocket request: ${msg.reason}.`)];
    case 'create': {
      log.modelRequests.record({
        ...(log.caseId === undefined ? {} : { caseId: log.caseId }),
        transport: 'websocket',
        url: log.url,
        model: msg.model,
        toolNames: msg.toolNames,
        prewarm: !msg.generate,
      });
      const id = `resp_${randomBytes(8).toString('hex')}`;
      const events = responseEvents(id, msg.model, MOCK_REPLY_TEXT);
      // A prewarm (`generate: false`) produces no output: only the response's start and completion.
      const sent = msg.generate ? events : events.filter((e) => e.type === 'response.created' || e.type === 'response.completed');
      return sent.map(eventFrame);
    }
  }
}

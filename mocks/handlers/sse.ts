/** Server-sent events of the Responses API stream (`event: <type>` + `data: <json>`). */
export interface SseEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

export function encodeSseEvent(event: SseEvent, sequenceNumber?: number): string {
  const payload = { type: event.type, ...(sequenceNumber === undefined ? {} : { sequence_number: sequenceNumber }), ...event.data };
  return `event: ${event.type}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/** The text split into the deltas the stream sends (about one word each, as the real API does). */
export function textDeltas(text: string): string[] {
  const parts = text.match(/\S+\s*|\s+/g);
  return parts === null || parts.length === 0 ? [text] : parts;
}

const USAGE = {
  input_tokens: 10,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: 5,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: 15,
} as const;

/**
 * A completed Responses stream with one assistant message, shaped like the production stream
 * so a client really gets its text back whichever events it reads: `response.created`,
 * `response.in_progress`, `response.output_item.added` (the message, empty content),
 * `response.content_part.added`, one `response.output_text.delta` per word,
 * `response.output_text.done`, `response.content_part.done`, `response.output_item.done` (the
 * whole message) and `response.completed` whose `response.output` holds the message and whose
 * `usage` carries token counts. Codex reads the deltas, `output_item.done` and `completed`
 * (codex-rs/codex-api/src/sse/responses.rs); clients that collect only the final response read
 * `response.completed.response.output`.
 */
export function responseEvents(responseId: string, model: string, text: string): SseEvent[] {
  const itemId = `msg_${responseId}`;
  const createdAt = Math.floor(Date.now() / 1000);
  const response = (status: string, output: readonly unknown[], extra: Record<string, unknown> = {}) => ({
    id: responseId,
    object: 'response',
    created_at: createdAt,
    model,
    status,
    output,
    error: null,
    incomplete_details: null,
    ...extra,
  });
  const part = (partText: string) => ({ type: 'output_text', text: partText, annotations: [], logprobs: [] });
  const message = (status: string, content: readonly unknown[]) => ({ type: 'message', id: itemId, role: 'assistant', status, content });
  const done = message('completed', [part(text)]);
  const at = { item_id: itemId, output_index: 0, content_index: 0 };
  return [
    { type: 'response.created', data: { response: response('in_progress', []) } },
    { type: 'response.in_progress', data: { response: response('in_progress', []) } },
    { type: 'response.output_item.added', data: { output_index: 0, item: message('in_progress', []) } },
    { type: 'response.content_part.added', data: { ...at, part: part('') } },
    ...textDeltas(text).map((delta): SseEvent => ({ type: 'response.output_text.delta', data: { ...at, delta, logprobs: [] } })),
    { type: 'response.output_text.done', data: { ...at, text, logprobs: [] } },
    { type: 'response.content_part.done', data: { ...at, part: part(text) } },
    { type: 'response.output_item.done', data: { output_index: 0, item: done } },
    { type: 'response.completed', data: { response: response('completed', [done], { usage: USAGE }) } },
  ];
}

export function sseStream(events: readonly SseEvent[], opts: { truncateAfter?: number; delayMs?: number } = {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const limit = opts.truncateAfter ?? events.length;
  let i = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (i >= limit) {
        controller.close();
        return;
      }
      if (opts.delayMs !== undefined && opts.delayMs > 0) await new Promise((r) => setTimeout(r, opts.delayMs));
      const event = events[i] as SseEvent;
      controller.enqueue(encoder.encode(encodeSseEvent(event, i)));
      i += 1;
    },
  });
}

export const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } as const;

/** Server-sent events of the Responses API stream (`event: <type>` + `data: <json>`). */
export interface SseEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

export function encodeSseEvent(event: SseEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify({ type: event.type, ...event.data })}\n\n`;
}

/** A minimal completed Responses stream: created, one assistant message, completed. */
export function responseEvents(responseId: string, model: string, text: string): SseEvent[] {
  return [
    { type: 'response.created', data: { response: { id: responseId, model, status: 'in_progress' } } },
    {
      type: 'response.output_item.done',
      data: {
        output_index: 0,
        item: { type: 'message', id: `msg_${responseId}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] },
      },
    },
    {
      type: 'response.completed',
      data: {
        response: {
          id: responseId,
          model,
          status: 'completed',
          usage: { input_tokens: 10, input_tokens_details: null, output_tokens: 5, output_tokens_details: null, total_tokens: 15 },
        },
      },
    },
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
      const event = events[i++] as SseEvent;
      controller.enqueue(encoder.encode(encodeSseEvent(event)));
    },
  });
}

export const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } as const;

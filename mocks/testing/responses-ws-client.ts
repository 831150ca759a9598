/**
 * A minimal Responses WebSocket client for tests and benches (no codex binary): sends one
 * `response.create` frame after the socket opens and collects the event frames until
 * `response.completed`, an error frame, the close, or the timeout. Works with any socket that has
 * the WHATWG event API (`ws` on a real port, msw's intercepted global WebSocket in process).
 */
export interface WsLikeEvent {
  readonly data?: unknown;
  readonly code?: number;
  readonly reason?: string;
  readonly message?: string;
}

export interface WsLike {
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: unknown) => void): void;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface WsTurn {
  /** `type` of every event frame received, in order. */
  readonly events: readonly string[];
  readonly completed: boolean;
  readonly responseId?: string;
  readonly closed?: { readonly code: number; readonly reason: string };
  readonly error?: string;
}

export function responseCreateFrame(model: string, tools: readonly unknown[] = [], generate?: boolean): string {
  return JSON.stringify({
    type: 'response.create',
    model,
    instructions: '',
    input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'say hi' }] }],
    tools,
    tool_choice: 'auto',
    parallel_tool_calls: false,
    store: false,
    stream: true,
    include: [],
    ...(generate === undefined ? {} : { generate }),
  });
}

export function completeTurnOverWebSocket(socket: WsLike, frame: string, timeoutMs = 5000): Promise<WsTurn> {
  return new Promise<WsTurn>((resolve) => {
    const events: string[] = [];
    let responseId: string | undefined;
    let settled = false;
    const finish = (turn: Omit<WsTurn, 'events'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ events, ...(responseId === undefined ? {} : { responseId }), ...turn });
    };
    const timer = setTimeout(() => finish({ completed: false, error: `timed out after ${timeoutMs} ms` }), timeoutMs);
    socket.addEventListener('open', () => socket.send(frame));
    socket.addEventListener('message', (raw) => {
      const event = raw as WsLikeEvent;
      let parsed: { type?: unknown; response?: { id?: unknown } };
      try {
        parsed = JSON.parse(String(event.data)) as typeof parsed;
      } catch {
        finish({ completed: false, error: 'a frame was not JSON' });
        return;
      }
      const type = typeof parsed.type === 'string' ? parsed.type : '?';
      events.push(type);
      if (typeof parsed.response?.id === 'string') responseId = parsed.response.id;
      if (type === 'error') finish({ completed: false, error: String(event.data).slice(0, 300) });
      if (type === 'response.completed') finish({ completed: true });
    });
    socket.addEventListener('close', (raw) => {
      const event = raw as WsLikeEvent;
      finish({ completed: false, closed: { code: event.code ?? 0, reason: event.reason ?? '' } });
    });
    socket.addEventListener('error', (raw) => finish({ completed: false, error: (raw as WsLikeEvent).message ?? 'socket error' }));
  });
}

import { HttpResponse } from 'msw';

/**
 * A route's answer as plain data, so each adapter writes it its own way: msw turns it into an
 * HttpResponse in process, the node:http adapter writes status, headers and body straight to the
 * socket. `reply.json` gives the same headers as msw's `HttpResponse.json` (content-type and
 * content-length). Routes may still return a Fetch `Response` (streams such as SSE do); the port
 * adapter then copies it through.
 */
export interface Reply {
  readonly kind: 'reply';
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Text (UTF-8) or no body. */
  readonly body: string | null;
}

export interface ReplyInit {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

function lower(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers !== undefined) for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

export const reply = {
  /** JSON body: content-type application/json (unless given) and content-length, as HttpResponse.json. */
  json(value: unknown, init: ReplyInit = {}): Reply {
    const headers = lower(init.headers);
    const body = JSON.stringify(value) ?? '';
    headers['content-type'] ??= 'application/json';
    headers['content-length'] ??= String(Buffer.byteLength(body));
    return { kind: 'reply', status: init.status ?? 200, headers, body };
  },
  /** No body (e.g. 201, 202, 405), as `new HttpResponse(null, init)`. */
  empty(init: ReplyInit = {}): Reply {
    return { kind: 'reply', status: init.status ?? 200, headers: lower(init.headers), body: null };
  },
};

export function isReply(value: unknown): value is Reply {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'reply';
}

/** The in-process (msw) form of a reply. */
export function toHttpResponse(r: Reply): Response {
  return new HttpResponse(r.body, { status: r.status, headers: r.headers });
}

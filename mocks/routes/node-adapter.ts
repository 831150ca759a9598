import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MockContext, RouteAnswer } from '../handlers/route.js';
import { reject, type Rejection } from '../verify/rejection.js';
import { isReply } from './reply.js';
import { dispatch, type MockRoute } from './route-table.js';
import type { HeaderList } from './parsed-request.js';

/**
 * The port adapter: answers from the route table straight from node:http's IncomingMessage,
 * without building a Fetch Request or Response (a Fetch Response a route returns, e.g. an SSE
 * stream, is copied through). The body is read only when a route asks for it, with the same
 * limits and answers as the in-process adapter.
 */
const EMPTY = new Uint8Array(0);

/** The whole body of `req`, or 'too_large' once it passes `limit` bytes. */
export async function readLimited(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) return 'too_large';
    chunks.push(buf);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}

/** The body of an IncomingMessage, read once on demand as a route asks for it (as in process). */
class IncomingBody {
  #read: Promise<Uint8Array | Rejection> | undefined;
  constructor(
    private readonly req: IncomingMessage,
    private readonly method: string,
    private readonly headers: HeaderList,
  ) {}

  read(limit: number): Promise<Uint8Array | Rejection> {
    this.#read ??= this.#readOnce(limit);
    return this.#read;
  }

  async #readOnce(limit: number): Promise<Uint8Array | Rejection> {
    const declared = Number(this.headers.get('content-length') ?? '0');
    if (Number.isFinite(declared) && declared > limit) return tooLarge(limit);
    // As a Fetch Request built from this message would have it: GET and HEAD carry no body.
    if (this.method === 'GET' || this.method === 'HEAD') return EMPTY;
    const read = await readLimited(this.req, limit);
    return read === 'too_large' ? tooLarge(limit) : read;
  }
}

function tooLarge(limit: number): Rejection {
  return reject(413, 'body_too_large', `The request body is larger than ${limit} bytes.`);
}

export function answerFromTable(
  ctx: MockContext,
  table: readonly MockRoute[],
  req: IncomingMessage,
  method: string,
  url: URL,
  headers: HeaderList,
): Promise<RouteAnswer | undefined> {
  const body = new IncomingBody(req, method, headers);
  return dispatch(ctx, table, { parsed: { method, url: url.href, headers }, url, target: `${url.origin}${url.pathname}`, readBody: body.read.bind(body) });
}

/** Copies a Fetch Response to the socket, streaming its body (SSE arrives event by event). */
export async function writeFetchResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie') return;
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  if (response.body === null) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) break;
      res.write(value);
    }
  } finally {
    reader.releaseLock();
    res.end();
  }
}

/** Writes an answer: a reply in one write, a Fetch Response streamed. */
export async function writeAnswer(res: ServerResponse, answer: RouteAnswer): Promise<void> {
  if (!isReply(answer)) {
    await writeFetchResponse(res, answer);
    return;
  }
  if (answer.body === null) {
    res.writeHead(answer.status, answer.headers);
    res.end();
    return;
  }
  // A Fetch Response with a text body and no content type is text/plain (as msw's would be).
  const headers = answer.headers['content-type'] === undefined ? { ...answer.headers, 'content-type': 'text/plain;charset=UTF-8' } : answer.headers;
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}

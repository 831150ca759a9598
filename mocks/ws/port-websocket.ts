import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { acceptsWebSocket } from '../handlers/responses-websocket.js';
import { caseIdOf, type MockContext } from '../handlers/route.js';
import { CASE_ID_HEADER } from '../journal.js';
import { answerWsFrame, errorFrame } from './responses-ws-protocol.js';

/**
 * The Responses WebSocket on a real port, attached to a node:http(s) server through its
 * `upgrade` event (the `ws` library does the RFC 6455 handshake and framing). Each upgrade
 * request is first answered by the route table like any request (`answer`: auth verified,
 * faults applied, journalled, see mocks/handlers/responses-websocket.ts); only an accepted one
 * switches protocols, anything else is written back as the plain HTTP answer (401, 426, 404 ...)
 * and the socket closed. `/__case/<id>/...` prefixes work as on the HTTP side.
 */
export interface PortWebSocketOptions {
  readonly ctx: MockContext;
  readonly scheme: 'http' | 'https';
  /** Authority used when the Host header is missing or malformed, e.g. `127.0.0.1:443`. */
  readonly fallbackAuthority: () => string;
  /** The case of an unprefixed upgrade (extra listeners such as the production-host impersonation); none by default. */
  readonly currentCase?: () => string | undefined;
  /** Answers a Fetch Request through the mock's route table (extra handlers and faults first). */
  readonly answer: (request: Request) => Promise<Response | undefined>;
}

export interface AttachedWebSocket {
  /** Closes every open session (the server's sockets are the server's to close). */
  close(): void;
}

const CASE_PREFIX = /^\/__case\/([A-Za-z0-9._-]{1,64})(\/.*)?$/;
const HOST_HEADER = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** Splits `/__case/<id>/rest?q` into the case id and `/rest?q`; undefined for a bad prefix. */
export function splitCasePrefix(rawUrl: string): { readonly caseId?: string; readonly path: string } | undefined {
  if (!rawUrl.startsWith('/__case/')) return { path: rawUrl };
  const q = rawUrl.indexOf('?');
  const m = CASE_PREFIX.exec(q === -1 ? rawUrl : rawUrl.slice(0, q));
  if (m === null) return undefined;
  return { caseId: m[1] as string, path: `${m[2] ?? '/'}${q === -1 ? '' : rawUrl.slice(q)}` };
}

/** The upgrade request as a Fetch Request (headers verbatim, case header set from the prefix). */
export function upgradeToRequest(req: IncomingMessage, scheme: 'http' | 'https', fallbackAuthority: string, currentCase?: string): Request | undefined {
  const rawUrl = req.url ?? '/';
  if (!rawUrl.startsWith('/')) return undefined;
  const split = splitCasePrefix(rawUrl);
  if (split === undefined) return undefined;
  const caseId = split.caseId ?? currentCase;
  const host = req.headers.host;
  const authority = host !== undefined && HOST_HEADER.test(host) ? host : fallbackAuthority;
  const headers = new Headers();
  const raw = req.rawHeaders;
  try {
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = (raw[i] as string).toLowerCase();
      if (name === CASE_ID_HEADER && caseId !== undefined) continue;
      headers.append(name, raw[i + 1] as string);
    }
    if (caseId !== undefined) headers.set(CASE_ID_HEADER, caseId);
    return new Request(new URL(`${scheme}://${authority}${split.path}`), { method: req.method ?? 'GET', headers });
  } catch {
    return undefined;
  }
}

async function writeHttpAnswer(socket: Duplex, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const lines = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? 'Status'}`];
  response.headers.forEach((value, name) => {
    if (name !== 'content-length' && name !== 'connection' && name !== 'transfer-encoding') lines.push(`${name}: ${value}`);
  });
  lines.push(`content-length: ${body.length}`, 'connection: close', '', '');
  socket.end(Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), body]));
}

function runSession(ws: WebSocket, ctx: MockContext, caseId: string | undefined, url: string): void {
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const frames = isBinary
      ? [errorFrame(400, 'invalid_request', 'The Responses WebSocket takes text frames only.')]
      : answerWsFrame(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8'), {
          modelRequests: ctx.backend.modelRequests,
          caseId,
          url,
        });
    for (const f of frames) ws.send(f);
  });
  ws.on('error', () => ws.terminate());
}

export function attachResponsesWebSocket(server: Server, opts: PortWebSocketOptions): AttachedWebSocket {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    void (async () => {
      const request = upgradeToRequest(req, opts.scheme, opts.fallbackAuthority(), opts.currentCase?.());
      if (request === undefined) {
        socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
        return;
      }
      let response: Response | undefined;
      try {
        response = await opts.answer(request);
      } catch {
        response = undefined;
      }
      if (response === undefined) {
        socket.end('HTTP/1.1 501 Not Implemented\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
        return;
      }
      if (!acceptsWebSocket(response)) {
        await writeHttpAnswer(socket, response);
        return;
      }
      const caseId = caseIdOf(opts.ctx, request);
      wss.handleUpgrade(req, socket, head, (ws) => runSession(ws, opts.ctx, caseId, request.url));
    })();
  });
  return {
    close: () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

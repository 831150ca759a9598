import { getResponse, type RequestHandler } from 'msw';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { ConformanceInputError } from '../src/errors.js';
import { handleControl } from './control.js';
import { faultHandlers, type Fault } from './faults.js';
import { createHandlers, createRoutes } from './handlers/index.js';
import type { MockContext } from './handlers/route.js';
import { CASE_ID_HEADER, Journal } from './journal.js';
import { answerFromTable, readLimited, writeAnswer, writeFetchResponse } from './routes/node-adapter.js';
import { HeaderList } from './routes/parsed-request.js';
import { routesOf, type MockRoute } from './routes/route-table.js';
import { MockBackend } from './state/mock-backend.js';
import type { MockBackendOptions } from './state/mock-backend-options.js';
import { attachResponsesWebSocket, type AttachedWebSocket } from './ws/port-websocket.js';

/**
 * The mock's route table served on a real port by the node:http adapter
 * (routes/node-adapter.ts): each IncomingMessage is parsed straight into the table's request
 * (no Fetch Request), dispatched, and the answer written back (streamed when a route returns a
 * stream, so SSE arrives event by event). Handlers added with `use()` that are not table routes
 * (plain msw handlers) send requests through msw `getResponse` instead, as does `adapter: 'msw'`.
 * Paths under `/__case/<id>/...` are that case's traffic (the prefix is removed before matching,
 * the id journaled); `/__control/...` is the control plane (control.ts). Binds 127.0.0.1 unless
 * a host is given explicitly. The server's `upgrade` event is left to WebSocket adapters.
 */
export interface HttpMockOptions extends MockBackendOptions {
  readonly host?: string;
  readonly port?: number;
  /** Serve HTTPS with this key and certificate (PEM), e.g. for production-host impersonation. */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /**
   * `node` (default): table routes are answered by the node:http adapter. `msw`: every request
   * becomes a Fetch Request answered by msw `getResponse` (the in-process adapter on a socket;
   * used to compare the two adapters).
   */
  readonly adapter?: 'node' | 'msw';
  /** Serve this backend (and journal) instead of creating one (tests that compare adapters). */
  readonly state?: { readonly backend: MockBackend; readonly journal: Journal };
}

export interface HttpMock {
  readonly backend: MockBackend;
  readonly journal: Journal;
  readonly ctx: MockContext;
  /** `http://127.0.0.1:<port>` (or https). */
  readonly origin: string;
  readonly port: number;
  readonly baseUrls: { readonly chatgpt: string; readonly chatgptCodexApi: string; readonly openai: string; readonly refreshTokenUrl: string };
  /** Origin plus `/__case/<id>`: base for one case's traffic. */
  caseOrigin(caseId: string): string;
  /** Prepends handlers (like server.use) until resetHandlers(). */
  use(...handlers: RequestHandler[]): void;
  useFaults(...faults: Fault[]): void;
  resetHandlers(): void;
  /** Resets state, journal and extra handlers. */
  reset(): void;
  /**
   * Serves the same routes, state and journal on another listener (e.g. HTTPS on 127.0.0.1:443
   * for production hosts mapped to loopback). Requests there carry no case prefix: they are
   * attributed to `currentCase()` at arrival. It serves no control plane (`/__control/...` is an
   * ordinary unknown path there, as on the real host). Closed with the mock.
   */
  listen(opts: ExtraListenerOptions): Promise<ExtraListener>;
  close(): Promise<void>;
}

export interface ExtraListenerOptions {
  readonly host: string;
  readonly port: number;
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /** The case a request without a `/__case/<id>` prefix belongs to (undefined: none). */
  readonly currentCase?: () => string | undefined;
}

export interface ExtraListener {
  /** `https://127.0.0.1:443` (or http). */
  readonly origin: string;
  readonly port: number;
  close(): Promise<void>;
}

const CASE_PREFIX = /^\/__case\/([A-Za-z0-9._-]{1,64})(\/.*)?$/;
const HOST_HEADER = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

function parseCase(path: string): { caseId?: string; path: string } | undefined {
  if (!path.startsWith('/__case/')) return { path };
  const m = CASE_PREFIX.exec(path.split('?')[0] as string);
  if (m === null) return undefined;
  const query = path.includes('?') ? path.slice(path.indexOf('?')) : '';
  return { caseId: m[1] as string, path: `${m[2] ?? '/'}${query}` };
}

function rawHost(raw: readonly string[]): string | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2) if ((raw[i] as string).length === 4 && (raw[i] as string).toLowerCase() === 'host') return raw[i + 1];
  return undefined;
}

interface Listener {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

/** Binds a node:http(s) server to `host:port`; a bind failure is a typed BAD_CONFIG error naming the cause. */
async function bind(
  host: string,
  port: number,
  tls: { readonly key: string | Buffer; readonly cert: string | Buffer } | undefined,
  onRequest: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  onClientError: (err: NodeJS.ErrnoException, socket: Socket) => void,
): Promise<Listener> {
  const server: Server =
    tls === undefined
      ? createHttpServer({ keepAlive: true }, (req, res) => void onRequest(req, res))
      : createHttpsServer({ key: tls.key, cert: tls.cert, keepAlive: true }, (req, res) => void onRequest(req, res));
  server.keepAliveTimeout = 5000;
  server.on('clientError', onClientError);
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(listenError(host, port, e as NodeJS.ErrnoException)));
    server.listen(port, host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

function originOf(scheme: string, host: string, port: number): string {
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export async function startHttpMock(opts: HttpMockOptions = {}): Promise<HttpMock> {
  const host = opts.host ?? '127.0.0.1';
  const backend = opts.state?.backend ?? (await MockBackend.create(opts));
  const journal = opts.state?.journal ?? new Journal(() => backend.now());
  const ctx: MockContext = { backend, journal, origins: '*' };
  const baseHandlers = createHandlers(ctx);
  const baseRoutes = createRoutes(ctx);
  let extra: RequestHandler[] = [];
  /** The routes of `extra` when every one came from the table; undefined sends requests through msw. */
  let extraRoutes: MockRoute[] | undefined = opts.adapter === 'msw' ? undefined : [];
  let table: readonly MockRoute[] = baseRoutes;
  const setExtra = (handlers: RequestHandler[]): void => {
    extra = handlers;
    extraRoutes = opts.adapter === 'msw' ? undefined : routesOf(extra);
    table = extraRoutes === undefined || extraRoutes.length === 0 ? baseRoutes : [...extraRoutes, ...baseRoutes];
  };
  const plain = (res: ServerResponse, status: number, code: string, message: string): void => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
    res.end(JSON.stringify({ error: { code, message } }));
  };

  const target = {
    ctx,
    use: (...handlers: RequestHandler[]) => {
      setExtra([...handlers, ...extra]);
    },
    resetHandlers: () => {
      setExtra([]);
    },
    reset: () => {
      setExtra([]);
      backend.reset();
      journal.clear();
    },
  };

  /** The request handler of one listener: its scheme, its authority fallback, its case for unprefixed paths, whether it serves the control plane. */
  const requestHandler = (scheme: string, listenAuthority: () => string, currentCase: () => string | undefined, control: boolean) => {
    const journalDirect = (req: IncomingMessage, caseId: string | undefined, status: number, reason: string): void => {
      journal.record({
        ...(caseId === undefined ? {} : { caseId }),
        method: req.method ?? '?',
        url: `${scheme}://${host}${(req.url ?? '').slice(0, 2048)}`,
        headers: {},
        credential: { kind: 'none' },
        verdict: { status, handled: true, reason, endpoint: 'bridge' },
      });
    };
    const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
      const rawUrl = req.url ?? '/';
      let caseId: string | undefined;
      try {
        if (!rawUrl.startsWith('/')) {
          journalDirect(req, currentCase(), 400, 'bad_request_target');
          plain(res, 400, 'bad_request_target', 'The request target must be an absolute path.');
          return;
        }
        // From the raw pairs: `req.headers` would build an object of every header first.
        const hostHeader = rawHost(req.rawHeaders);
        const authority = hostHeader !== undefined && HOST_HEADER.test(hostHeader) ? hostHeader : listenAuthority();
        if (control && (rawUrl.startsWith('/__control/') || rawUrl === '/__control')) {
          const body = await readLimited(req, backend.options.bodyLimitBytes);
          if (body === 'too_large') {
            plain(res, 413, 'body_too_large', 'The control body is too large.');
            return;
          }
          const answer = await handleControl(target, req.method ?? 'GET', new URL(`${scheme}://${authority}${rawUrl}`), body.toString('utf8'));
          res.writeHead(answer.status, { 'content-type': answer.contentType });
          res.end(answer.body);
          return;
        }
        const parsed = parseCase(rawUrl);
        if (parsed === undefined) {
          journalDirect(req, currentCase(), 400, 'bad_case_prefix');
          plain(res, 400, 'bad_case_prefix', 'A case prefix must be /__case/<id>/ with id of [A-Za-z0-9._-]{1,64}.');
          return;
        }
        caseId = parsed.caseId ?? currentCase();
        let url: URL;
        try {
          url = new URL(`${scheme}://${authority}${parsed.path}`);
        } catch {
          journalDirect(req, caseId, 400, 'bad_url');
          plain(res, 400, 'bad_url', 'The request URL could not be parsed.');
          return;
        }
        const method = (req.method ?? 'GET').toUpperCase();
        if (extraRoutes !== undefined) {
          // The node:http adapter: the table answers from the IncomingMessage itself.
          let headers: HeaderList;
          try {
            headers = HeaderList.fromRaw(req.rawHeaders);
          } catch {
            journalDirect(req, caseId, 400, 'header_invalid');
            plain(res, 400, 'header_invalid', 'A header is not a valid header value.');
            return;
          }
          if (caseId !== undefined) headers.set(CASE_ID_HEADER, caseId);
          const answer = await answerFromTable(ctx, table, req, method, url, headers);
          if (answer === undefined) {
            journalDirect(req, caseId, 501, 'no_response');
            plain(res, 501, 'no_response', 'No handler produced a response.');
            return;
          }
          await writeAnswer(res, answer);
          return;
        }
        const headers = new Headers();
        const raw = req.rawHeaders;
        for (let i = 0; i + 1 < raw.length; i += 2) {
          const name = (raw[i] as string).toLowerCase();
          if (name === CASE_ID_HEADER && caseId !== undefined) continue;
          try {
            headers.append(name, raw[i + 1] as string);
          } catch {
            journalDirect(req, caseId, 400, 'header_invalid');
            plain(res, 400, 'header_invalid', `Header ${name.slice(0, 64)} is not a valid header value.`);
            return;
          }
        }
        if (caseId !== undefined) headers.set(CASE_ID_HEADER, caseId);
        const hasBody = method !== 'GET' && method !== 'HEAD';
        const body = hasBody ? await readLimited(req, backend.options.bodyLimitBytes) : undefined;
        if (body === 'too_large') {
          journalDirect(req, caseId, 413, 'body_too_large');
          plain(res, 413, 'body_too_large', `The request body is larger than ${backend.options.bodyLimitBytes} bytes.`);
          return;
        }
        const request = new Request(url, {
          method,
          headers,
          ...(body === undefined || body.length === 0 ? {} : { body }),
        });
        const response = await getResponse([...extra, ...baseHandlers], request);
        if (response === undefined) {
          journalDirect(req, caseId, 501, 'no_response');
          plain(res, 501, 'no_response', 'No handler produced a response.');
          return;
        }
        await writeFetchResponse(res, response);
      } catch {
        journalDirect(req, caseId, 500, 'bridge_error');
        plain(res, 500, 'bridge_error', 'The mock bridge failed while handling the request.');
      }
    };
    const onClientError = (err: NodeJS.ErrnoException, socket: Socket): void => {
      const caseId = currentCase();
      journal.record({
        ...(caseId === undefined ? {} : { caseId }),
        method: '?',
        url: `${scheme}://${host}/`,
        headers: {},
        credential: { kind: 'none' },
        verdict: { status: 400, handled: true, reason: `http_parse_error:${err.code ?? 'unknown'}`, endpoint: 'bridge' },
      });
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      else socket.destroy();
    };
    return { onRequest, onClientError };
  };

  const scheme = opts.tls === undefined ? 'http' : 'https';
  let port = 0;
  const main = requestHandler(scheme, () => `${host}:${port}`, () => undefined, true);
  const listener = await bind(host, opts.port ?? 0, opts.tls, main.onRequest, main.onClientError);
  port = listener.port;
  const websockets: AttachedWebSocket[] = [];
  /** The Responses WebSocket on a listener: the upgrade answered by the same table (extra handlers and faults first). */
  const attachWebSocket = (server: Server, wsScheme: 'http' | 'https', fallbackAuthority: () => string, currentCase: () => string | undefined): void => {
    websockets.push(
      attachResponsesWebSocket(server, {
        ctx,
        scheme: wsScheme,
        fallbackAuthority,
        currentCase,
        answer: (request) => getResponse([...extra, ...baseHandlers], request),
      }),
    );
  };
  attachWebSocket(listener.server, scheme, () => `${host}:${port}`, () => undefined);
  const extraListeners: Listener[] = [];
  const origin = originOf(scheme, host, port);
  return {
    backend,
    journal,
    ctx,
    origin,
    port,
    baseUrls: {
      chatgpt: `${origin}/backend-api`,
      chatgptCodexApi: `${origin}/api/codex`,
      openai: `${origin}/v1`,
      refreshTokenUrl: `${origin}/oauth/token`,
    },
    caseOrigin: (caseId) => {
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(caseId)) {
        throw new ConformanceInputError('USAGE', `Case id ${JSON.stringify(caseId.slice(0, 80))} cannot be a path prefix.`, 'Use 1-64 characters of A-Z a-z 0-9 . _ -.');
      }
      return `${origin}/__case/${caseId}`;
    },
    use: target.use,
    useFaults: (...faults) => target.use(...faults.flatMap((f) => faultHandlers(ctx, f))),
    resetHandlers: target.resetHandlers,
    reset: target.reset,
    listen: async (o) => {
      const extraScheme = o.tls === undefined ? 'http' : 'https';
      let extraPort = o.port;
      const handler = requestHandler(extraScheme, () => `${o.host}:${extraPort}`, o.currentCase ?? (() => undefined), false);
      const l = await bind(o.host, o.port, o.tls, handler.onRequest, handler.onClientError);
      extraPort = l.port;
      attachWebSocket(l.server, extraScheme, () => `${o.host}:${extraPort}`, o.currentCase ?? (() => undefined));
      extraListeners.push(l);
      return { origin: originOf(extraScheme, o.host, l.port), port: l.port, close: l.close };
    },
    close: async () => {
      for (const w of websockets) w.close();
      await Promise.all([listener.close(), ...extraListeners.map((l) => l.close())]);
    },
  };
}

/** Why the mock could not listen, with the fix that matches the cause. */
function listenError(host: string, port: number, e: NodeJS.ErrnoException): ConformanceInputError {
  const code = e.code ?? 'error';
  const where = `${host}:${port}`;
  switch (code) {
    case 'EADDRINUSE':
      return new ConformanceInputError('BAD_CONFIG', `The mock could not listen on ${where}: the port is in use.`, 'Pick a free port, or pass port 0 for any free port.', { cause: e });
    case 'EACCES':
      return new ConformanceInputError('BAD_CONFIG', `The mock could not listen on ${where}: permission denied (ports below 1024 need privileges).`, 'Pick a port above 1023, or port 0 for any free port.', { cause: e });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EADDRNOTAVAIL':
      return new ConformanceInputError('BAD_CONFIG', `The mock could not listen on ${where}: ${JSON.stringify(host.slice(0, 80))} is not an address of this machine (${code}).`, 'Pass a local address as the host, e.g. 127.0.0.1 (the default) or ::1.', { cause: e });
    default:
      return new ConformanceInputError('BAD_CONFIG', `The mock could not listen on ${where} (${code}).`, 'Pick a free port on a local address, or pass port 0 for any free port.', { cause: e });
  }
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ObservedRequest } from '../../rules/observed-request.js';
import type { ProfileId } from '../../rules/profiles.js';
import { contentSecurityPolicy } from '../../harness/reporters/html/document.js';
import { livePage } from './live-page.js';
import { liveRequestJson } from './live-request.js';

/**
 * The live view of `serve --ui`: a read-only page and its server-sent event stream, on a port of
 * its own bound to 127.0.0.1 whatever `--host` says (the page shows the traffic of the mock; it
 * is never offered beyond loopback). Only GET of `/` and `/events`; a Host header other than the
 * loopback name of this port is refused (a DNS-rebinding page cannot read it). Each request the
 * mock journals becomes one event, built and scrubbed by live-request.ts.
 */
export interface LiveUi {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** Shows one journaled request (raw, as the mock holds it) on every open page. */
  publish(entry: ObservedRequest): void;
  close(): Promise<void>;
}

export interface LiveUiOptions {
  /** The mock's origin and base URLs, shown on the page as text. */
  readonly mockOrigin: string;
  readonly profile: ProfileId;
  /** Events kept for a page opened later (oldest dropped first). */
  readonly keep?: number;
}

const SECURITY_HEADERS = {
  'content-security-policy': contentSecurityPolicy("'self'"),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'cross-origin-resource-policy': 'same-origin',
} as const;

export async function startLiveUi(opts: LiveUiOptions): Promise<LiveUi> {
  const keep = opts.keep ?? 5000;
  const events: { seq: number; data: string }[] = [];
  const clients = new Set<ServerResponse>();
  let port = 0;
  const page = (): string => livePage({ mockOrigin: opts.mockOrigin, profile: opts.profile });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const allowed = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
    if (!allowed.has(req.headers.host ?? '')) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS }).end('this page answers only on its loopback address\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS }).end('read-only\n');
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS }).end(req.method === 'HEAD' ? undefined : page());
      return;
    }
    if (path === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive', ...SECURITY_HEADERS });
      // A reconnecting page says what it has (Last-Event-ID); a new one gets everything kept.
      const last = Number(req.headers['last-event-id'] ?? 0);
      res.write('retry: 1000\n\n');
      for (const e of events) if (!(e.seq <= last)) res.write(frame(e.seq, e.data));
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const ping = setInterval(() => {
    for (const c of clients) c.write(': ping\n\n');
  }, 15_000);
  ping.unref();

  return {
    url: `http://127.0.0.1:${port}/`,
    publish(entry) {
      const data = liveRequestJson(entry, opts.profile);
      events.push({ seq: entry.seq, data });
      if (events.length > keep) events.splice(0, events.length - keep);
      for (const c of clients) c.write(frame(entry.seq, data));
    },
    async close() {
      clearInterval(ping);
      for (const c of clients) c.end();
      clients.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function frame(seq: number, data: string): string {
  return `id: ${seq}\nevent: request\ndata: ${data}\n\n`;
}

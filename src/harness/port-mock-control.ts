import { startHttpMock, type HttpMock } from '../../mocks/http-bridge.js';
import type { ObservedRequest } from '../rules/observed-request.js';
import type { MockControl, MockUrls } from './mock-control.js';

/**
 * The mock on a real loopback port, for implementations in other processes (drivers, the codex
 * binary). Each case gets its own path prefix `/__case/<id>` so concurrent or consecutive cases
 * keep separate journals; entries are shown with the prefix put back, so they compare equal to
 * the URLs the case configured.
 *
 * With `production` (inside the loopback-only namespace, where the production hosts resolve to
 * 127.0.0.1) the same mock also answers HTTPS on 127.0.0.1:443 with a leaf for those hosts, so a
 * client that sends a request to a default host (`https://chatgpt.com/...`) reaches the journal
 * and is judged by its URL rule. Those requests carry no prefix: they belong to the case begun
 * last (cases run one after another) and keep their production URL in the journal.
 */
export interface PortMockOptions {
  readonly seed?: number;
  readonly host?: string;
  readonly port?: number;
  readonly production?: { readonly key: string; readonly cert: string; readonly port?: number };
}

export async function portMockControl(opts: PortMockOptions = {}): Promise<MockControl & { readonly http: HttpMock; readonly productionOrigin?: string }> {
  const http = await startHttpMock({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0, seed: opts.seed ?? 1 });
  let current: string | undefined;
  let productionOrigin: string | undefined;
  if (opts.production !== undefined) {
    try {
      const listener = await http.listen({
        host: '127.0.0.1',
        port: opts.production.port ?? 443,
        tls: { key: opts.production.key, cert: opts.production.cert },
        currentCase: () => current,
      });
      productionOrigin = listener.origin;
    } catch (e) {
      await http.close();
      throw e;
    }
  }
  const withPrefix = (e: ObservedRequest): ObservedRequest => {
    if (e.caseId === undefined) return e;
    const url = new URL(e.url);
    // Only requests that came through this port's case prefix get it back.
    if (url.origin !== http.origin) return e;
    return { ...e, url: `${url.origin}/__case/${e.caseId}${url.pathname}${url.search}` };
  };
  return {
    http,
    ...(productionOrigin === undefined ? {} : { productionOrigin }),
    backend: http.backend,
    transport: 'port',
    productionHosts: productionOrigin !== undefined,
    // The HTTPS listener answers by path for any Host; the staging names resolve to it like production's.
    stagingHosts: productionOrigin !== undefined,
    beginCase(caseId): MockUrls {
      http.resetHandlers();
      current = caseId;
      const root = http.caseOrigin(caseId);
      return { root, chatgptBackendApi: `${root}/backend-api/`, chatgptCodexApi: `${root}/api/codex`, openai: `${root}/v1` };
    },
    journal: (caseId) => http.journal.list(caseId).map(withPrefix),
    allEntries: () => http.journal.list().map(withPrefix),
    useFaults: (...faults) => http.useFaults(...faults),
    endCase: () => {
      current = undefined;
      http.resetHandlers();
    },
    close: () => http.close(),
  };
}

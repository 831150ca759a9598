import { startHttpMock, type HttpMock } from '../../mocks/http-bridge.js';
import type { ObservedRequest } from '../rules/observed-request.js';
import type { MockControl, MockUrls } from './mock-control.js';

/**
 * The mock on a real loopback port, for implementations in other processes (drivers, the codex
 * binary). Each case gets its own path prefix `/__case/<id>` so concurrent or consecutive cases
 * keep separate journals; entries are shown with the prefix put back, so they compare equal to
 * the URLs the case configured.
 */
export async function portMockControl(opts: { seed?: number; host?: string; port?: number } = {}): Promise<MockControl & { readonly http: HttpMock }> {
  const http = await startHttpMock({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0, seed: opts.seed ?? 1 });
  const withPrefix = (e: ObservedRequest): ObservedRequest => {
    if (e.caseId === undefined) return e;
    const url = new URL(e.url);
    return { ...e, url: `${url.origin}/__case/${e.caseId}${url.pathname}${url.search}` };
  };
  return {
    http,
    backend: http.backend,
    transport: 'port',
    productionHosts: false,
    beginCase(caseId): MockUrls {
      http.resetHandlers();
      const root = http.caseOrigin(caseId);
      return { root, chatgptBackendApi: `${root}/backend-api/`, chatgptCodexApi: `${root}/api/codex`, openai: `${root}/v1` };
    },
    journal: (caseId) => http.journal.list(caseId).map(withPrefix),
    allEntries: () => http.journal.list().map(withPrefix),
    useFaults: (...faults) => http.useFaults(...faults),
    endCase: () => http.resetHandlers(),
    close: () => http.close(),
  };
}

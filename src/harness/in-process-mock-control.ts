import { PRODUCTION_ORIGINS, startInProcessMock, type InProcessMock } from '../../mocks/in-process.js';
import { CUSTOM_ORIGIN, STAGING_ORIGIN } from '../../scenarios/arbitraries/base-url.js';
import type { MockControl, MockUrls } from './mock-control.js';

/**
 * The in-process mock (MSW interception) as the runner sees it. Implementations in this process
 * are pointed at a loopback origin nothing listens on: MSW answers before a socket opens, and a
 * request to any other origin (production hosts included) is journalled too.
 */
export const IN_PROCESS_ORIGIN = 'http://127.0.0.1:48123';

/** Staging's authapi host (`ChatGptEnvironment::Staging`, codex-rs/agent-identity/src/lib.rs). */
const STAGING_AUTHAPI_ORIGIN = 'https://auth.api.openai.org';

/** Origins generated bases may name besides the mock's own and production (anyHost). */
export const IN_PROCESS_EXTRA_ORIGINS = [STAGING_ORIGIN, STAGING_AUTHAPI_ORIGIN, CUSTOM_ORIGIN, 'http://localhost:48123', 'http://[::1]:48123'] as const;

export async function inProcessMockControl(seed = 1): Promise<MockControl & { readonly mock: InProcessMock }> {
  const mock = await startInProcessMock({ seed, loopbackOrigin: IN_PROCESS_ORIGIN, origins: [...PRODUCTION_ORIGINS, ...IN_PROCESS_EXTRA_ORIGINS] });
  const urls: MockUrls = {
    root: IN_PROCESS_ORIGIN,
    chatgptBackendApi: `${IN_PROCESS_ORIGIN}/backend-api/`,
    chatgptCodexApi: `${IN_PROCESS_ORIGIN}/api/codex`,
    openai: `${IN_PROCESS_ORIGIN}/v1`,
  };
  return {
    mock,
    backend: mock.backend,
    transport: 'inProcess',
    productionHosts: true,
    anyHost: true,
    stagingHosts: true,
    beginCase(caseId) {
      mock.server.resetHandlers();
      mock.setCase(caseId);
      return urls;
    },
    journal: (caseId) => mock.journal.list(caseId),
    allEntries: () => mock.journal.list(),
    useFaults: (...faults) => mock.useFaults(...faults),
    endCase() {
      mock.server.resetHandlers();
      mock.setCase(undefined);
    },
    async close() {
      mock.close();
    },
  };
}

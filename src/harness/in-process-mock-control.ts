import { startInProcessMock, type InProcessMock } from '../../mocks/in-process.js';
import type { MockControl, MockUrls } from './mock-control.js';

/**
 * The in-process mock (MSW interception) as the runner sees it. Implementations in this process
 * are pointed at a loopback origin nothing listens on: MSW answers before a socket opens, and a
 * request to any other origin (production hosts included) is journalled too.
 */
export const IN_PROCESS_ORIGIN = 'http://127.0.0.1:48123';

export async function inProcessMockControl(seed = 1): Promise<MockControl & { readonly mock: InProcessMock }> {
  const mock = await startInProcessMock({ seed, loopbackOrigin: IN_PROCESS_ORIGIN });
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

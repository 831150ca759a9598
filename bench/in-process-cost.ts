/**
 * In-process cost per request of the mock's full path (route, bearer JWT verification, account
 * and FedRAMP header checks, journal entry) over bare msw `getResponse` with a trivial handler
 * answering the same JSON, measured interleaved in one process. Target: at most 1.5x.
 */
import { getResponse, http, HttpResponse } from 'msw';
import { createHandlers, type MockContext } from '../mocks/handlers/index.js';
import { Journal } from '../mocks/journal.js';
import { MockBackend } from '../mocks/state/mock-backend.js';
import { fmt, median, writeResult } from './stats.js';

const BLOCKS = 15;
const PER_BLOCK = 400;

export async function inProcessCost() {
  const backend = await MockBackend.create({ seed: 1 });
  const journal = new Journal(() => backend.now());
  const ctx: MockContext = { backend, journal, origins: '*' };
  const full = createHandlers(ctx);
  const account = backend.createAccount({ plan: 'enterprise', fedramp: true });
  const tokens = await backend.issueChatgptTokens(account.id);
  const url = 'http://127.0.0.1:4010/backend-api/wham/tasks/list';
  const headers = { authorization: `Bearer ${tokens.accessToken}`, 'chatgpt-account-id': account.id, 'x-openai-fedramp': 'true' };
  const first = await getResponse(full, new Request(url, { headers }));
  if (first?.status !== 200) throw new Error(`mock answered ${first?.status}`);
  const body: unknown = await first.json();
  const bare = [http.get(url, () => HttpResponse.json(body as Record<string, unknown>))];

  const block = async (handlers: typeof full): Promise<number> => {
    const t0 = performance.now();
    for (let i = 0; i < PER_BLOCK; i += 1) {
      const res = await getResponse(handlers, new Request(url, { headers }));
      await res?.arrayBuffer();
    }
    return ((performance.now() - t0) * 1000) / PER_BLOCK;
  };
  await block(full);
  await block(bare);
  const fullUs: number[] = [];
  const bareUs: number[] = [];
  for (let b = 0; b < BLOCKS; b += 1) {
    fullUs.push(await block(full));
    journal.clear();
    bareUs.push(await block(bare));
  }
  const ratio = median(fullUs) / median(bareUs);
  await writeResult('in-process-cost', { blocks: BLOCKS, perBlock: PER_BLOCK, fullUs, bareUs, medianFullUs: median(fullUs), medianBareUs: median(bareUs), ratio, target: '<= 1.5', met: ratio <= 1.5 });
  return [
    { measure: 'in-process cost per request, mock full path (verify + journal)', value: `${fmt(median(fullUs), 0)} µs`, target: '', met: '' },
    { measure: 'in-process cost per request, bare msw getResponse', value: `${fmt(median(bareUs), 0)} µs`, target: '', met: '' },
    { measure: 'in-process cost ratio full / bare', value: fmt(ratio, 2), target: '<= 1.5', met: ratio <= 1.5 ? 'yes' : 'no' },
  ];
}

import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startInProcessMock, type InProcessMock } from './in-process.js';

let mock: InProcessMock;

beforeEach(async () => {
  mock?.close();
  mock = await startInProcessMock({ seed: 7, loopbackOrigin: 'http://127.0.0.1:4999' });
});
afterAll(() => mock.close());

async function chatgptHeaders(fedramp = false) {
  const account = mock.backend.createAccount({ plan: 'team', fedramp });
  const tokens = await mock.backend.issueChatgptTokens(account.id);
  const headers: Record<string, string> = { authorization: `Bearer ${tokens.accessToken}`, 'chatgpt-account-id': account.id };
  if (fedramp) headers['x-openai-fedramp'] = 'true';
  return { account, tokens, headers };
}

describe('in-process mock backend', () => {
  it('serves wham tasks list for a verified ChatGPT token on both path styles', async () => {
    const { account, headers } = await chatgptHeaders();
    const wham = await fetch(`${mock.baseUrls.chatgpt}/wham/tasks/list`, { headers });
    const codexApi = await fetch(`${mock.baseUrls.chatgptCodexApi}/tasks/list`, { headers });
    expect(wham.status).toBe(200);
    expect(codexApi.status).toBe(200);
    const body = (await wham.json()) as { items: { id: string }[] };
    expect(body.items.map((i) => i.id)).toEqual(account.tasks.map((t) => t.id));
    const entries = mock.journal.list();
    expect(entries.map((e) => e.verdict.endpoint)).toEqual(['wham.tasks.list', 'wham.tasks.list']);
    expect(entries[0]?.credential).toMatchObject({ kind: 'bearer', issued: { tokenKind: 'chatgptAccess', accountId: account.id, expired: false } });
  });

  it('serves the loopback origin as well as production hosts', async () => {
    const { headers } = await chatgptHeaders();
    const res = await fetch(`${mock.baseUrls.loopback?.chatgpt}/wham/usage`, { headers });
    expect(res.status).toBe(200);
  });

  it('journals a request to a foreign origin as unhandled and answers 501', async () => {
    const res = await fetch('https://example.com/anything');
    expect(res.status).toBe(501);
    expect(mock.journal.unhandled()).toHaveLength(1);
    expect(mock.journal.unhandled()[0]?.verdict.handled).toBe(false);
  });

  it('journals an unknown path on a mocked host as unhandled with 404', async () => {
    const res = await fetch('https://chatgpt.com/backend-api/wham/nope');
    expect(res.status).toBe(404);
    expect(mock.journal.unhandled()[0]?.url).toBe('https://chatgpt.com/backend-api/wham/nope');
  });

  it('records the case id set for the run', async () => {
    const { headers } = await chatgptHeaders();
    mock.setCase('case-a');
    await fetch(`${mock.baseUrls.chatgpt}/wham/environments`, { headers });
    expect(mock.journal.list('case-a')).toHaveLength(1);
    expect(mock.journal.list('case-b')).toHaveLength(0);
  });

  it('reset() forgets accounts, journal and faults', async () => {
    const { headers } = await chatgptHeaders();
    mock.useFaults({ kind: 'serverError', status: 502 });
    expect((await fetch(`${mock.baseUrls.chatgpt}/wham/usage`, { headers })).status).toBe(502);
    mock.reset();
    expect(mock.journal.size).toBe(0);
    expect(mock.backend.accounts.size).toBe(0);
    const again = await chatgptHeaders();
    expect((await fetch(`${mock.baseUrls.chatgpt}/wham/usage`, { headers: again.headers })).status).toBe(200);
  });
});

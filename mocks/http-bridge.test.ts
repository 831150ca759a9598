import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { startHttpMock, type HttpMock } from './http-bridge.js';

let mock: HttpMock;
beforeAll(async () => {
  mock = await startHttpMock({ seed: 3 });
});
afterAll(async () => mock.close());
beforeEach(() => mock.reset());

async function control(path: string, body?: unknown, method = 'POST'): Promise<any> {
  const res = await fetch(`${mock.origin}/__control${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await res.text();
  return res.headers.get('content-type') === 'application/json' ? JSON.parse(text) : text;
}

describe('node:http bridge', () => {
  it('binds to 127.0.0.1 by default', () => {
    expect(mock.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves a seeded account through the control plane and journals per case', async () => {
    const account = await control('/accounts', { plan: 'pro' });
    const tokens = await control(`/accounts/${account.id}/chatgpt-tokens`, {});
    const headers = { authorization: `Bearer ${tokens.accessToken}`, 'chatgpt-account-id': account.id };
    const a = await fetch(`${mock.caseOrigin('case-a')}/backend-api/wham/environments`, { headers });
    const b = await fetch(`${mock.caseOrigin('case-b')}/api/codex/environments`, { headers });
    expect([a.status, b.status]).toEqual([200, 200]);
    const ndjsonA = (await control('/journal?case=case-a', undefined, 'GET')) as string;
    const lines = ndjsonA.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0].url).toBe(`${mock.origin}/backend-api/wham/environments`);
    expect(lines[0].caseId).toBe('case-a');
    expect(ndjsonA).not.toContain(tokens.accessToken);
    expect(mock.journal.list('case-b')).toHaveLength(1);
  });

  it('streams the Responses SSE to completion', async () => {
    const account = await control('/accounts', { plan: 'plus' });
    const tokens = await control(`/accounts/${account.id}/chatgpt-tokens`, {});
    const res = await fetch(`${mock.baseUrls.chatgpt}/codex/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.accessToken}`, 'chatgpt-account-id': account.id, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5-codex-mock', input: [], stream: true }),
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const text = await res.text();
    expect(text).toContain('event: response.created');
    expect(text).toContain('event: response.completed');
  });

  it('applies faults installed for one case only', async () => {
    const account = await control('/accounts', { plan: 'plus' });
    const tokens = await control(`/accounts/${account.id}/chatgpt-tokens`, {});
    const headers = { authorization: `Bearer ${tokens.accessToken}`, 'chatgpt-account-id': account.id };
    await control('/faults', { caseId: 'slow', faults: [{ kind: 'rateLimited', retryAfterSeconds: 7 }] });
    const limited = await fetch(`${mock.caseOrigin('slow')}/backend-api/wham/usage`, { headers });
    const other = await fetch(`${mock.caseOrigin('fast')}/backend-api/wham/usage`, { headers });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(other.status).toBe(200);
    await control('/faults', undefined, 'DELETE');
    expect((await fetch(`${mock.caseOrigin('slow')}/backend-api/wham/usage`, { headers })).status).toBe(200);
  });

  it('refuses an over-size body with 413 and a journal entry', async () => {
    const small = await startHttpMock({ bodyLimitBytes: 64 });
    try {
      const res = await fetch(`${small.baseUrls.chatgpt}/wham/tasks`, { method: 'POST', body: 'x'.repeat(1000) });
      expect(res.status).toBe(413);
      expect(small.journal.list().at(-1)?.verdict.reason).toBe('body_too_large');
    } finally {
      await small.close();
    }
  });

  it('rejects a malformed case prefix with 400 and a journal entry', async () => {
    const res = await fetch(`${mock.origin}/__case/bad%20id/backend-api/wham/usage`);
    expect(res.status).toBe(400);
    expect(mock.journal.list().at(-1)?.verdict.reason).toBe('bad_case_prefix');
  });
});

describe('an extra listener (production-host impersonation)', () => {
  /** GET with an explicit Host header (fetch does not let a caller set Host). */
  function getAs(origin: string, host: string, path: string, headers: Record<string, string>): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(`${origin}${path}`, { headers: { ...headers, host } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('serves the same state and journal, attributes unprefixed requests to the current case, and serves no control plane', async () => {
    let current: string | undefined = 'case-x';
    const extra = await mock.listen({ host: '127.0.0.1', port: 0, currentCase: () => current });
    expect(extra.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(extra.port).not.toBe(mock.port);
    const account = await control('/accounts', { plan: 'plus' });
    const tokens = await control(`/accounts/${account.id}/chatgpt-tokens`, {});
    const headers = { authorization: `Bearer ${tokens.accessToken}`, 'chatgpt-account-id': account.id };
    expect(await getAs(extra.origin, 'chatgpt.com', '/backend-api/wham/environments', headers)).toBe(200);
    const entries = mock.journal.list('case-x');
    expect(entries).toHaveLength(1);
    // The URL is what the client addressed (Host: chatgpt.com), not the loopback port.
    expect(entries[0]?.url).toBe('http://chatgpt.com/backend-api/wham/environments');
    current = undefined;
    expect(await getAs(extra.origin, 'chatgpt.com', '/backend-api/wham/environments', headers)).toBe(200);
    expect(mock.journal.list('case-x')).toHaveLength(1);
    expect(await getAs(extra.origin, 'chatgpt.com', '/__control/health', {})).not.toBe(200);
    await extra.close();
    await expect(getAs(extra.origin, 'chatgpt.com', '/backend-api/wham/environments', headers)).rejects.toThrow();
  });
});

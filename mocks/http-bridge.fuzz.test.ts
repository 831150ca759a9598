import fc from 'fast-check';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpMock, type HttpMock } from './http-bridge.js';

/**
 * Malformed traffic against the real port: every answer must be a 4xx/5xx with exactly one
 * journal entry of the same status, the server must keep serving, and a valid request must still
 * succeed afterwards.
 */
let mock: HttpMock;
beforeAll(async () => {
  mock = await startHttpMock({ seed: 21, bodyLimitBytes: 16 * 1024 });
});
afterAll(async () => mock.close());

const PATHS = [
  '/backend-api/wham/tasks/list',
  '/backend-api/wham/tasks',
  '/backend-api/wham/tasks/task_conformance_1',
  '/backend-api/wham/usage',
  '/backend-api/wham/accounts/check',
  '/backend-api/wham/config/requirements',
  '/backend-api/wham/remote/control/server/enroll',
  '/backend-api/ps/mcp',
  '/backend-api/codex/responses',
  '/backend-api/files',
  '/api/codex/tasks/list',
  '/api/codex/usage',
  '/api/codex/ps/mcp',
  '/v1/responses',
  '/v1/models',
  '/oauth/token',
  '/oauth/revoke',
  '/api/accounts/v1/agent/agent-runtime-x/task/register',
  '/mock-blob/upload/file_x',
  '/no/such/path',
];

const printable = (max: number) => fc.stringMatching(new RegExp(`^[\\x21-\\x7e]{0,${max}}$`));
const b64url = fc.stringMatching(/^[A-Za-z0-9_-]{0,120}$/);

const authorization = fc.oneof(
  printable(60),
  b64url.map((s) => `Bearer ${s || 'x'}`),
  fc.tuple(b64url, b64url, b64url).map(([a, b, c]) => `Bearer ${a}.${b}.${c}`),
  fc.constant('Bearer sk-not-issued-000'),
  b64url.map((s) => `AgentAssertion ${s || 'x'}`),
  fc.jsonValue().map((v) => `AgentAssertion ${Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url')}`),
  fc
    .record({ agent_runtime_id: printable(20), task_id: printable(20), timestamp: printable(25), signature: printable(90) })
    .map((o) => `AgentAssertion ${Buffer.from(JSON.stringify(o)).toString('base64url')}`),
);

const body = fc.oneof(
  fc.constant(undefined),
  fc.uint8Array({ maxLength: 512 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => new TextEncoder().encode(JSON.stringify(v) ?? 'null')),
  fc.constant(new Uint8Array(17 * 1024).fill(0x61)),
);

const malformedRequest = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
  path: fc.oneof(fc.constantFrom(...PATHS), fc.stringMatching(/^(\/[A-Za-z0-9._~%-]{0,12}){1,5}$/)),
  casePrefix: fc.option(fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/), { nil: undefined }),
  query: fc.option(fc.stringMatching(/^[A-Za-z0-9=&_-]{0,30}$/), { nil: undefined }),
  authorization: fc.option(authorization, { nil: undefined }),
  accountId: fc.option(printable(40), { nil: undefined }),
  fedramp: fc.option(fc.constantFrom('true', 'false', '1', ''), { nil: undefined }),
  contentType: fc.option(fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-8'), { nil: undefined }),
  body,
});

describe('real-port robustness', () => {
  it(
    'answers thousands of malformed requests with 4xx/5xx and one journal entry each, then still serves a valid request',
    async () => {
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(malformedRequest, async (r) => {
          runs += 1;
          const headers: Record<string, string> = {};
          if (r.authorization !== undefined) headers['authorization'] = r.authorization;
          if (r.accountId !== undefined) headers['chatgpt-account-id'] = r.accountId;
          if (r.fedramp !== undefined) headers['x-openai-fedramp'] = r.fedramp;
          if (r.contentType !== undefined) headers['content-type'] = r.contentType;
          const prefix = r.casePrefix === undefined ? '' : `/__case/${r.casePrefix}`;
          const url = `${mock.origin}${prefix}${r.path}${r.query === undefined ? '' : `?${r.query}`}`;
          const before = mock.journal.size;
          const init: RequestInit = { method: r.method, headers };
          if (r.body !== undefined && r.method !== 'GET') init.body = r.body;
          const res = await fetch(url, init);
          await res.arrayBuffer();
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(mock.journal.size).toBe(before + 1);
          expect(mock.journal.list().at(-1)?.verdict.status).toBe(res.status);
        }),
        { numRuns: 2000, interruptAfterTimeLimit: 40_000, seed: Number(process.env['FC_SEED'] ?? Date.now() % 2 ** 31) },
      );
      expect(runs).toBeGreaterThan(200);

      const account = mock.backend.createAccount({ plan: 'team' });
      const tokens = await mock.backend.issueChatgptTokens(account.id);
      const ok = await fetch(`${mock.baseUrls.chatgpt}/wham/tasks/list`, {
        headers: { authorization: `Bearer ${tokens.accessToken}`, 'chatgpt-account-id': account.id },
      });
      expect(ok.status).toBe(200);
    },
    60_000,
  );

  it('journals bytes that are not HTTP as a 400 parse error and keeps serving', async () => {
    const payloads = ['GARBAGE\r\n\r\n', 'GET / HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\n\r\n', 'GET /backend-api/wham/usage HTTP/9.9\r\n\r\n'];
    for (const payload of payloads) {
      const before = mock.journal.size;
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(mock.port, '127.0.0.1', () => socket.end(payload));
        let data = '';
        socket.on('data', (d) => (data += d.toString('latin1')));
        socket.on('close', () => resolve(data));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 4\d\d /);
      expect(mock.journal.size).toBe(before + 1);
    }
    expect((await fetch(`${mock.origin}/__control/health`)).status).toBe(200);
  });
});

import { verify } from 'node:crypto';
import fc from 'fast-check';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAgentKeyPair, sealForAgent } from '../../../mocks/fixtures/agent-identity-mint.js';
import { ConformanceInputError } from '../../errors.js';
import type { AgentIdentityClaims } from '../codex-auth.js';
import { isRfc3339Seconds } from '../../testing/agent-assertion-reader.js';
import { loadAgentKey } from './ed25519-key.js';
import { sealToEd25519 } from './sealed-box.js';
import { registerAgentTask, taskIdFromResponse, taskRegistrationRequest } from './task-registration.js';

const AUTHAPI = 'http://127.0.0.1:9/api/accounts';
const agent = createAgentKeyPair();
const other = createAgentKeyPair();
const claims: AgentIdentityClaims = { agentRuntimeId: 'rt-7', agentPrivateKey: agent.privateKeyPkcs8B64, isFedramp: false, iat: 0, exp: 0 };
const key = loadAgentKey(agent.privateKeyPkcs8B64);
const NOW = new Date('2026-11-28T10:11:12.999Z');

interface Seen {
  method: string;
  contentType: string | null;
  body: unknown;
}
let answer: () => Response = () => HttpResponse.json({ task_id: 'task-1' });
const seen: Seen[] = [];
const server = setupServer(
  http.post(`${AUTHAPI}/v1/agent/:runtime/task/register`, async ({ request, params }) => {
    expect(params['runtime']).toBe('rt-7');
    seen.push({ method: request.method, contentType: request.headers.get('content-type'), body: await request.json() });
    return answer();
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  seen.length = 0;
});
afterAll(() => server.close());

const register = () => registerAgentTask({ authapiBaseUrl: AUTHAPI, claims, fetch, now: NOW });

async function outcome(p: Promise<string>): Promise<string> {
  try {
    return `ok:${await p}`;
  } catch (e) {
    return e instanceof ConformanceInputError ? e.code : `untyped: ${String(e)}`;
  }
}

function outcomeSync(f: () => string): string {
  try {
    return `ok:${f()}`;
  } catch (e) {
    return e instanceof ConformanceInputError ? e.code : `untyped: ${String(e)}`;
  }
}

describe('agent task registration', () => {
  it('AGENT.TASK.002 POSTs JSON {timestamp, signature}: RFC 3339 seconds Z, Ed25519 over "{runtime}:{timestamp}"', async () => {
    expect(await register()).toBe('task-1');
    expect(seen).toHaveLength(1);
    const [req] = seen as [Seen];
    expect(req.method).toBe('POST');
    expect(req.contentType).toMatch(/^application\/json/);
    const body = req.body as { timestamp: string; signature: string };
    expect(Object.keys(body).sort()).toEqual(['signature', 'timestamp']);
    expect(body.timestamp).toBe('2026-11-28T10:11:12Z');
    expect(isRfc3339Seconds(body.timestamp)).toBe(true);
    expect(verify(null, Buffer.from(`rt-7:${body.timestamp}`), agent.publicKey, Buffer.from(body.signature, 'base64'))).toBe(true);
  });

  it('the pure builder targets {authapi}/v1/agent/{runtime}/task/register (trailing / trimmed) and matches the sent body', () => {
    const req = taskRegistrationRequest(`${AUTHAPI}/`, claims, NOW);
    expect(req.url).toBe(`${AUTHAPI}/v1/agent/rt-7/task/register`);
    expect(req.body.timestamp).toBe('2026-11-28T10:11:12Z');
    expect(verify(null, Buffer.from('rt-7:2026-11-28T10:11:12Z'), agent.publicKey, Buffer.from(req.body.signature, 'base64'))).toBe(true);
  });

  it('reads task_id, then taskId, then encrypted_task_id, then encryptedTaskId; null is absent', () => {
    const sealedA = sealForAgent('sealed-a', agent.publicKey);
    const sealedB = sealForAgent('sealed-b', agent.publicKey);
    const cases: [Record<string, unknown>, string][] = [
      [{ task_id: 'snake', taskId: 'camel', encrypted_task_id: sealedA }, 'snake'],
      [{ task_id: null, taskId: 'camel', encrypted_task_id: sealedA }, 'camel'],
      [{ encrypted_task_id: sealedA, encryptedTaskId: sealedB }, 'sealed-a'],
      [{ encryptedTaskId: sealedB }, 'sealed-b'],
      [{ task_id: '' }, ''],
    ];
    for (const [body, expected] of cases) expect(taskIdFromResponse(body, key, 'u')).toBe(expected);
  });

  it('opens an encrypted task id over HTTP, and refuses one sealed to another agent', async () => {
    answer = () => HttpResponse.json({ encryptedTaskId: sealForAgent('task-sealed', agent.publicKey) });
    expect(await outcome(register())).toBe('ok:task-sealed');
    answer = () => HttpResponse.json({ encrypted_task_id: sealForAgent('task-x', other.publicKey) });
    expect(await outcome(register())).toBe('SEALED_BOX_INVALID');
  });

  it('bad answers are TASK_REGISTRATION_FAILED: non-2xx, not JSON, not an object, no id, an id that is not a string', async () => {
    const bad: (() => Response)[] = [
      () => HttpResponse.json({ error: 'no' }, { status: 403 }),
      () => HttpResponse.json({ task_id: 'x' }, { status: 500 }),
      () => new HttpResponse('not json', { status: 200, headers: { 'content-type': 'application/json' } }),
      () => HttpResponse.json(['task']),
      () => HttpResponse.json({}),
      () => HttpResponse.json({ task_id: 7, taskId: 'camel' }),
      () => HttpResponse.json({ encrypted_task_id: { nested: true } }),
    ];
    for (const b of bad) {
      answer = b;
      expect(await outcome(register())).toBe('TASK_REGISTRATION_FAILED');
    }
  });

  it('a network failure is TASK_REGISTRATION_FAILED', async () => {
    answer = () => HttpResponse.error();
    expect(await outcome(register())).toBe('TASK_REGISTRATION_FAILED');
  });

  it('an encrypted id that is not canonical base64 or not UTF-8 is SEALED_BOX_INVALID', () => {
    const sealed = sealForAgent('t', agent.publicKey);
    const notUtf8 = Buffer.from(sealToEd25519(new Uint8Array([0xff, 0xfe]), key.publicKeyRaw)).toString('base64');
    for (const v of ['***', sealed.replace(/=+$/, '') + (sealed.endsWith('=') ? '' : '='), `${sealed} `, notUtf8, 'AAAA']) {
      expect(outcomeSync(() => taskIdFromResponse({ encrypted_task_id: v }, key, 'u')), v.slice(0, 12)).toBe('SEALED_BOX_INVALID');
    }
  });

  it('random JSON answers give a task id or a typed error, never a crash', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom('task_id', 'taskId', 'encrypted_task_id', 'encryptedTaskId', 'x'), fc.jsonValue())), (body) => {
        expect(outcomeSync(() => taskIdFromResponse(body, key, 'u'))).toMatch(/^(ok:[\s\S]*|TASK_REGISTRATION_FAILED|SEALED_BOX_INVALID)$/);
      }),
      { numRuns: 400 },
    );
  });
});

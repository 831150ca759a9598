import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startHttpMock, type HttpMock } from '../http-bridge.js';
import { Journal } from '../journal.js';
import { CODEX_CLIENT_ID } from '../state/token-claims.js';
import { MockBackend } from '../state/mock-backend.js';
import { registrationBody } from '../testing/agent-client.js';

/**
 * The two adapters of the route table answer alike: the same generated requests go to the
 * node:http adapter (the port's default, no Fetch Request) and to the msw adapter (each request
 * turned into a Fetch Request and answered by msw `getResponse`, as in process), each serving a
 * twin backend (same seed, clock and deterministic random source, so both mint the same
 * credentials and ids). Status, headers (but `date`), body and the journal entry must be equal,
 * up to each server's own origin.
 */
const NOW = Date.parse('2026-01-15T12:00:00Z');

function seededRandom(seed: number): (bytes: number) => Uint8Array {
  let counter = 0;
  return (bytes) => {
    const out = Buffer.alloc(bytes);
    for (let offset = 0; offset < bytes; offset += 32) {
      createHash('sha256').update(`${seed}:${counter++}`).digest().copy(out, offset);
    }
    return new Uint8Array(out);
  };
}

interface Seeded {
  readonly mock: HttpMock;
  readonly accountId: string;
  readonly otherAccountId: string;
  readonly access: string;
  readonly refresh: string;
  readonly expiredAccess: string;
  readonly hostAccess: string;
  readonly apiKey: string;
  readonly registration: string;
  readonly runtimeId: string;
}

async function seededMock(seed: number, adapter: 'node' | 'msw'): Promise<Seeded> {
  const backend = await MockBackend.create({ seed: 5, now: () => NOW, random: seededRandom(seed) });
  const journal = new Journal(() => backend.now());
  const mock = await startHttpMock({ adapter, state: { backend, journal } });
  const account = backend.createAccount({ plan: 'enterprise', fedramp: true });
  const other = backend.createAccount({ plan: 'plus', fedramp: false });
  const tokens = await backend.issueChatgptTokens(account.id);
  const expired = await backend.issueChatgptTokens(other.id, { expired: true });
  const host = await backend.issueChatgptTokens(other.id, { kind: 'hostAccess' });
  const identity = await backend.createAgentIdentity(account.id);
  return {
    mock,
    accountId: account.id,
    otherAccountId: other.id,
    access: tokens.accessToken,
    refresh: tokens.refreshToken,
    expiredAccess: expired.accessToken,
    hostAccess: host.accessToken,
    apiKey: backend.createApiKey(),
    registration: JSON.stringify(registrationBody(identity, NOW)),
    runtimeId: identity.runtimeId,
  };
}

/** Paths of the table with the method their route takes. */
const ROUTES = [
  ['GET', '/backend-api/wham/tasks/list'],
  ['POST', '/backend-api/wham/tasks'],
  ['GET', '/backend-api/wham/tasks/task_conformance_1'],
  ['GET', '/backend-api/wham/usage'],
  ['GET', '/backend-api/wham/environments'],
  ['GET', '/backend-api/wham/accounts/check'],
  ['GET', '/backend-api/wham/config/requirements'],
  ['POST', '/backend-api/wham/remote/control/server/enroll'],
  ['GET', '/backend-api/wham/agent-identities/jwks'],
  ['POST', '/backend-api/ps/mcp'],
  ['GET', '/backend-api/ps/mcp'],
  ['POST', '/backend-api/codex/responses'],
  ['GET', '/backend-api/codex/models'],
  ['POST', '/backend-api/files'],
  ['GET', '/api/codex/tasks/list'],
  ['GET', '/api/codex/usage'],
  ['POST', '/api/codex/ps/mcp'],
  ['POST', '/v1/responses'],
  ['GET', '/v1/models'],
  ['POST', '/oauth/token'],
  ['POST', '/oauth/revoke'],
  ['POST', '/api/accounts/v1/agent/{runtime}/task/register'],
  ['POST', '/backend-api/v1/agent/{runtime}/task/register'],
  ['PUT', '/mock-blob/upload/file_x'],
  ['GET', '/no/such/path'],
] as const;

type AuthChoice = 'none' | 'chatgpt' | 'expired' | 'host' | 'apiKey' | 'garbage' | 'malformed' | 'agentGarbage';
type BodyChoice = { kind: 'none' } | { kind: 'refresh' } | { kind: 'revoke' } | { kind: 'registration' } | { kind: 'json'; text: string } | { kind: 'bytes'; bytes: Uint8Array };

const MEANINGFUL_JSON = [
  '{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}',
  '{"jsonrpc":"2.0","id":2,"method":"initialize","params":{}}',
  '{"file_name":"a.txt","file_size":3,"use_case":"codex"}',
  '{"name":"n","os":"linux","arch":"x64","app_server_version":"1","installation_id":"i"}',
  '{"model":"gpt-5","input":"hi","stream":true}',
  '{"environment_id":"env_1"}',
];

const target = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...ROUTES).map(([method, path]) => ({ method: method as string, path: path as string })) },
  { weight: 1, arbitrary: fc.record({ method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'), path: fc.constantFrom(...ROUTES.map(([, p]) => p as string)) }) },
  { weight: 1, arbitrary: fc.record({ method: fc.constantFrom('GET', 'POST'), path: fc.stringMatching(/^(\/[A-Za-z0-9._~-]{1,10}){1,4}$/) }) },
);

const step = fc.record({
  target,
  /** Consistent credentials (most requests), or the free combination below. */
  preset: fc.constantFrom('chatgpt', 'chatgpt', 'apiKey', 'free', 'free'),
  casePrefix: fc.option(fc.constantFrom('case-1', 'c.2'), { nil: undefined }),
  caseHeader: fc.option(fc.constantFrom('hdr-case'), { nil: undefined }),
  query: fc.option(fc.constantFrom('environment_id=env_1', 'form=map', 'x=1&y=2', 'access_token=abc'), { nil: undefined }),
  auth: fc.constantFrom<AuthChoice>('none', 'chatgpt', 'chatgpt', 'chatgpt', 'expired', 'host', 'apiKey', 'apiKey', 'garbage', 'malformed', 'agentGarbage'),
  account: fc.constantFrom('right', 'right', 'right', 'other', 'wrong', 'none'),
  fedramp: fc.constantFrom('true', 'true', 'false', 'none'),
  contentType: fc.oneof(fc.constant('application/json'), fc.constantFrom(undefined, 'text/plain', 'application/x-www-form-urlencoded')),
  extraHeader: fc.option(fc.tuple(fc.constantFrom('x-extra', 'user-agent', 'accept', 'set-cookie'), fc.stringMatching(/^[\x21-\x7e]{0,20}$/)), { nil: undefined }),
  body: fc.oneof(
    { weight: 2, arbitrary: fc.constant({ kind: 'none' }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'refresh' }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'revoke' }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'registration' }) },
    { weight: 4, arbitrary: fc.constantFrom(...MEANINGFUL_JSON).map((text) => ({ kind: 'json' as const, text })) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => ({ kind: 'json' as const, text: JSON.stringify(v) ?? 'null' })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 48 }).map((bytes) => ({ kind: 'bytes' as const, bytes })) },
  ) as fc.Arbitrary<BodyChoice>,
});
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function requestOf(s: Seeded, r: Step): { url: string; init: RequestInit } {
  const headers: Record<string, string> = {};
  const bearer: Record<AuthChoice, string | undefined> = {
    none: undefined,
    chatgpt: `Bearer ${s.access}`,
    expired: `Bearer ${s.expiredAccess}`,
    host: `Bearer ${s.hostAccess}`,
    apiKey: `Bearer ${s.apiKey}`,
    garbage: 'Bearer not.a.jwt',
    malformed: 'Bearer',
    agentGarbage: `AgentAssertion ${Buffer.from('{"agent_runtime_id":"x"}').toString('base64url')}`,
  };
  const chosen = r.preset === 'chatgpt' ? { auth: 'chatgpt' as const, account: 'right', fedramp: 'true' } : r.preset === 'apiKey' ? { auth: 'apiKey' as const, account: 'none', fedramp: 'none' } : r;
  const auth = bearer[chosen.auth];
  if (auth !== undefined) headers['authorization'] = auth;
  if (chosen.account !== 'none') headers['chatgpt-account-id'] = chosen.account === 'right' ? s.accountId : chosen.account === 'other' ? s.otherAccountId : 'acct_wrong';
  if (chosen.fedramp !== 'none') headers['x-openai-fedramp'] = chosen.fedramp;
  if (r.contentType !== undefined) headers['content-type'] = r.contentType;
  if (r.caseHeader !== undefined) headers['x-codex-mock-case'] = r.caseHeader;
  if (r.extraHeader !== undefined) headers[r.extraHeader[0]] = r.extraHeader[1];
  const body: Record<BodyChoice['kind'], () => string | Uint8Array | undefined> = {
    none: () => undefined,
    refresh: () => JSON.stringify({ client_id: CODEX_CLIENT_ID, grant_type: 'refresh_token', refresh_token: s.refresh }),
    revoke: () => JSON.stringify({ token: s.refresh }),
    registration: () => s.registration,
    json: () => (r.body.kind === 'json' ? r.body.text : undefined),
    bytes: () => (r.body.kind === 'bytes' ? r.body.bytes : undefined),
  };
  const { method } = r.target;
  const payload = method === 'GET' ? undefined : body[r.body.kind]();
  const path = r.target.path.replace('{runtime}', s.runtimeId);
  const prefix = r.casePrefix === undefined ? '' : `/__case/${r.casePrefix}`;
  return {
    url: `${s.mock.origin}${prefix}${path}${r.query === undefined ? '' : `?${r.query}`}`,
    init: { method, headers, ...(payload === undefined ? {} : { body: payload }) },
  };
}

/** What the client saw and what the mock journaled, with the server's origin (and port) replaced. */
async function observe(s: Seeded, r: Step): Promise<unknown> {
  const before = s.mock.journal.size;
  const { url, init } = requestOf(s, r);
  const res = await fetch(url, init);
  const body = Buffer.from(await res.arrayBuffer()).toString('latin1');
  const headers = [...res.headers].filter(([name]) => name !== 'date');
  const entries = s.mock.journal.list().slice(before);
  const host = new URL(s.mock.origin).host;
  // The Responses id is minted in responses.ts from node:crypto, not the backend's random source.
  const text = JSON.stringify({ status: res.status, headers, body, entries }).replaceAll(s.mock.origin, '<origin>').replaceAll(host, '<host>').replace(/resp_[0-9a-f]{16}/g, 'resp_<id>');
  return JSON.parse(text) as unknown;
}

describe('route table adapters', () => {
  it('the node:http adapter and the msw adapter give the same status, headers, body and journal entry for generated requests', async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 30 }), fc.array(step, { minLength: 1, maxLength: 5 }), async (seed, steps) => {
        const [viaNode, viaMsw] = await Promise.all([seededMock(seed, 'node'), seededMock(seed, 'msw')]);
        try {
          expect(viaNode.access).toBe(viaMsw.access);
          for (const r of steps) {
            const a = await observe(viaNode, r);
            const b = await observe(viaMsw, r);
            expect(a).toEqual(b);
            compared += 1;
          }
        } finally {
          await Promise.all([viaNode.mock.close(), viaMsw.mock.close()]);
        }
      }),
      { numRuns: 40, seed: Number(process.env['FC_SEED'] ?? 20261130) },
    );
    expect(compared).toBeGreaterThanOrEqual(40);
  }, 120_000);

  it('the comparison can fail: a header that only one adapter sends is caught', async () => {
    const [viaNode, viaMsw] = await Promise.all([seededMock(7, 'node'), seededMock(7, 'msw')]);
    try {
      const r: Step = { target: { method: 'GET', path: '/backend-api/wham/usage' }, preset: 'free', casePrefix: undefined, caseHeader: undefined, query: undefined, auth: 'chatgpt', account: 'right', fedramp: 'true', contentType: undefined, extraHeader: undefined, body: { kind: 'none' } };
      const same = await observe(viaMsw, r);
      expect(await observe(viaNode, r)).toEqual(same);
      expect(await observe(viaNode, { ...r, extraHeader: ['x-extra', 'only-here'] })).not.toEqual(await observe(viaMsw, r));
    } finally {
      await Promise.all([viaNode.mock.close(), viaMsw.mock.close()]);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import { checkJournal } from '../../src/rules/check-journal.js';
import type { RuleResult } from '../../src/rules/result.js';
import { startHttpMock, type HttpMock } from '../http-bridge.js';
import { startInProcessMock, type InProcessMock } from '../in-process.js';
import { completeTurnOverWebSocket, responseCreateFrame, type WsLike } from '../testing/responses-ws-client.js';
import { MOCK_REPLY_TEXT, parseWsClientMessage } from './responses-ws-protocol.js';
import { responseEvents } from '../handlers/sse.js';

/** The Responses stream of one turn (created, text deltas, output item done, completed), as the SSE route sends it. */
const TURN = responseEvents('resp_x', 'gpt-5-mock', MOCK_REPLY_TEXT).map((e) => e.type);

function verdictOf(results: readonly RuleResult[], ruleId: string): string | undefined {
  const mine = results.filter((r) => r.ruleId === ruleId);
  if (mine.some((r) => r.verdict === 'fail')) return 'fail';
  return mine[0]?.verdict;
}

/** The global WebSocket msw intercepts, in undici's init form (url, { headers }). */
function inProcessSocket(url: string, headers: Record<string, string>): WsLike {
  const Ctor = (globalThis as unknown as { WebSocket: new (u: string, init: unknown) => WsLike }).WebSocket;
  return new Ctor(url, { headers });
}

describe('Responses WebSocket, in process (msw ws)', () => {
  let mock: InProcessMock;
  beforeAll(async () => {
    mock = await startInProcessMock({ seed: 3 });
  });
  afterAll(() => mock.close());

  it('completes a turn over wss://chatgpt.com/backend-api/codex/responses and journals the judged upgrade', async () => {
    mock.reset();
    const account = mock.backend.createAccount({ plan: 'plus' });
    const t = await mock.backend.issueChatgptTokens(account.id);
    const socket = inProcessSocket('wss://chatgpt.com/backend-api/codex/responses', { authorization: `Bearer ${t.accessToken}`, 'chatgpt-account-id': account.id });
    const turn = await completeTurnOverWebSocket(socket, responseCreateFrame('gpt-5-mock', [{ type: 'function', name: 'shell' }, { type: 'namespace', name: 'apps', tools: [{ name: 'calendar_x_0' }] }]));
    socket.close();
    expect(turn).toMatchObject({ completed: true, events: TURN });
    const entries = mock.journal.list();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ method: 'GET', url: 'https://chatgpt.com/backend-api/codex/responses', verdict: { status: 200, endpoint: 'codex.responses.websocket' } });
    expect(entries[0]!.headers['upgrade']).toBe('websocket');
    expect(entries[0]!.credential).toMatchObject({ kind: 'bearer', issued: { tokenKind: 'chatgptAccess', accountId: account.id } });
    const results = checkJournal(entries);
    expect(results.filter((r) => r.verdict === 'fail')).toEqual([]);
    expect(verdictOf(results, 'HDR.ACCOUNT.001')).toBe('pass');
    expect(verdictOf(results, 'HDR.BACKEND.001')).toBe('pass');
    expect(mock.backend.modelRequests.list()).toMatchObject([{ transport: 'websocket', model: 'gpt-5-mock', toolNames: ['shell', 'apps', 'calendar_x_0'], prewarm: false }]);
  });

  it('refuses an upgrade without credentials (close 4401) and the journal judges it: HDR.BACKEND.001 fails', async () => {
    mock.reset();
    const turn = await completeTurnOverWebSocket(inProcessSocket('wss://chatgpt.com/backend-api/codex/responses', {}), responseCreateFrame('gpt-5-mock'));
    expect(turn.completed).toBe(false);
    expect(turn.closed).toEqual({ code: 4401, reason: 'missing_credentials' });
    const entries = mock.journal.list();
    expect(entries.map((e) => e.verdict.status)).toEqual([401]);
    expect(verdictOf(checkJournal(entries), 'HDR.BACKEND.001')).toBe('fail');
    expect(mock.backend.modelRequests.list()).toEqual([]);
  });

  it('serves API keys on wss://api.openai.com/v1/responses and judges an API key sent to the ChatGPT backend (GATE.APIKEY.003; GATE.APIKEY.002 under pr18811)', async () => {
    mock.reset();
    const key = mock.backend.createApiKey();
    const ok = inProcessSocket('wss://api.openai.com/v1/responses', { authorization: `Bearer ${key}` });
    expect(await completeTurnOverWebSocket(ok, responseCreateFrame('gpt-5-mock'))).toMatchObject({ completed: true, events: TURN });
    ok.close();
    const wrong = await completeTurnOverWebSocket(inProcessSocket('wss://chatgpt.com/backend-api/codex/responses', { authorization: `Bearer ${key}` }), responseCreateFrame('gpt-5-mock'));
    expect(wrong.closed?.code).toBe(4401);
    expect(verdictOf(checkJournal(mock.journal.list(), { profile: 'codex-0.171' }), 'GATE.APIKEY.003')).toBe('fail');
    expect(verdictOf(checkJournal(mock.journal.list(), { profile: 'pr18811' }), 'GATE.APIKEY.002')).toBe('fail');
  });

  it('closes a WebSocket to an origin the mock does not serve (4501), journalled as unhandled', async () => {
    mock.reset();
    const turn = await completeTurnOverWebSocket(inProcessSocket('wss://example.invalid/x', {}), responseCreateFrame('m'));
    expect(turn.closed).toEqual({ code: 4501, reason: 'origin_not_mocked' });
    expect(mock.journal.unhandled().map((e) => e.url)).toEqual(['https://example.invalid/x']);
  });
});

describe('Responses WebSocket, on the port (ws library)', () => {
  let mock: HttpMock;
  beforeAll(async () => {
    mock = await startHttpMock({ seed: 4 });
  });
  afterAll(async () => mock.close());

  const wsUrl = (path: string): string => `${mock.origin.replace(/^http/, 'ws')}${path}`;

  it('completes a turn after a judged upgrade, twice on one connection, under a case prefix', async () => {
    mock.reset();
    const account = mock.backend.createAccount({ plan: 'pro', fedramp: true });
    const t = await mock.backend.issueChatgptTokens(account.id);
    const socket = new WsWebSocket(wsUrl('/__case/ws-1/backend-api/codex/responses'), {
      headers: { authorization: `Bearer ${t.accessToken}`, 'chatgpt-account-id': account.id, 'x-openai-fedramp': 'true', 'openai-beta': 'responses_websockets=2026-02-06' },
    });
    const turn = await completeTurnOverWebSocket(socket, responseCreateFrame('gpt-5-mock', [], false));
    expect(turn).toMatchObject({ completed: true, events: ['response.created', 'response.completed'] });
    const second = await new Promise<string[]>((resolve) => {
      const seen: string[] = [];
      socket.on('message', (d) => {
        const type = (JSON.parse(String(d)) as { type: string }).type;
        seen.push(type);
        if (type === 'response.completed') resolve(seen);
      });
      socket.send(responseCreateFrame('gpt-5-mock'));
    });
    expect(second).toEqual(TURN);
    socket.close();
    const entries = mock.journal.list('ws-1');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ method: 'GET', verdict: { status: 200, endpoint: 'codex.responses.websocket' } });
    expect(new URL(entries[0]!.url).pathname).toBe('/backend-api/codex/responses');
    expect(checkJournal(entries).filter((r) => r.verdict === 'fail')).toEqual([]);
    expect(verdictOf(checkJournal(entries), 'HDR.FEDRAMP.001')).toBe('pass');
    expect(mock.backend.modelRequests.list('ws-1').map((m) => m.prewarm)).toEqual([true, false]);
  });

  it('serves the upgrade on an extra listener too (listen(), as the production-host impersonation uses), journalled under its current case', async () => {
    mock.reset();
    const extra = await mock.listen({ host: '127.0.0.1', port: 0, currentCase: () => 'extra-1' });
    try {
      const account = mock.backend.createAccount({ plan: 'plus' });
      const t = await mock.backend.issueChatgptTokens(account.id);
      const socket = new WsWebSocket(`${extra.origin.replace(/^http/, 'ws')}/backend-api/codex/responses`, {
        headers: { authorization: `Bearer ${t.accessToken}`, 'chatgpt-account-id': account.id },
      });
      expect(await completeTurnOverWebSocket(socket, responseCreateFrame('gpt-5-mock'))).toMatchObject({ completed: true, events: TURN });
      socket.close();
      expect(mock.journal.list('extra-1').map((e) => [e.verdict.status, e.verdict.endpoint])).toEqual([[200, 'codex.responses.websocket']]);
      const anonymous = await completeTurnOverWebSocket(new WsWebSocket(`${extra.origin.replace(/^http/, 'ws')}/backend-api/codex/responses`), responseCreateFrame('gpt-5-mock'));
      expect(anonymous.completed).toBe(false);
      expect(mock.journal.list('extra-1').map((e) => e.verdict.status)).toEqual([200, 401]);
    } finally {
      await extra.close();
    }
  });

  it('answers a refused upgrade with the plain HTTP rejection, and faults apply to upgrades (401 once, then served)', async () => {
    mock.reset();
    const account = mock.backend.createAccount({ plan: 'plus' });
    const t = await mock.backend.issueChatgptTokens(account.id);
    const headers = { authorization: `Bearer ${t.accessToken}`, 'chatgpt-account-id': account.id };
    const statusOf = (socket: WsWebSocket): Promise<number> =>
      new Promise((resolve) => {
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.on('open', () => {
          resolve(101);
          socket.close();
        });
      });
    expect(await statusOf(new WsWebSocket(wsUrl('/backend-api/codex/responses')))).toBe(401);
    mock.useFaults({ kind: 'unauthorizedOnce', path: '/codex/responses' });
    expect(await statusOf(new WsWebSocket(wsUrl('/backend-api/codex/responses'), { headers }))).toBe(401);
    expect(await statusOf(new WsWebSocket(wsUrl('/backend-api/codex/responses'), { headers }))).toBe(101);
    expect(mock.journal.list().map((e) => `${e.verdict.status} ${e.verdict.endpoint}`)).toEqual([
      '401 codex.responses.websocket',
      '401 fault.unauthorizedOnce',
      '200 codex.responses.websocket',
    ]);
  });

  it('parses the client frames the binary sends', () => {
    expect(parseWsClientMessage(responseCreateFrame('m', [], false))).toMatchObject({ kind: 'create', model: 'm', generate: false });
    expect(parseWsClientMessage('{"type":"response.processed","response_id":"r"}')).toEqual({ kind: 'processed', responseId: 'r' });
    expect(parseWsClientMessage('{"type":"response.append"}').kind).toBe('invalid');
    expect(parseWsClientMessage('not json').kind).toBe('invalid');
    // "responses lite" bodies carry the tools as an additional_tools input item
    const lite = JSON.stringify({ type: 'response.create', model: 'm', tools: null, input: [{ type: 'additional_tools', role: 'developer', tools: [{ type: 'namespace', name: 'functions', tools: [{ name: 'exec' }] }] }, { type: 'message', role: 'user', content: [] }] });
    expect(parseWsClientMessage(lite)).toMatchObject({ kind: 'create', toolNames: ['functions', 'exec'] });
  });
});

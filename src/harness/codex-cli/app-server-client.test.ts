import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { answerServerRequest, appServerRequests, type JsonRpcMessage } from './app-server-client.js';
import { AppServerSession } from './app-server-session.js';

const tokens = { accessToken: 'host.jwt.token', accountId: 'acc-1', planType: 'plus' };

/** A scripted stand-in for `codex app-server`: answers each request line with `reply(msg)`. */
function fakeServer(reply: (m: JsonRpcMessage, emit: (m: JsonRpcMessage) => void) => void) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const child = Object.assign(new EventEmitter(), { stdin, stdout, stderr: new PassThrough() });
  const sent: JsonRpcMessage[] = [];
  let buf = '';
  stdin.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const m = JSON.parse(buf.slice(0, i)) as JsonRpcMessage;
      buf = buf.slice(i + 1);
      sent.push(m);
      reply(m, (out) => stdout.write(`${JSON.stringify(out)}\n`));
    }
  });
  return { child: child as never, sent };
}

describe('app-server JSON-RPC client (chatgptAuthTokens)', () => {
  it('logs in with account/login/start type chatgptAuthTokens and the experimental API flag', () => {
    const r = appServerRequests(tokens, '/w', 'hi', '0.1.0');
    expect(r.initialize?.params).toMatchObject({ capabilities: { experimentalApi: true } });
    expect(r.login).toEqual({ id: 2, method: 'account/login/start', params: { type: 'chatgptAuthTokens', accessToken: 'host.jwt.token', chatgptAccountId: 'acc-1', chatgptPlanType: 'plus' } });
  });

  it('answers the refresh server request with the host tokens and declines anything else', () => {
    expect(answerServerRequest({ id: 7, method: 'account/chatgptAuthTokens/refresh', params: {} }, tokens)).toEqual({ id: 7, result: { accessToken: 'host.jwt.token', chatgptAccountId: 'acc-1', chatgptPlanType: 'plus' } });
    expect(answerServerRequest({ id: 8, method: 'item/commandExecution/requestApproval' }, tokens).error?.code).toBe(-32601);
  });

  it('drives initialize, login, thread/start, turn/start to turn/completed step by step and keeps the agent message', async () => {
    const { child, sent } = fakeServer((m, emit) => {
      if (m.id === undefined) return;
      if (m.method === 'thread/start') return emit({ id: m.id, result: { thread: { id: 'th-1' } } });
      emit({ id: m.id, result: {} });
      if (m.method === 'turn/start') {
        emit({ method: 'item/completed', params: { item: { type: 'agentMessage', text: 'hello' } } });
        emit({ method: 'turn/completed', params: { turn: { status: 'completed' } } });
      }
    });
    const session = new AppServerSession(child, { cwd: '/w', clientVersion: '0.1.0', timeoutMs: 2000 });
    expect((await session.initialize()).ok).toBe(true);
    expect((await session.login(tokens)).ok).toBe(true);
    const out = await session.turn('hi');
    expect(out).toEqual({ ok: true, reached: 'turnCompleted', agentMessage: 'hello' });
    expect(session.hostRefreshRequests).toBe(0);
    expect(sent.map((m) => m.method)).toEqual(['initialize', 'initialized', 'account/login/start', 'thread/start', 'turn/start']);
  });

  it('stops at the failing step with its JSON-RPC error', async () => {
    const { child } = fakeServer((m, emit) => {
      if (m.id === undefined) return;
      emit(m.method === 'account/login/start' ? { id: m.id, error: { code: -32600, message: 'invalid ID token format' } } : { id: m.id, result: {} });
    });
    const session = new AppServerSession(child, { cwd: '/w', clientVersion: '0.1.0', timeoutMs: 2000 });
    await session.initialize();
    const out = await session.login(tokens);
    expect(out.ok).toBe(false);
    expect(out.reached).toBe('initialize');
    expect(out.error).toMatch(/account\/login\/start: invalid ID token format/);
  });

  it('times out instead of hanging when the server never answers', async () => {
    const { child } = fakeServer(() => undefined);
    const out = await new AppServerSession(child, { cwd: '/w', clientVersion: '0.1.0', timeoutMs: 100 }).initialize();
    expect(out).toEqual({ ok: false, reached: 'none', error: 'initialize: timed out' });
  });
});

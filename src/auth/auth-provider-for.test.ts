import { createPrivateKey, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertionTimestamp, authProviderFor } from './auth-provider-for.js';
import type { AgentIdentityClaims, CodexAuth } from './codex-auth.js';
import { parseIdToken } from './id-token.js';
import { unsignedJwt } from './unsigned-jwt.js';

const AUTH = 'https://api.openai.com/auth';

function headersOf(auth: CodexAuth, opts: Parameters<typeof authProviderFor>[1] = {}): Record<string, string> {
  const headers = new Headers();
  authProviderFor(auth, opts).applyHeaders(headers);
  return Object.fromEntries(headers.entries());
}

function chatgpt(fedramp: boolean, accountId?: string): CodexAuth {
  return {
    mode: 'chatgpt',
    tokens: {
      idToken: parseIdToken(unsignedJwt({ [AUTH]: { chatgpt_account_is_fedramp: fedramp } })),
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      ...(accountId !== undefined && { accountId }),
    },
  };
}

const { privateKey } = generateKeyPairSync('ed25519');
const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
const claims: AgentIdentityClaims = {
  agentRuntimeId: 'runtime-7',
  agentPrivateKey: pkcs8,
  accountId: 'acct-agent',
  isFedramp: false,
  iat: 0,
  exp: 1,
};
const agent: CodexAuth = { mode: 'agentIdentity', jwt: 'x.y.z', claims };

describe('bearer providers', () => {
  it('HDR.APIKEY sends only Bearer <key>: never an account id or FedRAMP header', () => {
    expect(headersOf({ mode: 'apiKey', apiKey: 'sk-1' })).toEqual({ authorization: 'Bearer sk-1' });
  });

  it('HDR.CHATGPT sends Bearer <access token> and chatgpt-account-id when the auth has one', () => {
    expect(headersOf(chatgpt(false, 'acct-1'))).toEqual({ authorization: 'Bearer access-1', 'chatgpt-account-id': 'acct-1' });
    expect(headersOf(chatgpt(false))).toEqual({ authorization: 'Bearer access-1' });
  });

  it('HDR.FEDRAMP sends x-openai-fedramp: true only for FedRAMP accounts, never "false"', () => {
    expect(headersOf(chatgpt(true, 'acct-1'))['x-openai-fedramp']).toBe('true');
    expect('x-openai-fedramp' in headersOf(chatgpt(false, 'acct-1'))).toBe(false);
  });

  it('chatgptAuthTokens sends the host token, its account id and FedRAMP flag', () => {
    expect(
      headersOf({ mode: 'chatgptAuthTokens', accessToken: 'host-at', accountId: 'acct-h', isFedramp: true }),
    ).toEqual({ authorization: 'Bearer host-at', 'chatgpt-account-id': 'acct-h', 'x-openai-fedramp': 'true' });
  });

  it('skips header values that are not valid (as the source does) instead of throwing', () => {
    expect(headersOf({ mode: 'apiKey', apiKey: 'bad\nkey' })).toEqual({});
    expect(headersOf({ ...(chatgpt(false, 'acct\r\n-1') as object) } as CodexAuth)).toEqual({ authorization: 'Bearer access-1' });
  });

  it('never throws from applyHeaders for any token text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.option(fc.string({ unit: 'binary' }), { nil: undefined }), (token, account) => {
        const headers = new Headers();
        authProviderFor({ mode: 'chatgptAuthTokens', accessToken: token, accountId: account ?? 'a', isFedramp: false }).applyHeaders(headers);
        const value = headers.get('authorization');
        // Headers strips leading/trailing HTTP whitespace, as servers do on the wire.
        if (value !== null) expect(value).toBe(`Bearer ${token}`.replace(/^[\t ]+|[\t ]+$/g, ''));
      }),
    );
  });

  it('overwrites a stale authorization header rather than appending', () => {
    const headers = new Headers({ authorization: 'Bearer old' });
    authProviderFor({ mode: 'apiKey', apiKey: 'new' }).applyHeaders(headers);
    expect(headers.get('authorization')).toBe('Bearer new');
  });
});

describe('agent identity provider', () => {
  it('throws TypeError without a task id', () => {
    expect(() => authProviderFor(agent)).toThrow(TypeError);
    expect(() => authProviderFor(agent, { taskId: '' })).toThrow(TypeError);
  });

  it('HDR.AGENT sends AgentAssertion with a signature over runtime:task:timestamp, plus account id from the claims', () => {
    const now = new Date('2025-01-02T03:04:05.678Z');
    const headers = headersOf(agent, { taskId: 'task-9', now: () => now });
    expect(headers['chatgpt-account-id']).toBe('acct-agent');
    expect('x-openai-fedramp' in headers).toBe(false);
    const auth = headers.authorization ?? '';
    expect(auth.startsWith('AgentAssertion ')).toBe(true);
    const envelope = JSON.parse(Buffer.from(auth.slice('AgentAssertion '.length), 'base64url').toString('utf8')) as Record<string, string>;
    expect(Object.keys(envelope)).toEqual(['agent_runtime_id', 'signature', 'task_id', 'timestamp']);
    expect(envelope).toMatchObject({ agent_runtime_id: 'runtime-7', task_id: 'task-9', timestamp: '2025-01-02T03:04:05Z' });
    const publicKey = createPublicKey(createPrivateKey({ key: Buffer.from(pkcs8, 'base64'), format: 'der', type: 'pkcs8' }));
    const signed = Buffer.from('runtime-7:task-9:2025-01-02T03:04:05Z');
    expect(verify(null, signed, publicKey, Buffer.from(envelope['signature'] ?? '', 'base64'))).toBe(true);
  });

  it('sends x-openai-fedramp: true from FedRAMP claims', () => {
    const fed: CodexAuth = { ...agent, claims: { ...claims, isFedramp: true } };
    expect(headersOf(fed, { taskId: 't' })['x-openai-fedramp']).toBe('true');
  });

  it('builds a fresh timestamp per request', () => {
    let t = Date.parse('2025-01-01T00:00:00Z');
    const provider = authProviderFor(agent, { taskId: 't', now: () => new Date((t += 1000)) });
    const a = new Headers();
    const b = new Headers();
    provider.applyHeaders(a);
    provider.applyHeaders(b);
    expect(a.get('authorization')).not.toBe(b.get('authorization'));
  });
});

describe('assertionTimestamp', () => {
  it('is RFC 3339 to the second with Z', () => {
    expect(assertionTimestamp(new Date('2025-06-07T08:09:10.999Z'))).toBe('2025-06-07T08:09:10Z');
  });
});

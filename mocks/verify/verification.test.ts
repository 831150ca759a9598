import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startInProcessMock, type InProcessMock } from '../in-process.js';
import type { Account } from '../state/accounts.js';
import { ACCESS_TOKEN_AUDIENCE, TOKEN_ISSUER, accessTokenPayload } from '../state/token-claims.js';
import { assertionHeader, openEncryptedTaskId, registrationBody } from '../testing/agent-client.js';
import { checkHeaderSafety } from './header-safety.js';

let mock: InProcessMock;
beforeAll(async () => {
  mock = await startInProcessMock({ seed: 11 });
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

const USAGE = 'https://chatgpt.com/backend-api/wham/usage';

async function get(headers: Record<string, string>, url = USAGE): Promise<Response> {
  return fetch(url, { headers });
}

function last() {
  const entry = mock.journal.list().at(-1);
  if (entry === undefined) throw new Error('journal is empty');
  return entry;
}

async function session(opts: { fedramp?: boolean } = {}): Promise<{ account: Account; token: string; headers: Record<string, string> }> {
  const account = mock.backend.createAccount({ plan: 'business', fedramp: opts.fedramp ?? false });
  const { accessToken } = await mock.backend.issueChatgptTokens(account.id);
  const headers: Record<string, string> = { authorization: `Bearer ${accessToken}`, 'chatgpt-account-id': account.id };
  if (opts.fedramp === true) headers['x-openai-fedramp'] = 'true';
  return { account, token: accessToken, headers };
}

async function signedWith(key: Parameters<SignJWT['sign']>[0], kid: string, account: Account, aud = ACCESS_TOKEN_AUDIENCE, exp = '1h') {
  return new SignJWT(accessTokenPayload(account))
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(aud)
    .setJti('jti_forged')
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(key);
}

describe('bearer verification', () => {
  it('accepts a token the mock issued, with matching ChatGPT-Account-ID', async () => {
    const { headers, account } = await session();
    expect((await get(headers)).status).toBe(200);
    expect(last().credential).toMatchObject({ kind: 'bearer', issued: { accountId: account.id, expired: false } });
  });

  it('refuses a request without credentials with an RFC 6750 challenge', async () => {
    const res = await get({});
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token", error_description="missing_credentials: /);
    expect(await res.json()).toMatchObject({ error: { code: 'missing_credentials' } });
    expect(last().verdict).toMatchObject({ status: 401, reason: 'missing_credentials', handled: true });
  });

  it('refuses a JWT with alg none', async () => {
    const { account } = await session();
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(accessTokenPayload(account))).toString('base64url')}.`;
    const res = await get({ authorization: `Bearer ${none}`, 'chatgpt-account-id': account.id });
    expect(res.status).toBe(401);
    expect(last().verdict.reason).toBe('alg_rejected');
  });

  it('refuses a JWT with an unknown kid', async () => {
    const { account } = await session();
    const { privateKey } = await generateKeyPair('RS256');
    const res = await get({ authorization: `Bearer ${await signedWith(privateKey, 'kid-nobody-knows', account)}` });
    expect(res.status).toBe(401);
    expect(last().verdict.reason).toBe('unknown_kid');
  });

  it('refuses a JWT signed by another key under the mock kid', async () => {
    const { account } = await session();
    const { privateKey } = await generateKeyPair('RS256');
    const res = await get({ authorization: `Bearer ${await signedWith(privateKey, mock.backend.tokenKeys.current().kid, account)}` });
    expect(res.status).toBe(401);
    expect(last().verdict.reason).toBe('bad_signature');
  });

  it('refuses a JWT for the wrong audience', async () => {
    const { account } = await session();
    const key = mock.backend.tokenKeys.current();
    const res = await get({ authorization: `Bearer ${await signedWith(key.privateKey, key.kid, account, 'https://elsewhere.example')}` });
    expect(res.status).toBe(401);
    expect(last().verdict.reason).toBe('invalid_audience');
  });

  it('refuses a validly signed JWT the mock never issued', async () => {
    const { account } = await session();
    const key = mock.backend.tokenKeys.current();
    const res = await get({ authorization: `Bearer ${await signedWith(key.privateKey, key.kid, account)}`, 'chatgpt-account-id': account.id });
    expect(res.status).toBe(401);
    expect(last().verdict.reason).toBe('token_not_issued');
  });

  it('refuses an expired token and attributes it as expired', async () => {
    const account = mock.backend.createAccount({ plan: 'plus' });
    const { accessToken } = await mock.backend.issueChatgptTokens(account.id, { expired: true });
    const res = await get({ authorization: `Bearer ${accessToken}`, 'chatgpt-account-id': account.id });
    expect(res.status).toBe(401);
    expect(last().verdict.reason).toBe('token_expired');
    expect(last().credential).toMatchObject({ kind: 'bearer', issued: { expired: true, accountId: account.id } });
  });

  it('expires tokens when the mock clock moves past exp', async () => {
    const { headers } = await session();
    mock.backend.advance(2 * 3600_000);
    expect((await get(headers)).status).toBe(401);
    expect(last().verdict.reason).toBe('token_expired');
  });

  it('refuses API keys on codex-backend endpoints', async () => {
    const key = mock.backend.createApiKey();
    const res = await get({ authorization: `Bearer ${key}` });
    expect(res.status).toBe(401);
    expect(last().verdict.reason).toBe('api_key_not_accepted');
    expect(last().credential).toMatchObject({ kind: 'bearer', issued: { tokenKind: 'apiKey' } });
  });

  it('model endpoints accept API keys and the codex-backend credentials the source sends there; the OpenAI-only route still refuses ChatGPT tokens', async () => {
    const key = mock.backend.createApiKey();
    expect((await get({ authorization: `Bearer ${key}` }, 'https://api.openai.com/v1/models')).status).toBe(200);
    const { headers } = await session();
    // With openai_base_url configured the source sends codex-backend auth to {openai_base_url}/models
    // (model-provider-info/src/lib.rs to_api_provider): the mock accepts it; the rules judge it.
    expect((await get(headers, 'https://api.openai.com/v1/models')).status).toBe(200);
    // API-key model discovery: the key is accepted on the Codex model catalogue...
    expect((await get({ authorization: `Bearer ${key}` }, 'https://chatgpt.com/backend-api/codex/models')).status).toBe(200);
    expect(last().credential).toMatchObject({ kind: 'bearer', issued: { tokenKind: 'apiKey' } });
    // ...but not on any other codex-backend endpoint (see above), and the API-key-only route refuses ChatGPT tokens.
    expect((await get(headers, 'https://api.openai.com/v1/responses')).status).toBe(401);
    expect(last().verdict.reason).toBe('invalid_api_key');
    expect((await get({ authorization: `Bearer ${key}` }, 'https://api.openai.com/v1/responses')).status).toBe(426);
  });

  it('refuses a ChatGPT-Account-ID of another account', async () => {
    const { headers } = await session();
    const other = mock.backend.createAccount({ plan: 'team' });
    const res = await get({ ...headers, 'chatgpt-account-id': other.id });
    expect(res.status).toBe(403);
    expect(last().verdict.reason).toBe('account_mismatch');
  });

  it('requires X-OpenAI-Fedramp for a FedRAMP account', async () => {
    const { headers } = await session({ fedramp: true });
    const { ['x-openai-fedramp']: _dropped, ...without } = headers;
    expect((await get(without)).status).toBe(403);
    expect(last().verdict.reason).toBe('fedramp_header_missing');
    expect((await get(headers)).status).toBe(200);
  });

  it('refuses X-OpenAI-Fedramp for an account that is not FedRAMP, and any value but true', async () => {
    const { headers } = await session();
    expect((await get({ ...headers, 'x-openai-fedramp': 'true' })).status).toBe(403);
    expect(last().verdict.reason).toBe('fedramp_header_unexpected');
    const fed = await session({ fedramp: true });
    expect((await get({ ...fed.headers, 'x-openai-fedramp': 'false' })).status).toBe(400);
    expect(last().verdict.reason).toBe('fedramp_header_invalid');
  });

  it('refuses an unsupported auth scheme and a malformed Authorization header', async () => {
    expect((await get({ authorization: 'Basic dXNlcjpwYXNz' })).status).toBe(401);
    expect(last().verdict.reason).toBe('unsupported_scheme');
    expect((await get({ authorization: 'Bearer' })).status).toBe(401);
    expect(last().verdict.reason).toBe('authorization_malformed');
  });
});

describe('bad input', () => {
  it('refuses malformed JSON with 400 invalid_json and journals it', async () => {
    const { headers } = await session();
    const res = await fetch('https://chatgpt.com/backend-api/wham/tasks', { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{not json' });
    expect(res.status).toBe(400);
    expect(last().verdict).toMatchObject({ reason: 'invalid_json', endpoint: 'wham.tasks.create' });
    expect(last().bodyDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('refuses a body over the size cap with 413', async () => {
    const { headers } = await session();
    const res = await fetch('https://chatgpt.com/backend-api/wham/tasks', { method: 'POST', headers, body: 'x'.repeat(1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect(last().verdict.reason).toBe('body_too_large');
  });

  it('flags header values with control characters', () => {
    const headers = new Headers();
    // Headers refuses most control characters itself; build the check input directly.
    const fake = { [Symbol.iterator]: function* () { yield ['x-test', 'a\u0001b'] as [string, string]; } } as unknown as Headers;
    expect(checkHeaderSafety(headers)).toBeUndefined();
    expect(checkHeaderSafety(fake)).toMatchObject({ status: 400, code: 'header_invalid' });
  });
});

describe('agent identity', () => {
  const REGISTER = (rt: string) => `https://auth.openai.com/api/accounts/v1/agent/${rt}/task/register`;

  async function register(identity: Awaited<ReturnType<typeof mock.backend.createAgentIdentity>>, body?: unknown) {
    return fetch(REGISTER(identity.runtimeId), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? registrationBody(identity, mock.backend.now())),
    });
  }

  async function agentSession(opts: { fedramp?: boolean; encrypt?: boolean } = {}) {
    const account = mock.backend.createAccount({ plan: 'enterprise', fedramp: opts.fedramp ?? false });
    const identity = await mock.backend.createAgentIdentity(account.id, { encryptTaskIds: opts.encrypt ?? false });
    const res = await register(identity);
    const body = (await res.json()) as { task_id?: string; encrypted_task_id?: string };
    const taskId = body.task_id ?? openEncryptedTaskId(identity, body.encrypted_task_id ?? '');
    const headers: Record<string, string> = { 'chatgpt-account-id': account.id };
    if (opts.fedramp === true) headers['x-openai-fedramp'] = 'true';
    return { account, identity, taskId, headers, status: res.status, body };
  }

  it('serves the JWKS that verifies the identity JWT', async () => {
    const res = await fetch('https://chatgpt.com/backend-api/wham/agent-identities/jwks');
    const jwks = (await res.json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([mock.backend.agentIdentityKeys.current().kid]);
  });

  it('registers a task and accepts a valid AgentAssertion', async () => {
    const s = await agentSession();
    expect(s.status).toBe(200);
    const res = await get({ ...s.headers, authorization: assertionHeader(s.identity, s.taskId, mock.backend.now()) });
    expect(res.status).toBe(200);
    expect(last().credential).toEqual({
      kind: 'agentAssertion',
      agentRuntimeId: s.identity.runtimeId,
      taskId: s.taskId,
      timestamp: expect.any(String),
      accountId: s.account.id,
      isFedramp: false,
      signatureValid: true,
      taskIssuedToRuntime: true,
    });
  });

  it('answers encrypted_task_id sealed to the agent key when configured', async () => {
    const s = await agentSession({ encrypt: true });
    expect(s.body.task_id).toBeUndefined();
    expect(s.body.encrypted_task_id).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(s.taskId).toMatch(/^task_/);
    expect((await get({ ...s.headers, authorization: assertionHeader(s.identity, s.taskId, mock.backend.now()) })).status).toBe(200);
  });

  it('answers an identical registration again with a new task (timestamps are to the second and Ed25519 is deterministic)', async () => {
    const account = mock.backend.createAccount({ plan: 'team' });
    const identity = await mock.backend.createAgentIdentity(account.id);
    const body = registrationBody(identity, mock.backend.now());
    const first = await register(identity, body);
    const second = await register(identity, body);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(mock.backend.tasks.size).toBe(2);
  });

  it('refuses a registration with a bad signature or an unknown runtime', async () => {
    const account = mock.backend.createAccount({ plan: 'team' });
    const identity = await mock.backend.createAgentIdentity(account.id);
    const other = await mock.backend.createAgentIdentity(account.id);
    const forged = registrationBody(other, mock.backend.now());
    expect((await register(identity, forged)).status).toBe(401);
    expect(last().verdict.reason).toBe('bad_signature');
    const res = await fetch(REGISTER('agent-runtime-unknown'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(forged) });
    expect(res.status).toBe(404);
  });

  it('refuses a task id issued to another runtime', async () => {
    const a = await agentSession();
    const b = await agentSession();
    const res = await get({ ...a.headers, authorization: assertionHeader(a.identity, b.taskId, mock.backend.now()) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^AgentAssertion error="invalid_token"/);
    expect(last().verdict.reason).toBe('task_foreign');
    expect(last().credential).toMatchObject({ kind: 'agentAssertion', taskIssuedToRuntime: false, signatureValid: true });
  });

  it('refuses an unknown or revoked task id', async () => {
    const s = await agentSession();
    await get({ ...s.headers, authorization: assertionHeader(s.identity, 'task_never_issued', mock.backend.now()) });
    expect(last().verdict.reason).toBe('task_unknown');
    mock.backend.revokeTask(s.taskId);
    await get({ ...s.headers, authorization: assertionHeader(s.identity, s.taskId, mock.backend.now()) });
    expect(last().verdict.reason).toBe('task_revoked');
  });

  it('refuses a bad signature and a stale timestamp', async () => {
    const s = await agentSession();
    await get({ ...s.headers, authorization: assertionHeader(s.identity, s.taskId, mock.backend.now(), { signature: Buffer.alloc(64).toString('base64') }) });
    expect(last().verdict.reason).toBe('bad_signature');
    await get({ ...s.headers, authorization: assertionHeader(s.identity, s.taskId, mock.backend.now() - 10 * 60_000) });
    expect(last().verdict.reason).toBe('timestamp_skew');
    await get({ ...s.headers, authorization: assertionHeader(s.identity, s.taskId, 0, { timestamp: '2020-01-01 00:00:00' }) });
    expect(last().verdict.reason).toBe('timestamp_invalid');
  });

  it('refuses an assertion that does not decode', async () => {
    const s = await agentSession();
    for (const bad of ['AgentAssertion !!!', `AgentAssertion ${Buffer.from('[1,2]').toString('base64url')}`, `AgentAssertion ${Buffer.from('{"task_id":"x"}').toString('base64url')}`]) {
      const res = await get({ ...s.headers, authorization: bad });
      expect(res.status).toBe(401);
      expect(last().verdict.reason).toBe('assertion_malformed');
      expect(last().credential.kind).toBe('malformed');
    }
  });

  it('applies the account and FedRAMP rules to agent identities', async () => {
    const s = await agentSession({ fedramp: true });
    const header = assertionHeader(s.identity, s.taskId, mock.backend.now());
    expect((await get({ 'chatgpt-account-id': s.account.id, authorization: header })).status).toBe(403);
    expect(last().verdict.reason).toBe('fedramp_header_missing');
    expect((await get({ ...s.headers, authorization: header })).status).toBe(200);
  });
});

import { generateKeyPairSync, verify } from 'node:crypto';
import fc from 'fast-check';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConformanceInputError } from '../../errors.js';
import type { AgentIdentityClaims } from '../codex-auth.js';
import { buildAgentAssertion, rfc3339Seconds } from './agent-assertion.js';
import { loadAgentKey } from './ed25519-key.js';
import { AGENT_IDENTITY_AUDIENCE, AGENT_IDENTITY_ISSUER, verifyAgentIdentityJwt } from './identity-jwt.js';
import { sealToEd25519 } from './sealed-box.js';
import { createOnceCell, registerAgentTask, taskRegistrationRequest } from './task-registration.js';

const rsa = await generateKeyPair('RS256');
const publicJwk: JWK = { ...(await exportJWK(rsa.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
const jwks = { keys: [publicJwk] };
const ed = generateKeyPairSync('ed25519');
const pkcs8 = ed.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');

async function mint(overrides: { kid?: string; aud?: string; iss?: string; exp?: number; claims?: Record<string, unknown> } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    agent_runtime_id: 'rt-1',
    agent_private_key: pkcs8,
    account_id: 'acct-1',
    chatgpt_user_id: 'user-1',
    email: 'a@example.test',
    plan_type: 'business',
    chatgpt_account_is_fedramp: true,
    ...overrides.claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid: overrides.kid ?? 'k1' })
    .setIssuer(overrides.iss ?? AGENT_IDENTITY_ISSUER)
    .setAudience(overrides.aud ?? AGENT_IDENTITY_AUDIENCE)
    .setIssuedAt(now - 10)
    .setExpirationTime(overrides.exp ?? now + 3600)
    .sign(rsa.privateKey);
}

function codeOf(e: unknown): string {
  return e instanceof ConformanceInputError ? e.code : `not typed: ${String(e)}`;
}

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return codeOf(e);
  }
}

describe('identity JWT verification (AGENT.JWT.001)', () => {
  it('AGENT.JWT.001 accepts an RS256 identity with a known kid and returns its claims', async () => {
    const claims = await verifyAgentIdentityJwt(await mint(), { jwks });
    expect(claims).toMatchObject({ agentRuntimeId: 'rt-1', accountId: 'acct-1', chatgptUserId: 'user-1', isFedramp: true, planType: 'business' });
  });

  it('AGENT.JWT.001 refuses alg none, unknown kid, wrong aud, wrong iss, expiry and a foreign signature', async () => {
    const good = await mint();
    const [h, p] = good.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'k1' })).toString('base64url')}.${p}.sig`;
    expect(await rejection(verifyAgentIdentityJwt(none, { jwks }))).toBe('JWT_ALG_REJECTED');
    expect(await rejection(verifyAgentIdentityJwt(await mint({ kid: 'other' }), { jwks }))).toBe('JWT_UNKNOWN_KID');
    expect(await rejection(verifyAgentIdentityJwt(await mint({ aud: 'someone-else' }), { jwks }))).toBe('JWT_INVALID');
    expect(await rejection(verifyAgentIdentityJwt(await mint({ iss: 'https://evil.example' }), { jwks }))).toBe('JWT_INVALID');
    expect(await rejection(verifyAgentIdentityJwt(await mint({ exp: Math.floor(Date.now() / 1000) - 60 }), { jwks }))).toBe('JWT_EXPIRED');
    const other = await generateKeyPair('RS256');
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(other.privateKey);
    expect(await rejection(verifyAgentIdentityJwt(forged, { jwks }))).toBe('JWT_INVALID');
    expect(await rejection(verifyAgentIdentityJwt(`${h}.${p}`, { jwks }))).toBe('JWT_MALFORMED');
    expect(await rejection(verifyAgentIdentityJwt(`${h}.${p}.a+b/`, { jwks }))).toBe('JWT_BAD_BASE64');
  });

  it('never puts the token in an error message', async () => {
    const token = await mint({ aud: 'x' });
    try {
      await verifyAgentIdentityJwt(token, { jwks });
      expect.unreachable();
    } catch (e) {
      expect(String(e)).not.toContain(token);
      expect(String(e)).toMatch(/fp:[0-9a-f]{12}/);
    }
  });

  it('random strings give a typed error, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (s) => {
        expect(await rejection(verifyAgentIdentityJwt(s, { jwks }))).toMatch(/^JWT_/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('Ed25519 key from the PKCS#8 claim', () => {
  it('loads the seed and public key', () => {
    const key = loadAgentKey(pkcs8);
    expect(key.seed).toHaveLength(32);
    expect(Buffer.from(key.publicKeyRaw).equals(ed.publicKey.export({ format: 'der', type: 'spki' }).subarray(12))).toBe(true);
  });

  it('bad base64, garbage DER and a non-Ed25519 key are PKCS8_INVALID', () => {
    const rsaPkcs8 = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    for (const bad of ['not base64!', 'AAAA', rsaPkcs8]) expect(() => loadAgentKey(bad)).toThrow(expect.objectContaining({ code: 'PKCS8_INVALID' }));
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      expect(codeOf(catchSync(() => loadAgentKey(Buffer.from(bytes).toString('base64'))))).toMatch(/PKCS8_INVALID|resolved/);
    }));
  });
});

function catchSync(f: () => unknown): unknown {
  try {
    f();
    return 'resolved';
  } catch (e) {
    return e;
  }
}

const claims: AgentIdentityClaims = { agentRuntimeId: 'rt-1', agentPrivateKey: pkcs8, accountId: 'acct-1', isFedramp: false, iat: 0, exp: 0 };

describe('AgentAssertion header', () => {
  it('AGENT.ASSERT.002 is base64url JSON with sorted keys, signed over runtime:task:timestamp', () => {
    const timestamp = rfc3339Seconds(new Date('2026-11-28T10:11:12.345Z'));
    expect(timestamp).toBe('2026-11-28T10:11:12Z');
    const value = buildAgentAssertion({ claims, taskId: 'task-9', timestamp });
    const [scheme, token] = value.split(' ');
    expect(scheme).toBe('AgentAssertion');
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    const json = Buffer.from(token!, 'base64url').toString('utf8');
    const envelope = JSON.parse(json) as Record<string, string>;
    expect(Object.keys(envelope)).toEqual(['agent_runtime_id', 'signature', 'task_id', 'timestamp']);
    expect(verify(null, Buffer.from(`rt-1:task-9:${timestamp}`), ed.publicKey, Buffer.from(envelope['signature']!, 'base64'))).toBe(true);
    expect(verify(null, Buffer.from(`rt-1:task-8:${timestamp}`), ed.publicKey, Buffer.from(envelope['signature']!, 'base64'))).toBe(false);
  });
});

describe('task registration', () => {
  let answer: (body: { timestamp: string; signature: string }) => Response;
  const server = setupServer(
    http.post('http://127.0.0.1:9/backend-api/v1/agent/:runtime/task/register', async ({ request, params }) => {
      expect(params['runtime']).toBe('rt-1');
      return answer((await request.json()) as { timestamp: string; signature: string });
    }),
  );
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  it('AGENT.TASK.002 signs runtime:timestamp and takes task_id from the answer', async () => {
    answer = (body) => {
      expect(verify(null, Buffer.from(`rt-1:${body.timestamp}`), ed.publicKey, Buffer.from(body.signature, 'base64'))).toBe(true);
      return HttpResponse.json({ task_id: 'task-plain' });
    };
    expect(await registerAgentTask({ authapiBaseUrl: 'http://127.0.0.1:9/backend-api', claims, fetch, now: new Date() })).toBe('task-plain');
  });

  it('opens an encrypted_task_id sealed to the agent key, and refuses one sealed to another key', async () => {
    const key = loadAgentKey(pkcs8);
    answer = () => HttpResponse.json({ encryptedTaskId: Buffer.from(sealToEd25519(new TextEncoder().encode('task-sealed'), key.publicKeyRaw)).toString('base64') });
    expect(await registerAgentTask({ authapiBaseUrl: 'http://127.0.0.1:9/backend-api', claims, fetch, now: new Date() })).toBe('task-sealed');
    const other = loadAgentKey(generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'));
    answer = () => HttpResponse.json({ encrypted_task_id: Buffer.from(sealToEd25519(new TextEncoder().encode('x'), other.publicKeyRaw)).toString('base64') });
    expect(await rejection(registerAgentTask({ authapiBaseUrl: 'http://127.0.0.1:9/backend-api', claims, fetch, now: new Date() }))).toBe('SEALED_BOX_INVALID');
  });

  it('a non-2xx answer or one without a task id is TASK_REGISTRATION_FAILED', async () => {
    answer = () => HttpResponse.json({ error: 'no' }, { status: 403 });
    expect(await rejection(registerAgentTask({ authapiBaseUrl: 'http://127.0.0.1:9/backend-api', claims, fetch, now: new Date() }))).toBe('TASK_REGISTRATION_FAILED');
    answer = () => HttpResponse.json({});
    expect(await rejection(registerAgentTask({ authapiBaseUrl: 'http://127.0.0.1:9/backend-api', claims, fetch, now: new Date() }))).toBe('TASK_REGISTRATION_FAILED');
  });

  it('the request builder targets {authapi}/v1/agent/{runtime}/task/register', () => {
    expect(taskRegistrationRequest('http://127.0.0.1:9/backend-api/', claims, new Date()).url).toBe('http://127.0.0.1:9/backend-api/v1/agent/rt-1/task/register');
  });

  it('the once-cell shares one in-flight init and retries after a failure', async () => {
    const once = createOnceCell<number>();
    let calls = 0;
    const slow = () => new Promise<number>((r) => setTimeout(() => r(++calls), 5));
    expect(await Promise.all([once(slow), once(slow), once(slow)])).toEqual([1, 1, 1]);
    const failing = createOnceCell<number>();
    await expect(failing(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await failing(async () => 7)).toBe(7);
  });
});

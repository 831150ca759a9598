/**
 * A tiny loopback backend for the Python driver tests (the driver is a separate process, so MSW
 * in-process interception cannot reach it). It serves the agent identity JWKS, task registration
 * (verifying the Ed25519 signature like the real authapi), OAuth refresh, and records every other
 * request, answering 200 (or 401 when the bearer is listed in `rejectBearer`).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createHash, createPublicKey, generateKeyPairSync, verify as verifySignature, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { x25519 } from '@noble/curves/ed25519.js';
import { hsalsa, xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import { blake2b } from '@noble/hashes/blake2.js';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface AgentKey {
  readonly runtimeId: string;
  readonly privateKeyPkcs8Base64: string;
  readonly publicKey: KeyObject;
  readonly seed: Uint8Array;
}

export interface LoopbackStub {
  readonly origin: string;
  readonly requests: RecordedRequest[];
  /** Task ids issued per runtime id. */
  readonly tasks: Map<string, string[]>;
  rejectBearer: Set<string>;
  sealTaskIds: boolean;
  mintAgentJwt(claims: Partial<Record<string, unknown>>, key: AgentKey, opts?: { foreignKey?: boolean }): Promise<string>;
  newAgentKey(runtimeId: string): AgentKey;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function flatHeaders(request: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** libsodium crypto_box_seal to an X25519 public key (ephemeral key, BLAKE2b nonce, HSalsa20 box key). */
export function sealTo(recipientPublic: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const ephemeralSecret = x25519.utils.randomSecretKey();
  const ephemeralPublic = x25519.getPublicKey(ephemeralSecret);
  const shared = x25519.getSharedSecret(ephemeralSecret, recipientPublic);
  const u32 = (b: Uint8Array) => new Uint32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  const boxKeyWords = new Uint32Array(8);
  hsalsa(u32(new TextEncoder().encode('expand 32-byte k')), u32(shared), new Uint32Array(4), boxKeyWords);
  const boxKey = new Uint8Array(boxKeyWords.buffer);
  const nonce = blake2b(new Uint8Array([...ephemeralPublic, ...recipientPublic]), { dkLen: 24 });
  const boxed = xsalsa20poly1305(boxKey, nonce).encrypt(plaintext);
  return new Uint8Array([...ephemeralPublic, ...boxed]);
}

export async function startLoopbackStub(): Promise<LoopbackStub> {
  const signing = await generateKeyPair('RS256', { extractable: true });
  const foreign = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(signing.publicKey)), kid: 'stub-key-1', alg: 'RS256', use: 'sig' };
  const agents = new Map<string, AgentKey>();
  const requests: RecordedRequest[] = [];
  const tasks = new Map<string, string[]>();
  let taskCounter = 0;

  const stub = {
    origin: '',
    requests,
    tasks,
    rejectBearer: new Set<string>(),
    sealTaskIds: false,
    newAgentKey(runtimeId: string): AgentKey {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const der = privateKey.export({ format: 'der', type: 'pkcs8' });
      const key = { runtimeId, privateKeyPkcs8Base64: der.toString('base64'), publicKey, seed: new Uint8Array(der.subarray(der.length - 32)) };
      agents.set(runtimeId, key);
      return key;
    },
    async mintAgentJwt(claims: Partial<Record<string, unknown>>, key: AgentKey, opts: { foreignKey?: boolean } = {}): Promise<string> {
      return new SignJWT({
        agent_runtime_id: key.runtimeId,
        agent_private_key: key.privateKeyPkcs8Base64,
        account_id: 'acct-agent',
        chatgpt_user_id: 'user-agent',
        email: 'agent@example.invalid',
        plan_type: 'business',
        chatgpt_account_is_fedramp: false,
        ...claims,
      })
        .setProtectedHeader({ alg: 'RS256', kid: 'stub-key-1' })
        .setIssuer('https://chatgpt.com/codex-backend/agent-identity')
        .setAudience('codex-app-server')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(opts.foreignKey === true ? foreign.privateKey : signing.privateKey);
    },
    async close(): Promise<void> {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const path = request.url ?? '/';
      const send = (status: number, payload: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(payload));
      };
      requests.push({ method: request.method ?? 'GET', path, headers: flatHeaders(request), body });
      if (path.endsWith('/agent-identities/jwks')) return send(200, { keys: [jwk] });
      const register = /\/v1\/agent\/([^/]+)\/task\/register$/.exec(path);
      if (register !== null && request.method === 'POST') {
        const runtimeId = decodeURIComponent(register[1]!);
        const agent = agents.get(runtimeId);
        const { timestamp, signature } = JSON.parse(body) as { timestamp: string; signature: string };
        const ok =
          agent !== undefined &&
          /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(timestamp) &&
          verifySignature(null, Buffer.from(`${runtimeId}:${timestamp}`), agent.publicKey, Buffer.from(signature, 'base64'));
        if (!ok) return send(401, { error: { code: 'bad_signature', message: 'task registration signature invalid' } });
        const taskId = `task-${++taskCounter}`;
        tasks.set(runtimeId, [...(tasks.get(runtimeId) ?? []), taskId]);
        if (!stub.sealTaskIds) return send(200, { task_id: taskId });
        const secret = createHash('sha512').update(agent!.seed).digest().subarray(0, 32);
        const sealed = sealTo(x25519.getPublicKey(new Uint8Array(secret)), new TextEncoder().encode(taskId));
        return send(200, { encrypted_task_id: Buffer.from(sealed).toString('base64') });
      }
      if (path === '/oauth/token') {
        const parsed = JSON.parse(body) as { refresh_token?: string; grant_type?: string };
        if (parsed.grant_type !== 'refresh_token' || parsed.refresh_token !== 'refresh-1') return send(401, { error: 'refresh_token_invalidated' });
        return send(200, { access_token: 'access-2', refresh_token: 'refresh-2' });
      }
      const auth = request.headers.authorization ?? '';
      if (auth.startsWith('Bearer ') && stub.rejectBearer.has(auth.slice(7))) return send(401, { error: { code: 'token_expired' } });
      return send(200, { ok: true, path });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  stub.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stub;
}

/** Decodes an AgentAssertion header value and checks its signature with the agent's public key. */
export function checkAgentAssertion(header: string, key: AgentKey): { ok: boolean; keys: string[]; taskId: string; timestamp: string } {
  const [scheme, token] = header.split(' ');
  const json = Buffer.from(token ?? '', 'base64url').toString('utf8');
  const envelope = JSON.parse(json) as Record<string, string>;
  const ok =
    scheme === 'AgentAssertion' &&
    envelope['agent_runtime_id'] === key.runtimeId &&
    verifySignature(
      null,
      Buffer.from(`${envelope['agent_runtime_id']}:${envelope['task_id']}:${envelope['timestamp']}`),
      createPublicKey(key.publicKey.export({ format: 'pem', type: 'spki' })),
      Buffer.from(envelope['signature'] ?? '', 'base64'),
    );
  return { ok, keys: Object.keys(envelope), taskId: envelope['task_id'] ?? '', timestamp: envelope['timestamp'] ?? '' };
}

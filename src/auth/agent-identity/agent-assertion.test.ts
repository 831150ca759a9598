import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConformanceInputError } from '../../errors.js';
import type { AgentIdentityClaims } from '../codex-auth.js';
import { decodeAgentAssertion, isRfc3339Seconds, verifyAgentAssertion } from '../../testing/agent-assertion-reader.js';
import { buildAgentAssertion, rfc3339Seconds } from './agent-assertion.js';

/** PKCS#8 v1 DER of an Ed25519 seed: the fixed RFC 8410 prefix, then the 32 seed bytes. */
function pkcs8OfSeed(seed: Uint8Array): string {
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(seed)]);
  createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return der.toString('base64');
}

// The source's own test key: SigningKey::from_bytes(&[7u8; 32]) (codex-rs/agent-identity/src/lib.rs tests).
const SEED = new Uint8Array(32).fill(7);
const claims: AgentIdentityClaims = { agentRuntimeId: 'agent-123', agentPrivateKey: pkcs8OfSeed(SEED), isFedramp: false, iat: 0, exp: 0 };
const TS = '2026-11-28T10:11:12Z';

function codeOf(f: () => unknown): string {
  try {
    f();
    return 'decoded';
  } catch (e) {
    return e instanceof ConformanceInputError ? e.code : `untyped: ${String(e)}`;
  }
}

const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

describe('AgentAssertion header', () => {
  it('AGENT.ASSERT.002 builds "AgentAssertion " + base64url of the sorted-key JSON, signed (independently checked with @noble/curves)', () => {
    const value = buildAgentAssertion({ claims, taskId: 'task-123', timestamp: TS });
    const token = value.slice('AgentAssertion '.length);
    expect(value.startsWith('AgentAssertion ')).toBe(true);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    const sig = ed25519.sign(new TextEncoder().encode(`agent-123:task-123:${TS}`), SEED);
    const expected = `{"agent_runtime_id":"agent-123","signature":"${Buffer.from(sig).toString('base64')}","task_id":"task-123","timestamp":"${TS}"}`;
    expect(Buffer.from(token, 'base64url').toString('utf8')).toBe(expected);
  });

  it('decodes what it builds, canonical, and the signature verifies with the raw key and the KeyObject', () => {
    const value = buildAgentAssertion({ claims, taskId: 'task-123', timestamp: TS });
    const decoded = decodeAgentAssertion(value);
    expect(decoded).toMatchObject({ agentRuntimeId: 'agent-123', taskId: 'task-123', timestamp: TS, canonical: true });
    const pk = ed25519.getPublicKey(SEED);
    expect(verifyAgentAssertion(decoded, pk)).toBe(true);
    expect(verifyAgentAssertion(decoded, createPrivateKey({ key: Buffer.from(claims.agentPrivateKey, 'base64'), format: 'der', type: 'pkcs8' }))).toBe(true);
    expect(verifyAgentAssertion({ ...decoded, taskId: 'task-124' }, pk)).toBe(false);
    expect(verifyAgentAssertion({ ...decoded, timestamp: '2026-11-28T10:11:13Z' }, pk)).toBe(false);
    expect(verifyAgentAssertion(decoded, ed25519.getPublicKey(new Uint8Array(32).fill(8)))).toBe(false);
  });

  it('round-trips any runtime id, task id and timestamp (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.date({ min: new Date(0), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (runtime, task, date) => {
        const timestamp = rfc3339Seconds(date);
        expect(isRfc3339Seconds(timestamp)).toBe(true);
        const decoded = decodeAgentAssertion(buildAgentAssertion({ claims: { ...claims, agentRuntimeId: runtime }, taskId: task, timestamp }));
        expect(decoded).toMatchObject({ agentRuntimeId: runtime, taskId: task, timestamp, canonical: true });
        expect(verifyAgentAssertion(decoded, ed25519.getPublicKey(SEED))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('flags a decodable but non-canonical token (reordered keys, extra key, whitespace)', () => {
    const f = { agent_runtime_id: 'a', signature: 's', task_id: 't', timestamp: TS };
    expect(decodeAgentAssertion(`AgentAssertion ${b64url(JSON.stringify({ task_id: 't', agent_runtime_id: 'a', signature: 's', timestamp: TS }))}`).canonical).toBe(false);
    expect(decodeAgentAssertion(`AgentAssertion ${b64url(JSON.stringify({ ...f, extra: 1 }))}`).canonical).toBe(false);
    expect(decodeAgentAssertion(`AgentAssertion ${b64url(JSON.stringify(f, null, 1))}`).canonical).toBe(false);
    expect(decodeAgentAssertion(`agentassertion ${b64url(JSON.stringify(f))}`).canonical).toBe(true);
  });

  it('every malformed header is AGENT_ASSERTION_MALFORMED and the token never appears in the message', () => {
    const ok = { agent_runtime_id: 'a', signature: 's', task_id: 't', timestamp: TS };
    const cases = [
      '',
      'AgentAssertion',
      'AgentAssertion ',
      `Bearer ${b64url(JSON.stringify(ok))}`,
      `AgentAssertion ${b64url(JSON.stringify(ok))}=`,
      `AgentAssertion ${Buffer.from(JSON.stringify(ok)).toString('base64')}+`,
      `AgentAssertion ${b64url('not json')}`,
      `AgentAssertion ${b64url('[1,2]')}`,
      `AgentAssertion ${b64url('null')}`,
      `AgentAssertion ${Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url')}`,
      `AgentAssertion ${b64url(JSON.stringify({ ...ok, task_id: 7 }))}`,
      `AgentAssertion ${b64url(JSON.stringify({ agent_runtime_id: 'a', signature: 's', timestamp: TS }))}`,
      `AgentAssertion ${'A'.repeat(9000)}`,
    ];
    for (const value of cases) {
      expect(codeOf(() => decodeAgentAssertion(value)), value.slice(0, 40)).toBe('AGENT_ASSERTION_MALFORMED');
    }
    try {
      decodeAgentAssertion(`AgentAssertion ${b64url('secret-ish json')}`);
      expect.unreachable();
    } catch (e) {
      expect(String(e)).not.toContain(b64url('secret-ish json'));
      expect(String(e)).toMatch(/fp:[0-9a-f]{12}/);
    }
  });

  it('random strings and random bytes give AGENT_ASSERTION_MALFORMED or a decoded value, never a crash', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.uint8Array({ maxLength: 200 }).map((b) => `AgentAssertion ${Buffer.from(b).toString('base64url')}`)), (value) => {
        expect(codeOf(() => decodeAgentAssertion(value))).toMatch(/^(decoded|AGENT_ASSERTION_MALFORMED)$/);
      }),
      { numRuns: 500 },
    );
  });

  it('verifyAgentAssertion is false, never a throw, for a bad signature encoding or a non-Ed25519 key', () => {
    const decoded = decodeAgentAssertion(buildAgentAssertion({ claims, taskId: 't', timestamp: TS }));
    const pk = ed25519.getPublicKey(SEED);
    for (const signature of ['', 'AAAA', `${decoded.signature}=`, decoded.signature.replace(/=+$/, ''), '@'.repeat(88)]) {
      expect(verifyAgentAssertion({ ...decoded, signature }, pk)).toBe(false);
    }
    expect(verifyAgentAssertion(decoded, new Uint8Array(31))).toBe(false);
    expect(verifyAgentAssertion(decoded, generateKeyPairSync('x25519').publicKey)).toBe(false);
  });

  it('isRfc3339Seconds accepts only YYYY-MM-DDTHH:MM:SSZ instants', () => {
    for (const ok of ['2026-11-28T10:11:12Z', '1970-01-01T00:00:00Z']) expect(isRfc3339Seconds(ok)).toBe(true);
    for (const bad of ['2026-11-28T10:11:12.000Z', '2026-11-28T10:11:12+00:00', '2026-02-30T10:11:12Z', '2026-11-28 10:11:12Z', '2026-11-28T24:00:00Z']) {
      expect(isRfc3339Seconds(bad), bad).toBe(false);
    }
  });
});

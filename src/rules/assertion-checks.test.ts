import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAssertionToken, isRfc3339SecondsZ } from './assertion-checks.js';
import { ed25519PublicKey } from './ed25519-key.js';
import { agentKeys, assertionToken } from './test-fixtures.js';

const keys = agentKeys();
const base = { agentRuntimeId: 'rt-1', taskId: 'task-1', timestamp: '2025-03-04T05:06:07Z' };
const want = { agentRuntimeId: 'rt-1', publicKey: keys.publicKey, taskIdsIssued: new Map([['rt-1', ['task-1']]]) };
const failedRules = (token: string, w = want) => checkAssertionToken(token, w).failures.map((f) => f.ruleId);

describe('checkAssertionToken', () => {
  it('AGENT.ASSERT.001-006 pass a conforming assertion', () => {
    const r = checkAssertionToken(assertionToken(keys, base), want);
    expect(r.failures).toEqual([]);
    expect(r.judged.sort()).toEqual(['AGENT.ASSERT.001', 'AGENT.ASSERT.002', 'AGENT.ASSERT.003', 'AGENT.ASSERT.004', 'AGENT.ASSERT.005', 'AGENT.ASSERT.006']);
    expect(r.decoded).toMatchObject({ agentRuntimeId: 'rt-1', taskId: 'task-1' });
  });

  it('AGENT.ASSERT.001 fails a padded token', () => {
    expect(failedRules(assertionToken(keys, { ...base, padded: true }))).toEqual(['AGENT.ASSERT.001']);
  });

  it('AGENT.ASSERT.001 fails standard-base64 and non-JSON payloads', () => {
    const std = Buffer.from(JSON.stringify({ agent_runtime_id: '>>>??', signature: '', task_id: '', timestamp: '' })).toString('base64');
    expect(failedRules(std)).toContain('AGENT.ASSERT.001');
    expect(failedRules(Buffer.from('not json').toString('base64url'))).toEqual(['AGENT.ASSERT.001']);
    expect(failedRules(Buffer.from('[1,2]').toString('base64url'))).toEqual(['AGENT.ASSERT.001']);
  });

  it('AGENT.ASSERT.002 fails unsorted keys', () => {
    const sig = 'A'.repeat(86) + '==';
    const payload = { timestamp: base.timestamp, task_id: 'task-1', signature: sig, agent_runtime_id: 'rt-1' };
    expect(failedRules(assertionToken(keys, { ...base, payload }))).toContain('AGENT.ASSERT.002');
  });

  it('AGENT.ASSERT.002 fails extra keys and non-string values', () => {
    const token = assertionToken(keys, base);
    const obj = JSON.parse(Buffer.from(token, 'base64url').toString()) as Record<string, unknown>;
    expect(failedRules(assertionToken(keys, { ...base, payload: { ...obj, extra: 'x' } }))).toContain('AGENT.ASSERT.002');
    expect(failedRules(assertionToken(keys, { ...base, payload: { ...obj, task_id: 7 } }))).toContain('AGENT.ASSERT.002');
  });

  it('AGENT.ASSERT.003 fails a signature over the wrong message', () => {
    const token = assertionToken(keys, { ...base, signedMessage: 'rt-1:task-1' });
    expect(failedRules(token)).toEqual(['AGENT.ASSERT.003']);
  });

  it('AGENT.ASSERT.003 fails a base64url signature and another key\'s signature', () => {
    const good = assertionToken(keys, base);
    const sigUrl = (JSON.parse(Buffer.from(good, 'base64url').toString()) as { signature: string }).signature.replace(/=+$/, '');
    expect(failedRules(assertionToken(keys, { ...base, signature: sigUrl }))).toEqual(['AGENT.ASSERT.003']);
    const other = agentKeys();
    expect(failedRules(assertionToken(other, base))).toEqual(['AGENT.ASSERT.003']);
  });

  it('AGENT.ASSERT.004 fails timestamps with fractions, offsets or no Z', () => {
    for (const timestamp of ['2025-03-04T05:06:07.123Z', '2025-03-04T05:06:07+00:00', '2025-03-04T05:06:07', '2025-02-30T00:00:00Z']) {
      expect(failedRules(assertionToken(keys, { ...base, timestamp }))).toEqual(['AGENT.ASSERT.004']);
    }
  });

  it('AGENT.ASSERT.005 fails a task id issued to another runtime', () => {
    const issued = new Map([['rt-1', ['task-1']], ['rt-2', ['task-2']]]);
    const r = checkAssertionToken(assertionToken(keys, { ...base, taskId: 'task-2' }), { ...want, taskIdsIssued: issued });
    expect(r.failures.map((f) => f.ruleId)).toEqual(['AGENT.ASSERT.005']);
    expect(r.failures[0]?.message).toContain('rt-2');
  });

  it('AGENT.ASSERT.006 fails a foreign runtime id', () => {
    expect(failedRules(assertionToken(keys, base), { ...want, agentRuntimeId: 'rt-9' })).toEqual(['AGENT.ASSERT.006']);
  });

  it('skips the key-dependent rules when the context lacks them', () => {
    const r = checkAssertionToken(assertionToken(keys, base), {});
    expect(r.judged).not.toContain('AGENT.ASSERT.003');
    expect(r.judged).not.toContain('AGENT.ASSERT.005');
    expect(r.failures).toEqual([]);
  });

  it('never crashes and never echoes the token on random input', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = checkAssertionToken(s, want);
        for (const f of r.failures) expect(s.length < 8 || !f.message.includes(s)).toBe(true);
      }),
    );
  });

  it('derives the public key from the PKCS#8 form the JWT carries', () => {
    const derived = ed25519PublicKey({ pkcs8Base64: keys.pkcs8Base64 });
    expect(checkAssertionToken(assertionToken(keys, base), { publicKey: derived }).failures).toEqual([]);
    expect(() => ed25519PublicKey({ pkcs8Base64: 'AAAA' })).toThrow(/Ed25519/);
  });

  it('accepts only real calendar instants', () => {
    expect(isRfc3339SecondsZ('2024-02-29T23:59:59Z')).toBe(true);
    expect(isRfc3339SecondsZ('2023-02-29T00:00:00Z')).toBe(false);
    expect(isRfc3339SecondsZ('2023-01-01T24:00:00Z')).toBe(false);
  });
});

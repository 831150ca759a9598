import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Journal, redactHeaders } from './journal.js';

const secretHeaders = (token: string) => ({
  authorization: `Bearer ${token}`,
  cookie: `session=${token}`,
  'chatgpt-account-id': 'acct-123',
  'x-openai-fedramp': 'true',
});

describe('journal', () => {
  it('keeps entries in arrival order with increasing seq and case ids', () => {
    const j = new Journal(() => 0);
    j.record({ caseId: 'a', method: 'GET', url: 'https://x/1', headers: {}, credential: { kind: 'none' }, verdict: { status: 200, handled: true } });
    j.record({ method: 'GET', url: 'https://x/2', headers: {}, credential: { kind: 'none' }, verdict: { status: 404, handled: false } });
    expect(j.list().map((e) => e.seq)).toEqual([1, 2]);
    expect(j.list('a')).toHaveLength(1);
    expect(j.unhandled().map((e) => e.url)).toEqual(['https://x/2']);
  });

  it('writes NDJSON without any raw secret (authorization, cookie) and keeps the account id', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._-]{12,64}$/), (token) => {
        const j = new Journal();
        j.record({
          method: 'POST',
          url: `https://chatgpt.com/x?access_token=${token}`,
          headers: secretHeaders(token),
          body: new TextEncoder().encode(token),
          credential: { kind: 'bearer', fingerprint: 'fp:0' },
          verdict: { status: 200, handled: true },
        });
        const out = j.toNdjson();
        expect(out).not.toContain(token);
        const line = JSON.parse(out.trim()) as { headers: Record<string, string>; bodyDigest: string };
        expect(line.headers['authorization']).toMatch(/^Bearer fp:[0-9a-f]{12}$/);
        expect(line.headers['cookie']).toMatch(/^fp:[0-9a-f]{12}$/);
        expect(line.headers['chatgpt-account-id']).toBe('acct-123');
        expect(line.bodyDigest).toMatch(/^sha256:/);
      }),
      { numRuns: 200 },
    );
  });

  it('fingerprints AgentAssertion credentials but keeps the scheme', () => {
    expect(redactHeaders({ authorization: 'AgentAssertion eyJhIjoxfQ' })['authorization']).toMatch(/^AgentAssertion fp:/);
  });

  it('clears one case without touching others', () => {
    const j = new Journal();
    for (const caseId of ['a', 'b', 'a']) {
      j.record({ caseId, method: 'GET', url: 'https://x', headers: {}, credential: { kind: 'none' }, verdict: { status: 200, handled: true } });
    }
    j.clear('a');
    expect(j.list().map((e) => e.caseId)).toEqual(['b']);
  });
});

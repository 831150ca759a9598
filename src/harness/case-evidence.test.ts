import { describe, expect, it } from 'vitest';
import { fingerprint } from '../redact/fingerprint.js';
import type { ObservedRequest } from '../rules/observed-request.js';
import { caseEvidence, expectationEvidence, MAX_EVIDENCE_REQUESTS } from './case-evidence.js';

const SECRET = 'sk-live-raw-secret-value';

function entry(seq: number, headers: Record<string, string>, extra: Record<string, unknown> = {}): ObservedRequest {
  return { seq, time: '2026-12-06T09:00:00.000Z', method: 'POST', url: `http://127.0.0.1:1/v1/responses?key=${SECRET}`, headers, credential: { kind: 'none' }, verdict: { status: 200, handled: true }, ...extra } as ObservedRequest;
}

describe('case evidence', () => {
  it('fingerprints every credential header and query value, whatever the journal redacts itself', () => {
    const ev = caseEvidence([entry(1, { authorization: `AgentAssertion ${SECRET}`, 'api-key': SECRET, agentassertion: SECRET, 'openai-api-key': SECRET, accept: 'x' })]);
    const text = JSON.stringify(ev);
    expect(text).not.toContain(SECRET);
    expect(ev.journal[0]!.headers).toEqual({ authorization: `AgentAssertion ${fingerprint(SECRET)}`, 'api-key': fingerprint(SECRET), agentassertion: fingerprint(SECRET), 'openai-api-key': fingerprint(SECRET), accept: 'x' });
  });

  it('keeps at most a dozen requests and says how many it left out; keeps fields it does not know (a lineage)', () => {
    const entries = Array.from({ length: MAX_EVIDENCE_REQUESTS + 3 }, (_, i) => entry(i + 1, {}, { lineage: { family: 'f', generation: i } }));
    const ev = caseEvidence(entries);
    expect(ev.journal).toHaveLength(MAX_EVIDENCE_REQUESTS);
    expect(ev.journalOmitted).toBe(3);
    expect(ev.journal[1]!['lineage']).toEqual({ family: 'f', generation: 1 });
    // The requests a failure message names are kept first, shown in arrival order.
    const named = caseEvidence(entries, undefined, 'HDR.BEARER.001 Bearer credential on #14 GET http://x: expected a, got b');
    expect(named.journal.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14]);
  });

  it('shows an expected header set with the credential fingerprinted and patterns as text', () => {
    const ev = expectationEvidence({ kind: 'send', method: 'GET', url: 'http://127.0.0.1:1/backend-api/wham/tasks/list', headers: { exact: { authorization: `Bearer ${SECRET}` }, pattern: { 'chatgpt-account-id': /^[0-9a-f-]+$/ }, absent: ['x-api-key'] }, rules: [] });
    expect(ev).toEqual({ kind: 'send', method: 'GET', url: 'http://127.0.0.1:1/backend-api/wham/tasks/list', exact: { authorization: `Bearer ${fingerprint(SECRET)}` }, pattern: { 'chatgpt-account-id': '/^[0-9a-f-]+$/' }, absent: ['x-api-key'] });
    expect(expectationEvidence({ kind: 'refuse', ruleId: 'GATE.APIKEY.001', reason: 'api key' })).toEqual({ kind: 'refuse', ruleId: 'GATE.APIKEY.001', reason: 'api key' });
  });
});

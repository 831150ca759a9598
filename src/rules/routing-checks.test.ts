import { describe, expect, it } from 'vitest';
import { checkJournal } from './check-journal.js';
import type { ObservedRequest } from './observed-request.js';
import { observed } from './test-fixtures.js';

const ACCT = 'a1b2c3d4-0000-4000-8000-000000000001';
const OTHER = 'a1b2c3d4-0000-4000-8000-000000000002';
const bearer = (accountId: string, tokenKind: 'chatgptAccess' | 'apiKey' = 'chatgptAccess') => ({ kind: 'bearer' as const, fingerprint: 'fp:000000000001', issued: { tokenKind, accountId, expired: false } });

function discovery(seq: number, over: Partial<ObservedRequest> = {}): ObservedRequest {
  return observed({ seq, caseId: 'c', url: 'https://chatgpt.com/backend-api/wham/accounts/check', headers: { authorization: 'Bearer at.one', 'chatgpt-account-id': ACCT }, credential: bearer(ACCT), ...over });
}
function model(seq: number, over: Partial<ObservedRequest> = {}): ObservedRequest {
  return observed({ seq, caseId: 'c', method: 'POST', url: 'https://chatgpt.com/backend-api/codex/responses', headers: { authorization: 'Bearer at.one', 'chatgpt-account-id': ACCT }, credential: bearer(ACCT), ...over });
}
const verdicts = (entries: ObservedRequest[], rule: string) => checkJournal(entries, { profile: 'codex-0.171' }).filter((r) => r.ruleId === rule).map((r) => r.verdict);

describe('URL.ROUTING workspace routing discovery', () => {
  it('URL.ROUTING.001 passes a discovery carrying the login\'s Bearer and its own ChatGPT-Account-ID', () => {
    expect(verdicts([discovery(1), model(2)], 'URL.ROUTING.001')).toEqual(['pass']);
  });

  it('URL.ROUTING.001 fails a discovery with no account header, with an API key, or with another account than the login sends elsewhere', () => {
    expect(verdicts([discovery(1, { headers: { authorization: 'Bearer at.one' } })], 'URL.ROUTING.001')).toEqual(['fail']);
    expect(verdicts([discovery(1, { credential: bearer(ACCT, 'apiKey') })], 'URL.ROUTING.001')).toEqual(['fail']);
    const backend = observed({ seq: 2, caseId: 'c', url: 'https://chatgpt.com/backend-api/wham/tasks/list', headers: { authorization: 'Bearer at.one', 'chatgpt-account-id': OTHER } });
    expect(verdicts([discovery(1), backend], 'URL.ROUTING.001')).toEqual(['fail']);
  });

  it('URL.ROUTING.002 passes model traffic after a discovery answer that listed the selected account', () => {
    expect(verdicts([discovery(1), model(2), model(3, { method: 'GET' })], 'URL.ROUTING.002')).toEqual(['pass']);
  });

  it('URL.ROUTING.002 fails model traffic after the selected workspace was missing from the answer, or before any answer; a discovery that failed outright is not this rule', () => {
    // The mock lists the credential's own account: a selection of another account is missing from the answer.
    expect(verdicts([discovery(1, { headers: { authorization: 'Bearer at.one', 'chatgpt-account-id': OTHER } }), model(2)], 'URL.ROUTING.002')).toEqual(['fail']);
    expect(verdicts([discovery(1, { verdict: { status: 503, handled: true } }), model(2)], 'URL.ROUTING.002')).toEqual([]);
    expect(verdicts([model(1), discovery(2)], 'URL.ROUTING.002')).toEqual(['fail']);
  });

  it('URL.ROUTING.002 judges nothing in a case without discovery (API keys, releases before 0.156.0)', () => {
    expect(verdicts([model(1)], 'URL.ROUTING.002')).toEqual([]);
    expect(checkJournal([discovery(1), model(2)], { profile: 'pr18811' }).some((r) => r.ruleId.startsWith('URL.ROUTING'))).toBe(false);
  });
});

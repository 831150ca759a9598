import { describe, expect, it } from 'vitest';
import { checkJournal } from './check-journal.js';
import { observed } from './test-fixtures.js';
import { repeatedIdentityHeaders } from './unique-headers.js';

const ACCT = '7f8e9d0c-1b2a-4c3d-9e8f-0a1b2c3d4e5f';
const base = { url: 'https://chatgpt.com/backend-api/wham/remote/control/server/enroll', method: 'POST', headers: { authorization: 'Bearer at.one', 'chatgpt-account-id': ACCT } };

describe('HDR.UNIQUE.001 identity headers at most once', () => {
  it('HDR.UNIQUE.001 passes one Authorization, one ChatGPT-Account-ID and one X-OpenAI-Fedramp per request', () => {
    const results = checkJournal([observed({ ...base, seq: 1, headers: { ...base.headers, 'x-openai-fedramp': 'true' } })], { profile: 'codex-0.171' });
    expect(results.find((r) => r.ruleId === 'HDR.UNIQUE.001')?.verdict).toBe('pass');
  });

  it('HDR.UNIQUE.001 fails a ChatGPT-Account-ID appended after the auth headers (PR #29893): two header lines on the port', () => {
    const results = checkJournal([observed({ ...base, seq: 1, headers: { ...base.headers, 'chatgpt-account-id': `${ACCT}, ${ACCT}` }, headerLines: { 'chatgpt-account-id': 2 } })], { profile: 'codex-0.171' });
    const failed = results.filter((r) => r.ruleId === 'HDR.UNIQUE.001');
    expect(failed.map((r) => r.verdict)).toEqual(['fail']);
    expect(failed[0]!.actual).toBe('2 header lines');
  });

  it('HDR.UNIQUE.001 fails the comma-joined value an intermediary (or Fetch) makes of two lines, and a doubled Authorization', () => {
    expect(repeatedIdentityHeaders({ headers: { 'chatgpt-account-id': `${ACCT},${ACCT}` } })).toEqual([{ name: 'chatgpt-account-id', count: 2 }]);
    expect(repeatedIdentityHeaders({ headers: { authorization: 'Bearer a, Bearer b', 'x-openai-fedramp': 'true' } })).toEqual([{ name: 'authorization', count: 2 }]);
    expect(repeatedIdentityHeaders({ headers: { 'x-openai-fedramp': 'true' }, headerLines: { 'x-openai-fedramp': 3 } })).toEqual([{ name: 'x-openai-fedramp', count: 3 }]);
    expect(repeatedIdentityHeaders({ headers: { 'x-other': 'a, b' } })).toEqual([]);
  });

  it('HDR.UNIQUE.001 is not judged under pr18811 (PR #29893 landed after it)', () => {
    const results = checkJournal([observed({ ...base, seq: 1, headers: { ...base.headers, 'chatgpt-account-id': `${ACCT}, ${ACCT}` } })], { profile: 'pr18811' });
    expect(results.some((r) => r.ruleId === 'HDR.UNIQUE.001')).toBe(false);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInputError } from '../errors.js';
import { checkJournal } from './check-journal.js';
import { harToObserved } from './har.js';

const har = {
  log: {
    version: '1.2',
    entries: [
      {
        startedDateTime: '2025-01-01T00:00:00.000Z',
        request: { method: 'get', url: 'https://chatgpt.com/backend-api/wham/usage', headers: [{ name: 'Authorization', value: 'Bearer secret-access' }, { name: ':authority', value: 'chatgpt.com' }, { name: 'ChatGPT-Account-ID', value: 'acct-1' }] },
        response: { status: 200 },
      },
      {
        startedDateTime: '2025-01-01T00:00:01.000Z',
        request: { method: 'POST', url: 'https://chatgpt.com/backend-api/ps/mcp', headers: [], postData: { mimeType: 'application/json', text: '{}' } },
        response: { status: 401 },
      },
    ],
  },
};

describe('harToObserved', () => {
  it('converts entries with lower-case headers, bearer fingerprints and body digests', () => {
    const [a, b] = harToObserved(har);
    expect(a).toMatchObject({ seq: 0, method: 'GET', headers: { authorization: 'Bearer secret-access', 'chatgpt-account-id': 'acct-1' }, credential: { kind: 'bearer' }, verdict: { status: 200 } });
    expect(a?.headers[':authority']).toBeUndefined();
    expect(a?.credential.kind === 'bearer' && a.credential.fingerprint).toMatch(/^fp:[0-9a-f]{12}$/);
    expect(b).toMatchObject({ credential: { kind: 'none' }, bodyDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
  });

  it('feeds checkJournal: an unauthenticated POST to the trusted https://chatgpt.com/backend-api/ps/mcp fails HDR.APPS.002 (codex-0.171)', () => {
    const results = checkJournal(harToObserved(har), { profile: 'codex-0.171' });
    expect(results.find((r) => r.ruleId === 'HDR.APPS.002')?.verdict).toBe('fail');
    expect(results.find((r) => r.ruleId === 'HDR.BACKEND.001')?.verdict).toBe('pass');
    for (const r of results) expect(r.message).not.toContain('secret-access');
  });

  it('feeds checkJournal: the same capture fails HDR.APPS.001 under pr18811 (no origin gate)', () => {
    const results = checkJournal(harToObserved(har), { profile: 'pr18811' });
    expect(results.find((r) => r.ruleId === 'HDR.APPS.001')?.verdict).toBe('fail');
    expect(results.some((r) => r.ruleId === 'HDR.APPS.002')).toBe(false);
    for (const r of results) expect(r.message).not.toContain('secret-access');
  });

  it('rejects anything that is not HAR 1.2 with a typed error, never a crash', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          harToObserved(value);
        } catch (e) {
          expect(isInputError(e)).toBe(true);
        }
      }),
    );
    expect(() => harToObserved({ log: { entries: [{ request: { method: 'GET', url: '/relative' } }] } })).toThrow(/HAR 1.2/);
  });
});

import { describe, expect, it } from 'vitest';
import { evidenceOf, fieldIn, isGeneratedCaseId, parseFailurePin, pinMatches, requestIn } from './failure-evidence.js';

const headerFailure = {
  ruleId: 'HDR.ACCOUNT.002',
  caseId: 'requests-counterexample-1',
  message: 'HDR.ACCOUNT.002 chatgpt-account-id on POST http://127.0.0.1:41234/backend-api/wham/remote/control/server/enroll: expected no header, got "acc-1"',
  actual: '"acc-1"',
  counterexample: 'chatgpt plus (no stored account_id) → remote-control.enroll',
};

describe('failure evidence (known failures pinned to it)', () => {
  it('reads the request without origin, port or trailing punctuation, and the header the check names', () => {
    expect(evidenceOf(headerFailure)).toEqual({
      counterexample: headerFailure.counterexample,
      request: 'POST /backend-api/wham/remote/control/server/enroll',
      field: 'chatgpt-account-id',
    });
    expect(requestIn('1 request(s), first GET https://chatgpt.com/backend-api/wham/usage?x=1 with authorization "Bearer fp:1"')).toBe('GET /backend-api/wham/usage');
    expect(requestIn('no request at all')).toBeUndefined();
    // The port mock's per-case prefix is not part of the request the client made.
    expect(requestIn('x on POST http://127.0.0.1:38681/__case/requests-1-2/backend-api/ps/mcp: expected')).toBe('POST /backend-api/ps/mcp');
    expect(fieldIn('REFRESH.401.003', 'REFRESH.401.003 a 401 case: expected a refresh, got none')).toBeUndefined();
    expect(fieldIn('HDR.BEARER.001', 'HDR.ACCOUNT.001 authorization on GET /x: expected 1, got 2')).toBeUndefined();
  });

  it('a scenario name is a case; the ids the property runner numbers are not', () => {
    expect(isGeneratedCaseId('requests-counterexample-2')).toBe(true);
    expect(isGeneratedCaseId('refresh-1-17')).toBe(true);
    expect(isGeneratedCaseId('requests/*')).toBe(true);
    expect(isGeneratedCaseId('fedramp')).toBe(false);
    expect(evidenceOf({ ruleId: 'HDR.FEDRAMP.001', caseId: 'fedramp', message: 'HDR.FEDRAMP.001 x-openai-fedramp on POST https://chatgpt.com/backend-api/codex/responses: expected "true", got (absent)' }).case).toBe('fedramp');
  });

  it('a pin matches when every part it gives matches; `*` is one path segment', () => {
    const e = evidenceOf(headerFailure);
    expect(pinMatches({ field: 'ChatGPT-Account-ID' }, e)).toBe(true);
    expect(pinMatches({ request: 'POST /backend-api/wham/remote/control/server/enroll', field: 'chatgpt-account-id' }, e)).toBe(true);
    expect(pinMatches({ request: 'POST /backend-api/wham/*/control/server/enroll' }, e)).toBe(true);
    expect(pinMatches({ request: 'GET /backend-api/wham/remote/control/server/enroll' }, e)).toBe(false);
    expect(pinMatches({ request: 'POST /backend-api/wham/*' }, e)).toBe(false);
    expect(pinMatches({ field: 'x-openai-fedramp' }, e)).toBe(false);
    expect(pinMatches({ case: headerFailure.counterexample }, e)).toBe(true);
    expect(pinMatches({ case: 'fedramp' }, e)).toBe(false);
    expect(pinMatches({ case: 'chatgpt * (no stored account_id) → *' }, e)).toBe(true);
    expect(pinMatches({ case: 'chatgpt * (no stored account_id) → cloud-tasks.list' }, e)).toBe(false);
  });

  it('a pin that pins nothing, an unknown key or a request with an origin is a typed error', () => {
    expect(() => parseFailurePin({}, 'f')).toThrow(/pins nothing/);
    expect(() => parseFailurePin({ header: 'x' }, 'f')).toThrow(/unknown key/);
    expect(() => parseFailurePin({ request: 'GET https://chatgpt.com/x' }, 'f')).toThrow(/not "METHOD \/path"/);
    expect(parseFailurePin({ request: 'GET /x', field: 'a' }, 'f')).toEqual({ request: 'GET /x', field: 'a' });
  });
});

describe('pins written from a run', () => {
  it('a failure naming no request and no field is pinned to its case as shown', async () => {
    const { pinOf } = await import('./failure-evidence.js');
    const refresh = { ruleId: 'REFRESH.ERROR.002', caseId: 'refresh-1-6', message: 'REFRESH.ERROR.002 token endpoint answered 401 refresh_token_expired: expected no second refresh, got 2 refresh calls', counterexample: 'chatgpt plus, token endpoint answers 401 refresh_token_expired → cloud-tasks.list twice' };
    expect(pinOf(evidenceOf(refresh))).toEqual({ case: refresh.counterexample });
    expect(pinOf(evidenceOf(headerFailure))).toEqual({ request: 'POST /backend-api/wham/remote/control/server/enroll', field: 'chatgpt-account-id' });
  });
});

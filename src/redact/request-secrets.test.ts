import { describe, expect, it } from 'vitest';
import type { ObservedRequest } from '../rules/observed-request.js';
import { fingerprint } from './fingerprint.js';
import { requestSecrets, scrubSecrets } from './request-secrets.js';

const RUNTIME = 'agent-runtime-ee6a1bb52719bfab';

function entry(headers: Record<string, string>, url = 'http://127.0.0.1:1/backend-api/wham/tasks/list'): ObservedRequest {
  return { seq: 1, time: '', method: 'GET', url, headers, credential: { kind: 'none' }, verdict: { status: 200, handled: true } };
}

describe('request secrets', () => {
  it('takes credential header values, their token part and credential-like query values; not placeholders, fingerprints or short values', () => {
    const secrets = requestSecrets([
      entry({ authorization: `Bearer ${RUNTIME}`, 'x-api-key': 'short', cookie: 'Bearer fp:0123456789ab', accept: 'application/json-not-a-secret' }, 'http://127.0.0.1:1/v1?access_token=query-token-value&page=2'),
      entry({ authorization: 'Bearer undefined' }),
    ]);
    expect(secrets).toEqual([`Bearer ${RUNTIME}`, RUNTIME, 'query-token-value', 'Bearer undefined']);
  });

  it('scrubs every string of a value, keys and URL path segments included', () => {
    const shown = scrubSecrets({ url: `http://127.0.0.1:1/v1/agent/${RUNTIME}/task/register`, list: [RUNTIME], [RUNTIME]: 1, n: 2 }, [RUNTIME]);
    expect(shown).toEqual({ url: `http://127.0.0.1:1/v1/agent/${fingerprint(RUNTIME)}/task/register`, list: [fingerprint(RUNTIME)], [fingerprint(RUNTIME)]: 1, n: 2 });
  });
});

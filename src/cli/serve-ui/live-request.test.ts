import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../redact/fingerprint.js';
import type { ObservedRequest } from '../../rules/observed-request.js';
import { liveRequestJson, type LiveRequest } from './live-request.js';

const RUNTIME = 'agent-runtime-0123456789abcdef';

describe('live request', () => {
  it('HDR.AUTH.001 shows a request with its lineage, judged alone, with no raw credential anywhere (a Bearer runtime id in the URL path included)', () => {
    const entry = {
      seq: 7,
      time: '2026-12-06T09:00:00.000Z',
      method: 'POST',
      url: `http://127.0.0.1:1/backend-api/v1/agent/${RUNTIME}/task/register`,
      headers: { authorization: `Bearer ${RUNTIME}` },
      credential: { kind: 'bearer', fingerprint: fingerprint(RUNTIME) },
      verdict: { status: 401, handled: true, reason: 'token_malformed' },
      lineage: { family: 'fam-9', generation: 4 },
    } as ObservedRequest;
    const text = liveRequestJson(entry, 'codex-0.171');
    expect(text).not.toContain(RUNTIME);
    const live = JSON.parse(text) as LiveRequest;
    expect(live.path).toBe(`/backend-api/v1/agent/${fingerprint(RUNTIME)}/task/register`);
    expect(live.lineage).toEqual([{ path: 'lineage', value: { family: 'fam-9', generation: 4 } }]);
    expect(live.extra).toEqual({});
    expect(live.credential).toMatchObject({ kind: 'bearer', accepted: false });
    expect(live.rules.length).toBeGreaterThan(0);
    // Failures first.
    const bad = live.rules.map((r) => r.verdict === 'fail' || r.verdict === 'error');
    expect(bad).toEqual([...bad].sort((a, b) => Number(b) - Number(a)));
  });
});

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConformanceInputError } from '../errors.js';
import type { ObservedRequest } from '../rules/observed-request.js';
import { diffWire, releaseOfRecordName, renderWireDiff, wireDiffers } from './wire-diff.js';
import { normalizeHeader, normalizeValue, parseWireNdjson, wireCase } from './wire-record.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/wire');
const load = (name: string) => ({ name, cases: parseWireNdjson(readFileSync(join(fixtures, name), 'utf8'), name) });

describe('wire diff (bisect on the wire)', () => {
  it('lists requests new and missing, changed statuses, queries and token classes between two saved records', () => {
    const d = diffWire(load('a.wire.ndjson'), load('b.wire.ndjson'));
    expect(d.onlyInA).toEqual(['apikey-exec']);
    expect(d.onlyInB).toEqual(['agent-exec']);
    const changes = d.cases.find((c) => c.caseId === 'chatgpt-exec')!.changes;
    expect(changes).toEqual(
      expect.arrayContaining([
        { kind: 'new', request: 'POST chatgpt.com/backend-api/codex/responses', count: 1, statuses: [200] },
        { kind: 'missing', request: 'GET chatgpt.com/backend-api/wham/apps', count: 1, statuses: [200] },
        { kind: 'status', request: 'GET chatgpt.com/backend-api/codex/models', count: 1, before: 200, after: 401 },
        { kind: 'query', request: 'GET chatgpt.com/backend-api/codex/models', count: 1, before: 'client_version=0.128.0', after: 'client_version=0.129.0' },
        { kind: 'header', request: 'GET chatgpt.com/backend-api/codex/models', count: 1, change: { kind: 'changed', name: 'authorization', before: 'Bearer chatgptAccess #1', after: 'Bearer unknown to the mock #2' } },
      ]),
    );
    // The paired responses request is the same: no header change reported for it.
    expect(changes.filter((c) => c.request === 'POST chatgpt.com/backend-api/codex/responses' && c.kind === 'header')).toEqual([]);
    expect(wireDiffers(d)).toBe(true);
    const text = renderWireDiff(d);
    expect(text).toContain('~ GET chatgpt.com/backend-api/codex/models: authorization: Bearer chatgptAccess #1 → Bearer unknown to the mock #2');
    expect(text).toContain('- GET chatgpt.com/backend-api/wham/apps (only in A; status 200)');
    expect(text.indexOf('+ POST')).toBeLessThan(text.indexOf('~ GET'));
  });

  it('with the releases named, a version bump alone (user agent, version header, client_version) is no difference', () => {
    const d = diffWire(load('a.wire.ndjson'), load('b.wire.ndjson'), { releases: ['0.128.0', '0.129.0'] });
    const models = d.cases.find((c) => c.caseId === 'chatgpt-exec')!.changes.filter((c) => c.request === 'GET chatgpt.com/backend-api/codex/models');
    expect(models.map((c) => c.kind).sort()).toEqual(['header', 'status']);
    expect(releaseOfRecordName('/tmp/out/codex-cli-0.129.0.wire.ndjson')).toBe('0.129.0');
    expect(releaseOfRecordName('a.wire.ndjson')).toBeUndefined();
  });

  it('a record compared with itself shows no difference', () => {
    const a = load('a.wire.ndjson');
    const d = diffWire(a, a);
    expect(wireDiffers(d)).toBe(false);
    expect(renderWireDiff(d)).toContain('case chatgpt-exec (exit 0): same requests');
  });

  it('the record never holds a secret: credentials become token classes numbered by first use, the account a relation', () => {
    const token = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.sig-very-secret';
    const entry = (seq: number, auth: string, issued: boolean): ObservedRequest => ({
      seq,
      time: '2026-12-06T00:00:00.000Z',
      method: 'GET',
      url: `https://chatgpt.com/backend-api/codex/models?client_version=0.129.0&access_token=${token}`,
      headers: { authorization: auth, 'chatgpt-account-id': 'acct-1', 'x-client-request-id': '123e4567-e89b-42d3-a456-426614174000', host: 'chatgpt.com' },
      credential: { kind: 'bearer', fingerprint: 'fp:000000000000', ...(issued ? { issued: { tokenKind: 'chatgptAccess', expired: false } } : {}) },
      verdict: { status: 200, handled: true },
    });
    const c = wireCase('x', 'exit 0', [entry(2, 'Bearer other-secret', false), entry(1, `Bearer ${token}`, true)], { accountId: 'acct-1' });
    const text = JSON.stringify(c);
    expect(text).not.toContain(token);
    expect(text).not.toContain('other-secret');
    expect(c.requests.map((r) => r.headers['authorization'])).toEqual(['Bearer chatgptAccess #1', 'Bearer unknown to the mock #2']);
    expect(c.requests[0]!.headers['chatgpt-account-id']).toBe('the case account');
    expect(c.requests[0]!.headers['x-client-request-id']).toBe('<uuid>');
    expect(c.requests[0]!.headers['host']).toBeUndefined();
    expect(c.requests[0]!.target).toBe('chatgpt.com/backend-api/codex/models?client_version=0.129.0&access_token=<secret>');
    expect(normalizeValue('codex_exec/0.129.0 (Linux 6.1; x86_64)')).toBe('codex_exec/0.129.0 (Linux 6.1; x86_64)');
  });

  it('a file that is not a wire record is a typed error with a Fix line', () => {
    expect(() => parseWireNdjson('{"caseId":1}\n', 'bad.ndjson')).toThrow(ConformanceInputError);
    expect(() => parseWireNdjson('nope\n', 'bad.ndjson')).toThrow(/bad.ndjson:1 is not JSON\. Fix: /);
  });
});

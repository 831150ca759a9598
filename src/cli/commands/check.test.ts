import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInputError } from '../../errors.js';
import type { ObservedRequest } from '../../rules/observed-request.js';
import { observed } from '../../rules/test-fixtures.js';
import { main } from '../main.js';
import { parseRecording } from './check.js';
import { tempDir } from '../../testing/temp-dirs.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: {}, cwd: process.cwd() }, out, err };
}

async function tempFile(name: string, text: string): Promise<string> {
  const dir = await tempDir('cac-check-');
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const ndjson = (entries: readonly ObservedRequest[]) => entries.map((e) => `${JSON.stringify(e)}\n`).join('');

const chatgptRequest = (seq: number, headers: Record<string, string>): ObservedRequest =>
  observed({
    seq,
    url: 'http://127.0.0.1:4010/backend-api/wham/tasks/list',
    headers: { authorization: 'Bearer fp:0123456789ab', ...headers },
    credential: {
      kind: 'bearer',
      fingerprint: 'fp:0123456789ab',
      issued: { tokenKind: 'chatgptAccess', accountId: 'acct-1', isFedramp: true, expired: false },
    },
  });

describe('check command', () => {
  it('HDR.ACCOUNT.001 / HDR.FEDRAMP.001 pass on a conforming journal (exit 0) with one line per rule', async () => {
    const path = await tempFile('ok.ndjson', ndjson([chatgptRequest(1, { 'chatgpt-account-id': 'acct-1', 'x-openai-fedramp': 'true' })]));
    const c = capture();
    expect(await main(['check', path], c.io)).toBe(0);
    const text = c.out.join('\n');
    expect(text).toMatch(/^PASS HDR\.ACCOUNT\.001 \(MUST\)/m);
    expect(text).toMatch(/^PASS HDR\.FEDRAMP\.001/m);
    expect(text).toMatch(/^OK: 1 request\(s\) in journal/m);
    expect(text).not.toMatch(/^FAIL/m);
  });

  it('HDR.FEDRAMP.001 fails (exit 1) with evidence naming the request when a FedRAMP account omits the header', async () => {
    const path = await tempFile('bad.ndjson', ndjson([chatgptRequest(7, { 'chatgpt-account-id': 'acct-1' })]));
    const c = capture();
    expect(await main(['check', path], c.io)).toBe(1);
    const text = c.out.join('\n');
    expect(text).toMatch(/^FAIL HDR\.FEDRAMP\.001/m);
    expect(text).toMatch(/#7 GET http:\/\/127\.0\.0\.1:4010\/backend-api\/wham\/tasks\/list/);
    expect(text).toMatch(/^VIOLATIONS:/m);
  });

  it('GATE.APIKEY.003 (default profile) and GATE.APIKEY.002 (--profile pr18811) fail when an API key reached the ChatGPT backend (--json report)', async () => {
    const entry = observed({
      seq: 1,
      url: 'http://127.0.0.1:4010/backend-api/wham/usage',
      headers: { authorization: 'Bearer fp:aaaaaaaaaaaa' },
      credential: { kind: 'bearer', fingerprint: 'fp:aaaaaaaaaaaa', issued: { tokenKind: 'apiKey', expired: false } },
    });
    const path = await tempFile('apikey.ndjson', ndjson([entry]));
    for (const [args, rule, absent] of [[[], 'GATE.APIKEY.003', 'GATE.APIKEY.002'], [['--profile', 'pr18811'], 'GATE.APIKEY.002', 'GATE.APIKEY.003']] as const) {
      const c = capture();
      expect(await main(['check', path, ...args, '--json'], c.io)).toBe(1);
      const report = JSON.parse(c.out.join('\n')) as { failed: number; results: { ruleId: string; verdict: string }[] };
      expect(report.failed).toBeGreaterThan(0);
      expect(report.results).toContainEqual(expect.objectContaining({ ruleId: rule, verdict: 'fail' }));
      expect(report.results.some((r) => r.ruleId === absent)).toBe(false);
    }
  });

  it('--profile codex-0.171 passes API-key model discovery that --profile pr18811 reports as a violation', async () => {
    const entry = observed({
      seq: 1,
      url: 'https://chatgpt.com/backend-api/codex/models?client_version=0.171.0',
      headers: { authorization: 'Bearer fp:aaaaaaaaaaaa' },
      credential: { kind: 'bearer', fingerprint: 'fp:aaaaaaaaaaaa', issued: { tokenKind: 'apiKey', expired: false } },
    });
    const path = await tempFile('discovery.ndjson', ndjson([entry]));
    expect(await main(['check', path, '--profile', 'codex-0.171'], capture().io)).toBe(0);
    const seed = capture();
    expect(await main(['check', path, '--profile', 'pr18811'], seed.io)).toBe(1);
    expect(seed.out.join('\n')).toMatch(/^FAIL GATE\.APIKEY\.002/m);
  });

  it('--chatgpt-base-url decides the Apps trust gate: a staging origin is trusted only when it is the configured base', async () => {
    const entry = observed({ seq: 1, method: 'POST', url: 'https://chatgpt-staging.com/backend-api/ps/mcp', headers: { 'x-openai-product-sku': 'codex' } });
    const path = await tempFile('apps.ndjson', ndjson([entry]));
    const untrusted = capture();
    expect(await main(['check', path, '--json'], untrusted.io)).toBe(0);
    expect((JSON.parse(untrusted.out.join('\n')) as { results: { ruleId: string; verdict: string }[] }).results).toContainEqual(expect.objectContaining({ ruleId: 'HDR.APPS.003', verdict: 'pass' }));
    const trusted = capture();
    expect(await main(['check', path, '--chatgpt-base-url', 'https://chatgpt-staging.com/backend-api/', '--json'], trusted.io)).toBe(1);
    expect((JSON.parse(trusted.out.join('\n')) as { results: { ruleId: string; verdict: string }[] }).results).toContainEqual(expect.objectContaining({ ruleId: 'HDR.APPS.002', verdict: 'fail' }));
  });

  it('--profile with an unknown name is a typed usage error (exit 2)', async () => {
    const path = await tempFile('one.ndjson', ndjson([observed({ seq: 1, url: 'http://127.0.0.1:4010/backend-api/wham/usage' })]));
    const c = capture();
    expect(await main(['check', path, '--profile', 'codex-9'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/^error \[USAGE\]: .*codex-9/);
  });

  it('judges a HAR capture (HDR.FEDRAMP.002 fails on X-OpenAI-Fedramp: false)', async () => {
    const har = {
      log: {
        version: '1.2',
        entries: [
          {
            startedDateTime: '2025-01-01T00:00:00.000Z',
            request: {
              method: 'GET',
              url: 'https://chatgpt.com/backend-api/wham/tasks/list',
              headers: [
                { name: 'Authorization', value: 'Bearer eyJhbGciOi.x.y' },
                { name: 'X-OpenAI-Fedramp', value: 'false' },
              ],
            },
            response: { status: 200 },
          },
        ],
      },
    };
    const path = await tempFile('capture.har', JSON.stringify(har));
    const c = capture();
    expect(await main(['check', path], c.io)).toBe(1);
    expect(c.out.join('\n')).toMatch(/^FAIL HDR\.FEDRAMP\.002/m);
    expect(c.out.join('\n')).toMatch(/in har /);
    expect(c.out.join('\n')).not.toContain('eyJhbGciOi.x.y');
  });

  it('a file with zero requests is an error (exit 2), not a pass', async () => {
    for (const text of ['', '\n\n', JSON.stringify({ log: { entries: [] } })]) {
      const path = await tempFile('empty.ndjson', text);
      const c = capture();
      expect(await main(['check', path], c.io)).toBe(2);
      expect(c.err.join('\n')).toMatch(/error \[USAGE\]: .*zero requests/);
      expect(c.out).toEqual([]);
    }
  });

  it('an unreadable line is a typed error naming the line (exit 2, no stack)', async () => {
    const good = JSON.stringify(chatgptRequest(1, { 'chatgpt-account-id': 'acct-1', 'x-openai-fedramp': 'true' }));
    const path = await tempFile('broken.ndjson', `${good}\n{"seq": 2, "method": "GET"\n`);
    const c = capture();
    expect(await main(['check', path], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/error \[USAGE\]: .*broken\.ndjson line 2 is not JSON/);
    expect(c.err.join('\n')).not.toMatch(/\n\s+at /);
  });

  it('a missing file and a missing argument are usage errors (exit 2)', async () => {
    const missing = capture();
    expect(await main(['check', join(tmpdir(), 'no-such-dir-cac', 'j.ndjson')], missing.io)).toBe(2);
    expect(missing.err.join('\n')).toMatch(/cannot read .*ENOENT/);
    const none = capture();
    expect(await main(['check'], none.io)).toBe(2);
    expect(none.err.join('\n')).toMatch(/expected 1 argument/);
  });

  it('a redacted AgentAssertion (fingerprint in the journal) is not judged structurally, and not a violation', async () => {
    const entry = observed({
      seq: 3,
      method: 'GET',
      url: 'http://127.0.0.1:4010/backend-api/wham/tasks/list',
      headers: { authorization: 'AgentAssertion fp:0123456789ab', 'chatgpt-account-id': 'acct-1' },
      credential: { kind: 'agentAssertion', accountId: 'acct-1', isFedramp: false, signatureValid: true, taskIssuedToRuntime: true },
    });
    const path = await tempFile('agent.ndjson', ndjson([entry]));
    const c = capture();
    expect(await main(['check', path], c.io)).toBe(0);
    const text = c.out.join('\n');
    // Listed with the rules this recording could not judge, with the reason.
    expect(text).toMatch(/^ {2}AGENT\.ASSERT\.001 +AGENT\.ASSERT\.001 not judged on #3: the recording holds a fingerprint/m);
    expect(text).toMatch(/^PASS AGENT\.ASSERT\.003/m);
    expect(text).toMatch(/^PASS HDR\.AGENT\.002/m);
  });

  it('a raw AgentAssertion that is not base64url still fails AGENT.ASSERT.001', async () => {
    const entry = observed({
      seq: 4,
      url: 'http://127.0.0.1:4010/backend-api/wham/tasks/list',
      headers: { authorization: 'AgentAssertion not+base64url=' },
      credential: { kind: 'agentAssertion', signatureValid: false, taskIssuedToRuntime: false },
    });
    const path = await tempFile('agent-bad.ndjson', ndjson([entry]));
    const c = capture();
    expect(await main(['check', path], c.io)).toBe(1);
    expect(c.out.join('\n')).toMatch(/^FAIL AGENT\.ASSERT\.001/m);
  });

  it('random text into the recording parser gives a typed error or entries, never a crash', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.array(fc.json()).map((a) => a.join('\n'))), (text) => {
        try {
          const { entries } = parseRecording(text);
          expect(Array.isArray(entries)).toBe(true);
        } catch (e) {
          expect(isInputError(e)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

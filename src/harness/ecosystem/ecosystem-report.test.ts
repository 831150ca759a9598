import { describe, expect, it } from 'vitest';
import type { ObservedRequest } from '../../rules/observed-request.js';
import { htmlReport } from '../reporters/html/index.js';
import { ecosystemClient } from './clients.js';
import { clientReport } from './client-report.js';
import { observationsFor } from './client-observations.js';
import { ecosystemJson, renderEcosystemMarkdown } from './ecosystem-report.js';
import { parseResultsStreams, summarize, toNdjson } from '../results.js';
import { applyExpectations } from '../expectation-file.js';
import type { ClientRun, EcosystemRun } from './ecosystem-run.js';
import { judgeScenario } from '../judges/ecosystem/judge-scenario.js';
import { sha256Hex, type ScenarioRecording } from '../judges/ecosystem/scenario-recording.js';
import { scenario, type ScenarioId } from '../judges/ecosystem/scenario-view.js';

const ACCOUNT = 'acct-r';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl';
let seq = 0;
const sent = (extra: Record<string, string> = {}, status = 200): ObservedRequest => ({
  seq: ++seq,
  time: new Date(0).toISOString(),
  method: 'POST',
  url: 'https://chatgpt.com/backend-api/codex/responses',
  headers: { authorization: `Bearer ${TOKEN}`, 'chatgpt-account-id': ACCOUNT, ...extra },
  credential: { kind: 'bearer', fingerprint: 'fp:0', issued: { tokenKind: 'chatgptAccess', accountId: ACCOUNT, expired: false } },
  verdict: { status, handled: true },
});

function rec(id: ScenarioId, entries: ObservedRequest[], more: Partial<ScenarioRecording> = {}): ScenarioRecording {
  const s = scenario(id);
  return {
    clientId: 'pi-ai',
    clientVersion: '0.73.1',
    scenario: s,
    caseId: `pi-ai-${id}`,
    seeded: { accountId: ACCOUNT, fedramp: s.fedramp, accessToken: TOKEN, refreshToken: 'rt_mock_secretsecret', idToken: 'id', lastRefresh: '2026-01-01T00:00:00.000Z' },
    config: {},
    entries,
    outcome: { kind: 'sent', status: 200 },
    authJson: { present: true, disposition: 'unchanged', mode: '0600', parses: true, keys: ['auth_mode', 'OPENAI_API_KEY', 'tokens', 'last_refresh'], digests: { accessToken: sha256Hex(TOKEN), refreshToken: null, idToken: null } },
    dnsNames: [],
    outsideWrites: [],
    codexHomeFiles: ['auth.json'],
    safety: [],
    text: 'Hello',
    durationMs: 5,
    ...more,
  };
}

function clientRun(recordings: ScenarioRecording[]): ClientRun {
  const client = ecosystemClient('pi-ai')!;
  return { client, version: '0.73.1', scenarios: recordings.map((recording) => ({ recording, results: judgeScenario(recording, client.custody) })), notRun: [], durationMs: 10 };
}

describe('ecosystem report', () => {
  const run = clientRun([
    rec('chatgpt', [sent()]),
    rec('fedramp', [sent({}, 403)], { outcome: { kind: 'errored', message: 'forbidden' }, dnsNames: ['registry.npmjs.org'], safety: [{ kind: 'nonLoopbackAttempt', detail: 'looked up registry.npmjs.org (x)' }, { kind: 'wroteOutsideCodexHome', detail: 'home/.cache/x' }] }),
  ]);
  const eco: EcosystemRun = { startedAt: '2026-01-01T00:00:00.000Z', dnsObserved: true, clients: [run], durationMs: 1234 };

  it('HDR.FEDRAMP.001 a client report is one results stream: a failure without an expectation makes it not OK, a recorded one keeps it OK', () => {
    const bare = clientReport(run, eco.startedAt);
    expect(bare.header.implementation).toEqual({ name: 'pi-ai', version: '0.73.1' });
    expect(bare.cases.some((c) => c.ruleId === 'HDR.FEDRAMP.001' && c.verdict === 'fail')).toBe(true);
    expect(bare.footer.ok).toBe(false);
    const recorded = clientReport(run, eco.startedAt, { knownFailures: [{ rule: 'HDR.FEDRAMP.001', reason: 'no header' }] });
    expect(recorded.footer.ok).toBe(true);
    // A recorded failure that no longer fails is an error of the run, unless only some scenarios ran.
    const stale = clientReport(clientRun([rec('chatgpt', [sent()])]), eco.startedAt, { knownFailures: [{ rule: 'HDR.FEDRAMP.001', reason: 'no header' }] });
    expect(stale.footer.ok).toBe(false);
    expect(clientReport(clientRun([rec('chatgpt', [sent()])]), eco.startedAt, { knownFailures: [{ rule: 'HDR.FEDRAMP.001', reason: 'no header' }] }, true).footer.ok).toBe(true);
  });

  it('lists what is not a rule as observations, with the scenarios it was seen in', () => {
    const notes = observationsFor(run).join('\n');
    expect(notes).toMatch(/registry\.npmjs\.org .*\[fedramp\]/);
    expect(notes).toMatch(/wrote outside CODEX_HOME: home\/\.cache\/x \[fedramp\]/);
  });

  it('renders the table and the JSON without a secret', () => {
    const doc = { run: eco, reports: [clientReport(run, eco.startedAt)], expectations: new Map(), profile: 'codex-0.171' };
    const md = renderEcosystemMarkdown(doc);
    expect(md).toMatch(/\| HDR\.FEDRAMP\.001 \| MUST \| ❌ fail <sub>fedramp<\/sub> \|/);
    expect(md).toMatch(/\| HDR\.BEARER\.001 \| MUST \| ✅ pass \(2\) \|/);
    expect(md).toMatch(/Rules these clients cannot exercise/);
    const json = JSON.stringify(ecosystemJson(doc));
    for (const text of [md, json]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('rt_mock_secretsecret');
    }
    expect(json).toMatch(/"access token fp:[0-9a-f]{12} \(the original\)|access token fp:[0-9a-f]{12} \(the original\)/);
  });

  it('HDR.FEDRAMP.001 a client failure carries the scenario journal, so the html report shows the request, fingerprinted', () => {
    const report = clientReport(run, eco.startedAt);
    const failure = report.cases.find((c) => c.ruleId === 'HDR.FEDRAMP.001' && c.verdict === 'fail');
    expect(failure?.evidence?.journal.map((e) => e.url)).toEqual(['https://chatgpt.com/backend-api/codex/responses']);
    const html = htmlReport([report]);
    expect(html).toContain('id="ev-0-HDR.FEDRAMP.001"');
    expect(html).toMatch(/POST https:\/\/chatgpt\.com\/backend-api\/codex\/responses → 403/);
    expect(html).not.toContain(TOKEN);
  });
});

describe('ecosystem results streams (issue 21 item 10)', () => {
  it('REFRESH.PERSIST.001 a stream written by --results-dir agrees with the run: rules no scenario reached for the client are not "not reached" in report', () => {
    const expectations = { knownFailures: [{ rule: 'HDR.FEDRAMP.001', reason: 'no header' }] };
    const run = clientRun([rec('chatgpt', [sent()]), rec('fedramp', [sent({}, 403)], { outcome: { kind: 'errored', message: 'forbidden' } })]);
    const report = clientReport(run, '2026-01-01T00:00:00.000Z', expectations);
    expect(report.footer.ok).toBe(true);
    // pi-ai's caller keeps the tokens: REFRESH.PERSIST.001 is a `—` cell, not a selected rule.
    expect(report.header.rulesSelected).not.toContain('REFRESH.PERSIST.001');
    const [again] = parseResultsStreams(toNdjson(report), 'pi-ai.ndjson');
    const cases = applyExpectations(again!.cases, expectations);
    const footer = summarize(again!.header, cases, { casesRun: again!.footer.casesRun, durationMs: again!.footer.durationMs });
    expect(footer.rulesNotReached).toEqual([]);
    expect(footer.ok).toBe(true);
    // Without the expectation the failure makes both the run and the stream say NOT OK.
    const bare = clientReport(run, '2026-01-01T00:00:00.000Z');
    const [plain] = parseResultsStreams(toNdjson(bare), 'pi-ai.ndjson');
    expect([bare.footer.ok, summarize(plain!.header, plain!.cases, { casesRun: 2, durationMs: 1 }).ok]).toEqual([false, false]);
  });
});

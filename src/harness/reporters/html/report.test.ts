import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../redact/fingerprint.js';
import { RULES } from '../../../rules/catalogue.js';
import type { ObservedRequest } from '../../../rules/observed-request.js';
import { caseEvidence, expectedSendEvidence } from '../../case-evidence.js';
import { summarize, toNdjson, type CaseResult, type RunHeader, type RunReport } from '../../results.js';
import { reporterFor } from '../index.js';
import { renderRuns } from '../render-runs.js';
import { htmlReport } from './report.js';

const TOKEN = 'eyJhbGciOi.secret-access-token.sig';
const ACCOUNT = 'acc-7f1e';

function entry(extra: Record<string, unknown> = {}): ObservedRequest {
  return {
    seq: 3,
    time: '2026-12-06T09:00:00.000Z',
    caseId: 'requests-counterexample-1',
    method: 'GET',
    url: 'https://chatgpt.com/backend-api/wham/tasks/list?access_token=' + TOKEN,
    headers: { authorization: `Bearer ${TOKEN}`, 'x-api-key': TOKEN, 'x-openai-fedramp': 'true' },
    credential: { kind: 'bearer', fingerprint: fingerprint(TOKEN), issued: { tokenKind: 'chatgptAccess', accountId: ACCOUNT, expired: false } },
    verdict: { status: 403, handled: true, endpoint: 'wham.tasks.list', reason: 'account_id_missing' },
    ...extra,
  } as ObservedRequest;
}

function failing(extra: Partial<CaseResult> = {}): CaseResult {
  return {
    type: 'case',
    ruleId: 'HDR.ACCOUNT.001',
    caseId: 'requests-counterexample-1',
    verdict: 'fail',
    message: 'HDR.ACCOUNT.001 chatgpt-account-id <absent> & "quoted"',
    expected: JSON.stringify(ACCOUNT),
    actual: '(absent)',
    counterexample: 'chatgpt team → cloud-tasks.list',
    evidence: caseEvidence(
      [entry({ lineage: { family: 'fam-1', generation: 2 } })],
      expectedSendEvidence({ method: 'GET', url: 'https://chatgpt.com/backend-api/wham/tasks/list', exact: { authorization: `Bearer ${TOKEN}`, 'chatgpt-account-id': ACCOUNT }, pattern: {}, absent: ['x-api-key'] }),
    ),
    replay: { seed: 7, path: '0', command: 'codex-auth-conformance run --impl mutant:account-id-dropped --rules HDR.ACCOUNT.001 --seed 7 --path 0' },
    durationMs: 4,
    ...extra,
  };
}

function run(cases: CaseResult[], name = 'mutant:account-id-dropped', extra: Partial<RunHeader> = {}): RunReport {
  const header: RunHeader = {
    type: 'header',
    formatVersion: 2,
    tool: { name: 'codex-auth-conformance', version: '0.1.0' },
    implementation: { name, version: '0.1.0' },
    profile: 'codex-0.171',
    seed: 7,
    runs: 10,
    rulesSelected: [...new Set(cases.map((c) => c.ruleId))],
    startedAt: '2026-12-06T09:00:00.000Z',
    ...extra,
  };
  return { header, cases, footer: summarize(header, cases, { casesRun: 12, durationMs: 900 }) };
}

const pass = (ruleId: string): CaseResult => ({ type: 'case', ruleId, caseId: 'requests/*', verdict: 'pass', message: 'held on 5 of 10 case(s)', casesJudged: 5, durationMs: 1 });

/** Every attribute that makes a browser load or navigate, with its value. */
function loadingAttributes(html: string): string[] {
  return [...html.matchAll(/\s(src|href|action|formaction|data|poster|srcset|background|ping|manifest)\s*=\s*"([^"]*)"/gi)].map((m) => `${m[1]}=${m[2]}`);
}

describe('html reporter', () => {
  const report = run([failing(), pass('HDR.FEDRAMP.001'), pass('HDR.APPS.002'), { type: 'case', ruleId: 'AGENT.JWT.001', caseId: 'capabilities', verdict: 'unsupported', message: 'no agent identity', durationMs: 0 }]);
  const html = reporterFor('html')(report);

  it('renders the summary, one matrix row per rule with its verdict, and the filters', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('NOT OK');
    for (const id of ['HDR.ACCOUNT.001', 'HDR.FEDRAMP.001', 'AGENT.JWT.001']) expect(html).toMatch(new RegExp(`<tr data-filter="1" data-area="${id.split('.')[0]}" data-level="MUST" data-verdicts="[a-z]+" data-text="${id.toLowerCase().replace(/\./g, '\\.')}`));
    expect(html).toContain('data-verdicts="fail"');
    expect(html).toContain('data-verdicts="unsupported"');
    for (const name of ['area', 'verdict', 'level', 'text']) expect(html).toContain(`name="${name}"`);
  });

  it('shows a failure with counterexample, both header sets side by side, the journal, the source and the replay with a copy button', () => {
    const article = html.slice(html.indexOf('<article class="failure fail" id="ev-0-HDR.ACCOUNT.001"'));
    expect(article.length).toBeGreaterThan(0);
    expect(article).toContain('chatgpt team → cloud-tasks.list');
    expect(article).toMatch(/<tr class="h-missing"><td>chatgpt-account-id<\/td><td>acc-7f1e<\/td><td>\(absent\)<\/td>/);
    expect(article).toMatch(new RegExp(`<tr class="h-ok"><td>authorization</td><td>Bearer ${fingerprint(TOKEN)}</td><td>Bearer ${fingerprint(TOKEN)}</td>`));
    expect(article).toMatch(/<tr class="h-unexpected"><td>x-api-key<\/td><td>\(must be absent\)<\/td><td>fp:[0-9a-f]{12}<\/td>/);
    expect(article).toContain('#3 GET https://chatgpt.com/backend-api/wham/tasks/list?access_token=fp%3A');
    expect(article).toContain('403 wham.tasks.list (account_id_missing)');
    expect(article).toContain('openai/codex codex-rs/');
    expect(article).toContain('@ rust-v0.171.0');
    expect(article).toMatch(/<pre id="ev-0-HDR\.ACCOUNT\.001-0-replay" class="replay-command">codex-auth-conformance run --impl mutant:account-id-dropped --rules HDR\.ACCOUNT\.001 --seed 7 --path 0<\/pre><button type="button" class="copy" data-target="ev-0-HDR\.ACCOUNT\.001-0-replay">copy<\/button>/);
  });

  it('shows fields the journal gains later (a token lineage) as they come', () => {
    expect(html).toContain('<dt>token lineage: lineage</dt><dd class="mono">{&quot;family&quot;:&quot;fam-1&quot;,&quot;generation&quot;:2}</dd>');
  });

  it('never holds a raw credential, only its fingerprint', () => {
    expect(html).not.toContain(TOKEN);
    expect(html).toContain(fingerprint(TOKEN));
  });

  it('escapes every value from the stream', () => {
    expect(html).toContain('chatgpt-account-id &lt;absent&gt; &amp; &quot;quoted&quot;');
    expect(html).not.toContain('<absent>');
    const hostile = htmlReport([run([failing({ message: '</script><script>alert(1)</script>', counterexample: '<img src=x onerror=alert(1)>' })])]);
    expect(hostile).not.toContain('<img src=x');
    expect(hostile.match(/<script>/g)).toHaveLength(1);
  });

  it('loads nothing: no URL in a loading attribute, no stylesheet import, a CSP that forbids every fetch', () => {
    for (const page of [html, htmlReport([])]) {
      for (const attr of loadingAttributes(page)) expect(attr).toMatch(/^href=#ev-\d+-[A-Z0-9.]+$/);
      expect(page).not.toMatch(/url\(|@import|<link|<iframe|<img|<object|<embed/i);
      expect(page).toContain('default-src &#39;none&#39;');
      expect(page).toContain('connect-src &#39;none&#39;');
    }
    expect(loadingAttributes(html)).toContain('href=#ev-0-HDR.ACCOUNT.001');
  });

  it('the only http(s) URLs in the page are evidence from the stream or words of the catalogue, shown as text', () => {
    const shownData = [toNdjson(report), ...RULES.map((r) => `${r.title} ${r.sources.map((x) => x.note ?? '').join(' ')}`)].join('\n');
    const urls = [...html.matchAll(/https?:\/\/[^\s<>"'&;,)]+/g)].map((m) => m[0]);
    expect(urls).toContain('https://chatgpt.com');
    expect(urls).toContain('https://chatgpt.com/backend-api/wham/tasks/list');
    for (const url of urls) expect(shownData, url).toContain(url);
  });

  it('renders several runs side by side: one matrix column per run, labels made unique', () => {
    const two = renderRuns('html', [report, run([pass('HDR.ACCOUNT.001'), pass('HDR.FEDRAMP.001')], 'reference')]);
    expect(two).toContain('<th>mutant:account-id-dropped 0.1.0</th><th>reference 0.1.0</th>');
    expect(two).toContain('data-verdicts="fail pass"');
    const same = htmlReport([report, report]);
    expect(same).toContain('mutant:account-id-dropped 0.1.0 (seed 7, #2)');
    expect(same).toContain('id="ev-1-HDR.ACCOUNT.001"');
  });

  it('a run without failures says so', () => {
    expect(htmlReport([run([pass('HDR.ACCOUNT.001')])])).toContain('no failure: every judged rule held');
  });
});

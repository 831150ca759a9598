import { inProfile, ruleById } from '../../rules/catalogue.js';
import { fingerprint } from '../../redact/fingerprint.js';
import { caseEvidence } from '../case-evidence.js';
import { applyExpectations, type ExpectationFile, type KnownFailure } from '../expectation-file.js';
import { htmlEscape, mdCell } from '../reporters/escape.js';
import { countRuleVerdicts, countVerdicts, groupByRule, ruleVerdict, RESULTS_FORMAT_VERSION, type CaseResult, type RunReport } from '../results.js';
import { TOOL_VERSION } from '../runner.js';
import { ECOSYSTEM_PROFILE, ECOSYSTEM_RULES, notExercisable } from '../judges/ecosystem/ecosystem-rules.js';
import type { ClientRun, EcosystemRun, ScenarioRun } from './ecosystem-run.js';
import { describeRequest } from '../judges/ecosystem/judge-scenario.js';
import { sha256Hex } from '../judges/ecosystem/scenario-recording.js';
import { ecosystemScenarios } from '../judges/ecosystem/scenario-view.js';
import { COEXISTENCE_CHECKS, type CoexistenceCheck } from '../judges/coexistence/judge-coexistence.js';
import type { CoexistenceExpectation } from '../judges/coexistence/coexistence-expectations.js';
import { crashVerdict, type CrashRow } from '../judges/coexistence/crash-safety-table.js';

/**
 * The ecosystem table as records and renderings: one results stream (RunReport) per client, the
 * same format every other run writes, so `diff` compares two table runs client by client; the
 * observations that are not rules (auth.json handling, hosts tried, files written outside
 * CODEX_HOME, crashes, hangs); and the Markdown table the README carries, stated neutrally.
 */
export const JUDGED_RULES: readonly string[] = [...new Set<string>(Object.values(ECOSYSTEM_RULES))].filter((id) => inProfile(ECOSYSTEM_PROFILE, id));

/**
 * `partial`: only some scenarios ran, so a recorded failure that did not show is not stale (the
 * scenario that shows it may simply not have run); the stale-expectation error is dropped.
 */
export function clientReport(run: ClientRun, startedAt: string, expectations?: ExpectationFile, partial = false): RunReport {
  // Only rules of the profile are reported.
  const raw: CaseResult[] = run.scenarios.flatMap((s) =>
    s.results.filter((r) => inProfile(ECOSYSTEM_PROFILE, r.ruleId)).map((r): CaseResult => ({
      type: 'case',
      ruleId: r.ruleId,
      caseId: r.caseId ?? s.recording.caseId,
      verdict: r.verdict,
      message: r.message,
      ...(r.expected === undefined ? {} : { expected: r.expected }),
      ...(r.actual === undefined ? {} : { actual: r.actual }),
      // A failure carries the scenario's journal (redacted) for the pages that show evidence.
      ...(r.verdict === 'fail' || r.verdict === 'error' ? { evidence: caseEvidence(s.recording.entries, undefined, r.message) } : {}),
      durationMs: s.recording.durationMs,
    })),
  );
  const applied = expectations === undefined ? raw : applyExpectations(raw, expectations);
  const cases = partial ? applied.filter((c) => !(c.caseId === 'expectations' && c.verdict === 'error')) : applied;
  const counts = countVerdicts(cases);
  const rules = countRuleVerdicts(cases);
  const unexpected = cases.some((c) => c.verdict === 'error' || (c.verdict === 'fail' && c.expectedFailure === undefined));
  // The rules this client's scenarios reached are the ones its stream selects: a `—` cell (no scenario
  // exercised the rule for this client) is not a rule the run failed to reach, in the run or in `report`.
  const reached = new Set(cases.map((c) => c.ruleId));
  const selected = JUDGED_RULES.filter((r) => reached.has(r));
  const brokeDown = run.scenarios.some((s) => s.recording.safety.some((e) => e.kind === 'crashed' || e.kind === 'hung' || e.kind === 'driverFailed'));
  return {
    header: {
      type: 'header',
      formatVersion: RESULTS_FORMAT_VERSION,
      tool: { name: 'codex-auth-conformance', version: TOOL_VERSION },
      implementation: { name: run.client.id, version: run.version },
      seed: 0,
      runs: run.scenarios.length,
      rulesSelected: selected,
      startedAt,
    },
    cases,
    footer: {
      type: 'footer',
      rules,
      results: counts,
      casesRun: run.scenarios.length,
      rulesNotReached: [],
      durationMs: run.durationMs,
      ok: !unexpected && !brokeDown && counts.pass > 0,
    },
  };
}

export interface ScenarioSummary {
  readonly scenario: string;
  readonly caseId: string;
  readonly outcome: string;
  readonly textBack: boolean;
  readonly requests: readonly string[];
  readonly authJson?: string;
  readonly durationMs: number;
}

function outcomeText(s: ScenarioRun): string {
  const o = s.recording.outcome;
  const crash = s.recording.safety.find((e) => e.kind === 'crashed' || e.kind === 'hung');
  if (crash !== undefined) return `${crash.kind}: ${crash.detail}`;
  switch (o.kind) {
    case 'sent':
      return s.recording.text !== undefined && s.recording.text !== '' ? `HTTP ${o.status}, text back` : `HTTP ${o.status}`;
    case 'errored':
      return `error: ${o.message}`;
    case 'refused':
      return `refused: ${o.reason}`;
    case 'skipped':
      return `skipped: ${o.reason}`;
  }
}

/** Names a token auth.json holds by its digest: a keyed fingerprint when the harness saw it, and which it was. */
function tokenByDigest(s: ScenarioRun, digest: string | null | undefined, kind: 'access' | 'refresh'): string {
  if (digest === null || digest === undefined) return 'none';
  const r = s.recording;
  const seeded = kind === 'access' ? r.seeded.accessToken : r.seeded.refreshToken;
  if (digest === sha256Hex(seeded)) return `${fingerprint(seeded)} (the original)`;
  if (kind === 'access') {
    for (const e of [...r.entries].reverse()) {
      const auth = e.headers['authorization'];
      if (auth?.startsWith('Bearer ') === true && sha256Hex(auth.slice(7)) === digest) return `${fingerprint(auth.slice(7))} (sent in #${e.seq})`;
    }
  }
  return kind === 'refresh' ? 'a new one (from the token endpoint)' : 'a token no request carried';
}

function authJsonText(s: ScenarioRun): string | undefined {
  const a = s.recording.authJson;
  if (a === undefined) return undefined;
  if (!a.present) return a.disposition;
  return `${a.disposition}, mode ${a.mode ?? '?'}, access token ${tokenByDigest(s, a.digests?.accessToken, 'access')}, refresh token ${tokenByDigest(s, a.digests?.refreshToken, 'refresh')}, auth_mode ${JSON.stringify(a.authMode ?? null)}, keys ${JSON.stringify(a.keys ?? [])}`;
}

export function scenarioSummary(s: ScenarioRun): ScenarioSummary {
  const a = authJsonText(s);
  return {
    scenario: s.recording.scenario.id,
    caseId: s.recording.caseId,
    outcome: outcomeText(s),
    textBack: s.recording.text !== undefined && s.recording.text.length > 0,
    requests: s.recording.entries.map(describeRequest),
    ...(a === undefined ? {} : { authJson: a }),
    durationMs: s.recording.durationMs,
  };
}

/** Facts about a client that are not rule verdicts, each with the scenarios it was seen in. */
export function observationsFor(run: ClientRun): string[] {
  const notes = new Map<string, Set<string>>();
  const note = (text: string, scenario: string): void => {
    const set = notes.get(text) ?? new Set<string>();
    set.add(scenario);
    notes.set(text, set);
  };
  for (const s of run.scenarios) {
    const r = s.recording;
    const id = r.scenario.id;
    for (const e of r.safety) {
      if (e.kind === 'nonLoopbackAttempt') note(`tried to resolve a host that is not a production host: ${e.detail.replace(/^looked up (\S+).*$/, '$1')} (no answer inside the namespace)`, id);
      else if (e.kind === 'wroteOutsideCodexHome') note(`wrote outside CODEX_HOME: ${e.detail}`, id);
      else note(`${e.kind}: ${e.detail}`, id);
    }
    const a = r.authJson;
    if (a !== undefined && a.present && (a.disposition === 'replaced' || a.disposition === 'rewrittenInPlace')) {
      const how = a.disposition === 'replaced' ? 'replaced auth.json (new inode: written elsewhere, then renamed)' : 'rewrote auth.json in place (same inode), as Codex\'s FileAuthStorage does';
      note(`${how}, mode ${a.mode ?? '?'}`, id);
      const kept = ['auth_mode', 'OPENAI_API_KEY', 'tokens', 'last_refresh'].filter((k) => !(a.keys ?? []).includes(k));
      if (kept.length > 0) note(`its rewrite of auth.json dropped ${kept.join(', ')}`, id);
    }
    if (r.callerStore?.handedBack === true) note('handed the refreshed credentials back to its caller (the caller stores them; CODEX_HOME/auth.json untouched)', id);
    if (!r.scenario.storedAccountId) {
      const sent = r.entries.find((e) => e.headers['chatgpt-account-id'] !== undefined);
      if (sent !== undefined) {
        note('with no tokens.account_id in auth.json it sent ChatGPT-Account-ID taken from the token claims (the token\'s own account). Codex at openai/codex@0126a9dd8ce3 reads tokens.account_id only (`get_account_id`, codex-rs/login/src/auth/manager.rs) and sends no header then; a later manager.rs in the search index (repository not named) fills a missing account_id from the id_token on load (`normalize_managed_chatgpt_account_id`), as this client does', id);
      }
    }
  }
  return [...notes].map(([text, scenarios]) => `${text} [${[...scenarios].join(', ')}]`);
}

const ICON = { pass: '✅ pass', fail: '❌ fail', skip: '⏭️ skip', error: '💥 error', unsupported: '➖ unsupported' } as const;

function ruleCell(report: RunReport): (ruleId: string) => string {
  const byRule = groupByRule(report.cases);
  return (ruleId) => {
    const cases = byRule.get(ruleId);
    if (cases === undefined) return '—';
    const verdict = ruleVerdict(cases);
    const where = [...new Set(cases.filter((c) => c.verdict === verdict).map((c) => c.caseId.replace(`${report.header.implementation.name}-`, '')))];
    const known = verdict === 'fail' && cases.every((c) => c.verdict !== 'fail' || c.expectedFailure !== undefined) ? ' (recorded)' : '';
    if (verdict === 'pass') return `${ICON.pass} (${where.length})`;
    return `${ICON[verdict]}${known} <sub>${mdCell(where.join(', '))}</sub>`;
  };
}

export interface EcosystemDocument {
  readonly run: EcosystemRun;
  readonly reports: readonly RunReport[];
  readonly expectations: ReadonlyMap<string, ExpectationFile>;
  readonly profile: string;
  /** docs/crash-safety.md's measured writers (the "survives a kill mid-write" row). */
  readonly crash?: readonly CrashRow[];
  /** Each client's recorded coexistence verdicts (its expectation file's `coexistence`). */
  readonly coexistence?: ReadonlyMap<string, readonly CoexistenceExpectation[]>;
}

const CHECK_TITLES: Readonly<Record<CoexistenceCheck, string>> = {
  codexStillWorks: 'Codex still works after this client refreshes',
  noDoubleRedemption: 'redeems no refresh token twice (lineage)',
  keepsForeignKeys: 'keeps the keys it does not own',
  neverOlderGeneration: 'never leaves an older generation in auth.json',
  neverHalfWritten: 'never observable half-written while it writes (auth.json polled)',
};

function coexistenceCell(c: ClientRun, check: CoexistenceCheck, recorded: readonly CoexistenceExpectation[] | undefined): string {
  const vs = (c.coexistence ?? []).flatMap((r) => r.verdicts.filter((v) => v.check === check));
  if (c.coexistence === undefined) return 'not run';
  const short = (id: string): string => id.replace(`${c.client.id}-`, '');
  const fails = vs.filter((v) => v.verdict === 'fail');
  if (fails.length > 0) {
    const known = fails.every((v) => recorded?.some((e) => e.scenario === v.scenario && e.check === check && e.verdict === 'fail') === true) ? ' (recorded)' : '';
    return `❌ fail${known} <sub>${mdCell(fails.map((v) => short(v.scenario)).join(', '))}</sub>`;
  }
  const passes = vs.filter((v) => v.verdict === 'pass');
  return passes.length === 0 ? '—' : `✅ pass <sub>${mdCell(passes.map((v) => short(v.scenario)).join(', '))}</sub>`;
}

function crashCell(c: ClientRun, rows: readonly CrashRow[] | undefined): string {
  const v = crashVerdict(rows ?? [], c.client.id, c.client.custody === 'codexHome');
  switch (v.kind) {
    case 'notApplicable':
      return `n/a <sub>${mdCell(v.reason)}</sub>`;
    case 'notMeasured':
      return `not measured <sub>${mdCell(v.reason)}</sub>`;
    case 'measured':
      return v.row.broken === 0 ? `✅ 0 broken of ${v.row.killRuns} kill runs <sub>docs/crash-safety.md</sub>` : `❌ ${v.row.broken} broken of ${v.row.killRuns} kill runs <sub>docs/crash-safety.md: ${mdCell(v.row.brokenText.replace(/\*/g, ''))}</sub>`;
  }
}

/** The coexistence rows as an HTML section for `--reporter html` (the same cells, escaped). */
export function renderCoexistenceHtml(doc: EcosystemDocument): string[] {
  const clients = doc.run.clients;
  if (clients.every((c) => c.coexistence === undefined)) return [];
  const text = (cell: string): string => htmlEscape(cell.replace(/<sub>/g, '(').replace(/<\/sub>/g, ')'));
  const rows = COEXISTENCE_CHECKS.map((check) => `<tr><th>${htmlEscape(CHECK_TITLES[check])}</th>${clients.map((c) => `<td>${text(coexistenceCell(c, check, doc.coexistence?.get(c.client.id)))}</td>`).join('')}</tr>`);
  rows.push(`<tr><th>survives a kill mid-write</th>${clients.map((c) => `<td>${text(crashCell(c, doc.crash))}</td>`).join('')}</tr>`);
  const failures = clients.flatMap((c) => (c.coexistence ?? []).flatMap((r) => r.verdicts.filter((v) => v.verdict === 'fail').map((v) => `<li><b>${htmlEscape(c.client.id)}</b> ${htmlEscape(CHECK_TITLES[v.check])} — <code>${htmlEscape(v.scenario)}</code>: ${htmlEscape(v.evidence)}</li>`)));
  return [
    `<section id="coexistence"><h2>Beside the Codex CLI on one CODEX_HOME</h2><table><tr><th></th>${clients.map((c) => `<th>${htmlEscape(c.client.id)}</th>`).join('')}</tr>${rows.join('')}</table>${failures.length > 0 ? `<ul>${failures.join('')}</ul>` : ''}</section>`,
  ];
}

/** The coexistence rows (the client beside the codex binary on one CODEX_HOME), with every failure's evidence. */
export function renderCoexistenceMarkdown(doc: EcosystemDocument): string[] {
  const clients = doc.run.clients;
  if (clients.every((c) => c.coexistence === undefined)) return [];
  const codex = clients.flatMap((c) => c.coexistence ?? []).find((r) => r.recording.codexVersion !== undefined)?.recording.codexVersion;
  const out = [
    `### Beside the Codex CLI${codex === undefined ? '' : ` ${codex}`} on one CODEX_HOME`,
    '',
    'Each client and the real `codex` binary share one CODEX_HOME, in both orders (scenarios/blackbox/coexistence/): `clientFirst`, the client refreshes the expired login, then a `codex exec` turn needs a refresh; `codexFirst`, the client is up while `codex exec` refreshes, then it makes its request, then Codex needs a refresh again. Judged from the mock\'s refresh-token lineage and the auth.json after every step (src/harness/judges/coexistence/).',
    '',
    `| beside Codex | ${clients.map((c) => c.client.id).join(' | ')} |`,
    `|---|${clients.map(() => '---').join('|')}|`,
    `| how it holds the login | ${clients.map((c) => mdCell(c.client.coexistsAs ?? (c.client.custody === 'codexHome' ? 'reads and writes CODEX_HOME/auth.json' : 'its caller holds the tokens'))).join(' | ')} |`,
  ];
  for (const check of COEXISTENCE_CHECKS) out.push(`| ${CHECK_TITLES[check]} | ${clients.map((c) => coexistenceCell(c, check, doc.coexistence?.get(c.client.id))).join(' | ')} |`);
  out.push(`| survives a kill mid-write | ${clients.map((c) => crashCell(c, doc.crash)).join(' | ')} |`, '');
  const failures = clients.flatMap((c) => (c.coexistence ?? []).flatMap((r) => r.verdicts.filter((v) => v.verdict === 'fail').map((v) => ({ c, v }))));
  if (failures.length > 0) {
    out.push('Coexistence failures with evidence:', '');
    for (const { c, v } of failures) out.push(`- **${c.client.id}** ${CHECK_TITLES[v.check]} — \`${v.scenario}\`: ${mdLine(v.evidence)}`);
    out.push('');
  }
  return out;
}

function coexistenceCount(run: EcosystemRun): string {
  const plays = run.clients.flatMap((c) => c.coexistence ?? []);
  const codex = plays.find((p) => p.recording.codexVersion !== undefined)?.recording.codexVersion;
  return plays.length === 0 ? '' : ` and ${plays.length} beside the codex binary${codex === undefined ? '' : ` ${codex}`}`;
}

export function renderEcosystemMarkdown(doc: EcosystemDocument): string {
  const { run, reports } = doc;
  const out: string[] = [];
  const scenarioCount = run.clients.reduce((n, c) => n + c.scenarios.length, 0);
  out.push(
    `Judged under contract profile \`${doc.profile}\`; ${run.clients.length} client(s), ${scenarioCount} scenario run(s)${coexistenceCount(run)}, wall time ${(run.durationMs / 1000).toFixed(1)} s (${run.startedAt}).${run.dnsObserved ? '' : ' The DNS sink could not listen: hosts a client tried to resolve were not observed.'}`,
    '',
    '| client | package | driven through | tokens held by | custom base URL |',
    '|---|---|---|---|---|',
  );
  for (const c of run.clients) {
    out.push(`| ${c.client.id} | \`${c.client.npmName}@${c.version}\` | ${mdCell(c.client.drivenThrough)} | ${c.client.custody === 'codexHome' ? 'the package (CODEX_HOME/auth.json)' : 'its caller'} | ${c.client.customBaseUrl ? 'yes' : 'no'} |`);
  }
  out.push('', ...renderCoexistenceMarkdown(doc));
  out.push(`| rule | level | ${run.clients.map((c) => c.client.id).join(' | ')} |`, `|---|---|${run.clients.map(() => '---').join('|')}|`);
  const cells = reports.map(ruleCell);
  for (const rule of JUDGED_RULES) {
    out.push(`| ${rule} | ${ruleById(rule)?.level ?? '?'} | ${cells.map((f) => f(rule)).join(' | ')} |`);
  }
  out.push('', 'A pass counts the scenarios it held in; a failure names the scenarios it showed in; `—` means no scenario exercised the rule for that client (it never refreshed, never sent the header, or its caller keeps the tokens: REFRESH.PERSIST.* then belong to the caller). "(recorded)" marks a failure listed, with its evidence, in the client\'s expectation file.', '');
  out.push(`| scenario | ${run.clients.map((c) => c.client.id).join(' | ')} |`, `|---|${run.clients.map(() => '---').join('|')}|`);
  for (const s of ecosystemScenarios()) {
    const row = run.clients.map((c) => {
      const sr = c.scenarios.find((x) => x.recording.scenario.id === s.id);
      if (sr === undefined) return mdCell(`not run: ${c.notRun.find((n) => n.scenario === s.id)?.reason ?? 'not selected'}`);
      const summary = scenarioSummary(sr);
      return mdCell(`${summary.outcome.slice(0, 120)}; ${summary.requests.length} request(s)`);
    });
    out.push(`| ${s.id}: ${mdCell(s.title)} | ${row.join(' | ')} |`);
  }
  out.push('', '### Findings per client', '');
  for (const [i, c] of run.clients.entries()) {
    const report = reports[i]!;
    out.push(`**${c.client.id}** (\`${c.client.npmName}@${c.version}\`)`, '');
    const failures = [...groupByRule(report.cases)].filter(([, cases]) => ruleVerdict(cases) === 'fail');
    const known = new Map((doc.expectations.get(c.client.id)?.knownFailures ?? []).map((k) => [k.rule, k] as const));
    if (failures.length === 0) out.push('- No rule failed in the scenarios it ran.');
    for (const [rule, cases] of failures) {
      const k = known.get(rule);
      const first = cases.find((x) => x.verdict === 'fail')!;
      out.push(`- ${rule}: ${mdLine(k?.reason ?? first.message)}`);
      out.push(`  - evidence: ${mdLine(k?.evidence ?? `${first.caseId}: ${first.actual ?? first.message}`)}`);
      if (k?.contradicts !== undefined) out.push(`  - Codex: \`${k.contradicts.repo}:${k.contradicts.path}@${k.contradicts.ref.slice(0, 12)}\` — ${mdLine(k.contradicts.quote)}`);
    }
    for (const o of observationsFor(c)) out.push(`- observed: ${mdLine(o)}`);
    out.push('');
  }
  out.push('### Rules these clients cannot exercise', '', '| rule | why |', '|---|---|');
  for (const n of notExercisable()) out.push(`| ${n.rule} | ${mdCell(n.reason)} |`);
  return out.join('\n');
}

function mdLine(text: string): string {
  return text.replace(/\r?\n/g, ' ');
}

/** The machine-readable document (`--reporter json`): per client its results stream, scenarios and observations. */
export function ecosystemJson(doc: EcosystemDocument): Record<string, unknown> {
  return {
    profile: doc.profile,
    startedAt: doc.run.startedAt,
    durationMs: doc.run.durationMs,
    dnsObserved: doc.run.dnsObserved,
    clients: doc.run.clients.map((c, i) => ({
      id: c.client.id,
      package: `${c.client.npmName}@${c.version}`,
      custody: c.client.custody,
      durationMs: c.durationMs,
      ok: doc.reports[i]!.footer.ok,
      counts: doc.reports[i]!.footer.results,
      rules: doc.reports[i]!.footer.rules,
      scenarios: c.scenarios.map(scenarioSummary),
      notRun: c.notRun,
      observations: observationsFor(c),
      results: doc.reports[i]!.cases,
      ...(c.coexistence === undefined
        ? {}
        : {
            coexistence: {
              howItHoldsTheLogin: c.client.coexistsAs ?? null,
              // The recording is secret-free (fingerprints only): a judge fixture can be cut from it.
            scenarios: c.coexistence.map((r) => ({ scenario: r.recording.scenarioId, order: r.recording.order, title: r.recording.title, durationMs: r.recording.durationMs, verdicts: r.verdicts, recording: r.recording })),
            },
          }),
      survivesKill: crashVerdict(doc.crash ?? [], c.client.id, c.client.custody === 'codexHome'),
    })),
    notExercisable: notExercisable(),
  };
}

/** A secret-free one-liner for the progress stream. */
export function progressLine(run: ScenarioRun): string {
  const fails = run.results.filter((r) => r.verdict === 'fail').map((r) => r.ruleId);
  return `… ${run.recording.caseId}: ${outcomeText(run).slice(0, 100)}; ${run.recording.entries.length} request(s)${fails.length > 0 ? `; fail ${[...new Set(fails)].join(', ')}` : ''} (${run.recording.durationMs} ms)`;
}

export type { KnownFailure };

import { ruleById } from '../../rules/catalogue.js';
import type { KnownFailure } from '../expectation-file.js';
import { mdCell, mdLine } from '../reporters/escape.js';
import { groupByRule, ruleVerdict, type RunReport } from '../results.js';
import { notExercisable } from '../judges/ecosystem/ecosystem-rules.js';
import { crashVerdict } from '../judges/coexistence/crash-safety-table.js';
import { ecosystemScenarios } from '../judges/ecosystem/scenario-view.js';
import { JUDGED_RULES } from './client-report.js';
import { observationsFor } from './client-observations.js';
import { coexistenceCount, renderCoexistenceMarkdown } from './coexistence-rows.js';
import type { EcosystemDocument } from './ecosystem-document.js';
import { scenarioSummary } from './scenario-summary.js';

/**
 * The ecosystem table as renderings: the Markdown table the README carries, stated neutrally (the
 * clients, the coexistence rows, rule by client, scenario by client, the findings per client and
 * the rules no client can exercise), and the machine-readable document of `--reporter json`.
 * The records it renders: client-report.ts (each client's results stream), scenario-summary.ts,
 * client-observations.ts, coexistence-rows.ts.
 */

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

export type { KnownFailure };

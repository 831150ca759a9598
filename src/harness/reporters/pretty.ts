import { assertNever } from '../../assert-never.js';
import { VERDICTS, type Verdict } from '../../rules/rule.js';
import { describeRuleCounts, problemsOf, type RunReport } from '../results.js';
import type { Reporter } from './reporter.js';
import { detailOf, evidenceLines, passSummary, ruleRows, type RuleRow } from './rule-rows.js';

export function verdictMark(verdict: RuleRow['verdict']): string {
  switch (verdict) {
    case 'pass':
      return 'PASS';
    case 'fail':
      return 'FAIL';
    case 'error':
      return 'ERROR';
    case 'skip':
      return 'SKIP';
    case 'unsupported':
      return 'UNSUP';
    case 'notReached':
      return 'NOT REACHED';
    default:
      return assertNever(verdict, 'verdict');
  }
}

/** Terminal report: one line per rule, failures with evidence and replay, a per-area table, counts. */
export const prettyReporter: Reporter = (report: RunReport) => {
  const out: string[] = [];
  const { header, footer } = report;
  const shard = header.shard !== undefined ? ` — shard ${header.shard.index}/${header.shard.count}` : header.mergedShards !== undefined ? ` — shards ${header.mergedShards.indices.join(',')} of ${header.mergedShards.count} merged` : '';
  out.push(`codex-auth-conformance ${header.tool.version} — implementation ${header.implementation.name} ${header.implementation.version} — seed ${header.seed}${shard}`);
  const rows = ruleRows(report).sort((a, b) => a.ruleId.localeCompare(b.ruleId));
  for (const row of rows) {
    if (row.verdict === 'notReached') continue;
    const known = row.expected ? ' (expected failure)' : '';
    out.push(`${verdictMark(row.verdict)} ${row.ruleId} (${passSummary(row)})${known}`);
    for (const c of evidenceLines(row)) {
      if (c.verdict === 'fail' || c.verdict === 'error') out.push(...detailOf(c).map((l, i) => `${i === 0 ? '     ' : '       '}${l}`));
      else out.push(`     ${c.message}`);
    }
  }
  out.push('', ...areaTable(rows));
  for (const id of footer.rulesNotReached) out.push(`NOT REACHED ${id}${header.shard !== undefined ? ' (in this shard)' : ''}`);
  const problems = problemsOf(header, report.cases, footer.rulesNotReached);
  out.push('', `${describeRuleCounts(footer.rules)}; ${footer.casesRun} case(s) run in ${(footer.durationMs / 1000).toFixed(1)}s — ${footer.ok ? 'OK' : `NOT OK (${problems.join('; ')})`}`);
  return out.join('\n');
};

const COLUMNS: readonly Verdict[] = VERDICTS;

/** Per-area summary: rules by verdict, and the rule's result lines. */
export function areaTable(rows: readonly RuleRow[]): string[] {
  const areas = new Map<string, RuleRow[]>();
  for (const row of rows) {
    if (row.verdict === 'notReached') continue;
    areas.set(row.area, [...(areas.get(row.area) ?? []), row]);
  }
  const table = [['area', 'rules', ...COLUMNS.map((v) => (v === 'unsupported' ? 'unsup' : v)), 'results']];
  for (const [area, list] of [...areas].sort(([a], [b]) => a.localeCompare(b))) {
    const counts = Object.fromEntries(COLUMNS.map((v) => [v, 0])) as Record<Verdict, number>;
    for (const row of list) counts[row.verdict as Verdict] += 1;
    table.push([area, String(list.length), ...COLUMNS.map((v) => String(counts[v])), String(list.reduce((n, r) => n + r.lines.length, 0))]);
  }
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  return table.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

import { assertNever } from '../../assert-never.js';
import { describeRuleCounts, problemsOf, type RunReport } from '../results.js';
import { mdCell } from './escape.js';
import { areaTable } from './pretty.js';
import type { Reporter } from './reporter.js';
import { evidenceLines, ruleRows, type RuleRow } from './rule-rows.js';

function icon(row: RuleRow): string {
  if (row.expected) return '⚠️ known failure';
  switch (row.verdict) {
    case 'pass':
      return '✅ pass';
    case 'fail':
      return '❌ fail';
    case 'error':
      return '💥 error';
    case 'skip':
      return '⏭️ skip';
    case 'unsupported':
      return '➖ unsupported';
    case 'notReached':
      return '❔ not reached';
    default:
      return assertNever(row.verdict, 'verdict');
  }
}

/** A CI step summary: counts, the per-area table, then the rule × implementation matrix with evidence. */
export const markdownReporter: Reporter = (report: RunReport) => matrixMarkdown([report]);

/** Rule × implementation matrix over one or more runs (one column per run). */
export function matrixMarkdown(reports: readonly RunReport[]): string {
  const out: string[] = ['## codex-auth-conformance', ''];
  for (const r of reports) {
    const f = r.footer;
    const shards = r.header.mergedShards !== undefined ? `, ${r.header.mergedShards.indices.length} of ${r.header.mergedShards.count} shards` : r.header.shard !== undefined ? `, shard ${r.header.shard.index}/${r.header.shard.count}` : '';
    const problems = problemsOf(r.header, r.cases, f.rulesNotReached);
    out.push(`- **${mdCell(r.header.implementation.name)}** ${mdCell(r.header.implementation.version)}: ${describeRuleCounts(f.rules)}; ${f.casesRun} case(s) run (seed ${r.header.seed}${shards}) — ${f.ok ? '**OK**' : `**NOT OK** (${mdCell(problems.join('; '))})`}`);
  }
  const rowsPerReport = reports.map((r) => new Map(ruleRows(r).map((row) => [row.ruleId, row] as const)));
  if (reports.length === 1) out.push('', '```', ...areaTable([...rowsPerReport[0]!.values()]), '```');
  const ids = [...new Set(rowsPerReport.flatMap((m) => [...m.keys()]))].sort();
  out.push('', `| rule | ${reports.map((r) => mdCell(r.header.implementation.name)).join(' | ')} |`, `|---|${reports.map(() => '---').join('|')}|`);
  for (const id of ids) {
    const cells = rowsPerReport.map((rows) => {
      const row = rows.get(id);
      if (row === undefined) return 'not selected';
      const evidence = evidenceLines(row)[0];
      if (evidence === undefined) return icon(row);
      const replay = evidence.replay !== undefined ? `<br>replay: \`${mdCell(evidence.replay.command)}\`` : '';
      return `${icon(row)} — ${mdCell(evidence.message)}${replay}`;
    });
    out.push(`| ${id} | ${cells.join(' | ')} |`);
  }
  return out.join('\n');
}

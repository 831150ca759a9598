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

/** More quiet rows than this are folded into a `<details>` block. */
export const FOLD_AFTER = 10;

/**
 * Rule × implementation matrix over one or more runs (one column per run). Rules that need a
 * look (a failure, an error, a skip, a known failure, not reached) come first, in their own
 * table; the quiet ones (passed, unsupported, not selected) follow, folded into `<details>` when
 * there are more than `FOLD_AFTER`, so a step summary opens on what went wrong.
 */
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
  const head = [`| rule | ${reports.map((r) => mdCell(r.header.implementation.name)).join(' | ')} |`, `|---|${reports.map(() => '---').join('|')}|`];
  const loud = ids.filter((id) => rowsPerReport.some((rows) => needsALook(rows.get(id))));
  const quiet = ids.filter((id) => !loud.includes(id));
  const rowOf = (id: string): string => {
    const cells = rowsPerReport.map((rows) => {
      const row = rows.get(id);
      if (row === undefined) return 'not selected';
      const evidence = evidenceLines(row)[0];
      if (evidence === undefined) return icon(row);
      const replay = evidence.replay !== undefined ? `<br>replay: \`${mdCell(evidence.replay.command)}\`` : '';
      return `${icon(row)} — ${mdCell(evidence.message)}${replay}`;
    });
    return `| ${id} | ${cells.join(' | ')} |`;
  };
  if (loud.length > 0) out.push('', `### ${loud.length} rule(s) to look at`, '', ...head, ...loud.map(rowOf));
  if (quiet.length === 0) return out.join('\n');
  const title = `${quiet.length} rule(s) passed or unsupported`;
  if (quiet.length <= FOLD_AFTER) out.push('', `### ${title}`, '', ...head, ...quiet.map(rowOf));
  else out.push('', '<details>', `<summary>${title}</summary>`, '', ...head, ...quiet.map(rowOf), '', '</details>');
  return out.join('\n');
}

/** A row worth opening the summary on: anything but a pass, an unsupported rule or no selection. */
function needsALook(row: RuleRow | undefined): boolean {
  return row !== undefined && (row.expected || row.verdict === 'fail' || row.verdict === 'error' || row.verdict === 'skip' || row.verdict === 'notReached');
}

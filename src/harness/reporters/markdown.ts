import { groupByRule, ruleVerdict, type RunReport } from '../results.js';
import { mdCell } from './escape.js';
import { areaTable } from './pretty.js';
import type { Reporter } from './reporter.js';

const ICON = { pass: '✅ pass', fail: '❌ fail', skip: '⏭️ skip', error: '💥 error' } as const;

/** A CI step summary: the per-area table, then the rule × implementation matrix with evidence. */
export const markdownReporter: Reporter = (report: RunReport) => matrixMarkdown([report]);

/** Rule × implementation matrix over one or more runs (one column per implementation). */
export function matrixMarkdown(reports: readonly RunReport[]): string {
  const out: string[] = ['## codex-auth-conformance', ''];
  for (const r of reports) {
    const c = r.footer.counts;
    out.push(`- **${mdCell(r.header.implementation.name)}** ${mdCell(r.header.implementation.version)}: ${c.pass} passed, ${c.fail} failed, ${c.skip} skipped, ${c.error} errored (seed ${r.header.seed}) — ${r.footer.ok ? 'OK' : 'NOT OK'}`);
  }
  if (reports.length === 1) {
    out.push('', '```', ...areaTable(reports[0]!.cases), '```');
  }
  const grouped = reports.map((r) => groupByRule(r.cases));
  const ruleIds = [...new Set(grouped.flatMap((g) => [...g.keys()]))].sort();
  out.push('', `| rule | ${reports.map((r) => mdCell(r.header.implementation.name)).join(' | ')} |`, `|---|${reports.map(() => '---').join('|')}|`);
  for (const id of ruleIds) {
    const cells = grouped.map((g) => {
      const cases = g.get(id);
      if (cases === undefined) return 'not run';
      const verdict = ruleVerdict(cases);
      const first = cases.find((x) => x.verdict === verdict);
      const evidence = verdict === 'fail' || verdict === 'error' || verdict === 'skip' ? ` — ${mdCell(first?.message ?? '')}` : '';
      return `${ICON[verdict]}${evidence}`;
    });
    out.push(`| ${id} | ${cells.join(' | ')} |`);
  }
  return out.join('\n');
}

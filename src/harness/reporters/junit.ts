import type { RunReport } from '../results.js';
import { xmlEscape } from './escape.js';
import type { Reporter } from './reporter.js';
import { detailOf, evidenceLines, ruleRows, type RuleRow } from './rule-rows.js';

/**
 * JUnit XML: one testsuite per area, one testcase per selected rule (so `tests` counts rules). A
 * failing rule carries every failing case with its counterexample and replay command; skipped,
 * unsupported and known-failing rules are `<skipped>` with the reason; a rule no case reached is
 * an `<error>` (unless this stream is one shard of a run).
 */
export const junitReporter: Reporter = (report: RunReport) => {
  const rows = ruleRows(report);
  const sharded = report.header.shard !== undefined;
  const shown = rows.filter((r) => !(sharded && r.verdict === 'notReached'));
  const byArea = new Map<string, RuleRow[]>();
  for (const row of shown) byArea.set(row.area, [...(byArea.get(row.area) ?? []), row]);
  const tally = (list: readonly RuleRow[]) => ({
    failures: list.filter((r) => r.verdict === 'fail' && !r.expected).length,
    errors: list.filter((r) => (r.verdict === 'error' && !r.expected) || r.verdict === 'notReached').length,
    skipped: list.filter((r) => r.verdict === 'skip' || r.verdict === 'unsupported' || r.expected).length,
  });
  const all = tally(shown);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="codex-auth-conformance ${xmlEscape(report.header.implementation.name)}" tests="${shown.length}" failures="${all.failures}" errors="${all.errors}" skipped="${all.skipped}" time="${(report.footer.durationMs / 1000).toFixed(3)}">`,
  ];
  for (const [area, list] of [...byArea].sort(([a], [b]) => a.localeCompare(b))) {
    const t = tally(list);
    lines.push(`  <testsuite name="${xmlEscape(area)}" tests="${list.length}" failures="${t.failures}" errors="${t.errors}" skipped="${t.skipped}">`);
    for (const row of list) {
      const time = row.lines.reduce((n, c) => Math.max(n, c.durationMs), 0);
      const open = `    <testcase classname="${xmlEscape(area)}" name="${xmlEscape(`${row.ruleId} ${row.title}`.trim())}" time="${(time / 1000).toFixed(3)}"`;
      const evidence = evidenceLines(row);
      const detail = evidence.flatMap((c) => [...detailOf(c), '']).join('\n').trimEnd();
      const first = evidence[0]?.message ?? '';
      if (row.verdict === 'pass') lines.push(`${open}/>`);
      else if (row.verdict === 'notReached') lines.push(`${open}><error message="not reached: no case judged this rule"/></testcase>`);
      else if (row.expected) lines.push(`${open}><skipped message="${xmlEscape(`expected failure: ${first}`)}"/><system-out>${xmlEscape(detail)}</system-out></testcase>`);
      else if (row.verdict === 'skip' || row.verdict === 'unsupported') lines.push(`${open}><skipped message="${xmlEscape(`${row.verdict}: ${first}`)}"/></testcase>`);
      else {
        const tag = row.verdict === 'fail' ? 'failure' : 'error';
        lines.push(`${open}><${tag} message="${xmlEscape(first)}">${xmlEscape(detail)}</${tag}></testcase>`);
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n');
};

import type { RunReport } from '../results.js';
import type { Reporter } from './reporter.js';
import { assertNever } from '../../assert-never.js';
import { evidenceLines, ruleRows } from './rule-rows.js';

/**
 * TAP version 14: one test point per selected rule. Failures carry a YAML block with every failing
 * case (counterexample and replay command); skipped and unsupported rules are `# SKIP`; known
 * failures are `not ok ... # TODO`; a rule no case reached is `not ok` (except in one shard).
 */
export const tapReporter: Reporter = (report: RunReport) => {
  const sharded = report.header.shard !== undefined;
  const rows = ruleRows(report).filter((r) => !(sharded && r.verdict === 'notReached'));
  const lines = ['TAP version 14', `1..${rows.length}`];
  rows.forEach((row, i) => {
    const n = i + 1;
    const name = `${row.ruleId}`.replace(/#/g, '\\#');
    const oneLine = (s: string): string => s.replace(/\r?\n/g, ' ').replace(/#/g, '\\#');
    const evidence = evidenceLines(row);
    switch (row.verdict) {
      case 'pass':
        lines.push(`ok ${n} - ${name}`);
        return;
      case 'skip':
      case 'unsupported':
        lines.push(`ok ${n} - ${name} # SKIP ${row.verdict}: ${oneLine(evidence[0]?.message ?? '')}`);
        return;
      case 'notReached':
        lines.push(`not ok ${n} - ${name}`, '  ---', '  verdict: not reached', '  message: "no case judged this rule"', '  ...');
        return;
      case 'fail':
      case 'error':
        lines.push(`not ok ${n} - ${name}${row.expected ? ` # TODO known failure: ${oneLine(evidence[0]?.expectedFailure?.reason ?? '')}` : ''}`, '  ---', `  verdict: ${row.verdict}`, '  cases:');
        for (const c of evidence) {
          lines.push(`    - message: ${JSON.stringify(c.message)}`);
          if (c.expected !== undefined) lines.push(`      expected: ${JSON.stringify(c.expected)}`);
          if (c.actual !== undefined) lines.push(`      actual: ${JSON.stringify(c.actual)}`);
          if (c.counterexample !== undefined) lines.push(`      counterexample: ${JSON.stringify(c.counterexample)}`);
          if (c.replay !== undefined) lines.push(`      replay: ${JSON.stringify(c.replay.command)}`);
        }
        lines.push('  ...');
        return;
      default:
        assertNever(row.verdict, 'verdict');
    }
  });
  return lines.join('\n');
};

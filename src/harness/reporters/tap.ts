import type { RunReport } from '../results.js';
import type { Reporter } from './reporter.js';

/** TAP version 14: one test point per (rule, case); skips as `# SKIP`, failures with a YAML block. */
export const tapReporter: Reporter = (report: RunReport) => {
  const lines = ['TAP version 14', `1..${report.cases.length}`];
  report.cases.forEach((c, i) => {
    const name = `${c.ruleId} ${c.caseId}`.replace(/#/g, '\\#');
    if (c.verdict === 'pass') lines.push(`ok ${i + 1} - ${name}`);
    else if (c.verdict === 'skip') lines.push(`ok ${i + 1} - ${name} # SKIP ${c.message.replace(/\n/g, ' ')}`);
    else {
      lines.push(`not ok ${i + 1} - ${name}`, '  ---', `  verdict: ${c.verdict}`, `  message: ${JSON.stringify(c.message)}`);
      if (c.expected !== undefined) lines.push(`  expected: ${JSON.stringify(c.expected)}`);
      if (c.actual !== undefined) lines.push(`  actual: ${JSON.stringify(c.actual)}`);
      if (c.replay !== undefined) lines.push(`  replay: ${JSON.stringify(c.replay.command)}`);
      lines.push('  ...');
    }
  });
  return lines.join('\n');
};

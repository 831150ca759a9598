import type { RunReport } from '../results.js';
import { xmlEscape } from './escape.js';
import type { Reporter } from './reporter.js';

/** JUnit XML: one testsuite per area, one testcase per (rule, case). */
export const junitReporter: Reporter = (report: RunReport) => {
  const byArea = new Map<string, typeof report.cases[number][]>();
  for (const c of report.cases) {
    const area = c.ruleId.split('.')[0] ?? '?';
    byArea.set(area, [...(byArea.get(area) ?? []), c]);
  }
  const c = report.footer.counts;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="codex-auth-conformance ${xmlEscape(report.header.implementation.name)}" tests="${report.cases.length}" failures="${c.fail}" errors="${c.error}" skipped="${c.skip}" time="${(report.footer.durationMs / 1000).toFixed(3)}">`,
  ];
  for (const [area, cases] of [...byArea].sort(([a], [b]) => a.localeCompare(b))) {
    const counts = { fail: 0, error: 0, skip: 0 };
    for (const x of cases) if (x.verdict !== 'pass') counts[x.verdict] += 1;
    lines.push(`  <testsuite name="${xmlEscape(area)}" tests="${cases.length}" failures="${counts.fail}" errors="${counts.error}" skipped="${counts.skip}">`);
    for (const x of cases) {
      const open = `    <testcase classname="${xmlEscape(area)}" name="${xmlEscape(`${x.ruleId} ${x.caseId}`)}" time="${(x.durationMs / 1000).toFixed(3)}"`;
      const detail = [x.message, x.expected && `expected: ${x.expected}`, x.actual && `actual: ${x.actual}`, x.counterexample && `counterexample: ${x.counterexample}`, x.replay && `replay: ${x.replay.command}`]
        .filter(Boolean)
        .join('\n');
      if (x.verdict === 'pass') lines.push(`${open}/>`);
      else if (x.verdict === 'skip') lines.push(`${open}><skipped message="${xmlEscape(x.message)}"/></testcase>`);
      else lines.push(`${open}><${x.verdict === 'fail' ? 'failure' : 'error'} message="${xmlEscape(x.message)}">${xmlEscape(detail)}</${x.verdict === 'fail' ? 'failure' : 'error'}></testcase>`);
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n');
};

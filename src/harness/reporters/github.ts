import { redactText } from '../../redact/redact-text.js';
import { describeRuleCounts, problemsOf, type RunReport } from '../results.js';
import type { Reporter } from './reporter.js';
import { detailOf, evidenceLines, ruleRows, type RuleRow } from './rule-rows.js';

/**
 * GitHub Actions workflow commands (one annotation per rule worth a look): `::error` for a rule
 * that failed, errored or was not reached, `::warning` for a skipped rule (a partial run),
 * `::notice` for a known failure of the expectation file; then a closing `::notice` with the
 * counts. `file=` is the run's expectation file when it had one (where a known failure is
 * recorded), so the annotation lands in the user's repository. Text is redacted again
 * (fingerprints) and escaped as the runner wants (`%`, CR, LF; also `:` and `,` in properties).
 */
export const githubReporter: Reporter = (report: RunReport) => {
  const file = report.header.expectFile;
  const sharded = report.header.shard !== undefined;
  const lines: string[] = [];
  for (const row of ruleRows(report).sort((a, b) => a.ruleId.localeCompare(b.ruleId))) {
    const level = levelOf(row, sharded);
    if (level === undefined) continue;
    const evidence = evidenceLines(row);
    const body = row.verdict === 'notReached' ? [`${row.ruleId} not reached: no case judged this rule`] : [`${row.ruleId} ${row.expected ? 'known failure' : row.verdict}: ${row.title}`, ...evidence.flatMap((c) => detailOf(c))];
    lines.push(command(level, { ...(file !== undefined ? { file } : {}), title: row.ruleId }, body.join('\n')));
  }
  const f = report.footer;
  const problems = problemsOf(report.header, report.cases, f.rulesNotReached);
  lines.push(command('notice', { title: 'codex-auth-conformance' }, `${report.header.implementation.name} ${report.header.implementation.version}: ${describeRuleCounts(f.rules)}; ${f.casesRun} case(s) run (seed ${report.header.seed}) — ${f.ok ? 'OK' : `NOT OK (${problems.join('; ')})`}`));
  return lines.join('\n');
};

type Level = 'error' | 'warning' | 'notice';

function levelOf(row: RuleRow, sharded: boolean): Level | undefined {
  if (row.expected) return 'notice';
  switch (row.verdict) {
    case 'fail':
    case 'error':
      return 'error';
    case 'notReached':
      return sharded ? undefined : 'error';
    case 'skip':
      return 'warning';
    default:
      return undefined;
  }
}

function command(level: Level, properties: Readonly<Record<string, string>>, message: string): string {
  const props = Object.entries(properties).map(([k, v]) => `${k}=${escapeProperty(redactText(v))}`).join(',');
  return `::${level}${props === '' ? '' : ` ${props}`}::${escapeData(redactText(message))}`;
}

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

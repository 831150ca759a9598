import { ruleById } from '../../rules/catalogue.js';
import type { Verdict } from '../../rules/rule.js';
import { groupByRule, ruleVerdict, type CaseResult, type RunReport } from '../results.js';

/** One rule of a run as every reporter shows it: its verdict over its result lines. */
export interface RuleRow {
  readonly ruleId: string;
  readonly area: string;
  readonly title: string;
  /** `notReached`: selected, but no case judged it. */
  readonly verdict: Verdict | 'notReached';
  readonly lines: readonly CaseResult[];
  /** Every failing line is a known failure of the expectation file. */
  readonly expected: boolean;
}

/** The run's rules in catalogue order of selection, reached or not. */
export function ruleRows(report: RunReport): RuleRow[] {
  const byRule = groupByRule(report.cases);
  const ids = [...new Set([...report.header.rulesSelected, ...byRule.keys()])];
  return ids.map((ruleId) => {
    const lines = byRule.get(ruleId) ?? [];
    const verdict = lines.length === 0 ? 'notReached' : ruleVerdict(lines);
    const failing = lines.filter((c) => c.verdict === 'fail' || c.verdict === 'error');
    return {
      ruleId,
      area: ruleId.split('.')[0] ?? '?',
      title: ruleById(ruleId)?.title ?? '',
      verdict,
      lines,
      expected: failing.length > 0 && failing.every((c) => c.expectedFailure !== undefined),
    };
  });
}

/** The lines worth showing for a rule: its failures, else its unsupported or skip reason. */
export function evidenceLines(row: RuleRow): CaseResult[] {
  const failing = row.lines.filter((c) => c.verdict === 'fail' || c.verdict === 'error');
  if (failing.length > 0) return failing;
  if (row.verdict === 'skip' || row.verdict === 'unsupported') return row.lines.filter((c) => c.verdict === row.verdict).slice(0, 1);
  return [];
}

/** The detail of one failing line as text lines: message, expected/actual, counterexample, replay. */
export function detailOf(c: CaseResult): string[] {
  const lines = [`case ${c.caseId}: ${c.message}`];
  if (c.expected !== undefined) lines.push(`expected: ${c.expected}`);
  if (c.actual !== undefined) lines.push(`actual:   ${c.actual}`);
  if (c.counterexample !== undefined) lines.push(`counterexample: ${c.counterexample}`);
  if (c.replay !== undefined) lines.push(`replay: ${c.replay.command}`);
  if (c.expectedFailure !== undefined) lines.push(`known: ${c.expectedFailure.reason}${c.expectedFailure.link !== undefined ? ` (${c.expectedFailure.link})` : ''}`);
  return lines;
}

/** The summary of a pass line (`held on N of M case(s)`) or the count of result lines. */
export function passSummary(row: RuleRow): string {
  const only = row.lines.length === 1 ? row.lines[0] : undefined;
  return only !== undefined && only.verdict === 'pass' ? only.message : `${row.lines.length} result${row.lines.length === 1 ? '' : 's'}`;
}

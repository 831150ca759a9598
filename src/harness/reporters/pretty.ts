import { groupByRule, ruleVerdict, type CaseResult, type RunReport } from '../results.js';
import type { Reporter } from './reporter.js';

const MARK = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP', error: 'ERR ' } as const;

/** Terminal report: one line per rule, the failures with evidence and replay, a per-area table. */
export const prettyReporter: Reporter = (report: RunReport) => {
  const out: string[] = [];
  const { header, footer } = report;
  out.push(`codex-auth-conformance ${header.tool.version} — implementation ${header.implementation.name} ${header.implementation.version} — seed ${header.seed}`);
  const byRule = groupByRule(report.cases);
  for (const [ruleId, cases] of [...byRule].sort(([a], [b]) => a.localeCompare(b))) {
    const verdict = ruleVerdict(cases);
    const known = cases.some((c) => c.expectedFailure !== undefined) ? ' (expected failure)' : '';
    const summary = cases.length === 1 && verdict === 'pass' ? cases[0]!.message : `${cases.length} result${cases.length === 1 ? '' : 's'}`;
    out.push(`${MARK[verdict]} ${ruleId} (${summary})${known}`);
    for (const c of cases.filter((x) => x.verdict === 'fail' || x.verdict === 'error')) out.push(...failureLines(c));
    const skipped = cases.find((x) => x.verdict === 'skip');
    if (verdict === 'skip' && skipped) out.push(`     ${skipped.message}`);
  }
  out.push('', ...areaTable(report.cases));
  for (const id of footer.rulesNotReached) out.push(`NOT REACHED ${id}`);
  const c = footer.counts;
  out.push('', `${c.pass} passed, ${c.fail} failed, ${c.skip} skipped, ${c.error} errored in ${(footer.durationMs / 1000).toFixed(1)}s — ${footer.ok ? 'OK' : 'NOT OK'}`);
  return out.join('\n');
};

function failureLines(c: CaseResult): string[] {
  const lines = [`     case ${c.caseId}: ${c.message}`];
  if (c.expected !== undefined) lines.push(`       expected: ${c.expected}`);
  if (c.actual !== undefined) lines.push(`       actual:   ${c.actual}`);
  if (c.counterexample !== undefined) lines.push(`       counterexample: ${c.counterexample}`);
  if (c.replay !== undefined) lines.push(`       replay: ${c.replay.command}`);
  if (c.expectedFailure !== undefined) lines.push(`       known: ${c.expectedFailure.reason}`);
  return lines;
}

/** Per-area summary: rules and cases by verdict. */
export function areaTable(cases: readonly CaseResult[]): string[] {
  const areas = new Map<string, { rules: Map<string, CaseResult[]> }>();
  for (const c of cases) {
    const area = c.ruleId.split('.')[0] ?? '?';
    const entry = areas.get(area) ?? { rules: new Map<string, CaseResult[]>() };
    const list = entry.rules.get(c.ruleId) ?? [];
    list.push(c);
    entry.rules.set(c.ruleId, list);
    areas.set(area, entry);
  }
  const rows = [['area', 'rules', 'pass', 'fail', 'skip', 'error', 'results']];
  for (const [area, { rules }] of [...areas].sort(([a], [b]) => a.localeCompare(b))) {
    const counts = { pass: 0, fail: 0, skip: 0, error: 0 };
    let caseCount = 0;
    for (const list of rules.values()) {
      counts[ruleVerdict(list)] += 1;
      caseCount += list.length;
    }
    rows.push([area, String(rules.size), String(counts.pass), String(counts.fail), String(counts.skip), String(counts.error), String(caseCount)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

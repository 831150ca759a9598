import { where, type ObservedRequest } from './observed-request.js';
import { fail, pass, skip, type RuleResult } from './result.js';

/**
 * What the case-free journal checks (check-journal.ts) collect while they read the requests: the
 * failures, the first request each rule was judged on, and the rules that could not be judged and
 * why; `results()` turns them into one result list (a rule judged and never failed passes; a rule
 * never judged but named as not judgeable is a skip).
 */
export class Collector {
  readonly failures: RuleResult[] = [];
  readonly judged = new Map<string, ObservedRequest>();
  readonly unjudged = new Map<string, { e: ObservedRequest; why: string; seqs: number[] }>();
  notJudged(ruleId: string, e: ObservedRequest, why: string): void {
    const entry = this.unjudged.get(ruleId) ?? { e, why, seqs: [] };
    entry.seqs.push(e.seq);
    this.unjudged.set(ruleId, entry);
  }
  judge(ruleId: string, e: ObservedRequest): void {
    if (!this.judged.has(ruleId)) this.judged.set(ruleId, e);
  }
  fail(ruleId: string, e: ObservedRequest, what: string, expected: string, actual: string): void {
    this.judge(ruleId, e);
    this.failures.push(fail(ruleId, `${what} on ${where(e)}`, expected, actual, e.caseId));
  }
  results(): RuleResult[] {
    const failed = new Set(this.failures.map((f) => f.ruleId));
    const passes = [...this.judged]
      .filter(([id]) => !failed.has(id))
      .map(([id, e]) => pass(id, `${id} held on every request it applies to (first: ${where(e)})`));
    const skips = [...this.unjudged]
      .filter(([id]) => !this.judged.has(id))
      .map(([id, u]) => skip(id, `${id} not judged on ${u.seqs.map((n) => `#${n}`).join(', ')}: ${u.why}`));
    return [...this.failures, ...passes, ...skips];
  }
}


/** The requests of each case, in journal order (one group for a journal without case ids). */
export function requestsByCase(ordered: readonly ObservedRequest[]): Iterable<ObservedRequest[]> {
  const groups = new Map<string, ObservedRequest[]>();
  for (const e of ordered) groups.set(e.caseId ?? '', [...(groups.get(e.caseId ?? '') ?? []), e]);
  return groups.values();
}

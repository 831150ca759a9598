import type { Verdict } from '../rules/rule.js';
import { groupByRule, ruleVerdict, type RunReport } from './results.js';

export interface VerdictChange {
  readonly ruleId: string;
  readonly before: Verdict | 'absent';
  readonly after: Verdict | 'absent';
}

/** Rules whose verdict differs between two runs (or two implementations), sorted by id. */
export function diffRuns(a: RunReport, b: RunReport): VerdictChange[] {
  const ga = groupByRule(a.cases);
  const gb = groupByRule(b.cases);
  const ids = [...new Set([...ga.keys(), ...gb.keys()])].sort();
  const changes: VerdictChange[] = [];
  for (const ruleId of ids) {
    const ca = ga.get(ruleId);
    const cb = gb.get(ruleId);
    const before = ca === undefined ? 'absent' : ruleVerdict(ca);
    const after = cb === undefined ? 'absent' : ruleVerdict(cb);
    if (before !== after) changes.push({ ruleId, before, after });
  }
  return changes;
}

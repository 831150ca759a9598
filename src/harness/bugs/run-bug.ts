/**
 * Runs one bug entry against its affected or its fixed implementation and says what came out:
 * reproduced (every expected rule failed), not reproduced (a rule passed or was skipped: the
 * verdicts say which), fixed-passes or fixed-fails. Only the entry's rules are selected.
 */
import { ConformanceInputError } from '../../errors.js';
import { DEFAULT_PROFILE, type ProfileId } from '../../rules/profiles.js';
import { matrixProfileFor } from '../codex-cli/release-facts.js';
import type { Verdict } from '../../rules/rule.js';
import { codexCliImplementation } from '../codex-cli/codex-cli-implementation.js';
import { codexCliSuite } from '../codex-cli/codex-cli-suite.js';
import { inProcessMockControl } from '../in-process-mock-control.js';
import type { Implementation } from '../implementation.js';
import type { MockControl } from '../mock-control.js';
import { portMockControl } from '../port-mock-control.js';
import { groupByRule, ruleVerdict, type RunReport } from '../results.js';
import { runConformance } from '../runner.js';
import { selectImplementation } from '../select-implementation.js';
import type { Suite } from '../suite.js';
import { ALL_SUITES } from '../suites/index.js';
import type { Bug, BugTarget } from './bug.js';

export type Against = 'affected' | 'fixed';

export type BugOutcome =
  /** affected: every expected rule failed. */
  | { readonly kind: 'reproduced' }
  /** affected: some expected rule did not fail (verdicts say how). */
  | { readonly kind: 'notReproduced' }
  /** fixed: every expected rule passed. */
  | { readonly kind: 'fixedPasses' }
  /** fixed: some expected rule did not pass. */
  | { readonly kind: 'fixedFails' };

export interface BugRun {
  readonly bug: Bug;
  readonly against: Against;
  readonly target: BugTarget;
  readonly profile: ProfileId;
  readonly verdicts: Readonly<Record<string, Verdict>>;
  readonly outcome: BugOutcome;
  readonly report: RunReport;
  readonly durationMs: number;
}

export function profileOf(t: BugTarget): ProfileId {
  if (t.profile !== undefined) return t.profile;
  // A release between two profiles' ranges is judged as the matrix judges it (the newest profile, with the release's own facts).
  return t.implementation.kind === 'codexCli' ? matrixProfileFor(t.implementation.version) : DEFAULT_PROFILE;
}

export function targetOf(bug: Bug, against: Against): BugTarget {
  if (against === 'affected') return bug.affects;
  if (bug.fixed === undefined) throw new ConformanceInputError('USAGE', `${bug.id} names no fixed implementation.`, 'drop --against fixed for this entry (the corpus says no fix is known), or add "fixed" to the file.');
  return bug.fixed;
}

/** The verdicts and outcome of one run's report for the entry's rules. */
export function outcomeOf(bug: Bug, against: Against, report: RunReport): { verdicts: Record<string, Verdict>; outcome: BugOutcome } {
  const byRule = groupByRule(report.cases);
  const verdicts: Record<string, Verdict> = {};
  for (const rule of bug.rules) verdicts[rule] = ruleVerdict(byRule.get(rule) ?? []);
  const all = (v: Verdict): boolean => bug.rules.every((r) => verdicts[r] === v);
  const outcome: BugOutcome = against === 'affected' ? { kind: all('fail') ? 'reproduced' : 'notReproduced' } : { kind: all('pass') ? 'fixedPasses' : 'fixedFails' };
  return { verdicts, outcome };
}

async function implementationFor(bug: Bug, t: BugTarget, profile: ProfileId, allowNetwork: boolean): Promise<{ implementation: Implementation; suites: readonly Suite[]; mock: MockControl }> {
  const impl = t.implementation;
  switch (impl.kind) {
    case 'codexCli': {
      if (bug.scenario.kind !== 'blackbox') throw new ConformanceInputError('BAD_SCENARIO', `${bug.file}: ${impl.arg} needs a blackbox scenario.`, 'reference a scenarios/blackbox/codex-cli/ file.');
      return { implementation: codexCliImplementation(impl.version, { allowNetwork, caseIds: [bug.scenario.scenario.id] }), suites: [codexCliSuite], mock: await portMockControl({ seed: 1 }) };
    }
    case 'ecosystem':
      throw new ConformanceInputError('USAGE', `${bug.file}: ${impl.arg}: repro does not install pinned ecosystem client versions yet.`, 'run the client with `run --impl ecosystem:<client>` and its expectations, or write the entry on a mutant or driver.');
    case 'driver':
      // A driver is foreign code and must run inside the loopback-only namespace; `run --impl driver:...` does that.
      throw new ConformanceInputError('USAGE', `${bug.file}: ${impl.arg}: repro does not run driver entries yet (a driver runs only inside the loopback-only namespace).`, 'replay it with `codex-auth-conformance run --impl <driver> --rules <rule> --seed <seed>`, or write the entry on a mutant.');
    case 'inProcess':
      return { implementation: await selectImplementation(impl.arg, { allowNetwork, profile }), suites: ALL_SUITES, mock: await inProcessMockControl(bug.scenario.kind === 'replay' ? bug.scenario.seed : 1) };
  }
}

/** Runs the entry's rules on the affected (default) or fixed implementation. */
export async function runBug(bug: Bug, against: Against, opts: { readonly allowNetwork?: boolean } = {}): Promise<BugRun> {
  const target = targetOf(bug, against);
  const profile = profileOf(target);
  const started = performance.now();
  const { implementation, suites, mock } = await implementationFor(bug, target, profile, opts.allowNetwork === true);
  let report: RunReport;
  try {
    const s = bug.scenario;
    report = await runConformance({
      implementation,
      mock,
      suites,
      rulePrefixes: [...bug.rules],
      profile,
      implArg: target.implementation.arg,
      ...(s.kind === 'replay' ? { seed: s.seed, runs: s.runs, ...(s.path === undefined ? {} : { path: s.path }) } : { seed: 1, runs: 1 }),
    });
  } finally {
    await mock.close();
  }
  const { verdicts, outcome } = outcomeOf(bug, against, report);
  return { bug, against, target, profile, verdicts, outcome, report, durationMs: Math.round(performance.now() - started) };
}

/** One line per run: what ran and whether the bug reproduced (or the fix held). */
export function describeBugRun(r: BugRun): string {
  const v = Object.entries(r.verdicts).map(([rule, verdict]) => `${rule} ${verdict}`).join(', ');
  const failed = r.report.cases.find((c) => r.bug.rules.includes(c.ruleId) && (c.verdict === 'fail' || c.verdict === 'error'));
  const what = `${r.bug.id} on ${r.target.implementation.arg} (${r.profile}): ${v}${failed === undefined ? '' : ` — ${failed.message.slice(0, 240)}`}`;
  switch (r.outcome.kind) {
    case 'reproduced':
      return `REPRODUCED ${what}`;
    case 'notReproduced':
      return `NOT REPRODUCED ${what} (the expected rule did not fail)`;
    case 'fixedPasses':
      return `FIX HOLDS ${what}`;
    case 'fixedFails':
      return `FIX DOES NOT HOLD ${what}`;
  }
}

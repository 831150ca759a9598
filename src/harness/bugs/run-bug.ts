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
import { groupByRule, ruleVerdict, type CaseResult, type RunReport } from '../results.js';
import { runConformance } from '../runner.js';
import { selectImplementation } from '../select-implementation.js';
import type { Suite } from '../suite.js';
import { ALL_SUITES } from '../suites/index.js';
import { join } from 'node:path';
import { REPO_ROOT, type Bug, type BugTarget } from './bug.js';
import { runEcosystemBug } from './ecosystem-bug.js';

export type Against = 'affected' | 'fixed';

export type BugOutcome =
  /**
   * affected: every expected rule failed, or (`findings`) was a finding: the release predates the
   * rule's source (judges/release-findings.ts), so the matrix does not fail it, and the entry's own
   * fixed release, where the rule holds, is the fix of the reported bug.
   */
  | { readonly kind: 'reproduced'; readonly findings: readonly string[] }
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

/** The prefix judges/release-findings.ts gives a failure on a release older than the rule's source. */
const FINDING = /^(?:\S+ )?finding on \d+\.\d+\.\d+, not a failure/;

/**
 * True when the rule's only verdict is a finding on the affected release and the entry names a
 * fixed release (a later codex release, the fix the report led to): the bug is then what that
 * release fixed, and the run shows the behaviour it fixed.
 */
function isFinding(bug: Bug, cases: readonly CaseResult[]): boolean {
  const fixedRelease = bug.fixed?.implementation.kind === 'codexCli' && bug.affects.implementation.kind === 'codexCli';
  return fixedRelease && cases.length > 0 && cases.every((c) => c.verdict === 'unsupported' || c.verdict === 'skip') && cases.some((c) => c.verdict === 'unsupported' && FINDING.test(c.message));
}

/** The verdicts and outcome of one run's report for the entry's rules. */
export function outcomeOf(bug: Bug, against: Against, report: RunReport): { verdicts: Record<string, Verdict>; outcome: BugOutcome } {
  const byRule = groupByRule(report.cases);
  const verdicts: Record<string, Verdict> = {};
  for (const rule of bug.rules) verdicts[rule] = ruleVerdict(byRule.get(rule) ?? []);
  const all = (v: Verdict): boolean => bug.rules.every((r) => verdicts[r] === v);
  if (against === 'fixed') return { verdicts, outcome: { kind: all('pass') ? 'fixedPasses' : 'fixedFails' } };
  const findings = bug.rules.filter((r) => verdicts[r] !== 'fail' && isFinding(bug, byRule.get(r) ?? []));
  const reproduced = bug.rules.every((r) => verdicts[r] === 'fail' || findings.includes(r));
  return { verdicts, outcome: reproduced ? { kind: 'reproduced', findings } : { kind: 'notReproduced' } };
}

async function implementationFor(bug: Bug, t: BugTarget, profile: ProfileId, allowNetwork: boolean): Promise<{ implementation: Implementation; suites: readonly Suite[]; mock: MockControl }> {
  const impl = t.implementation;
  switch (impl.kind) {
    case 'codexCli': {
      if (bug.scenario.kind !== 'blackbox') throw new ConformanceInputError('BAD_SCENARIO', `${bug.file}: ${impl.arg} needs a blackbox scenario.`, 'reference a scenarios/blackbox/codex-cli/ file.');
      // A shared-credential scenario is played alone (not every scenario that judges the entry's rules); a codex-cli one is a case id.
      const plays = bug.scenario.scenario.family === 'shared-credential' ? { caseIds: [], scenarioFiles: [join(REPO_ROOT, bug.scenario.file)] } : { caseIds: [bug.scenario.scenario.id] };
      return { implementation: codexCliImplementation(impl.version, { allowNetwork, ...plays }), suites: [codexCliSuite], mock: await portMockControl({ seed: 1 }) };
    }
    case 'ecosystem':
      throw new ConformanceInputError('USAGE', `${bug.file}: ${impl.arg} runs through runEcosystemBug, not an implementation.`, 'call runBug.');
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
  if (target.implementation.kind === 'ecosystem') {
    if (bug.scenario.kind !== 'blackbox') throw new ConformanceInputError('BAD_SCENARIO', `${bug.file}: ${target.implementation.arg} needs a blackbox scenario.`, 'reference a scenarios/blackbox/ecosystem/ file.');
    // A published client version is foreign code: installed outside, run only in a loopback-only namespace (--allow-network does not apply).
    const full = await runEcosystemBug(target.implementation.client, target.implementation.version, bug.scenario.scenario.id);
    const report: RunReport = { ...full, cases: full.cases.filter((c) => bug.rules.includes(c.ruleId)) };
    const { verdicts, outcome } = outcomeOf(bug, against, report);
    return { bug, against, target, profile, verdicts, outcome, report, durationMs: Math.round(performance.now() - started) };
  }
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
  const findings = r.outcome.kind === 'reproduced' ? r.outcome.findings : [];
  const failed = r.report.cases.find((c) => r.bug.rules.includes(c.ruleId) && (c.verdict === 'fail' || c.verdict === 'error' || (findings.includes(c.ruleId) && c.verdict === 'unsupported')));
  const what = `${r.bug.id} on ${r.target.implementation.arg} (${r.profile}): ${v}${failed === undefined ? '' : ` — ${failed.message.slice(0, 240)}`}`;
  switch (r.outcome.kind) {
    case 'reproduced':
      return findings.length === 0 ? `REPRODUCED ${what}` : `REPRODUCED ${what} (${findings.join(', ')}: a finding on this release, whose own source intends it; the entry's fixed release is the fix)`;
    case 'notReproduced':
      return `NOT REPRODUCED ${what} (the expected rule did not fail)`;
    case 'fixedPasses':
      return `FIX HOLDS ${what}`;
    case 'fixedFails':
      return `FIX DOES NOT HOLD ${what}`;
  }
}

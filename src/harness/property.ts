import fc from 'fast-check';
import type { RuleResult } from '../rules/result.js';
import type { CaseResult } from './results.js';
import { quoteShellWord } from './shell-words.js';
import { toCaseResults, type Suite, type SuiteContext } from './suite.js';

export interface PropertySpec<T> {
  readonly arbitrary: fc.Arbitrary<T>;
  /** Hand-picked inputs run before the generated ones (the facts page's canonical cases). */
  readonly examples?: readonly T[];
  /** Runs one input against the implementation and judges it. */
  execute(input: T, caseId: string): Promise<RuleResult[]>;
  /** A readable, secret-free rendering of an input (the printed counterexample). */
  show(input: T): string;
}

class CaseFailed extends Error {
  constructor(readonly results: readonly CaseResult[]) {
    super(results.map((r) => r.message).join('; '));
  }
}

/**
 * Runs a suite's property with fast-check and folds the outcome into one result per rule: the
 * shrunk counterexample (with its replay command) for each rule that failed, one pass per rule
 * that held on every generated case, a skip for rules that were never judged.
 */
/** Rounds after a failure: each round looks for a failure of a rule not yet failed. */
const MAX_ROUNDS = 8;

export async function runProperty<T>(suite: Suite, ctx: SuiteContext, spec: PropertySpec<T>): Promise<CaseResult[]> {
  const judged = new Map<string, { passes: number; skip?: CaseResult }>();
  const failed = new Set<string>();
  const out: CaseResult[] = [];
  let counter = 0;
  const started = performance.now();
  const property = fc.asyncProperty(spec.arbitrary, async (input) => {
    counter += 1;
    const caseId = `${suite.id}-${counter}`;
    const t0 = performance.now();
    const raw = await executeSafely(spec, input, caseId);
    const results = toCaseResults(suite, caseId, raw, Math.round(performance.now() - t0));
    for (const r of results) {
      const entry = judged.get(r.ruleId) ?? { passes: 0 };
      if (r.verdict === 'pass') entry.passes += 1;
      if (r.verdict === 'skip' && entry.skip === undefined) entry.skip = r;
      judged.set(r.ruleId, entry);
    }
    // Rules that already failed in an earlier round are reported; look for the others.
    const bad = results.filter((r) => (r.verdict === 'fail' || r.verdict === 'error') && !failed.has(r.ruleId));
    if (bad.length > 0) throw new CaseFailed(bad);
  });
  const params: fc.Parameters<[T]> = {
    seed: ctx.seed,
    numRuns: ctx.runs,
    ...(ctx.path !== undefined ? { path: ctx.path } : {}),
    // Examples stay when replaying: fast-check counts them in the replay path.
    ...(spec.examples !== undefined ? { examples: spec.examples.map((e) => [e] as [T]) } : {}),
  };
  // One failing rule must not hide the others: after a failure, run again (same seed) with the
  // failed rules set aside, until a round finds nothing new. A replay (--path) is one round.
  const rounds = ctx.path !== undefined ? 1 : MAX_ROUNDS;
  for (let round = 1; round <= rounds; round += 1) {
    const details = await fc.check(property, params);
    if (!details.failed) break;
    if (details.counterexample === null) {
      out.push({ type: 'case', ruleId: suite.rules[0] ?? suite.id, caseId: suite.id, verdict: 'error', message: `property aborted: ${String(details.errorInstance)}`, durationMs: 0 });
      break;
    }
    const [input] = details.counterexample;
    const caseId = `${suite.id}-counterexample-${round}`;
    const t0 = performance.now();
    const raw = await executeSafely(spec, input, caseId);
    const results = toCaseResults(suite, caseId, raw, Math.round(performance.now() - t0));
    const path = details.counterexamplePath ?? undefined;
    const fresh = results.filter((x) => (x.verdict === 'fail' || x.verdict === 'error') && !failed.has(x.ruleId));
    for (const r of fresh) {
      failed.add(r.ruleId);
      out.push({
        ...r,
        counterexample: spec.show(input),
        casesToFailure: details.numRuns,
        replay: {
          seed: details.seed,
          ...(path !== undefined ? { path } : {}),
          command: `codex-auth-conformance run --impl ${quoteShellWord(ctx.implArg)} --profile ${ctx.profile} --rules ${r.ruleId} --seed ${details.seed}${path !== undefined ? ` --path ${path}` : ''}`,
        },
      });
    }
    if (fresh.length === 0) {
      // The failure did not reproduce on re-execution (a flaky implementation): report it as an error.
      const first = details.errorInstance instanceof CaseFailed ? details.errorInstance.results : [];
      for (const r of first.filter((x) => !failed.has(x.ruleId))) {
        failed.add(r.ruleId);
        out.push({ ...r, verdict: 'error', message: `${r.message} (did not reproduce when replayed: flaky)`, counterexample: spec.show(input) });
      }
      if (first.length === 0) break;
    }
  }
  const elapsed = Math.round(performance.now() - started);
  for (const [ruleId, entry] of judged) {
    if (failed.has(ruleId)) continue;
    if (entry.passes > 0) {
      out.push({ type: 'case', ruleId, caseId: `${suite.id}/*`, verdict: 'pass', message: `held on ${entry.passes} of ${counter} generated case(s)`, durationMs: elapsed });
    } else if (entry.skip !== undefined) {
      out.push(entry.skip);
    }
  }
  return out;
}

async function executeSafely<T>(spec: PropertySpec<T>, input: T, caseId: string): Promise<RuleResult[]> {
  try {
    return await spec.execute(input, caseId);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return [{ ruleId: '*', verdict: 'error', caseId, message: `harness error while running ${spec.show(input)}: ${message}` }];
  }
}

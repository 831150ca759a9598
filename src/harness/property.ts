import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { ConformanceInputError } from '../errors.js';
import type { RuleResult } from '../rules/result.js';
import type { CaseResult } from './results.js';
import { ownGap } from './rule-needs.js';
import { explainByProcessHistory, type HistoryVerdict } from './process-history.js';
import { caseEvidence, type ExpectedRequestEvidence } from './case-evidence.js';
import { evidenceOf, pinOf } from './failure-evidence.js';
import { replayCommand } from './replay-command.js';
import { toCaseResults, type CaseProgress, type Suite, type SuiteContext } from './suite.js';

export interface PropertySpec<T> {
  /**
   * The generator. `commandsReplayPath` is fast-check's command replay log of a saved model-based
   * failure: a suite built on `fc.commands` passes it to `fc.commands({ replayPath })`.
   */
  arbitrary(replay: { readonly commandsReplayPath?: string }): fc.Arbitrary<T>;
  /** Hand-picked inputs run before the generated ones (canonical cases, one or more per rule). */
  readonly examples?: readonly T[];
  /** Runs one input against the implementation and judges it. */
  execute(input: T, caseId: string): Promise<RuleResult[]>;
  /** A readable, secret-free rendering of an input (the printed counterexample). */
  show(input: T): string;
  /** A stable identity of the input, independent of its execution (default: `show`). */
  key?(input: T): string;
  /** fast-check's command replay log of a model-based input, read after a failure. */
  commandsReplayPath?(input: T): string | undefined;
  /** What the rules expected of the case just executed as `caseId` (read right after a counterexample's re-run). */
  expectedOf?(caseId: string): ExpectedRequestEvidence | undefined;
}

class CaseFailed extends Error {
  constructor(readonly results: readonly CaseResult[]) {
    super(results.map((r) => r.message).join('; '));
  }
}

/** Distinct pinned failures one rule reports (each with other evidence) before the rest are dropped. */
const MAX_KNOWN_PER_RULE = 10;

/** Rounds after a failure: each round looks for a failure of a selected rule not yet failed. */
const MAX_ROUNDS = 8;

/** The fast-check path syntax: the generated index, then one shrink step per `:`. */
export const PATH_PATTERN = /^\d{1,9}(?::\d{1,9})*$/;
/** fast-check's command replay log syntax (`ReplayPath.stringify`): base64 counts `:` changes. */
export const REPLAY_PATH_PATTERN = /^[A-Za-z0-9+/]*:[A-Za-z0-9+/]*$/;

/**
 * Per-case seed of the mock's generated data (account ids, names, tools): a function of the run
 * seed, the suite and the input alone, so a case gets the same mock state whether it runs after
 * a hundred others or alone in a replay.
 */
export function caseSeed(runSeed: number, suiteId: string, key: string): number {
  return createHash('sha256').update(`${runSeed}\u0000${suiteId}\u0000${key}`).digest().readUInt32BE(0) || 1;
}

/**
 * Runs a suite's property with fast-check and folds the outcome into results per rule: the shrunk
 * counterexample (with a replay command that re-runs exactly it) for each selected rule that
 * failed, one pass per rule that held on every case that judged it, an `unsupported` or `skip`
 * line for rules no case could judge.
 *
 * Replays reproduce because (1) the property fails only on the selected rules not yet failed, so
 * `--rules R --path P` runs the predicate that found the failure of R; (2) every case starts from
 * mock state seeded by the input alone (`caseSeed`); (3) model-based inputs carry fast-check's
 * command replay log (`--replay-path`).
 */
export async function runProperty<T>(suite: Suite, ctx: SuiteContext, spec: PropertySpec<T>): Promise<CaseResult[]> {
  const own = new Set(suite.rules);
  const target = new Set((ctx.rules ?? suite.rules).filter((r) => own.has(r)));
  const failed = new Set<string>();
  const out: CaseResult[] = [];
  const examples = spec.examples ?? [];
  const keyOf = (input: T): string => (spec.key ?? spec.show)(input);
  const started = performance.now();
  const total = examples.length + ctx.runs;
  let counter = 0;
  /** Examples and generated cases this round executed (a shard executes its share). */
  let executed = 0;
  let round = 1;
  let shrinking = false;
  /** The fast-check path of every case id this property ran (for a failure's process history). */
  const pathOf = new Map<string, string>();
  const run = async (input: T, caseId: string, phase: CaseProgress['phase'], path?: string): Promise<CaseResult[]> => {
    if (path !== undefined) pathOf.set(caseId, path);
    ctx.mock.backend.reset(caseSeed(ctx.seed, suite.id, keyOf(input)));
    const t0 = performance.now();
    const verdicts = await executeSafely(spec, input, caseId);
    // A driver that broke the protocol while serving the case leaves nothing to judge: every rule
    // of the case is an error with the reason and its stderr, not a skip or a pass.
    const broken = ctx.implementation.protocolFailures?.(caseId) ?? [];
    const raw: RuleResult[] = broken.length === 0 ? verdicts : [{ ruleId: '*', verdict: 'error', caseId, message: `${broken.slice(0, 3).join(' || ')}${broken.length > 3 ? ` (+${broken.length - 3} more)` : ''}` }];
    ctx.onCase?.({ suite: suite.id, done: Math.min(counter, total), total, round, phase });
    return toCaseResults(suite, caseId, raw, Math.round(performance.now() - t0));
  };

  // The first failure of each rule per distinct evidence an expectation pins: kept, and the search goes on past it.
  const knownSeen = new Map<string, CaseResult>();
  // Per round: how many cases judged each rule, and its first unsupported / skip line.
  let judged = new Map<string, { cases: Set<string>; unsupported?: CaseResult; skip?: CaseResult }>();
  const shard = ctx.path === undefined ? ctx.shard : undefined;
  // The path of the case being run, as fast-check counts it (not known when replaying a path):
  // the generated index, then per shrink level the index of the candidate tried.
  let shrinkPath: number[] = [];
  let candidate = 0;
  let protocolBroken = false;
  const property = fc.asyncProperty(spec.arbitrary(ctx.replayPath !== undefined ? { commandsReplayPath: ctx.replayPath } : {}), async (input) => {
    const index = counter;
    counter += 1;
    // A shard runs its share of the examples and generated cases; shrinking runs every candidate.
    if (!shrinking && shard !== undefined && index % shard.count !== shard.index - 1) return;
    // A driver that broke the protocol is not shrunk against: smaller inputs only restart it again.
    if (shrinking && protocolBroken) return;
    const caseId = `${suite.id}-${round}-${index + 1}`;
    if (!shrinking) executed += 1;
    const path = ctx.path !== undefined ? undefined : shrinking ? [...shrinkPath, candidate].join(':') : String(index);
    const results = await run(input, caseId, shrinking ? 'shrink' : 'search', path);
    for (const r of results) {
      const entry = judged.get(r.ruleId) ?? { cases: new Set<string>() };
      if (r.verdict === 'pass') entry.cases.add(caseId);
      if (r.verdict === 'unsupported') entry.unsupported ??= r;
      if (r.verdict === 'skip') entry.skip ??= r;
      judged.set(r.ruleId, entry);
    }
    const isKnown = (r: CaseResult): boolean => r.verdict === 'fail' && ctx.knownFailure !== undefined && ctx.knownFailure({ ...r, counterexample: spec.show(input) });
    for (const r of results) {
      if (!target.has(r.ruleId) || !isKnown(r)) continue;
      const line = { ...r, counterexample: spec.show(input) };
      const key = `${r.ruleId}\u0000${JSON.stringify(pinOf(evidenceOf(line)))}`;
      const seen = [...knownSeen].filter(([k]) => k.startsWith(`${r.ruleId}\u0000`));
      // One line per rule and distinct evidence; the same case met again in a later round is not new evidence.
      if (!knownSeen.has(key) && seen.length < MAX_KNOWN_PER_RULE && !seen.some(([, l]) => l.counterexample === line.counterexample)) knownSeen.set(key, line);
    }
    const bad = results.filter((r) => (r.verdict === 'fail' || r.verdict === 'error') && target.has(r.ruleId) && !failed.has(r.ruleId) && !isKnown(r));
    if (bad.length > 0) {
      protocolBroken = (ctx.implementation.protocolFailures?.(caseId) ?? []).length > 0;
      if (shrinking) shrinkPath.push(candidate);
      else shrinkPath = [index];
      candidate = 0;
      shrinking = true;
      throw new CaseFailed(bad);
    }
    if (shrinking) candidate += 1;
  });
  const params: fc.Parameters<[T]> = {
    seed: ctx.seed,
    // fast-check counts examples in numRuns: every example runs, then `runs` generated cases.
    numRuns: examples.length + ctx.runs,
    ...(ctx.path !== undefined ? { path: ctx.path } : {}),
    // Examples stay when replaying: fast-check counts them in the replay path.
    ...(examples.length > 0 ? { examples: examples.map((e) => [e] as [T]) } : {}),
  };
  // One failing rule must not hide the others: after a failure, run again (same seed) with the
  // failed rules set aside, until a round finds nothing new. A replay (--path) is one round.
  const rounds = ctx.path !== undefined ? 1 : MAX_ROUNDS;
  if (ctx.path !== undefined && ctx.afterPaths !== undefined) {
    // The failure depended on what its process served before: serve those cases first (their
    // verdicts are not this replay's), then the replayed case on the same process.
    for (const [i, p] of ctx.afterPaths.entries()) await run(inputAt(spec, params, p, ctx), `${suite.id}-history-${i + 1}`, 'search');
  }
  for (; round <= rounds; round += 1) {
    judged = new Map();
    counter = 0;
    executed = 0;
    shrinking = false;
    shrinkPath = [];
    candidate = 0;
    protocolBroken = false;
    const details = await checkProperty(property, params, ctx);
    if (!details.failed) break;
    if (details.counterexample === null) {
      out.push({ type: 'case', ruleId: [...target][0] ?? suite.id, caseId: suite.id, verdict: 'error', message: `property aborted: ${String(details.errorInstance)}`, durationMs: 0 });
      break;
    }
    const [input] = details.counterexample;
    const replayPath = spec.commandsReplayPath?.(input) ?? (ctx.path !== undefined ? ctx.replayPath : undefined);
    const path = details.counterexamplePath ?? undefined;
    const counterexampleId = `${suite.id}-counterexample-${round}`;
    const results = await run(input, counterexampleId, 'counterexample', path);
    const expected = spec.expectedOf?.(counterexampleId);
    const evidence = caseEvidence(ctx.mock.journal(counterexampleId), expected);
    const fresh = results.filter((x) => (x.verdict === 'fail' || x.verdict === 'error') && target.has(x.ruleId) && !failed.has(x.ruleId));
    const failingOf = (list: readonly CaseResult[]): Set<string> => new Set(list.filter((x) => (x.verdict === 'fail' || x.verdict === 'error') && target.has(x.ruleId)).map((x) => x.ruleId));
    const history =
      ctx.path === undefined && path !== undefined && spec.commandsReplayPath === undefined && fresh.length > 0
        ? await explainByProcessHistory({
            implementation: ctx.implementation,
            counterexampleId,
            rules: fresh.map((r) => r.ruleId),
            // The paths tracked case by case must agree with fast-check's own, or none is trusted.
            pathOf: shrinkPath.join(':') === path ? pathOf : new Map(),
            runCounterexample: async (id) => failingOf(await run(input, id, 'counterexample', path)),
            runPath: async (id, p) => void (await run(inputAt(spec, params, p, ctx), id, 'counterexample', p)),
          })
        : new Map<string, HistoryVerdict>();
    for (const r of fresh) {
      if (failed.has(r.ruleId)) continue; // one line per rule: its first failing judgement in the counterexample
      failed.add(r.ruleId);
      const h = history.get(r.ruleId);
      const afterPaths = h?.afterPaths ?? (ctx.path !== undefined ? ctx.afterPaths : undefined);
      out.push({
        ...r,
        ...(h !== undefined ? { message: `${r.message} — ${h.finding}` } : {}),
        counterexample: spec.show(input),
        evidence,
        casesToFailure: details.numRuns,
        replay: {
          seed: details.seed,
          ...(path !== undefined ? { path } : {}),
          ...(replayPath !== undefined && path !== undefined ? { replayPath } : {}),
          ...(afterPaths !== undefined ? { afterPaths } : {}),
          command: replayCommand({ implArg: ctx.implArg, profile: ctx.profile, ruleId: r.ruleId, seed: details.seed, ...(path !== undefined ? { path } : {}), ...(replayPath !== undefined && path !== undefined ? { replayPath } : {}), ...(afterPaths !== undefined ? { afterPaths } : {}) }),
        },
      });
    }
    if (fresh.length === 0) {
      // The failure did not reproduce on re-execution (a flaky implementation): report it as an error.
      const first = details.errorInstance instanceof CaseFailed ? details.errorInstance.results : [];
      for (const r of first.filter((x) => !failed.has(x.ruleId))) {
        failed.add(r.ruleId);
        out.push({ ...r, verdict: 'error', message: `${r.message} (did not reproduce when re-run: flaky)`, counterexample: spec.show(input) });
      }
      if (first.length === 0) break;
    }
    // Every selected rule of the suite has failed: another round could only re-judge them.
    if ([...target].every((r) => failed.has(r))) break;
  }
  const elapsed = Math.round(performance.now() - started);
  const cases = executed;
  // A pinned known failure is reported next to any new failure of its rule (both are evidence).
  out.push(...knownSeen.values());
  for (const [ruleId, entry] of judged) {
    if (failed.has(ruleId)) continue;
    if (entry.cases.size > 0) {
      out.push({ type: 'case', ruleId, caseId: `${suite.id}/*`, verdict: 'pass', message: `held on ${entry.cases.size} of ${cases} case(s)`, casesJudged: entry.cases.size, durationMs: elapsed });
    } else if (entry.skip !== undefined) {
      out.push(entry.skip);
    } else if (entry.unsupported !== undefined) {
      // The rule's own missing capability, not the first one a case that could not run lacked.
      const gap = ownGap(ruleId, ctx.implementation.capabilities);
      out.push(gap === undefined ? entry.unsupported : { ...entry.unsupported, message: gap });
    }
  }
  return out;
}

/**
 * The input at a fast-check path of this property (the generated index, then shrink steps),
 * without running the case: fast-check walks the shrink tree to it, the predicate only records it.
 */
function inputAt<T>(spec: PropertySpec<T>, params: fc.Parameters<[T]>, path: string, ctx: SuiteContext): T {
  let found: { readonly input: T } | undefined;
  const details = fc.check(
    fc.property(spec.arbitrary({}), (input) => {
      found = { input };
      return false;
    }),
    { ...params, path, endOnFailure: true },
  );
  if (found === undefined || !details.failed) {
    throw new ConformanceInputError('USAGE', `--after-path ${path} does not lead to a case of seed ${ctx.seed}.`, 'copy the replay command exactly as a failure printed it.');
  }
  return found.input;
}

/** fast-check with replay problems turned into typed input errors (exit 2, not 3). */
async function checkProperty<T>(property: fc.IAsyncProperty<[T]>, params: fc.Parameters<[T]>, ctx: SuiteContext): Promise<fc.RunDetails<[T]>> {
  try {
    return await fc.check(property, params);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (ctx.path !== undefined && /Unable to replay|replayPath/.test(message)) {
      throw new ConformanceInputError(
        'USAGE',
        `--path ${ctx.path}${ctx.replayPath !== undefined ? ` --replay-path ${ctx.replayPath}` : ''} does not lead to a case of seed ${ctx.seed} (${message.slice(0, 160)}).`,
        'copy the replay command exactly as a failure printed it (same --impl, --rules, --seed, --path and --replay-path).',
      );
    }
    throw e;
  }
}

async function executeSafely<T>(spec: PropertySpec<T>, input: T, caseId: string): Promise<RuleResult[]> {
  try {
    return await spec.execute(input, caseId);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return [{ ruleId: '*', verdict: 'error', caseId, message: `harness error while running ${spec.show(input)}: ${message}` }];
  }
}

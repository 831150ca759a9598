import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ConformanceInputError } from '../errors.js';
import { ruleById, ruleIdsInProfile } from '../rules/catalogue.js';
import { DEFAULT_PROFILE, type ProfileId } from '../rules/profiles.js';
import type { Implementation } from './implementation.js';
import type { MockControl } from './mock-control.js';
import { scratchRoot } from './scratch-root.js';
import { unsupportedBecause } from './rule-needs.js';
import { RESULTS_FORMAT_VERSION, summarize, type CaseResult, type RunHeader, type RunReport, type Shard } from './results.js';
import { applyExpectations, pinnedKnownFailure, type ExpectationFile } from './expectation-file.js';
import type { CaseProgress, Suite } from './suite.js';

export const TOOL_VERSION = '0.1.0';

export interface RunOptions {
  readonly implementation: Implementation;
  readonly mock: MockControl;
  readonly suites: readonly Suite[];
  /** Rule id prefixes (`HDR`, `HDR.AGENT`, `GATE.APIKEY.001`); empty selects every rule of the profile. */
  readonly rulePrefixes?: readonly string[];
  /** The contract profile the run judges (default: the newest). */
  readonly profile?: ProfileId;
  readonly seed?: number;
  readonly runs?: number;
  readonly path?: string;
  /** fast-check's command replay log of a model-based failure (with `path`). */
  readonly replayPath?: string;
  /** Paths run first, on the same process, when replaying a failure that depended on process history (with `path`). */
  readonly afterPaths?: readonly string[];
  /** Run one shard of the cases (`--shard k/n`); the streams of all shards merge into the run. */
  readonly shard?: Shard;
  readonly implArg?: string;
  /** Called as each suite finishes. */
  readonly onSuite?: (suite: Suite, results: readonly CaseResult[]) => void;
  /** Called after every case (progress on long runs). */
  readonly onCase?: (progress: CaseProgress) => void;
  /** A transient status line for long steps (terminal only). */
  readonly onStatus?: (text: string) => void;
  /** Known failures of this implementation (`--expect FILE`). */
  readonly expectations?: ExpectationFile;
  /** Where `expectations` came from, as the user wrote it (annotations point there). */
  readonly expectFile?: string;
  /**
   * Collect every distinct failure (up to ten per rule, by evidence) instead of shrinking the
   * first one per rule: what `run --update-expectations` pins. Failures carry their case, no replay.
   */
  readonly collectFailures?: boolean;
}

/**
 * Rules of the profile selected by prefixes; an empty selection is a usage error, never a vacuous
 * pass. Naming a rule of another profile (or a withdrawn one) says so.
 */
export function selectRules(prefixes: readonly string[] = [], profile: ProfileId = DEFAULT_PROFILE): string[] {
  const ids = [...ruleIdsInProfile(profile)];
  if (prefixes.length === 0) return ids;
  const matches = (id: string): boolean => prefixes.some((p) => id === p || id.startsWith(p.endsWith('.') ? p : `${p}.`));
  const selected = ids.filter(matches);
  if (selected.length === 0) {
    const elsewhere = prefixes.map((p) => ruleById(p)).find((r) => r !== undefined);
    const why =
      elsewhere === undefined
        ? 'pass a rule id or a prefix of one (AREA or AREA.TOPIC); `codex-auth-conformance rules --profile <name>` lists them.'
        : elsewhere.withdrawn !== undefined
          ? `${elsewhere.id} was withdrawn (${elsewhere.withdrawn.reason}); use ${elsewhere.withdrawn.replacedBy.join(', ')}.`
          : `${elsewhere.id} belongs to profile(s) ${elsewhere.profiles.join(', ')}; pass --profile ${elsewhere.profiles[0] ?? ''}.`;
    throw new ConformanceInputError('USAGE', `--rules ${prefixes.join(',')} selects no rule of profile ${profile}.`, why);
  }
  return selected;
}

export async function runConformance(opts: RunOptions): Promise<RunReport> {
  const profile = opts.profile ?? DEFAULT_PROFILE;
  const selected = selectRules(opts.rulePrefixes, profile);
  const selectedSet = new Set(selected);
  const suites = opts.suites.filter((s) => s.rules.some((r) => selectedSet.has(r)));
  if (opts.path !== undefined && suites.length !== 1) {
    throw new ConformanceInputError('USAGE', `--path replays one property, but the selected rules span ${suites.length} suites.`, 'select one rule with --rules <RULE.ID> together with --seed and --path, as the printed replay command does.');
  }
  if (opts.afterPaths !== undefined && opts.path === undefined) {
    throw new ConformanceInputError('USAGE', '--after-path goes with --path.', 'copy the whole replay command a failure printed.');
  }
  if (opts.replayPath !== undefined && opts.path === undefined) {
    throw new ConformanceInputError('USAGE', '--replay-path goes with --path.', 'copy the whole replay command a failure printed.');
  }
  const seed = opts.seed ?? (Date.now() ^ (Math.random() * 0x7fffffff)) >>> 0;
  const runs = opts.runs ?? 100;
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const scratch = await mkdtemp(join(scratchRoot(), 'codex-auth-conformance-'));
  let cases: CaseResult[] = [];
  let casesRun = 0;
  try {
    for (const suite of suites) {
      const results = await suite.run({
        implementation: opts.implementation,
        mock: opts.mock,
        seed,
        runs,
        ...(opts.path !== undefined ? { path: opts.path } : {}),
        ...(opts.replayPath !== undefined ? { replayPath: opts.replayPath } : {}),
        ...(opts.afterPaths !== undefined ? { afterPaths: opts.afterPaths } : {}),
        ...(opts.shard !== undefined ? { shard: opts.shard } : {}),
        rules: selected.filter((id) => suite.rules.includes(id)),
        onCase: (progress) => {
          casesRun += 1;
          opts.onCase?.(progress);
        },
        ...(opts.onStatus !== undefined ? { onStatus: opts.onStatus } : {}),
        scratch,
        implArg: opts.implArg ?? opts.implementation.name,
        profile,
        ...(opts.collectFailures === true ? { knownFailure: () => true } : opts.expectations !== undefined ? { knownFailure: pinnedKnownFailure(opts.expectations) } : {}),
      });
      // Idle driver processes end with their suite: what a process served before a failure (its
      // history, which a replay re-runs) then stays within one suite's property.
      await opts.implementation.close?.();
      const mine = results.filter((r) => selectedSet.has(r.ruleId));
      cases.push(...mine);
      opts.onSuite?.(suite, mine);
    }
  } finally {
    // Idle driver processes kept for reuse end with the run.
    await opts.implementation.close?.();
    await rm(scratch, { recursive: true, force: true });
  }
  // A rule no case reached because the implementation or the mock cannot support it is unsupported, with the reason.
  // So is one that no case reached while the expectation file lists it as unsupported, with its reason
  // (a behaviour the implementation never shows, such as a discovery request it never sends); a shard
  // may miss a rule by chance, so only a whole run counts this.
  const reachedIds = new Set(cases.map((c) => c.ruleId));
  const listedUnsupported = new Map((opts.shard === undefined ? opts.expectations?.unsupported ?? [] : []).map((u) => [u.rule, u.reason] as const));
  for (const id of selected.filter((r) => !reachedIds.has(r))) {
    const capability = unsupportedBecause(id, opts.implementation, opts.mock);
    const listed = listedUnsupported.get(id);
    const why = capability ?? (listed === undefined ? undefined : `no case reached it, and the expectation file says why: ${listed}`);
    if (why !== undefined) cases.push({ type: 'case', ruleId: id, caseId: 'capabilities', verdict: 'unsupported', message: `${id} unsupported: ${why}`, durationMs: 0 });
  }
  if (opts.expectations !== undefined) cases = applyExpectations(cases, opts.expectations, { partial: opts.shard !== undefined });
  const header: RunHeader = {
    type: 'header',
    formatVersion: RESULTS_FORMAT_VERSION,
    tool: { name: 'codex-auth-conformance', version: TOOL_VERSION },
    implementation: { name: opts.implementation.name, version: opts.implementation.version },
    profile,
    seed,
    runs,
    rulesSelected: selected,
    startedAt,
    ...(opts.shard !== undefined ? { shard: opts.shard } : {}),
    ...(opts.expectFile !== undefined ? { expectFile: opts.expectFile } : {}),
  };
  return { header, cases, footer: summarize(header, cases, { casesRun, durationMs: Math.round(performance.now() - started) }) };
}

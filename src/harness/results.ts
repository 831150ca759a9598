import { ConformanceInputError } from '../errors.js';
import type { CaseEvidence } from './case-evidence.js';
import type { ProfileId } from '../rules/profiles.js';
import { VERDICTS, type Verdict } from '../rules/rule.js';

/**
 * The results stream of one run: a header, one line per (rule, case), a footer. Serialized as
 * NDJSON; every other report is rendered from it, in the same run or later (`report`). Shards of
 * one run (`run --shard k/n`) merge by concatenating their streams.
 *
 * Version 2 counts rules and cases separately (`footer.rules`, `footer.results`,
 * `footer.casesRun`); version-1 streams are still read (their counts are recomputed).
 */
export const RESULTS_FORMAT_VERSION = 2;

export interface Shard {
  /** 1-based index of this shard. */
  readonly index: number;
  readonly count: number;
}

export interface RunHeader {
  readonly type: 'header';
  readonly formatVersion: number;
  readonly tool: { readonly name: 'codex-auth-conformance'; readonly version: string };
  readonly implementation: { readonly name: string; readonly version: string };
  /** The contract profile judged (absent in streams written before profiles existed). */
  readonly profile?: ProfileId;
  readonly seed: number;
  readonly runs: number;
  readonly rulesSelected: readonly string[];
  readonly startedAt: string;
  /** This stream holds one shard of the run's cases (`--shard k/n`). */
  readonly shard?: Shard;
  /** The expectation file the run was judged with (`--expect FILE`, as given), if any. */
  readonly expectFile?: string;
  /** This stream is the merge of these shards of one run (`report` over shard streams). */
  readonly mergedShards?: { readonly count: number; readonly indices: readonly number[] };
}

export interface Replay {
  readonly seed: number;
  readonly path?: string;
  /** fast-check's command replay log of a model-based failure (`--replay-path`). */
  readonly replayPath?: string;
  /**
   * Paths of the cases the failing case's process served before it, which the failure needed
   * (a reused driver process that kept state across `reset`); the replay runs them first.
   */
  readonly afterPaths?: readonly string[];
  /** A command line that replays this failure. */
  readonly command: string;
}

export interface CaseResult {
  readonly type: 'case';
  readonly ruleId: string;
  readonly caseId: string;
  readonly verdict: Verdict;
  readonly message: string;
  readonly expected?: string;
  readonly actual?: string;
  /** Shrunk counterexample (already redacted) when a property found the failure. */
  readonly counterexample?: string;
  readonly replay?: Replay;
  /** Generated cases fast-check ran up to and including the first failing one (RunDetails.numRuns). */
  readonly casesToFailure?: number;
  /** For a rule's summary line: the number of cases that judged it. */
  readonly casesJudged?: number;
  /** Known failure from an expectation file, with its reason. */
  readonly expectedFailure?: { readonly reason: string; readonly link?: string };
  /** A failure's wire evidence: the case's journal (redacted) and the expected request, when known. */
  readonly evidence?: CaseEvidence;
  readonly durationMs: number;
}

export type VerdictCounts = Readonly<Record<Verdict, number>>;

export interface RunFooter {
  readonly type: 'footer';
  /** One verdict per rule that produced a result (see `ruleVerdict`). */
  readonly rules: VerdictCounts;
  /** Result lines by verdict (a rule has one summary line, or one line per failing case). */
  readonly results: VerdictCounts;
  /** Test cases executed (examples, generated cases and counterexample re-runs). */
  readonly casesRun: number;
  /** Rules selected that produced no result at all (a partial run, unless this is one shard). */
  readonly rulesNotReached: readonly string[];
  readonly durationMs: number;
  /** True only when every selected rule ran and passed (failed as expected, or is unsupported). */
  readonly ok: boolean;
}

export type ResultLine = RunHeader | CaseResult | RunFooter;

export interface RunReport {
  readonly header: RunHeader;
  readonly cases: readonly CaseResult[];
  readonly footer: RunFooter;
}

export function emptyCounts(): Record<Verdict, number> {
  return Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
}

/** Result lines by verdict. */
export function countVerdicts(cases: readonly CaseResult[]): Record<Verdict, number> {
  const counts = emptyCounts();
  for (const c of cases) counts[c.verdict] += 1;
  return counts;
}

/** Rules by verdict (each rule counted once, with `ruleVerdict` over its lines). */
export function countRuleVerdicts(cases: readonly CaseResult[]): Record<Verdict, number> {
  const counts = emptyCounts();
  for (const list of groupByRule(cases).values()) counts[ruleVerdict(list)] += 1;
  return counts;
}

/**
 * The verdict of a rule across its cases: any error, else any fail, else pass if any case
 * passed, else skip if any case was skipped (a partial run), else unsupported.
 */
export function ruleVerdict(cases: readonly CaseResult[]): Verdict {
  if (cases.some((c) => c.verdict === 'error')) return 'error';
  if (cases.some((c) => c.verdict === 'fail')) return 'fail';
  if (cases.some((c) => c.verdict === 'pass')) return 'pass';
  if (cases.some((c) => c.verdict === 'skip')) return 'skip';
  return 'unsupported';
}

export function groupByRule(cases: readonly CaseResult[]): Map<string, CaseResult[]> {
  const byRule = new Map<string, CaseResult[]>();
  for (const c of cases) {
    const list = byRule.get(c.ruleId) ?? [];
    list.push(c);
    byRule.set(c.ruleId, list);
  }
  return byRule;
}

/** Why a run is not OK (empty when it is). One place decides, for runs, repros and merges. */
export function problemsOf(header: RunHeader, cases: readonly CaseResult[], rulesNotReached: readonly string[], truncated = false): string[] {
  const problems: string[] = [];
  const byRule = groupByRule(cases);
  const unexpected = cases.filter((c) => (c.verdict === 'fail' || c.verdict === 'error') && c.expectedFailure === undefined);
  if (unexpected.length > 0) problems.push(`${new Set(unexpected.map((c) => c.ruleId)).size} rule(s) failed or errored`);
  const skipped = [...byRule].filter(([, list]) => ruleVerdict(list) === 'skip').map(([id]) => id);
  if (skipped.length > 0) problems.push(`${skipped.length} rule(s) skipped (a partial run)`);
  if (header.shard === undefined && rulesNotReached.length > 0) problems.push(`${rulesNotReached.length} selected rule(s) not reached`);
  const judged = cases.some((c) => c.verdict === 'pass' || c.verdict === 'fail');
  if (!judged) problems.push('no rule was judged');
  const merged = header.mergedShards;
  if (merged !== undefined) {
    const missing = Array.from({ length: merged.count }, (_, i) => i + 1).filter((i) => !merged.indices.includes(i));
    if (missing.length > 0) problems.push(`shard(s) ${missing.join(', ')} of ${merged.count} missing`);
  }
  if (truncated) problems.push('the stream has no footer (the run did not finish)');
  return problems;
}

/** The footer of a run from its header and result lines. */
export function summarize(header: RunHeader, cases: readonly CaseResult[], extra: { readonly casesRun: number; readonly durationMs: number; readonly truncated?: boolean }): RunFooter {
  const reached = new Set(cases.map((c) => c.ruleId));
  const rulesNotReached = header.rulesSelected.filter((id) => !reached.has(id));
  return {
    type: 'footer',
    rules: countRuleVerdicts(cases),
    results: countVerdicts(cases),
    casesRun: extra.casesRun,
    rulesNotReached,
    durationMs: extra.durationMs,
    ok: problemsOf(header, cases, rulesNotReached, extra.truncated === true).length === 0,
  };
}

/** "46 rules: 42 passed, 4 failed" style text of rule counts, only non-zero verdicts after the first two. */
export function describeRuleCounts(counts: VerdictCounts): string {
  const total = VERDICTS.reduce((n, v) => n + counts[v], 0);
  const parts = [`${counts.pass} passed`, `${counts.fail} failed`];
  if (counts.error > 0) parts.push(`${counts.error} errored`);
  if (counts.skip > 0) parts.push(`${counts.skip} skipped`);
  if (counts.unsupported > 0) parts.push(`${counts.unsupported} unsupported`);
  return `${total} rule${total === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

export function toNdjson(report: RunReport): string {
  return [report.header, ...report.cases, report.footer].map((l) => JSON.stringify(l)).join('\n') + '\n';
}

interface RawStream {
  header: RunHeader;
  cases: CaseResult[];
  footer?: Partial<RunFooter>;
}

/**
 * Parses one or more results streams (several concatenated streams, e.g. `cat shard-*.ndjson`,
 * are several reports); throws a typed error naming the line that is wrong.
 */
export function parseResultsStreams(text: string, source: string): RunReport[] {
  const streams: RawStream[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    if (raw.trim() === '') return;
    let line: unknown;
    try {
      line = JSON.parse(raw);
    } catch {
      throw badResults(source, index + 1, 'is not JSON');
    }
    const type = typeof line === 'object' && line !== null ? (line as { type?: unknown }).type : undefined;
    const current = streams[streams.length - 1];
    if (type === 'header') {
      streams.push({ header: checkedHeader(line as Record<string, unknown>, source, index + 1), cases: [] });
    } else if (type === 'case') {
      if (current === undefined) throw badResults(source, index + 1, 'comes before any header line');
      if (current.footer !== undefined) throw badResults(source, index + 1, 'follows the footer of its stream');
      current.cases.push(checkedCase(line as Record<string, unknown>, source, index + 1));
    } else if (type === 'footer') {
      if (current === undefined) throw badResults(source, index + 1, 'comes before any header line');
      current.footer = line as Partial<RunFooter>;
    } else {
      throw badResults(source, index + 1, 'has no type header|case|footer');
    }
  });
  if (streams.length === 0) throw badResults(source, 1, 'is missing: no header line');
  return streams.map((s) => ({
    header: s.header,
    cases: s.cases,
    footer: summarize(s.header, s.cases, {
      casesRun: typeof s.footer?.casesRun === 'number' ? s.footer.casesRun : 0,
      durationMs: typeof s.footer?.durationMs === 'number' ? s.footer.durationMs : 0,
      truncated: s.footer === undefined,
    }),
  }));
}

/** Parses a file that holds one run (or the shards of one run, which are merged). */
export function parseResultsNdjson(text: string, source: string): RunReport {
  const merged = mergeReports(parseResultsStreams(text, source));
  if (merged.length !== 1) {
    throw new ConformanceInputError('BAD_SCENARIO', `${source} holds ${merged.length} different runs.`, 'pass one run (or the shards of one run) per file; `report` renders several runs side by side.');
  }
  return merged[0]!;
}

function runKey(h: RunHeader): string {
  return JSON.stringify([h.implementation.name, h.implementation.version, h.seed, h.runs, h.rulesSelected, h.shard?.count ?? 0]);
}

/**
 * Merges the shards of each run (same implementation, seed, runs, selection and shard count) into
 * one report; streams that are not shards pass through. Order of first appearance is kept.
 */
export function mergeReports(reports: readonly RunReport[]): RunReport[] {
  const out: RunReport[] = [];
  const groups = new Map<string, RunReport[]>();
  for (const r of reports) {
    if (r.header.shard === undefined) {
      out.push(r);
      continue;
    }
    const key = runKey(r.header);
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, [r]);
      out.push(r); // placeholder, replaced below
    } else {
      group.push(r);
    }
  }
  return out.map((r) => {
    if (r.header.shard === undefined) return r;
    const group = groups.get(runKey(r.header))!;
    const indices = [...new Set(group.map((g) => g.header.shard!.index))].sort((a, b) => a - b);
    if (indices.length !== group.length) {
      throw new ConformanceInputError('BAD_SCENARIO', `shard ${group.find((g, i) => group.findIndex((h) => h.header.shard!.index === g.header.shard!.index) !== i)!.header.shard!.index} of ${r.header.implementation.name} (seed ${r.header.seed}) appears twice.`, 'pass each shard stream once.');
    }
    const { shard: _shard, ...base } = r.header;
    const header: RunHeader = { ...base, mergedShards: { count: r.header.shard.count, indices } };
    const cases = group.flatMap((g) => g.cases);
    return {
      header,
      cases,
      footer: summarize(header, cases, {
        casesRun: group.reduce((n, g) => n + g.footer.casesRun, 0),
        durationMs: Math.max(...group.map((g) => g.footer.durationMs)),
      }),
    };
  });
}

function checkedHeader(line: Record<string, unknown>, source: string, n: number): RunHeader {
  const impl = line['implementation'] as { name?: unknown; version?: unknown } | undefined;
  if (typeof impl?.name !== 'string' || typeof line['seed'] !== 'number' || !Array.isArray(line['rulesSelected'])) {
    throw badResults(source, n, 'is a header without implementation.name, seed and rulesSelected');
  }
  const shard = line['shard'] as { index?: unknown; count?: unknown } | undefined;
  if (shard !== undefined && (typeof shard.index !== 'number' || typeof shard.count !== 'number' || shard.index < 1 || shard.index > shard.count)) {
    throw badResults(source, n, 'has a shard that is not {index, count} with 1 <= index <= count');
  }
  return line as unknown as RunHeader;
}

function checkedCase(line: Record<string, unknown>, source: string, n: number): CaseResult {
  if (typeof line['ruleId'] !== 'string' || !(VERDICTS as readonly unknown[]).includes(line['verdict']) || typeof line['message'] !== 'string') {
    throw badResults(source, n, `is a case without ruleId, a verdict (${VERDICTS.join('|')}) and message`);
  }
  return line as unknown as CaseResult;
}

function badResults(source: string, line: number, what: string): ConformanceInputError {
  return new ConformanceInputError(
    'BAD_SCENARIO',
    `${source}: line ${line} ${what}.`,
    'pass a results stream written by `codex-auth-conformance run --reporter json=FILE`.',
  );
}

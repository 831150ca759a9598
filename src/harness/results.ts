import { ConformanceInputError } from '../errors.js';
import type { ProfileId } from '../rules/profiles.js';
import type { Verdict } from '../rules/rule.js';

/**
 * The results stream of one run: a header, one line per (rule, case), a footer. Serialized as
 * NDJSON (schemas/results.schema.json); every other report is rendered from it.
 */
export const RESULTS_FORMAT_VERSION = 1;

export interface RunHeader {
  readonly type: 'header';
  readonly formatVersion: typeof RESULTS_FORMAT_VERSION;
  readonly tool: { readonly name: 'codex-auth-conformance'; readonly version: string };
  readonly implementation: { readonly name: string; readonly version: string };
  /** The contract profile judged (absent in streams written before profiles existed). */
  readonly profile?: ProfileId;
  readonly seed: number;
  readonly runs: number;
  readonly rulesSelected: readonly string[];
  readonly startedAt: string;
}

export interface Replay {
  readonly seed: number;
  readonly path?: string;
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
  /** Known failure from an expectation file, with its reason. */
  readonly expectedFailure?: { readonly reason: string; readonly link?: string };
  readonly durationMs: number;
}

export interface RunFooter {
  readonly type: 'footer';
  readonly counts: Readonly<Record<Verdict, number>>;
  /** Rules selected that produced no result at all (a partial run). */
  readonly rulesNotReached: readonly string[];
  readonly durationMs: number;
  /** True only when every selected rule ran and passed (or failed as expected). */
  readonly ok: boolean;
}

export type ResultLine = RunHeader | CaseResult | RunFooter;

export interface RunReport {
  readonly header: RunHeader;
  readonly cases: readonly CaseResult[];
  readonly footer: RunFooter;
}

export function countVerdicts(cases: readonly CaseResult[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { pass: 0, fail: 0, skip: 0, error: 0 };
  for (const c of cases) counts[c.verdict] += 1;
  return counts;
}

/** The verdict of a rule across its cases: any error, else any fail, else pass if any pass, else skip. */
export function ruleVerdict(cases: readonly CaseResult[]): Verdict {
  if (cases.some((c) => c.verdict === 'error')) return 'error';
  if (cases.some((c) => c.verdict === 'fail')) return 'fail';
  if (cases.some((c) => c.verdict === 'pass')) return 'pass';
  return 'skip';
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

export function toNdjson(report: RunReport): string {
  return [report.header, ...report.cases, report.footer].map((l) => JSON.stringify(l)).join('\n') + '\n';
}

/** Parses a results stream; throws a typed error naming the line that is wrong. */
export function parseResultsNdjson(text: string, source: string): RunReport {
  let header: RunHeader | undefined;
  let footer: RunFooter | undefined;
  const cases: CaseResult[] = [];
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
    if (type === 'header') header = line as RunHeader;
    else if (type === 'case') cases.push(line as CaseResult);
    else if (type === 'footer') footer = line as RunFooter;
    else throw badResults(source, index + 1, 'has no type header|case|footer');
  });
  if (header === undefined) throw badResults(source, 1, 'is missing: no header line');
  if (footer === undefined) {
    const counts = countVerdicts(cases);
    footer = { type: 'footer', counts, rulesNotReached: [], durationMs: 0, ok: false };
  }
  return { header, cases, footer };
}

function badResults(source: string, line: number, what: string): ConformanceInputError {
  return new ConformanceInputError(
    'BAD_SCENARIO',
    `${source}: line ${line} ${what}.`,
    'pass a results stream written by `codex-auth-conformance run --reporter json`.',
  );
}

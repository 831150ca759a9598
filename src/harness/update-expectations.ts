import type { ExpectationFile, KnownFailure, UnsupportedRule } from './expectation-file.js';
import { evidenceOf, pinMatches, pinOf, type FailurePin } from './failure-evidence.js';
import { groupByRule, ruleVerdict, type CaseResult } from './results.js';

/**
 * The expectation file a run implies (`run --update-expectations FILE`), to review and commit:
 * every rule that failed is a known failure pinned to the evidence of each failure line (case,
 * request, field; see failure-evidence.ts); every rule judged unsupported is listed with the
 * reason the run gave. What an earlier file said (`previous`: its reasons, links, evidence,
 * sources and pins) is kept for the rules that still fail or are still unsupported; a pin the
 * run did not show again is kept too (a random run need not reach every known failure), and a
 * new reason says where it came from so a reviewer replaces it.
 */
export function expectationsFromRun(
  cases: readonly CaseResult[],
  meta: { readonly implementation: string; readonly seed: number },
  previous?: ExpectationFile,
): ExpectationFile {
  // Lines the expectation check added (stale or unlisted entries) are judgements of the old file, not of the implementation.
  const own = cases.filter((c) => c.caseId !== 'expectations');
  const byRule = groupByRule(own);
  const before = new Map((previous?.knownFailures ?? []).map((k) => [k.rule, k] as const));
  const beforeUnsupported = new Map((previous?.unsupported ?? []).map((u) => [u.rule, u] as const));
  const knownFailures: KnownFailure[] = [];
  const unsupported: UnsupportedRule[] = [];
  // The previous file's order first (a reviewed file keeps its shape), new rules after it by id.
  const order = (id: string): number => {
    const i = (previous?.knownFailures ?? []).findIndex((k) => k.rule === id);
    const j = (previous?.unsupported ?? []).findIndex((u) => u.rule === id);
    return i >= 0 ? i : j >= 0 ? 10_000 + j : 20_000;
  };
  for (const [rule, lines] of [...byRule].sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))) {
    const verdict = ruleVerdict(lines);
    if (verdict === 'unsupported') {
      unsupported.push(beforeUnsupported.get(rule) ?? { rule, reason: lines[0]?.message ?? 'unsupported' });
      continue;
    }
    const failing = lines.filter((c) => c.verdict === 'fail');
    if (verdict !== 'fail' || failing.length === 0) continue;
    const old = before.get(rule);
    const pins: FailurePin[] = [...(old?.failures ?? [])];
    for (const line of failing) {
      const evidence = evidenceOf(line);
      if (pins.some((p) => pinMatches(p, evidence))) continue;
      const pin = pinOf(evidence);
      // A failure that shows nothing identifying stays unpinned (any failure of the rule), said so by the loader's warning.
      if (Object.keys(pin).length > 0) pins.push(pin);
    }
    const base: KnownFailure = old ?? { rule, reason: `found by run --seed ${meta.seed} (review and say why): ${(failing[0]?.message ?? '').slice(0, 300)}` };
    const { failures: _drop, ...rest } = base;
    knownFailures.push(pins.length > 0 && failing.every((line) => pins.some((p) => pinMatches(p, evidenceOf(line)))) ? { ...rest, failures: pins } : rest);
  }
  return {
    implementation: previous?.implementation ?? meta.implementation,
    knownFailures,
    ...(unsupported.length > 0 ? { unsupported } : {}),
  };
}

/** The file's JSON text (two-space indent, the key order of the committed files). */
export function expectationFileText(file: ExpectationFile): string {
  const { warnings: _warnings, ...rest } = file;
  return `${JSON.stringify(rest, null, 2)}\n`;
}

import { ruleById } from '../../rules/catalogue.js';
import { groupByRule, ruleVerdict, type CaseResult, type RunReport } from '../results.js';
import type { Verdict } from '../../rules/rule.js';

/**
 * The rule x release matrix of several codex-cli runs (one results report per release): per rule
 * and release the rule's verdict, with the first failure's evidence. JSON for tooling (each
 * release's full results stream is written beside it, so `diff A.ndjson B.ndjson` compares two
 * releases), Markdown for the README and CI step summaries.
 */
export interface MatrixCell {
  readonly verdict: Verdict;
  /** First failing (or skipping) result's message, when not a pass. */
  readonly evidence?: string;
  /** Cases that judged the rule. */
  readonly cases: readonly string[];
  /** Known failure accepted by an expectation file. */
  readonly expected?: boolean;
  /**
   * A finding (judges/release-findings.ts) in a case of a rule whose verdict, over all its cases,
   * is not `unsupported` (e.g. a pass elsewhere): kept so the matrix still shows it.
   */
  readonly finding?: { readonly cases: readonly string[]; readonly evidence: string };
}

/** The message prefix of a finding (judges/release-findings.ts `findingOf`). */
const FINDING = /^finding on \d+\.\d+\.\d+, not a failure/;

export interface MatrixRelease {
  readonly version: string;
  /** The contract profile the release was judged under (matrixProfileFor, release-facts.ts). */
  readonly profile?: string;
  readonly durationMs: number;
  readonly exercised: number;
  readonly pass: number;
  readonly fail: number;
  readonly skip: number;
  readonly error: number;
  readonly unsupported: number;
}

export interface ReleaseMatrix {
  readonly format: 'codex-cli-release-matrix/1';
  readonly releases: readonly MatrixRelease[];
  /** rule id -> version -> cell. */
  readonly rules: Readonly<Record<string, Readonly<Record<string, MatrixCell>>>>;
}

export function buildMatrix(runs: ReadonlyArray<{ readonly version: string; readonly profile?: string; readonly report: RunReport; readonly durationMs: number }>): ReleaseMatrix {
  const rules: Record<string, Record<string, MatrixCell>> = {};
  const releases: MatrixRelease[] = [];
  for (const run of runs) {
    const byRule = groupByRule(run.report.cases);
    const counts = { pass: 0, fail: 0, skip: 0, error: 0, unsupported: 0 };
    for (const [ruleId, cases] of byRule) {
      const verdict = ruleVerdict(cases);
      counts[verdict] += 1;
      const firstBad = cases.find((c) => c.verdict === verdict && verdict !== 'pass');
      rules[ruleId] ??= {};
      rules[ruleId]![run.version] = {
        verdict,
        ...(firstBad === undefined ? {} : { evidence: firstBad.message.slice(0, 600) }),
        cases: [...new Set(cases.filter((c) => c.verdict === verdict).map((c) => c.caseId.replace(/^codex-cli:/, '')))],
        ...(cases.some((c) => c.expectedFailure !== undefined) ? { expected: true } : {}),
        ...findingOf(cases, verdict),
      };
    }
    releases.push({ version: run.version, ...(run.profile === undefined ? {} : { profile: run.profile }), durationMs: Math.round(run.durationMs), exercised: counts.pass + counts.fail, ...counts });
  }
  const sorted: Record<string, Record<string, MatrixCell>> = {};
  for (const id of Object.keys(rules).sort()) sorted[id] = rules[id]!;
  return { format: 'codex-cli-release-matrix/1', releases, rules: sorted };
}

function findingOf(cases: readonly CaseResult[], verdict: Verdict): { finding: NonNullable<MatrixCell['finding']> } | Record<string, never> {
  if (verdict === 'unsupported') return {};
  const found = cases.filter((c) => c.verdict === 'unsupported' && FINDING.test(c.message));
  if (found.length === 0) return {};
  return { finding: { cases: [...new Set(found.map((c) => c.caseId.replace(/^codex-cli:/, '')))], evidence: found[0]!.message.slice(0, 600) } };
}

const SYMBOL: Readonly<Record<Verdict, string>> = { pass: 'pass', fail: '**FAIL**', skip: 'skip', error: 'error', unsupported: 'unsupported' };

/** The rule's pinned sources, for a failure line (` Source: path@ref, ...`). */
function sourceOf(id: string): string {
  const r = ruleById(id);
  return r === undefined ? '' : ` Source: ${r.source}.`;
}

export function renderMatrixMarkdown(m: ReleaseMatrix): string {
  const versions = m.releases.map((r) => r.version);
  const lines = [
    `| rule | ${versions.join(' | ')} |`,
    `| --- | ${versions.map(() => '---').join(' | ')} |`,
    ...(m.releases.some((r) => r.profile !== undefined) ? [`| *contract profile* | ${m.releases.map((r) => r.profile ?? '-').join(' | ')} |`] : []),
    ...Object.entries(m.rules).map(([id, cells]) => `| ${id} | ${versions.map((v) => (cells[v] === undefined ? '-' : `${SYMBOL[cells[v]!.verdict]}${cells[v]!.finding === undefined ? '' : ' + finding'}`)).join(' | ')} |`),
    `| **exercised (pass + fail)** | ${m.releases.map((r) => String(r.exercised)).join(' | ')} |`,
    `| wall time of the release's run | ${m.releases.map((r) => `${(r.durationMs / 1000).toFixed(1)} s`).join(' | ')} |`,
  ];
  const failures = Object.entries(m.rules).flatMap(([id, cells]) =>
    versions.filter((v) => cells[v]?.verdict === 'fail' || cells[v]?.verdict === 'error').map((v) => `- **${id} @ ${v}** (${cells[v]!.cases.join(', ')}): ${(cells[v]!.evidence ?? '').replace(/\s+/g, ' ')}${sourceOf(id)}`),
  );
  // `unsupported` cells that carry evidence: what a release's own source intends (e.g. SHARE rules before their PR), findings, not failures.
  const findings = Object.entries(m.rules).flatMap(([id, cells]) =>
    versions.flatMap((v) => {
      const cell = cells[v];
      if (cell === undefined) return [];
      const found = cell.finding ?? (cell.verdict === 'unsupported' && FINDING.test(cell.evidence ?? '') ? { cases: cell.cases, evidence: cell.evidence ?? '' } : undefined);
      return found === undefined ? [] : [`- **${id} @ ${v}** (${found.cases.join(', ')}): ${found.evidence.replace(/\s+/g, ' ')}`];
    }),
  );
  return `${lines.join('\n')}\n${failures.length === 0 ? '' : `\nFailures with evidence:\n\n${failures.join('\n')}\n`}${findings.length === 0 ? '' : `\nFindings (the release's source intends it; not failures):\n\n${findings.join('\n')}\n`}`;
}

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
   * Findings (release-findings.ts: `unsupported`, message `finding on …`) of the rule's cases,
   * also where other cases decide the cell (corpus B5: one finding among passes of HDR.BEARER.001).
   */
  readonly findings?: ReadonlyArray<{ readonly case: string; readonly evidence: string }>;
}

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
        ...findingsOf(cases),
      };
    }
    releases.push({ version: run.version, ...(run.profile === undefined ? {} : { profile: run.profile }), durationMs: Math.round(run.durationMs), exercised: counts.pass + counts.fail, ...counts });
  }
  const sorted: Record<string, Record<string, MatrixCell>> = {};
  for (const id of Object.keys(rules).sort()) sorted[id] = rules[id]!;
  return { format: 'codex-cli-release-matrix/1', releases, rules: sorted };
}

function findingsOf(cases: readonly CaseResult[]): Pick<MatrixCell, 'findings'> {
  const found = cases.filter((c) => c.verdict === 'unsupported' && /^finding/.test(c.message)).map((c) => ({ case: c.caseId.replace(/^codex-cli:/, ''), evidence: c.message.slice(0, 600) }));
  return found.length === 0 ? {} : { findings: found };
}

const SYMBOL: Readonly<Record<Verdict, string>> = { pass: 'pass', fail: '**FAIL**', skip: 'skip', error: 'error', unsupported: 'unsupported' };

/** The rule's pinned sources, for a failure line (` Source: path@ref, ...`). */
function sourceOf(id: string): string {
  const r = ruleById(id);
  return r === undefined ? '' : ` Source: ${r.source}.`;
}

/** A cell: its verdict, `+ finding` when a case's finding sits under another verdict. */
function cellText(cell: MatrixCell | undefined): string {
  if (cell === undefined) return '-';
  return cell.findings !== undefined && cell.verdict !== 'unsupported' ? `${SYMBOL[cell.verdict]} + finding` : SYMBOL[cell.verdict];
}

export function renderMatrixMarkdown(m: ReleaseMatrix): string {
  const versions = m.releases.map((r) => r.version);
  const lines = [
    `| rule | ${versions.join(' | ')} |`,
    `| --- | ${versions.map(() => '---').join(' | ')} |`,
    ...(m.releases.some((r) => r.profile !== undefined) ? [`| *contract profile* | ${m.releases.map((r) => r.profile ?? '-').join(' | ')} |`] : []),
    ...Object.entries(m.rules).map(([id, cells]) => `| ${id} | ${versions.map((v) => cellText(cells[v])).join(' | ')} |`),
    `| **exercised (pass + fail)** | ${m.releases.map((r) => String(r.exercised)).join(' | ')} |`,
    `| wall time of the release's run | ${m.releases.map((r) => `${(r.durationMs / 1000).toFixed(1)} s`).join(' | ')} |`,
  ];
  const failures = Object.entries(m.rules).flatMap(([id, cells]) =>
    versions.filter((v) => cells[v]?.verdict === 'fail' || cells[v]?.verdict === 'error').map((v) => `- **${id} @ ${v}** (${cells[v]!.cases.join(', ')}): ${(cells[v]!.evidence ?? '').replace(/\s+/g, ' ')}${sourceOf(id)}`),
  );
  // Findings: what a release's own source intends (e.g. SHARE rules before their PR), not failures; one line per case.
  const findings = Object.entries(m.rules).flatMap(([id, cells]) =>
    versions.flatMap((v) => (cells[v]?.findings ?? []).map((f) => `- **${id} @ ${v}** (${f.case}): ${f.evidence.replace(/\s+/g, ' ')}`)),
  );
  return `${lines.join('\n')}\n${failures.length === 0 ? '' : `\nFailures with evidence:\n\n${failures.join('\n')}\n`}${findings.length === 0 ? '' : `\nFindings (the release's source intends it; not failures):\n\n${findings.join('\n')}\n`}`;
}

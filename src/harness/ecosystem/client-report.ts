import { inProfile } from '../../rules/catalogue.js';
import { caseEvidence } from '../case-evidence.js';
import { applyExpectations, type ExpectationFile } from '../expectation-file.js';
import { countRuleVerdicts, countVerdicts, RESULTS_FORMAT_VERSION, type CaseResult, type RunReport } from '../results.js';
import { TOOL_VERSION } from '../runner.js';
import { ECOSYSTEM_PROFILE, ECOSYSTEM_RULES } from '../judges/ecosystem/ecosystem-rules.js';
import type { ClientRun } from './ecosystem-run.js';

/**
 * One client's part of the ecosystem table as a results stream (RunReport), the same format every
 * other run writes, so `diff` compares two table runs client by client; and the rules the table
 * judges (those of the ecosystem profile).
 */
export const JUDGED_RULES: readonly string[] = [...new Set<string>(Object.values(ECOSYSTEM_RULES))].filter((id) => inProfile(ECOSYSTEM_PROFILE, id));

/**
 * `partial`: only some scenarios ran, so a recorded failure that did not show is not stale (the
 * scenario that shows it may simply not have run); the stale-expectation error is dropped.
 */
export function clientReport(run: ClientRun, startedAt: string, expectations?: ExpectationFile, partial = false): RunReport {
  // Only rules of the profile are reported.
  const raw: CaseResult[] = run.scenarios.flatMap((s) =>
    s.results.filter((r) => inProfile(ECOSYSTEM_PROFILE, r.ruleId)).map((r): CaseResult => ({
      type: 'case',
      ruleId: r.ruleId,
      caseId: r.caseId ?? s.recording.caseId,
      verdict: r.verdict,
      message: r.message,
      ...(r.expected === undefined ? {} : { expected: r.expected }),
      ...(r.actual === undefined ? {} : { actual: r.actual }),
      // A failure carries the scenario's journal (redacted) for the pages that show evidence.
      ...(r.verdict === 'fail' || r.verdict === 'error' ? { evidence: caseEvidence(s.recording.entries, undefined, r.message) } : {}),
      durationMs: s.recording.durationMs,
    })),
  );
  const applied = expectations === undefined ? raw : applyExpectations(raw, expectations);
  const cases = partial ? applied.filter((c) => !(c.caseId === 'expectations' && c.verdict === 'error')) : applied;
  const counts = countVerdicts(cases);
  const rules = countRuleVerdicts(cases);
  const unexpected = cases.some((c) => c.verdict === 'error' || (c.verdict === 'fail' && c.expectedFailure === undefined));
  // The rules this client's scenarios reached are the ones its stream selects: a `—` cell (no scenario
  // exercised the rule for this client) is not a rule the run failed to reach, in the run or in `report`.
  const reached = new Set(cases.map((c) => c.ruleId));
  const selected = JUDGED_RULES.filter((r) => reached.has(r));
  const brokeDown = run.scenarios.some((s) => s.recording.safety.some((e) => e.kind === 'crashed' || e.kind === 'hung' || e.kind === 'driverFailed'));
  return {
    header: {
      type: 'header',
      formatVersion: RESULTS_FORMAT_VERSION,
      tool: { name: 'codex-auth-conformance', version: TOOL_VERSION },
      implementation: { name: run.client.id, version: run.version },
      seed: 0,
      runs: run.scenarios.length,
      rulesSelected: selected,
      startedAt,
    },
    cases,
    footer: {
      type: 'footer',
      rules,
      results: counts,
      casesRun: run.scenarios.length,
      rulesNotReached: [],
      durationMs: run.durationMs,
      ok: !unexpected && !brokeDown && counts.pass > 0,
    },
  };
}

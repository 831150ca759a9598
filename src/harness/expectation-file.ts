import { readFile } from 'node:fs/promises';
import { ConformanceInputError } from '../errors.js';
import { ruleById } from '../rules/catalogue.js';
import { evidenceOf, parseFailurePin, pinMatches, showEvidence, type FailureLine, type FailurePin } from './failure-evidence.js';
import { groupByRule, ruleVerdict, type CaseResult } from './results.js';

/**
 * What one implementation is known to do (`--expect FILE`):
 * `{ "implementation": "codex-cli",
 *    "knownFailures": [{ "rule": "HDR.ACCOUNT.002", "reason": "...", "link": "...",
 *                       "failures": [{ "request": "POST /backend-api/wham/remote/control/server/enroll", "field": "chatgpt-account-id" }] }],
 *    "unsupported": [{ "rule": "REFRESH.ERROR.001", "reason": "..." }] }`.
 * A known failure is pinned to its evidence (`failures`, see failure-evidence.ts): a failure of the
 * rule that matches a pin is reported as expected, one with other evidence is a new failure (the
 * run is not OK). An entry without `failures` (older files) accepts any failure of the rule and
 * is loaded with a warning that it is unpinned. A known failure whose rule passes is an error of
 * the run (the expectation is stale), unless the entry says `"intermittent": true` (a race decides it). `unsupported` lists the rules the implementation cannot be judged
 * on (it declares at `start` that it lacks the capability): with an expectation file, an
 * unsupported rule it does not list, or a listed rule that turns out supported, is an error, so
 * the file stays the honest statement of what the implementation does.
 */
export interface KnownFailure {
  readonly rule: string;
  readonly reason: string;
  readonly link?: string;
  /** Wire evidence of the failure (redacted), for reports. */
  readonly evidence?: string;
  /** The pinned source line the implementation contradicts, where it is wrong. */
  readonly contradicts?: SourceLine;
  /** What identifies each known failure of the rule; absent: any failure of the rule (unpinned). */
  readonly failures?: readonly FailurePin[];
  /**
   * The failure depends on a race (two processes' timing): a run where the rule passes is not
   * stale, as web-platform tests record `[PASS, FAIL]`. A failure still has to match the pins.
   */
  readonly intermittent?: boolean;
}

export interface SourceLine {
  readonly repo: string;
  readonly path: string;
  /** Commit (40 hex) or release tag the quote was read at. */
  readonly ref: string;
  readonly quote: string;
}

export interface UnsupportedRule {
  readonly rule: string;
  readonly reason: string;
}

export interface ExpectationFile {
  readonly implementation?: string;
  readonly knownFailures: readonly KnownFailure[];
  readonly unsupported?: readonly UnsupportedRule[];
  /** What the file should say better (an unpinned known failure), for the CLI to print. */
  readonly warnings?: readonly string[];
}

export async function loadExpectationFile(path: string): Promise<ExpectationFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new ConformanceInputError('BAD_SCENARIO', `cannot read expectation file ${path}.`, 'pass an existing JSON file to --expect.');
  }
  return parseExpectationFile(text, path);
}

export function parseExpectationFile(text: string, source: string): ExpectationFile {
  const fix = 'write {"knownFailures": [{"rule": "RULE.ID", "reason": "why", "link": "https://..."}]}.';
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ConformanceInputError('BAD_SCENARIO', `${source} is not JSON.`, fix);
  }
  const list = (data as { knownFailures?: unknown } | null)?.knownFailures;
  if (!Array.isArray(list)) throw new ConformanceInputError('BAD_SCENARIO', `${source} has no knownFailures array.`, fix);
  const knownFailures = list.map((item, i): KnownFailure => {
    const { rule, reason, link, evidence, contradicts, failures, intermittent } = (item ?? {}) as Record<string, unknown>;
    if (typeof rule !== 'string' || ruleById(rule) === undefined) {
      throw new ConformanceInputError('BAD_SCENARIO', `${source}: knownFailures[${i}].rule ${JSON.stringify(rule)} is not a rule id of the catalogue.`, 'use an id listed by `codex-auth-conformance rules`.');
    }
    const withdrawn = ruleById(rule)?.withdrawn;
    if (withdrawn !== undefined) {
      throw new ConformanceInputError('BAD_SCENARIO', `${source}: knownFailures[${i}].rule ${rule} was withdrawn (${withdrawn.reason}).`, `judge its replacement (${withdrawn.replacedBy.join(', ')}) or drop the entry.`);
    }
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new ConformanceInputError('BAD_SCENARIO', `${source}: knownFailures[${i}] (${rule}) has no reason.`, 'say why the failure is expected.');
    }
    if (link !== undefined && typeof link !== 'string') {
      throw new ConformanceInputError('BAD_SCENARIO', `${source}: knownFailures[${i}].link is not a string.`, fix);
    }
    if (evidence !== undefined && typeof evidence !== 'string') {
      throw new ConformanceInputError('BAD_SCENARIO', `${source}: knownFailures[${i}].evidence is not a string.`, fix);
    }
    const line = contradicts === undefined ? undefined : parseSourceLine(contradicts, `${source}: knownFailures[${i}].contradicts`);
    if (failures !== undefined && (!Array.isArray(failures) || failures.length === 0)) {
      throw new ConformanceInputError('BAD_SCENARIO', `${source}: knownFailures[${i}].failures (${rule}) is not a non-empty array.`, 'list what identifies each known failure, e.g. "failures": [{"request": "GET /backend-api/wham/tasks/list", "field": "chatgpt-account-id"}], or drop the key (any failure of the rule is then accepted).');
    }
    if (intermittent !== undefined && typeof intermittent !== 'boolean') {
      throw new ConformanceInputError('BAD_SCENARIO', `${source}: knownFailures[${i}].intermittent (${rule}) is not true or false.`, 'write "intermittent": true for a failure that depends on a race, or drop the key.');
    }
    if (intermittent === true && failures === undefined) {
      throw new ConformanceInputError('BAD_SCENARIO', `${source}: knownFailures[${i}] (${rule}) is intermittent but pins no failure.`, 'pin what identifies the racing failure under "failures" (its case, request or field), so another failure of the rule is still reported as new.');
    }
    const pins = failures === undefined ? undefined : (failures as unknown[]).map((p, j) => parseFailurePin(p, `${source}: knownFailures[${i}].failures[${j}]`));
    return { rule, reason, ...(link !== undefined ? { link } : {}), ...(evidence !== undefined ? { evidence } : {}), ...(line !== undefined ? { contradicts: line } : {}), ...(pins !== undefined ? { failures: pins } : {}), ...(intermittent === true ? { intermittent: true } : {}) };
  });
  const rawUnsupported = (data as { unsupported?: unknown }).unsupported;
  if (rawUnsupported !== undefined && !Array.isArray(rawUnsupported)) throw new ConformanceInputError('BAD_SCENARIO', `${source}: "unsupported" is not an array.`, 'write "unsupported": [{"rule": "RULE.ID", "reason": "the capability it lacks"}].');
  const unsupported = (rawUnsupported ?? []).map((item: unknown, i: number): UnsupportedRule => {
    const { rule, reason } = (item ?? {}) as Record<string, unknown>;
    if (typeof rule !== 'string' || ruleById(rule) === undefined) {
      throw new ConformanceInputError('BAD_SCENARIO', `${source}: unsupported[${i}].rule ${JSON.stringify(rule)} is not a rule id of the catalogue.`, 'use an id listed by `codex-auth-conformance rules`.');
    }
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new ConformanceInputError('BAD_SCENARIO', `${source}: unsupported[${i}] (${rule}) has no reason.`, 'say which capability the implementation lacks.');
    }
    return { rule, reason };
  });
  const twice = [...knownFailures.map((k) => k.rule), ...unsupported.map((u) => u.rule)].find((id, i, all) => all.indexOf(id) !== i);
  if (twice !== undefined) throw new ConformanceInputError('BAD_SCENARIO', `${source} lists ${twice} twice.`, 'list each rule once, as a known failure or as unsupported.');
  const implementation = (data as { implementation?: unknown }).implementation;
  const unpinned = knownFailures.filter((k) => k.failures === undefined).map((k) => k.rule);
  const warnings =
    unpinned.length === 0
      ? []
      : [`${source}: ${unpinned.length} known failure(s) not pinned to their evidence (${unpinned.join(', ')}): any failure of those rules is accepted, a second bug in one of them would pass unseen. Add "failures": [{"case"|"request"|"field": ...}] to each (\`run --update-expectations FILE\` writes them from a run).`];
  return { ...(typeof implementation === 'string' ? { implementation } : {}), knownFailures, ...(unsupported.length > 0 ? { unsupported } : {}), ...(warnings.length > 0 ? { warnings } : {}) };
}

function parseSourceLine(value: unknown, where: string): SourceLine {
  const fix = 'write {"repo": "openai/codex", "path": "codex-rs/...", "ref": "<commit or tag>", "quote": "the line"}.';
  const o = (value ?? {}) as Record<string, unknown>;
  for (const key of ['repo', 'path', 'ref', 'quote'] as const) {
    if (typeof o[key] !== 'string' || (o[key] as string).trim() === '') {
      throw new ConformanceInputError('BAD_SCENARIO', `${where}.${key} is missing or not a string.`, fix);
    }
  }
  return { repo: o['repo'] as string, path: o['path'] as string, ref: o['ref'] as string, quote: o['quote'] as string };
}

/**
 * Marks expected failures and turns unexpected passes into errors. `partial` (one shard of a
 * run): a known failure that passed may have failed in another shard, so it is not judged stale
 * here; `report --expect` judges the merged run.
 */
export function applyExpectations(cases: readonly CaseResult[], file: ExpectationFile, opts: { readonly partial?: boolean } = {}): CaseResult[] {
  const known = new Map(file.knownFailures.map((k) => [k.rule, k] as const));
  const out = cases.map((c): CaseResult => {
    const k = known.get(c.ruleId);
    if (k === undefined || c.verdict !== 'fail' || c.expectedFailure !== undefined) return c;
    const expectedFailure = { reason: k.reason, ...(k.link !== undefined ? { link: k.link } : {}) };
    if (k.failures === undefined) return { ...c, expectedFailure };
    const evidence = evidenceOf(c);
    if (k.failures.some((p) => pinMatches(p, evidence))) return { ...c, expectedFailure };
    return { ...c, message: `${c.message} [new: ${c.ruleId} is a known failure on ${k.failures.map(showEvidence).join('; ')}, this failure shows ${showEvidence(evidence)}]` };
  });
  const byRule = groupByRule(cases);
  for (const k of opts.partial === true ? [] : file.knownFailures.filter((x) => x.intermittent !== true)) {
    const results = byRule.get(k.rule);
    if (results !== undefined && ruleVerdict(results) === 'pass' && !results.some((c) => c.caseId === 'expectations')) {
      out.push({
        type: 'case',
        ruleId: k.rule,
        caseId: 'expectations',
        verdict: 'error',
        message: `${k.rule} was expected to fail (${k.reason}) but passed: remove it from the expectation file`,
        durationMs: 0,
      });
    }
  }
  const listed = new Map((file.unsupported ?? []).map((u) => [u.rule, u] as const));
  for (const [ruleId, results] of byRule) {
    const verdict = ruleVerdict(results);
    const entry = listed.get(ruleId);
    if (results.some((c) => c.caseId === 'expectations')) continue; // already judged (a merged run)
    if (verdict === 'unsupported' && entry === undefined) {
      out.push({
        type: 'case',
        ruleId,
        caseId: 'expectations',
        verdict: 'error',
        message: `${ruleId} is unsupported by this implementation (${results[0]?.message ?? ''}) but the expectation file does not say so: add {"rule": "${ruleId}", "reason": "..."} under "unsupported"`,
        durationMs: 0,
      });
    } else if (entry !== undefined && verdict !== 'unsupported') {
      out.push({
        type: 'case',
        ruleId,
        caseId: 'expectations',
        verdict: 'error',
        message: `${ruleId} is listed as unsupported (${entry.reason}) but was judged (${verdict}): remove it from "unsupported"`,
        durationMs: 0,
      });
    }
  }
  return out;
}

/**
 * A predicate for the property runner: true for a failure an expectation pins (so the search goes
 * on and can find a failure of the same rule with other evidence). Unpinned entries are not
 * matched here: such a rule is searched and shrunk as before, and accepted afterwards.
 */
export function pinnedKnownFailure(file: ExpectationFile): (line: FailureLine) => boolean {
  const pinned = new Map(file.knownFailures.filter((k) => k.failures !== undefined).map((k) => [k.rule, k.failures ?? []] as const));
  return (line) => {
    const pins = pinned.get(line.ruleId);
    return pins !== undefined && pins.some((p) => pinMatches(p, evidenceOf(line)));
  };
}

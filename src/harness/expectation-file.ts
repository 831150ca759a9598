import { readFile } from 'node:fs/promises';
import { ConformanceInputError } from '../errors.js';
import { ruleById } from '../rules/catalogue.js';
import { groupByRule, ruleVerdict, type CaseResult } from './results.js';

/**
 * Known failures of one implementation (`--expect FILE`):
 * `{ "implementation": "codex-cli", "knownFailures": [{ "rule": "AGENT.TASK.001", "reason": "...", "link": "..." }] }`.
 * A known failure that fails is reported as expected; one that passes is an error of the run
 * (the expectation is stale), so the file stays honest.
 */
export interface KnownFailure {
  readonly rule: string;
  readonly reason: string;
  readonly link?: string;
  /** Wire evidence of the failure (redacted), for reports. */
  readonly evidence?: string;
  /** The pinned source line the implementation contradicts, where it is wrong. */
  readonly contradicts?: SourceLine;
}

export interface SourceLine {
  readonly repo: string;
  readonly path: string;
  /** Commit (40 hex) or release tag the quote was read at. */
  readonly ref: string;
  readonly quote: string;
}

export interface ExpectationFile {
  readonly implementation?: string;
  readonly knownFailures: readonly KnownFailure[];
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
    const { rule, reason, link, evidence, contradicts } = (item ?? {}) as Record<string, unknown>;
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
    return { rule, reason, ...(link !== undefined ? { link } : {}), ...(evidence !== undefined ? { evidence } : {}), ...(line !== undefined ? { contradicts: line } : {}) };
  });
  const implementation = (data as { implementation?: unknown }).implementation;
  return { ...(typeof implementation === 'string' ? { implementation } : {}), knownFailures };
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

/** Marks expected failures and turns unexpected passes into errors. */
export function applyExpectations(cases: readonly CaseResult[], file: ExpectationFile): CaseResult[] {
  const known = new Map(file.knownFailures.map((k) => [k.rule, k] as const));
  const out = cases.map((c): CaseResult => {
    const k = known.get(c.ruleId);
    if (k === undefined || c.verdict !== 'fail') return c;
    return { ...c, expectedFailure: { reason: k.reason, ...(k.link !== undefined ? { link: k.link } : {}) } };
  });
  const byRule = groupByRule(cases);
  for (const k of file.knownFailures) {
    const results = byRule.get(k.rule);
    if (results !== undefined && ruleVerdict(results) === 'pass') {
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
  return out;
}

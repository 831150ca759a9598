/**
 * `check <journal.ndjson | capture.har> [--json]`: judges recorded traffic with the case-free
 * journal checker (src/rules/check.ts `checkJournal`). Exit 0 when every judged rule passes, 1 on
 * any violation, 2 on unreadable input (the error names the line) or a file with zero requests.
 *
 * A journal written by the mock (`serve --journal`) carries the mock's verdict on each credential:
 * a Bearer token it never issued fails HDR.BEARER.001 (src/rules/check-journal.ts). It keeps
 * credentials as keyed fingerprints
 * (`AgentAssertion fp:...`): the journal checker reports the structural AGENT.ASSERT rules on such
 * entries as not judged (skip) and still judges the mock's own attribution.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConformanceInputError } from '../../errors.js';
import { ruleById, ruleIdsInProfile } from '../../rules/catalogue.js';
import { notJudgedReason } from '../../rules/capture-judgeable.js';
import { checkCaptureUrls } from '../../rules/check-urls.js';
import { checkJournal, harToObserved, type RuleResult } from '../../rules/check.js';
import type { JournalCheckOptions } from '../../rules/journal-check-options.js';
import { DEFAULT_PROFILE, profileById } from '../../rules/profiles.js';
import type { ObservedRequest } from '../../rules/observed-request.js';
import type { Command } from '../command.js';
import { parseCommandArgs } from '../parse-args.js';

const usage = 'codex-auth-conformance check <journal.ndjson | capture.har> [--profile pr18811|codex-0.171] [--chatgpt-base-url URL] [--openai-base-url URL] [--json]';


export interface CheckReport {
  readonly file: string;
  readonly format: 'journal' | 'har';
  readonly requests: number;
  readonly results: readonly RuleResult[];
  readonly passed: number;
  readonly failed: number;
  /** The profile's rules this recording gave no verdict, each with the reason. */
  readonly notJudged: readonly { readonly rule: string; readonly reason: string }[];
  /** Rules of the profile (judged + not judged). */
  readonly profileRules: number;
}

/** What `check` knows about the client besides the recording. */
export interface CheckOptions extends JournalCheckOptions {
  readonly openaiBaseUrl?: string;
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'Judge recorded traffic (journal NDJSON or HAR) against the journal rules.',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' }, profile: { type: 'string' }, 'chatgpt-base-url': { type: 'string' }, 'openai-base-url': { type: 'string' } }, usage, { min: 1, max: 1 });
    const profile = values.profile === undefined ? DEFAULT_PROFILE : profileById(values.profile).id;
    const base = values['chatgpt-base-url'];
    const openai = values['openai-base-url'];
    for (const [flag, value] of [['--chatgpt-base-url', base], ['--openai-base-url', openai]] as const) {
      if (value !== undefined && !/^https?:\/\//.test(value)) throw new ConformanceInputError('USAGE', `${flag} ${JSON.stringify(value.slice(0, 80))} is not an http(s) URL.`, `pass the base the client was configured with, e.g. ${flag} https://chatgpt.com/backend-api/.`);
      if (value !== undefined && !URL.canParse(value)) throw new ConformanceInputError('USAGE', `${flag} ${JSON.stringify(value.slice(0, 80))} is not a URL.`, `pass the base the client was configured with, e.g. ${flag} https://chatgpt.com/backend-api/.`);
    }
    const report = await checkFile(resolve(io.cwd, positionals[0] as string), { profile, ...(base !== undefined ? { chatgptBaseUrl: base } : {}), ...(openai !== undefined ? { openaiBaseUrl: openai } : {}) });
    if (values.json) io.out(JSON.stringify(report, null, 2));
    else printReport(report, io.out);
    return report.failed > 0 ? 1 : 0;
  },
};

/** Reads and judges one file; throws ConformanceInputError (USAGE) on unreadable or empty input. */
export async function checkFile(path: string, options: CheckOptions = {}): Promise<CheckReport> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ConformanceInputError(
      'USAGE',
      `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`,
      'pass the path of a journal .ndjson (serve --journal) or a HAR 1.2 capture.',
      { cause: e },
    );
  }
  const { format, entries } = parseRecording(text, path);
  if (entries.length === 0) {
    throw new ConformanceInputError(
      'USAGE',
      `${path} holds zero requests: there is nothing to judge (an empty recording is not a pass).`,
      'record traffic first (point the client at `serve --journal FILE`, or export a HAR with requests).',
    );
  }
  return judge(path, format, entries, options);
}

/** A HAR capture (one JSON document with `log`) or journal NDJSON (one ObservedRequest per line). */
export function parseRecording(text: string, path = 'input'): { format: 'journal' | 'har'; entries: ObservedRequest[] } {
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    whole = undefined;
  }
  if (typeof whole === 'object' && whole !== null && !Array.isArray(whole) && 'log' in whole) {
    return { format: 'har', entries: harToObserved(whole) };
  }
  return { format: 'journal', entries: parseJournal(text, path) };
}

export function parseJournal(text: string, path = 'input'): ObservedRequest[] {
  const entries: ObservedRequest[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `${path} line ${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw badLine(where, 'is not JSON');
    }
    entries.push(observedRequestOf(value, where));
  });
  return entries;
}

function badLine(where: string, problem: string): ConformanceInputError {
  return new ConformanceInputError(
    'USAGE',
    `${where} ${problem}.`,
    'pass a journal written by `serve --journal` (one ObservedRequest JSON object per line: seq, time, method, url, headers, credential, verdict) or a HAR 1.2 file.',
  );
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function observedRequestOf(value: unknown, where: string): ObservedRequest {
  if (!isRecord(value)) throw badLine(where, 'is not a JSON object');
  const { seq, time, method, url, headers, credential, verdict } = value;
  if (typeof seq !== 'number' || !Number.isInteger(seq)) throw badLine(where, 'has no integer "seq"');
  if (typeof time !== 'string') throw badLine(where, 'has no string "time"');
  if (typeof method !== 'string' || method === '') throw badLine(where, 'has no "method"');
  if (typeof url !== 'string' || !URL.canParse(url)) throw badLine(where, 'has no absolute "url"');
  if (!isRecord(headers) || !Object.values(headers).every((h) => typeof h === 'string')) {
    throw badLine(where, 'has no "headers" object of strings');
  }
  if (!isRecord(credential) || typeof credential['kind'] !== 'string') throw badLine(where, 'has no "credential" with a "kind"');
  if (!isRecord(verdict) || typeof verdict['status'] !== 'number' || typeof verdict['handled'] !== 'boolean') {
    throw badLine(where, 'has no "verdict" with a numeric "status" and a boolean "handled"');
  }
  const lowered: Record<string, string> = {};
  for (const [name, v] of Object.entries(headers)) lowered[name.toLowerCase()] = v as string;
  // Shape checked above; the checker reads the remaining fields defensively.
  return { ...(value as unknown as ObservedRequest), headers: lowered };
}

function judge(file: string, format: 'journal' | 'har', entries: readonly ObservedRequest[], options: CheckOptions): CheckReport {
  const { openaiBaseUrl, ...journalOptions } = options;
  const profile = options.profile ?? DEFAULT_PROFILE;
  const urls = { profile, ...(options.chatgptBaseUrl !== undefined ? { chatgptBaseUrl: options.chatgptBaseUrl } : {}), ...(openaiBaseUrl !== undefined ? { openaiBaseUrl } : {}) };
  // A journal is the mock's record (`serve --journal`): its verdict on each credential counts.
  const inProfile = new Set(ruleIdsInProfile(profile));
  const results = [...checkJournal(entries, { ...journalOptions, mockAttribution: format === 'journal' }), ...checkCaptureUrls(entries, urls).filter((r) => inProfile.has(r.ruleId))];
  const failed = results.filter((r) => r.verdict === 'fail' || r.verdict === 'error').length;
  const passed = results.filter((r) => r.verdict === 'pass').length;
  const verdictOf = new Set(results.filter((r) => r.verdict === 'pass' || r.verdict === 'fail' || r.verdict === 'error').map((r) => r.ruleId));
  const notJudged = [...inProfile].filter((id) => !verdictOf.has(id)).map((rule) => ({ rule, reason: results.find((r) => r.ruleId === rule && r.verdict === 'skip')?.message ?? notJudgedReason(rule, { ...urls, format }) }));
  return { file, format, requests: entries.length, results: results.filter((r) => r.verdict !== 'skip'), passed, failed, notJudged, profileRules: inProfile.size };
}

function printReport(report: CheckReport, out: (line: string) => void): void {
  const ordered = [...report.results].sort((a, b) => a.ruleId.localeCompare(b.ruleId) || a.verdict.localeCompare(b.verdict));
  for (const r of ordered) {
    const rule = ruleById(r.ruleId);
    const head = `${r.verdict.toUpperCase().padEnd(4)} ${r.ruleId}${rule === undefined ? '' : ` (${rule.level}) ${rule.title}`}`;
    out(head);
    out(`     ${r.message}`);
  }
  const judged = report.profileRules - report.notJudged.length;
  out(`judged ${judged} of the ${report.profileRules} rules of the profile from this recording; not judged (${report.notJudged.length}):`);
  for (const n of report.notJudged) out(`  ${n.rule.padEnd(20)} ${n.reason}`);
  const verdict = report.failed > 0 ? 'VIOLATIONS' : 'OK';
  out(`${verdict}: ${report.requests} request(s) in ${report.format} ${report.file}; ${report.passed} rule result(s) passed, ${report.failed} failed`);
}

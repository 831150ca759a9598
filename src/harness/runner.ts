import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConformanceInputError } from '../errors.js';
import { ruleById, ruleIdsInProfile } from '../rules/catalogue.js';
import { DEFAULT_PROFILE, type ProfileId } from '../rules/profiles.js';
import type { Implementation } from './implementation.js';
import type { MockControl } from './mock-control.js';
import { countVerdicts, RESULTS_FORMAT_VERSION, type CaseResult, type RunReport } from './results.js';
import { applyExpectations, type ExpectationFile } from './expectation-file.js';
import type { Suite } from './suite.js';

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
  readonly implArg?: string;
  /** Called as each suite finishes (progress on long runs). */
  readonly onSuite?: (suite: Suite, results: readonly CaseResult[]) => void;
  /** Known failures of this implementation (`--expect FILE`). */
  readonly expectations?: ExpectationFile;
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
  const seed = opts.seed ?? (Date.now() ^ (Math.random() * 0x7fffffff)) >>> 0;
  const runs = opts.runs ?? 100;
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const scratch = await mkdtemp(join(tmpdir(), 'codex-auth-conformance-'));
  let cases: CaseResult[] = [];
  try {
    for (const suite of suites) {
      const results = await suite.run({
        implementation: opts.implementation,
        mock: opts.mock,
        seed,
        runs,
        ...(opts.path !== undefined ? { path: opts.path } : {}),
        scratch,
        implArg: opts.implArg ?? opts.implementation.name,
        profile,
      });
      const mine = results.filter((r) => selectedSet.has(r.ruleId));
      cases.push(...mine);
      opts.onSuite?.(suite, mine);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  if (opts.expectations !== undefined) cases = applyExpectations(cases, opts.expectations);
  const reached = new Set(cases.map((c) => c.ruleId));
  const rulesNotReached = selected.filter((id) => !reached.has(id));
  const counts = countVerdicts(cases);
  const failedUnexpectedly = cases.some((c) => (c.verdict === 'fail' || c.verdict === 'error') && c.expectedFailure === undefined);
  return {
    header: {
      type: 'header',
      formatVersion: RESULTS_FORMAT_VERSION,
      tool: { name: 'codex-auth-conformance', version: TOOL_VERSION },
      implementation: { name: opts.implementation.name, version: opts.implementation.version },
      profile,
      seed,
      runs,
      rulesSelected: selected,
      startedAt,
    },
    cases,
    footer: {
      type: 'footer',
      counts,
      rulesNotReached,
      durationMs: Math.round(performance.now() - started),
      ok: !failedUnexpectedly && counts.skip === 0 && rulesNotReached.length === 0 && cases.length > 0,
    },
  };
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConformanceInputError } from '../../errors.js';
import type { CaseResult } from '../results.js';
import type { Suite, SuiteContext } from '../suite.js';
import type { CaseEvidence } from './case-evidence.js';
import { caseEvidence } from './case-evidence.js';
import { isCodexCliImplementation, type CodexCliImplementation } from './codex-cli-implementation.js';
import { defaultCacheDir, ensureCodexCli } from './codex-install.js';
import type { ProfileId } from '../../rules/profiles.js';
import { CODEX_CLI_SUITE_RULES, codexCliCaseResults, codexCliRules } from '../judges/codex-cli/judge-cases.js';
import { runInnerInNetns } from './netns-reexec.js';
import { probeNetns, type UnshareMode } from '../isolation/netns-run.js';
import { recordCases } from './codex-cli-scenarios.js';
import { rulesJudgedBy, sharedCredentialScenarioFiles, sharedCredentialScenarios, type CodexCliCaseId } from '../judges/codex-cli/case-view.js';
import { recordingWire } from './case-recording.js';
import type { WireCase } from '../wire-record.js';

/**
 * The conformance suite of the real codex binary (replaces every other suite for
 * `--impl codex-cli`): one non-interactive turn per case (codex-cli-cases.ts) against the mock,
 * each journalled request judged (judge-codex-cli-run.ts). With namespace rights the harness
 * re-executes itself inside a fresh network namespace (netns-reexec.ts); without them it
 * refuses unless allowNetwork, and then runs unisolated against a plain-http loopback mock.
 */
export type IsolationPlan = { readonly kind: 'netns'; readonly mode: UnshareMode } | { readonly kind: 'unisolated' };

/** Decides how to run, or refuses (pure apart from the probe result it is given). */
export function planIsolation(mode: UnshareMode | undefined, allowNetwork: boolean): IsolationPlan {
  if (mode !== undefined) return { kind: 'netns', mode };
  if (allowNetwork) return { kind: 'unisolated' };
  throw new ConformanceInputError(
    'BAD_CONFIG',
    'Cannot create a network namespace here (`unshare --net --mount` failed as root and as a user namespace), so the real codex binary would run on the host network.',
    'Run as root, or allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1; on Ubuntu 24.04 also kernel.apparmor_restrict_unprivileged_userns=0) with util-linux and iproute2 installed; or pass --allow-network to accept an UNISOLATED run against a plain-http loopback mock (ChatGPT modes then stop early).',
  );
}

/** Evidence of the last run (redacted), for `--reporter` extensions and the docs table. */
export let lastCodexCliEvidence: readonly CaseEvidence[] = [];
/** Wire records of the last run (token classes only), for `matrix --out-dir` and `matrix --diff`. */
export let lastCodexCliWire: readonly WireCase[] = [];

/** Reports each played case to the runner (its cases-run count), after the run: the cases ran in the namespace. */
export function countCases(n: number, onCase: SuiteContext['onCase']): void {
  for (let i = 1; i <= n; i++) onCase?.({ suite: 'codex-cli', done: i, total: n, round: 1, phase: 'search' });
}

/**
 * What the binary plays for a selection of rules: the shared-credential scenarios whose judge
 * names a selected rule, and the cases unless every selected rule is one only those scenarios judge.
 */
export function playsFor(caseIds: readonly CodexCliCaseId[], selected: readonly string[] | undefined): { readonly caseIds: readonly CodexCliCaseId[]; readonly scenarioFiles: readonly string[] } {
  const scenarioFiles = sharedCredentialScenarioFiles(selected);
  const byScenario = new Set(sharedCredentialScenarios().flatMap(rulesJudgedBy));
  const casesNeeded = selected === undefined || selected.some((id) => !byScenario.has(id));
  return { caseIds: casesNeeded ? caseIds : [], scenarioFiles };
}

export async function runCodexCliSuite(impl: CodexCliImplementation, profile: ProfileId, warn: (line: string) => void = (l) => process.stderr.write(`${l}\n`), status?: (text: string) => void, onCase?: SuiteContext['onCase'], selected?: readonly string[]): Promise<CaseResult[]> {
  const rules = codexCliRules(profile);
  const plays = impl.options.scenarioFiles === undefined ? playsFor(impl.options.caseIds, selected) : { caseIds: [], scenarioFiles: impl.options.scenarioFiles };
  const plan = planIsolation(await probeNetns(), impl.options.allowNetwork);
  const cli = await ensureCodexCli(impl.version, impl.options.cacheDir ?? defaultCacheDir(), { announce: warn, ...(status !== undefined ? { status } : {}) });
  if (plan.kind === 'netns') {
    const out = await runInnerInNetns({ binaryPath: cli.binaryPath, version: cli.version, caseIds: plays.caseIds, ...(plays.scenarioFiles.length === 0 ? {} : { scenarioFiles: plays.scenarioFiles }), timeoutMs: impl.options.turnTimeoutMs, profile }, rules);
    lastCodexCliEvidence = out.evidence;
    countCases(out.evidence.length, onCase);
    lastCodexCliWire = out.wire;
    return out.results;
  }
  if (impl.options.scenarioFiles !== undefined) {
    throw new ConformanceInputError('BAD_CONFIG', 'The selected scenario files (shared-credential scenarios: several codex processes, production host names mapped to the mock) need a network namespace, and none can be created here.', 'Run as root, or allow unprivileged user namespaces (util-linux unshare, iproute2); --allow-network does not apply to these scenarios.');
  }
  warn('codex-cli: WARNING --allow-network: no network namespace; the codex binary runs UNISOLATED on this host. Base URLs point at a plain-http loopback mock, but nothing stops the binary from contacting other hosts.');
  const workDir = await mkdtemp(join(tmpdir(), 'codex-cli-unisolated-'));
  try {
    const recordings = await recordCases({ binaryPath: cli.binaryPath, version: cli.version, caseIds: impl.options.caseIds, workDir, transport: 'loopbackHttp', timeoutMs: impl.options.turnTimeoutMs });
    lastCodexCliEvidence = recordings.map(caseEvidence);
    countCases(recordings.length, onCase);
    lastCodexCliWire = recordings.map(recordingWire);
    return codexCliCaseResults(recordings.map((r) => ({ run: r.run, durationMs: r.outcome.durationMs })), profile, rules, cli.version);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

export const codexCliSuite: Suite = {
  id: 'codex-cli',
  title: 'the published codex binary, one turn per auth mode, judged from the journal',
  rules: CODEX_CLI_SUITE_RULES,
  async run(ctx: SuiteContext): Promise<CaseResult[]> {
    if (!isCodexCliImplementation(ctx.implementation)) {
      throw new ConformanceInputError('USAGE', `The codex-cli suite judges only --impl codex-cli, not ${ctx.implementation.name}.`, 'Select suites with suitesFor(implArg).');
    }
    return runCodexCliSuite(ctx.implementation, ctx.profile, undefined, ctx.onStatus, ctx.onCase, ctx.rules);
  },
};

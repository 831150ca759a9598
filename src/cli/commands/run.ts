import { resolve } from 'node:path';
import { ConformanceInputError } from '../../errors.js';
import { access, writeFile } from 'node:fs/promises';
import { applyExpectations, loadExpectationFile, parseExpectationFile, type ExpectationFile } from '../../harness/expectation-file.js';
import { inProcessMockControl } from '../../harness/in-process-mock-control.js';
import type { MockControl } from '../../harness/mock-control.js';
import { portMockControl } from '../../harness/port-mock-control.js';
import { PATH_PATTERN, REPLAY_PATH_PATTERN } from '../../harness/property.js';
import { summarize, type RunReport, type Shard } from '../../harness/results.js';
import { expectationFileText, expectationsFromRun } from '../../harness/update-expectations.js';
import { runConformance, selectRules } from '../../harness/runner.js';
import { checkDriverCommand } from '../../harness/driver/driver-command.js';
import { isolateForeignCode, namespacesAvailable, runningIsolated } from '../../harness/isolation/isolated-run.js';
import { prepareProductionImpersonation } from '../../harness/isolation/production-impersonation.js';
import { isInProcessImplementation, parseImplArg, selectImplementation } from '../../harness/select-implementation.js';
import { codexCliVersionOf, defaultRulePrefixesFor, parseCodexCliImplArg, suitesFor } from '../../harness/codex-cli/select-codex-cli.js';
import { DEFAULT_PROFILE, profileById, profileForCodexVersion, type ProfileId } from '../../rules/profiles.js';
import { stopAfterValidation, type Command } from '../command.js';
import { intFlag, parseCommandArgs } from '../parse-args.js';
import { caseProgress } from '../progress.js';
import { checkReportTargets, parseReportTargets, writeRunReports } from '../report-targets.js';
import { ECOSYSTEM_PROFILE, isEcosystemImpl, runEcosystemCommand } from './run-ecosystem.js';

const usage =
  'codex-auth-conformance run [--impl reference|mutant:<name>|driver:<command>|codex-cli[:<version>]|ecosystem[:<client>,...]] [--profile pr18811|codex-0.171] [--rules <prefix>[,<prefix>...]] [--seed N] [--runs N] [--path P [--replay-path R] [--after-path P1,P2,...]] [--shard K/N] [--reporter NAME[=FILE]]... [--output FILE] [--expect FILE|DIR] [--update-expectations FILE] [--validate] [--fresh-process] [--allow-network] [--results-dir DIR] [--scenarios S,...] [--timeout-ms N]';

export const DEFAULT_RUNS = 100;
/** Upper bounds that keep a typo from starting a run of days. */
const MAX_RUNS = 100_000;
const MAX_SHARDS = 1000;

export const runCommand: Command = {
  name: 'run',
  summary: 'Run the conformance suites against an implementation; exit 0 only when every selected rule ran and passed.',
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(
      argv,
      {
        impl: { type: 'string', default: 'reference' },
        profile: { type: 'string' },
        rules: { type: 'string' },
        seed: { type: 'string' },
        runs: { type: 'string' },
        path: { type: 'string' },
        'replay-path': { type: 'string' },
        'after-path': { type: 'string' },
        'fresh-process': { type: 'boolean', default: false },
        shard: { type: 'string' },
        reporter: { type: 'string', multiple: true },
        output: { type: 'string' },
        expect: { type: 'string' },
        'update-expectations': { type: 'string' },
        validate: { type: 'boolean', default: false },
        'allow-network': { type: 'boolean', default: false },
        'results-dir': { type: 'string' },
        scenarios: { type: 'string' },
        'timeout-ms': { type: 'string' },
      },
      usage,
    );
    // Every input is checked before any work starts (and before a driver run re-executes isolated).
    const targets = parseReportTargets(values.reporter, values.output, io.cwd, usage);
    await checkReportTargets(targets);
    const seed = intFlag('seed', values.seed, usage);
    if (seed !== undefined && seed > 0xffffffff) throw new ConformanceInputError('USAGE', `--seed must be at most ${0xffffffff}, got ${seed}.`, 'pass the seed a run printed.');
    const runs = intFlag('runs', values.runs, usage) ?? DEFAULT_RUNS;
    if (runs < 1 || runs > MAX_RUNS) throw new ConformanceInputError('USAGE', `--runs must be between 1 and ${MAX_RUNS}, got ${runs}.`, `pass a number of generated cases per property (default ${DEFAULT_RUNS}).`);
    const path = values.path;
    if (path !== undefined && !PATH_PATTERN.test(path)) {
      throw new ConformanceInputError('USAGE', `--path ${JSON.stringify(path.slice(0, 80))} is not a replay path (numbers separated by colons, e.g. 18:0:1).`, 'copy the replay command a failure printed.');
    }
    const replayPath = values['replay-path'];
    if (replayPath !== undefined && (path === undefined || !REPLAY_PATH_PATTERN.test(replayPath))) {
      throw new ConformanceInputError('USAGE', path === undefined ? '--replay-path goes with --path.' : `--replay-path ${JSON.stringify(replayPath.slice(0, 80))} is not a fast-check command replay log.`, 'copy the replay command a failure printed.');
    }
    const afterPathsFlag = values['after-path'];
    const afterPaths = afterPathsFlag === undefined ? undefined : afterPathsFlag.split(',');
    if (afterPaths !== undefined && (path === undefined || afterPaths.some((p) => !PATH_PATTERN.test(p)))) {
      throw new ConformanceInputError('USAGE', path === undefined ? '--after-path goes with --path.' : `--after-path ${JSON.stringify(afterPathsFlag!.slice(0, 80))} is not a list of replay paths (e.g. 3,4:0).`, 'copy the replay command a failure printed.');
    }
    const shard = parseShard(values.shard);
    if (shard !== undefined && path !== undefined) throw new ConformanceInputError('USAGE', '--shard and --path do not go together: a replay runs one case.', 'drop --shard from the replay command.');
    if (seed === undefined && shard !== undefined) throw new ConformanceInputError('USAGE', '--shard needs --seed: every shard must generate the same cases.', 'pass the same --seed (and --runs, --rules) to every shard.');
    const implArg = values.impl as string;
    const updateTo = values['update-expectations'];
    if (updateTo !== undefined && (shard !== undefined || path !== undefined || isEcosystemImpl(implArg))) {
      throw new ConformanceInputError('USAGE', `--update-expectations writes the file a whole run implies, not ${shard !== undefined ? 'one shard' : path !== undefined ? 'a replay' : 'an ecosystem run (one file per client)'}.`, 'run without --shard/--path (for the ecosystem table, edit expectations/ecosystem/<client>.json by hand).');
    }
    if (isEcosystemImpl(implArg)) {
      if (values.profile !== undefined && values.profile !== ECOSYSTEM_PROFILE) {
        throw new ConformanceInputError('USAGE', `third-party clients are judged under the newest contract profile (${ECOSYSTEM_PROFILE}), not ${JSON.stringify(values.profile.slice(0, 40))}.`, `drop --profile or pass --profile ${ECOSYSTEM_PROFILE}.`);
      }
      const timeoutMs = intFlag('timeout-ms', values['timeout-ms'], usage);
      return runEcosystemCommand(
        {
          implArg,
          targets,
          ...(values.expect === undefined ? {} : { expect: values.expect }),
          ...(values['results-dir'] === undefined ? {} : { resultsDir: values['results-dir'] }),
          ...(values.scenarios === undefined ? {} : { scenarios: values.scenarios }),
          ...(seed === undefined ? {} : { seed }),
          ...(timeoutMs === undefined ? {} : { timeoutMs }),
        },
        argv,
        io,
      );
    }
    for (const flag of ['results-dir', 'scenarios', 'timeout-ms'] as const) {
      if (values[flag] !== undefined) throw new ConformanceInputError('USAGE', `--${flag} applies to --impl ecosystem only.`, `usage: ${usage}`);
    }
    const impl = parseImplArg(implArg);
    const implKind = impl.kind;
    if (impl.kind === 'driver') checkDriverCommand(impl.command, io.cwd, io.env);
    if (values['fresh-process'] === true && impl.kind !== 'driver') {
      throw new ConformanceInputError('USAGE', '--fresh-process applies to --impl driver:<command> only (other implementations never reuse a process across cases).', 'drop --fresh-process.');
    }
    if (implKind === 'codexCli') parseCodexCliImplArg(implArg);
    const profile = profileForRun(implArg, values.profile);
    const rulePrefixes = values.rules === undefined ? [...(defaultRulePrefixesFor(implArg, profile) ?? [])] : values.rules.split(',').map((r) => r.trim()).filter((r) => r !== '');
    if (values.rules !== undefined && rulePrefixes.length === 0) throw new ConformanceInputError('USAGE', '--rules names no rule.', 'pass rule ids or prefixes separated by commas, e.g. --rules HDR,GATE.APIKEY.001.');
    selectRules(rulePrefixes, profile);
    const expectations = values.expect === undefined ? undefined : await loadExpectationFile(resolve(io.cwd, values.expect));
    const previous = updateTo === undefined ? undefined : (expectations ?? (await existingExpectations(resolve(io.cwd, updateTo))));
    if (stopAfterValidation(io)) return 0;
    for (const warning of expectations?.warnings ?? []) io.err(`warning: ${warning}`);
    if (implKind === 'codexCli' && values['allow-network'] !== true && !runningIsolated(io.env) && !(await namespacesAvailable(io.env))) {
      throw new ConformanceInputError(
        'NETWORK_REFUSED',
        'cannot create a loopback-only network namespace here, so the codex binary could reach the network; nothing was installed or started.',
        'run as root or allow unprivileged user namespaces (util-linux unshare, iproute2), or pass --allow-network to accept an UNISOLATED run against a plain-http loopback mock.',
      );
    }
    if (implKind === 'driver') {
      // A driver is foreign code: run it (with the harness and the mock) where only loopback exists.
      const isolated = await isolateForeignCode('run', argv, io, values['allow-network'] === true);
      if (isolated !== undefined) return isolated;
    }
    // Inside the namespace a driver meets production hosts served by the mock over TLS (run CA),
    // exactly like the real CLI, so a request to a default host is journaled and judged.
    const impersonation = implKind === 'driver' && runningIsolated(io.env) ? await prepareProductionImpersonation() : undefined;
    let implementation;
    let mock: MockControl;
    try {
      implementation = await selectImplementation(implArg, {
        validate: values.validate === true,
        ...(values['fresh-process'] === true ? { reuseProcesses: false } : {}),
        allowNetwork: values['allow-network'] === true,
        profile,
        ...(impersonation === undefined ? {} : { driverEnv: impersonation.env }),
      });
      mock = isInProcessImplementation(implArg)
        ? await inProcessMockControl(seed ?? 1)
        : await portMockControl({ seed: seed ?? 1, ...(impersonation === undefined ? {} : { production: impersonation.tls }) });
    } catch (e) {
      await impersonation?.dispose();
      throw e;
    }
    const suiteLines = targets.some((t) => t.reporter === 'pretty' && t.file === undefined);
    const progress = caseProgress(io);
    let report: RunReport;
    try {
      report = await runConformance({
        implementation,
        mock,
        suites: suitesFor(implArg),
        rulePrefixes,
        profile,
        runs,
        implArg,
        ...(seed !== undefined ? { seed } : {}),
        ...(path !== undefined ? { path } : {}),
        ...(replayPath !== undefined ? { replayPath } : {}),
        ...(afterPaths !== undefined ? { afterPaths } : {}),
        ...(shard !== undefined ? { shard } : {}),
        ...(expectations !== undefined && values.expect !== undefined ? { expectations, expectFile: values.expect } : {}),
        ...(updateTo !== undefined ? { collectFailures: true } : {}),
        onCase: progress.onCase,
        ...(io.status !== undefined ? { onStatus: io.status } : {}),
        onSuite: (suite, results) => {
          progress.clear();
          if (suiteLines) io.err(`… ${suite.id}: ${new Set(results.map((r) => r.ruleId)).size} rule(s) judged`);
        },
      });
    } finally {
      progress.clear();
      await mock.close();
      await impersonation?.dispose();
    }
    if (updateTo !== undefined) report = await updateExpectations(report, resolve(io.cwd, updateTo), implArg, previous, io);
    await writeRunReports(targets, report, io);
    return report.footer.ok ? 0 : 1;
  },
};

async function existingExpectations(path: string): Promise<ExpectationFile | undefined> {
  try {
    await access(path);
  } catch {
    return undefined;
  }
  return loadExpectationFile(path);
}

/**
 * `--update-expectations FILE`: writes the expectation file the run implies (known failures pinned
 * to their evidence, unsupported rules with their reasons; what `previous` said is kept) and judges
 * the run against it, so the exit code says whether anything beyond it went wrong (a partial run).
 */
async function updateExpectations(report: RunReport, path: string, implArg: string, previous: ExpectationFile | undefined, io: { err(line: string): void }): Promise<RunReport> {
  const file = expectationsFromRun(report.cases, { implementation: implArg, seed: report.header.seed }, previous);
  const text = expectationFileText(file);
  await writeFile(path, text);
  const raw = report.cases.filter((c) => c.caseId !== 'expectations').map(({ expectedFailure: _e, ...c }) => c);
  const cases = applyExpectations(raw, parseExpectationFile(text, path));
  const pinned = file.knownFailures.filter((k) => k.failures !== undefined).length;
  io.err(`wrote ${path}: ${file.knownFailures.length} known failure(s) (${pinned} pinned to their evidence), ${file.unsupported?.length ?? 0} unsupported rule(s). Review the reasons and commit it.`);
  return { header: report.header, cases, footer: summarize(report.header, cases, { casesRun: report.footer.casesRun, durationMs: report.footer.durationMs }) };
}

/**
 * The profile a run judges: `--profile` when given; for `--impl codex-cli:<version>` the profile
 * that fits the release; else the newest.
 */
export function profileForRun(implArg: string, flag: string | undefined): ProfileId {
  if (flag !== undefined) return profileById(flag).id;
  const version = codexCliVersionOf(implArg);
  return version === undefined ? DEFAULT_PROFILE : profileForCodexVersion(version);
}

function parseShard(value: string | undefined): Shard | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{1,4})\/(\d{1,4})$/.exec(value);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || index < 1 || count < 1 || index > count || count > MAX_SHARDS) {
    throw new ConformanceInputError('USAGE', `--shard ${JSON.stringify(value.slice(0, 40))} is not K/N with 1 <= K <= N <= ${MAX_SHARDS}.`, 'pass e.g. --shard 2/4 for the second of four shards; run every K from 1 to N with the same --seed and merge the streams with `report`.');
  }
  return { index, count };
}

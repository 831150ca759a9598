import { writeFile } from 'node:fs/promises';
import { ConformanceInputError } from '../../errors.js';
import { loadExpectationFile } from '../../harness/expectation-file.js';
import { inProcessMockControl } from '../../harness/in-process-mock-control.js';
import type { MockControl } from '../../harness/mock-control.js';
import { portMockControl } from '../../harness/port-mock-control.js';
import { REPORTER_NAMES, reporterFor, type ReporterName } from '../../harness/reporters/index.js';
import { runConformance } from '../../harness/runner.js';
import { namespacesAvailable, rerunIsolated, runningIsolated } from '../../harness/isolated-run.js';
import { prepareProductionImpersonation } from '../../harness/production-impersonation.js';
import { isInProcessImplementation, parseImplArg, selectImplementation } from '../../harness/select-implementation.js';
import { defaultRulePrefixesFor, suitesFor } from '../../harness/codex-cli/select-codex-cli.js';
import { codexCliVersionOf } from '../../harness/codex-cli/select-codex-cli.js';
import { DEFAULT_PROFILE, profileById, profileForCodexVersion, type ProfileId } from '../../rules/profiles.js';
import type { Command } from '../command.js';
import { intFlag, parseCommandArgs } from '../parse-args.js';
import { ECOSYSTEM_PROFILE, isEcosystemImpl, runEcosystemCommand } from './run-ecosystem.js';

const usage =
  'codex-auth-conformance run [--impl reference|mutant:<name>|driver:<command>|codex-cli[:<version>]|ecosystem[:<client>,...]] [--profile pr18811|codex-0.171] [--rules <prefix>[,<prefix>...]] [--seed N] [--runs N] [--path P] [--reporter pretty|json|junit|markdown|tap] [--output FILE] [--expect FILE|DIR] [--validate] [--allow-network] [--results-dir DIR] [--scenarios S,...] [--timeout-ms N]';

export const DEFAULT_RUNS = 100;

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
        reporter: { type: 'string', default: 'pretty' },
        output: { type: 'string' },
        expect: { type: 'string' },
        validate: { type: 'boolean', default: false },
        'allow-network': { type: 'boolean', default: false },
        'results-dir': { type: 'string' },
        scenarios: { type: 'string' },
        'timeout-ms': { type: 'string' },
      },
      usage,
    );
    const reporterName = values.reporter as string;
    if (!(REPORTER_NAMES as readonly string[]).includes(reporterName)) {
      throw new ConformanceInputError('USAGE', `unknown reporter ${JSON.stringify(reporterName)}.`, `use one of ${REPORTER_NAMES.join(', ')}.`);
    }
    const seed = intFlag('seed', values.seed, usage);
    const runs = intFlag('runs', values.runs, usage) ?? DEFAULT_RUNS;
    if (runs < 1) throw new ConformanceInputError('USAGE', '--runs must be at least 1.', `usage: ${usage}`);
    const implArg = values.impl as string;
    if (isEcosystemImpl(implArg)) {
      if (values.profile !== undefined && values.profile !== ECOSYSTEM_PROFILE) {
        throw new ConformanceInputError('USAGE', `third-party clients are judged under the newest contract profile (${ECOSYSTEM_PROFILE}), not ${JSON.stringify(values.profile.slice(0, 40))}.`, `drop --profile or pass --profile ${ECOSYSTEM_PROFILE}.`);
      }
      const timeoutMs = intFlag('timeout-ms', values['timeout-ms'], usage);
      return runEcosystemCommand(
        {
          implArg,
          reporter: reporterName,
          ...(values.output === undefined ? {} : { output: values.output }),
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
    const profile = profileForRun(implArg, values.profile);
    const rulePrefixes = values.rules === undefined ? [...(defaultRulePrefixesFor(implArg, profile) ?? [])] : values.rules.split(',').map((r) => r.trim()).filter((r) => r !== '');
    const expectations = values.expect === undefined ? undefined : await loadExpectationFile(values.expect);
    if (parseImplArg(implArg).kind === 'driver' && !runningIsolated(io.env) && values['allow-network'] !== true) {
      // A driver is foreign code: run it (with the harness and the mock) where only loopback exists.
      if (!(await namespacesAvailable())) {
        throw new ConformanceInputError(
          'BAD_CONFIG',
          'cannot create a loopback-only network namespace here, so the driver could reach the network.',
          'run as root or allow unprivileged user namespaces (util-linux unshare, iproute2), or pass --allow-network to run the driver unisolated.',
        );
      }
      io.err('… running the driver inside a network namespace with only loopback up');
      return rerunIsolated(argv, io, io.cwd);
    }
    // Inside the namespace a driver meets production hosts served by the mock over TLS (run CA),
    // exactly like the real CLI, so a request to a default host is journaled and judged.
    const impersonation = parseImplArg(implArg).kind === 'driver' && runningIsolated(io.env) ? await prepareProductionImpersonation() : undefined;
    let implementation;
    let mock: MockControl;
    try {
      implementation = await selectImplementation(implArg, {
        validate: values.validate === true,
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
    const progress = reporterName === 'pretty' && values.output === undefined;
    let report;
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
        ...(values.path !== undefined ? { path: values.path } : {}),
        ...(expectations !== undefined ? { expectations } : {}),
        onSuite: (suite, results) => {
          if (progress) io.err(`… ${suite.id}: ${results.length} result(s)`);
        },
      });
    } finally {
      await mock.close();
      await impersonation?.dispose();
    }
    const text = reporterFor(reporterName as ReporterName)(report);
    if (values.output !== undefined) {
      await writeFile(values.output, `${text}\n`);
      io.out(`wrote ${reporterName} report to ${values.output}: ${report.footer.ok ? 'OK' : 'NOT OK'}`);
    } else {
      io.out(text);
    }
    return report.footer.ok ? 0 : 1;
  },
};

/**
 * The profile a run judges: `--profile` when given; for `--impl codex-cli:<version>` the profile
 * that fits the release; else the newest.
 */
export function profileForRun(implArg: string, flag: string | undefined): ProfileId {
  if (flag !== undefined) return profileById(flag).id;
  const version = codexCliVersionOf(implArg);
  return version === undefined ? DEFAULT_PROFILE : profileForCodexVersion(version);
}

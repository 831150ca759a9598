/**
 * The real-CLI conformance run in one command, independent of the `run` command's wiring:
 *
 *   npx tsx scripts/real-cli/conformance.ts [--version 0.171.0] [--all-rules] [--expect expectations/codex-cli.json]
 *                                           [--reporter pretty|json|junit|markdown|tap] [--evidence FILE] [--allow-network]
 *
 * Same as `codex-auth-conformance run --impl codex-cli:<v> --expect ...` (the profile of the
 * release, its exercised rules: src/harness/codex-cli/select-codex-cli.ts), plus --evidence. Installs
 * the binary into .cache/codex-cli on first use (about 420 MB), runs every case inside a fresh
 * network namespace, prints the report; exit 0 only when the run is ok. `--evidence FILE` writes
 * the redacted per-case request tallies (no header values) as JSON.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConformanceInputError } from '../../src/errors.js';
import { codexCliImplementation } from '../../src/harness/codex-cli/codex-cli-implementation.js';
import { lastCodexCliEvidence } from '../../src/harness/codex-cli/codex-cli-suite.js';
import { tallyRequests } from '../../src/harness/codex-cli/case-evidence.js';
import { DEFAULT_CODEX_VERSION } from '../../src/harness/codex-cli/codex-install.js';
import { defaultRulePrefixesFor, suitesFor } from '../../src/harness/codex-cli/select-codex-cli.js';
import { loadExpectationFile } from '../../src/harness/expectation-file.js';
import { inProcessMockControl } from '../../src/harness/in-process-mock-control.js';
import { REPORTER_NAMES, reporterFor, type ReporterName } from '../../src/harness/reporters/index.js';
import { runConformance } from '../../src/harness/runner.js';
import { profileForCodexVersion } from '../../src/rules/profiles.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      version: { type: 'string', default: DEFAULT_CODEX_VERSION },
      'all-rules': { type: 'boolean', default: false },
      expect: { type: 'string' },
      reporter: { type: 'string', default: 'pretty' },
      evidence: { type: 'string' },
      'allow-network': { type: 'boolean', default: false },
    },
  });
  const reporter = values.reporter as ReporterName;
  if (!(REPORTER_NAMES as readonly string[]).includes(reporter)) throw new ConformanceInputError('USAGE', `unknown reporter ${reporter}.`, `use one of ${REPORTER_NAMES.join(', ')}.`);
  const implArg = `codex-cli:${values.version}`;
  // The profile whose release range holds the version, as `run --impl codex-cli:<version>` picks it:
  // the exercised rules and the expectations are per profile.
  const profile = profileForCodexVersion(values.version);
  const implementation = codexCliImplementation(values.version, { allowNetwork: values['allow-network'] === true });
  const expectations = values.expect === undefined ? undefined : await loadExpectationFile(values.expect);
  // The codex-cli suite serves its own mock inside the namespace; the runner's mock stays unused.
  const mock = await inProcessMockControl(1);
  try {
    const started = performance.now();
    const report = await runConformance({
      implementation,
      mock,
      suites: suitesFor(implArg),
      rulePrefixes: values['all-rules'] === true ? [] : [...(defaultRulePrefixesFor(implArg, profile) ?? [])],
      profile,
      seed: 1,
      runs: 1,
      implArg,
      ...(expectations === undefined ? {} : { expectations }),
    });
    process.stdout.write(`${reporterFor(reporter)(report)}\n`);
    process.stderr.write(`codex-cli conformance: ${report.footer.ok ? 'OK' : 'NOT OK'} in ${Math.round(performance.now() - started)} ms\n`);
    if (values.evidence !== undefined) {
      const evidence = lastCodexCliEvidence.map((e) => ({ caseId: e.caseId, outcome: e.outcome, durationMs: e.durationMs, requests: tallyRequests(e.requests), unhandled: e.unhandled }));
      await writeFile(values.evidence, `${JSON.stringify(evidence, null, 2)}\n`);
    }
    return report.footer.ok ? 0 : 1;
  } finally {
    await mock.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(e instanceof ConformanceInputError ? 2 : 3);
  },
);

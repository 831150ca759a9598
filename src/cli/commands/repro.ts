import { assertNever } from '../../assert-never.js';
import { inProcessMockControl } from '../../harness/in-process-mock-control.js';
import type { MockControl } from '../../harness/mock-control.js';
import { portMockControl } from '../../harness/port-mock-control.js';
import { loadRegression, replayRegression, replaySavedFailure } from '../../harness/regression.js';
import { REPORTER_NAMES, reporterFor, type ReporterName } from '../../harness/reporters/index.js';
import { countVerdicts, RESULTS_FORMAT_VERSION, type RunReport } from '../../harness/results.js';
import { TOOL_VERSION } from '../../harness/runner.js';
import { isInProcessImplementation, selectImplementation } from '../../harness/select-implementation.js';
import { ConformanceInputError } from '../../errors.js';
import type { Command } from '../command.js';
import { parseCommandArgs } from '../parse-args.js';

const usage = 'codex-auth-conformance repro <scenario.json> [--impl reference|mutant:<name>|driver:<command>] [--reporter pretty|json|junit|markdown|tap]';

export const reproCommand: Command = {
  name: 'repro',
  summary: 'Replay a regression file (scenarios/regressions/*.json) or a saved failure ({impl, rules, seed, path}).',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { impl: { type: 'string' }, reporter: { type: 'string', default: 'pretty' } }, usage, { min: 1, max: 1 });
    const reporter = values.reporter as string;
    if (!(REPORTER_NAMES as readonly string[]).includes(reporter)) {
      throw new ConformanceInputError('USAGE', `unknown reporter ${JSON.stringify(reporter)}.`, `use one of ${REPORTER_NAMES.join(', ')}.`);
    }
    const file = await loadRegression(positionals[0]!);
    const implArg = values.impl ?? (file.kind === 'regression' ? file.implementation : file.impl);
    const mock: MockControl = isInProcessImplementation(implArg) ? await inProcessMockControl() : await portMockControl();
    let report: RunReport;
    try {
      switch (file.kind) {
        case 'regression': {
          io.err(`${file.id}: ${file.title}\n  breaks ${file.rule}; replaying on ${implArg}`);
          const started = performance.now();
          // The implementation behaves as the profile the regression is judged under.
          const cases = await replayRegression(file, await selectImplementation(implArg, file.profile !== undefined ? { profile: file.profile } : {}), mock);
          const counts = countVerdicts(cases);
          report = {
            header: { type: 'header', formatVersion: RESULTS_FORMAT_VERSION, tool: { name: 'codex-auth-conformance', version: TOOL_VERSION }, implementation: { name: implArg, version: '' }, ...(file.profile !== undefined ? { profile: file.profile } : {}), seed: 0, runs: 1, rulesSelected: [file.rule], startedAt: new Date().toISOString() },
            cases,
            footer: { type: 'footer', counts, rulesNotReached: cases.some((c) => c.ruleId === file.rule) ? [] : [file.rule], durationMs: Math.round(performance.now() - started), ok: counts.fail === 0 && counts.error === 0 && cases.some((c) => c.ruleId === file.rule && c.verdict === 'pass') },
          };
          break;
        }
        case 'savedFailure':
          report = await replaySavedFailure({ ...file, impl: implArg }, mock);
          break;
        default:
          return assertNever(file, 'regression file');
      }
    } finally {
      await mock.close();
    }
    io.out(reporterFor(reporter as ReporterName)(report));
    return report.footer.ok ? 0 : 1;
  },
};

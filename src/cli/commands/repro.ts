import { assertNever } from '../../assert-never.js';
import { inProcessMockControl } from '../../harness/in-process-mock-control.js';
import type { MockControl } from '../../harness/mock-control.js';
import { portMockControl } from '../../harness/port-mock-control.js';
import { loadRegression, replayRegression, replaySavedFailure } from '../../harness/regression.js';
import { RESULTS_FORMAT_VERSION, summarize, type RunHeader, type RunReport } from '../../harness/results.js';
import { TOOL_VERSION } from '../../harness/runner.js';
import { isInProcessImplementation, parseImplArg, selectImplementation } from '../../harness/select-implementation.js';
import { isolateForeignCode } from '../../harness/isolation/isolated-run.js';
import { stopAfterValidation, type Command } from '../command.js';
import { parseCommandArgs } from '../parse-args.js';
import { ConformanceInputError } from '../../errors.js';
import { isBugPath, reproBugs } from './repro-bugs.js';
import { checkReportTargets, parseReportTargets, writeRunReports } from '../report-targets.js';

const usage = 'codex-auth-conformance repro <scenario.json> [--impl reference|mutant:<name>|driver:<command>] [--reporter NAME[=FILE]]... [--output FILE] [--allow-network]\n       codex-auth-conformance repro scenarios/bugs/<id>.json [--against affected|fixed] [--allow-network]\n       codex-auth-conformance repro --corpus scenarios/bugs [--table FILE] [--allow-network]';

export const reproCommand: Command = {
  name: 'repro',
  summary: 'Replay a regression file (scenarios/regressions/*.json), a saved failure ({impl, rules, seed, path, replayPath, afterPaths}), a reported bug (scenarios/bugs/*.json, --against affected|fixed) or the whole bug corpus (--corpus DIR).',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { impl: { type: 'string' }, reporter: { type: 'string', multiple: true }, output: { type: 'string' }, 'allow-network': { type: 'boolean' }, against: { type: 'string' }, corpus: { type: 'string' }, table: { type: 'string' } },
      usage,
      { min: 0, max: 1 },
    );
    if (values.corpus !== undefined || isBugPath(positionals[0])) return reproBugs(values, positionals[0], io);
    if (positionals[0] === undefined) throw new ConformanceInputError('USAGE', 'repro needs a file or --corpus DIR.', `usage: ${usage}`);
    for (const flag of ['against', 'table'] as const) {
      if (values[flag] !== undefined) throw new ConformanceInputError('USAGE', `--${flag} goes with a bug file (scenarios/bugs/*.json) or --corpus.`, 'drop it for regressions and saved failures.');
    }
    const targets = parseReportTargets(values.reporter, values.output, io.cwd, usage);
    await checkReportTargets(targets);
    const file = await loadRegression(positionals[0]!);
    const implArg = values.impl ?? (file.kind === 'regression' ? file.implementation : file.impl);
    const kind = parseImplArg(implArg).kind;
    if (stopAfterValidation(io)) return 0;
    if (kind === 'driver') {
      const isolated = await isolateForeignCode('repro', argv, io, values['allow-network'] === true);
      if (isolated !== undefined) return isolated;
    }
    const mock: MockControl = isInProcessImplementation(implArg) ? await inProcessMockControl() : await portMockControl();
    let report: RunReport;
    try {
      switch (file.kind) {
        case 'regression': {
          io.err(`${file.id}: ${file.title}\n  breaks ${file.rule}; replaying on ${implArg}`);
          const started = performance.now();
          // The implementation behaves as the profile the regression is judged under.
          const cases = await replayRegression(file, await selectImplementation(implArg, { allowNetwork: values['allow-network'] === true, ...(file.profile !== undefined ? { profile: file.profile } : {}) }), mock);
          const header: RunHeader = { type: 'header', formatVersion: RESULTS_FORMAT_VERSION, tool: { name: 'codex-auth-conformance', version: TOOL_VERSION }, implementation: { name: implArg, version: '' }, ...(file.profile !== undefined ? { profile: file.profile } : {}), seed: 0, runs: 1, rulesSelected: [file.rule], startedAt: new Date().toISOString() };
          report = { header, cases, footer: summarize(header, cases, { casesRun: 1, durationMs: Math.round(performance.now() - started) }) };
          break;
        }
        case 'savedFailure':
          report = await replaySavedFailure({ ...file, impl: implArg }, mock, { allowNetwork: values['allow-network'] === true });
          break;
        default:
          return assertNever(file, 'regression file');
      }
    } finally {
      await mock.close();
    }
    await writeRunReports(targets, report, io);
    return report.footer.ok ? 0 : 1;
  },
};

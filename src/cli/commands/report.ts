import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConformanceInputError } from '../../errors.js';
import { renderRuns } from '../../harness/reporters/render-runs.js';
import { applyExpectations, loadExpectationFile } from '../../harness/expectation-file.js';
import { mergeReports, parseResultsStreams, summarize, type RunReport } from '../../harness/results.js';
import type { Command } from '../command.js';
import { parseCommandArgs } from '../parse-args.js';
import { checkReportTargets, parseReportTargets, writeReports } from '../report-targets.js';

const usage = 'codex-auth-conformance report <results.ndjson>... [--reporter NAME[=FILE]]... [--output FILE] [--expect FILE]';

/**
 * `report`: renders saved results streams (`run --reporter json=FILE`) in any format, later or
 * elsewhere. The shards of one run (`run --shard K/N`, in separate files or concatenated) merge
 * into that run; different runs render side by side. `--expect FILE` judges known failures and
 * unsupported rules on the merged run (a shard cannot). Exit 0 when every run is OK, 1 otherwise.
 */
export const reportCommand: Command = {
  name: 'report',
  summary: 'Render saved results streams (merging the shards of a run): pretty, json, junit, markdown, tap.',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { reporter: { type: 'string', multiple: true }, output: { type: 'string' }, expect: { type: 'string' } }, usage, { min: 1, max: 10_000 });
    const targets = parseReportTargets(values.reporter, values.output, io.cwd, usage);
    await checkReportTargets(targets);
    const streams: RunReport[] = [];
    for (const file of positionals) {
      const path = resolve(io.cwd, file);
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (e) {
        throw new ConformanceInputError('USAGE', `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`, 'pass results streams written by `run --reporter json=FILE`.', { cause: e });
      }
      streams.push(...parseResultsStreams(text, path));
    }
    const expectations = values.expect === undefined ? undefined : await loadExpectationFile(resolve(io.cwd, values.expect));
    for (const warning of expectations?.warnings ?? []) io.err(`warning: ${warning}`);
    // Known failures and unsupported rules are judged on the whole run (after merging shards).
    const runs = mergeReports(streams).map((r) => {
      if (expectations === undefined) return r;
      const cases = applyExpectations(r.cases, expectations);
      return { header: r.header, cases, footer: summarize(r.header, cases, { casesRun: r.footer.casesRun, durationMs: r.footer.durationMs }) };
    });
    const ok = runs.every((r) => r.footer.ok);
    await writeReports(targets, (name) => renderRuns(name, runs), io, ok);
    return ok ? 0 : 1;
  },
};

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConformanceInputError } from '../../errors.js';
import { codexCliImplementation } from '../../harness/codex-cli/codex-cli-implementation.js';
import { checkVersion } from '../../harness/codex-cli/codex-install.js';
import { buildMatrix, renderMatrixMarkdown } from '../../harness/codex-cli/release-matrix.js';
import { matrixProfileFor } from '../../harness/codex-cli/release-facts.js';
import { profileById, type ProfileId } from '../../rules/profiles.js';
import { suitesFor } from '../../harness/codex-cli/select-codex-cli.js';
import { inProcessMockControl } from '../../harness/in-process-mock-control.js';
import { toNdjson, type RunReport } from '../../harness/results.js';
import { lastCodexCliWire } from '../../harness/codex-cli/codex-cli-suite.js';
import { diffWire, renderWireDiff } from '../../harness/wire-diff.js';
import { wireNdjson, type WireCase } from '../../harness/wire-record.js';
import { runConformance } from '../../harness/runner.js';
import { stopAfterValidation, type Command } from '../command.js';
import { checkReportTargets, parseReportTargets, writeReports } from '../report-targets.js';
import { renderRuns } from '../../harness/reporters/render-runs.js';
import { parseCommandArgs } from '../parse-args.js';

const usage = 'codex-auth-conformance matrix (--releases <v1>,<v2>,... | --diff <a>..<b>) [--rules ID|PREFIX,...] [--profile pr18811|codex-0.171] [--out-dir DIR] [--reporter NAME=FILE]... [--allow-network]';

/** `0.125.0,0.171.0` -> versions, each checked; at least one, no duplicates. */
export function parseReleases(value: string | undefined): string[] {
  const versions = (value ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');
  if (versions.length === 0) throw new ConformanceInputError('USAGE', '--releases names no release.', `usage: ${usage}`);
  for (const v of versions) checkVersion(v);
  if (new Set(versions).size !== versions.length) throw new ConformanceInputError('USAGE', '--releases names a release twice.', 'List each release once.');
  return versions;
}

/** `0.128.0..0.129.0` -> the two releases, each checked and different. */
export function parseDiffRange(value: string): [string, string] {
  const parts = value.split('..');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') throw new ConformanceInputError('USAGE', `--diff ${JSON.stringify(value.slice(0, 60))} is not a range <a>..<b>.`, `usage: ${usage} (e.g. --diff 0.128.0..0.129.0)`);
  const [a, b] = parts as [string, string];
  checkVersion(a);
  checkVersion(b);
  if (a === b) throw new ConformanceInputError('USAGE', `--diff names ${a} twice.`, 'name two different releases, the older first.');
  return [a, b];
}

export const matrixCommand: Command = {
  name: 'matrix',
  summary: 'Run every codex-cli case against several published releases (installed on demand) and render the rule x release matrix.',
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { releases: { type: 'string' }, diff: { type: 'string' }, rules: { type: 'string' }, profile: { type: 'string' }, 'out-dir': { type: 'string' }, reporter: { type: 'string', multiple: true }, 'allow-network': { type: 'boolean' } }, usage);
    if (values.diff !== undefined && values.releases !== undefined) throw new ConformanceInputError('USAGE', '--diff and --releases both name releases.', `pass one of them; usage: ${usage}`);
    const range = values.diff === undefined ? undefined : parseDiffRange(values.diff);
    const versions = range ?? parseReleases(values.releases);
    // --rules: only these rules (ids or prefixes, e.g. SHARE); the binary then plays only what judges them.
    const rulePrefixes = values.rules === undefined ? [] : values.rules.split(',').map((r) => r.trim()).filter((r) => r !== '');
    if (values.rules !== undefined && rulePrefixes.length === 0) throw new ConformanceInputError('USAGE', '--rules names no rule.', `pass rule ids or prefixes separated by commas, e.g. --rules SHARE; usage: ${usage}`);
    // Extra renderings of the releases side by side (`--reporter html=matrix.html`); stdout keeps the Markdown matrix.
    const targets = values.reporter === undefined ? [] : parseReportTargets(values.reporter, undefined, io.cwd, usage);
    const toStdout = targets.find((t) => t.file === undefined);
    if (toStdout !== undefined) throw new ConformanceInputError('USAGE', `matrix prints its Markdown matrix to stdout, so --reporter ${toStdout.reporter} needs a file.`, `pass --reporter ${toStdout.reporter}=FILE.`);
    await checkReportTargets(targets);
    // Each release under its own profile (the one whose range holds it; between ranges the newest,
    // release facts deciding the release-dependent details), unless --profile names one for all.
    const forced: ProfileId | undefined = values.profile === undefined ? undefined : profileById(values.profile).id;
    const outDir = values['out-dir'];
    if (stopAfterValidation(io)) return 0;
    if (outDir !== undefined) await mkdir(outDir, { recursive: true });
    const runs: Array<{ version: string; profile: ProfileId; report: RunReport; durationMs: number }> = [];
    const wires = new Map<string, readonly WireCase[]>();
    const mock = await inProcessMockControl(1);
    try {
      for (const version of versions) {
        const implArg = `codex-cli:${version}`;
        const profile = forced ?? matrixProfileFor(version);
        const started = performance.now();
        const report = await runConformance({
          implementation: codexCliImplementation(version, { allowNetwork: values['allow-network'] === true, turnTimeoutMs: 45_000 }),
          mock,
          suites: suitesFor(implArg),
          rulePrefixes,
          profile,
          seed: 1,
          runs: 1,
          implArg,
        });
        const durationMs = performance.now() - started;
        runs.push({ version, profile, report, durationMs });
        io.err(`matrix: ${version} (profile ${profile}) done in ${(durationMs / 1000).toFixed(1)} s (${report.footer.results.pass} pass, ${report.footer.results.fail} fail, ${report.footer.results.skip} skip, ${report.footer.results.error} error results)`);
        wires.set(version, lastCodexCliWire);
        if (outDir !== undefined) {
          await writeFile(join(outDir, `codex-cli-${version}.ndjson`), toNdjson(report));
          await writeFile(join(outDir, `codex-cli-${version}.wire.ndjson`), wireNdjson(lastCodexCliWire));
        }
      }
    } finally {
      await mock.close();
    }
    const matrix = buildMatrix(runs);
    const markdown = renderMatrixMarkdown(matrix);
    if (outDir !== undefined) {
      await writeFile(join(outDir, 'matrix.json'), `${JSON.stringify(matrix, null, 2)}\n`);
      await writeFile(join(outDir, 'matrix.md'), markdown);
    }
    io.out(markdown);
    // The "wrote ..." lines go to stderr: stdout holds the matrix.
    await writeReports(targets, (name) => renderRuns(name, runs.map((r) => r.report)), { ...io, out: io.err }, runs.every((r) => r.report.footer.ok));
    if (range !== undefined) {
      const diff = diffWire({ name: `codex-cli:${range[0]}`, cases: wires.get(range[0]) ?? [] }, { name: `codex-cli:${range[1]}`, cases: wires.get(range[1]) ?? [] }, { releases: range });
      const text = renderWireDiff(diff);
      if (outDir !== undefined) await writeFile(join(outDir, `wire-diff-${range[0]}..${range[1]}.txt`), text);
      io.out(text);
    }
    const errored = Object.values(matrix.rules).some((cells) => Object.values(cells).some((c) => c.verdict === 'error'));
    return errored ? 3 : 0;
  },
};

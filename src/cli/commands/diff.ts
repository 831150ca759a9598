import { readFile } from 'node:fs/promises';
import { ConformanceInputError } from '../../errors.js';
import { diffRuns } from '../../harness/diff-results.js';
import { parseResultsNdjson } from '../../harness/results.js';
import { diffWire, releaseOfRecordName, renderWireDiff, wireDiffers } from '../../harness/wire-diff.js';
import { parseWireNdjson } from '../../harness/wire-record.js';
import type { Command } from '../command.js';
import { parseCommandArgs } from '../parse-args.js';

const usage = 'codex-auth-conformance diff <A.ndjson> <B.ndjson> [--json] | diff --wire <A.wire.ndjson> <B.wire.ndjson> [--json]';

async function readText(path: string, fix: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new ConformanceInputError('BAD_SCENARIO', `cannot read ${path}.`, fix);
  }
}

async function load(path: string) {
  return parseResultsNdjson(await readText(path, 'pass results streams written by `run --reporter json --output FILE`.'), path);
}

export const diffCommand: Command = {
  name: 'diff',
  summary: 'Show rules whose verdict changed between two results streams (two runs or two implementations).',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' }, wire: { type: 'boolean' } }, usage, { min: 2, max: 2 });
    if (values.wire === true) {
      const [wa, wb] = await Promise.all(positionals.map(async (path) => ({ name: path, cases: parseWireNdjson(await readText(path, 'pass wire records written by `matrix --out-dir` (codex-cli-<version>.wire.ndjson).'), path) })));
      const ra = releaseOfRecordName(wa!.name);
      const rb = releaseOfRecordName(wb!.name);
      const diff = diffWire(wa!, wb!, ra !== undefined && rb !== undefined ? { releases: [ra, rb] } : {});
      io.out(values.json ? JSON.stringify(diff, null, 2) : renderWireDiff(diff).trimEnd());
      return wireDiffers(diff) ? 1 : 0;
    }
    const [a, b] = await Promise.all([load(positionals[0]!), load(positionals[1]!)]);
    const changes = diffRuns(a, b);
    if (values.json) {
      io.out(JSON.stringify({ a: a.header.implementation, b: b.header.implementation, changes }, null, 2));
    } else if (changes.length === 0) {
      io.out(`no rule changed verdict between ${a.header.implementation.name} and ${b.header.implementation.name}`);
    } else {
      io.out(`${changes.length} rule(s) changed verdict (${a.header.implementation.name} → ${b.header.implementation.name}):`);
      const width = Math.max(...changes.map((c) => c.ruleId.length));
      for (const c of changes) io.out(`  ${c.ruleId.padEnd(width)}  ${c.before} → ${c.after}`);
    }
    return changes.length === 0 ? 0 : 1;
  },
};

/**
 * Entry of the crash-safety run for a codex release, re-executed inside the run's loopback-only
 * network namespace (scripts/crash-safety/run.ts starts it through isolation/netns-run.ts). It
 * refuses to start the binary unless isolated, then plays the `refreshExpired` codex-cli scenario
 * (an exec turn whose access token has expired, so it refreshes and rewrites auth.json) through the
 * kill campaign: once traced, then once per write point with a SIGKILL injected there. Prints one
 * `@crash report <json>` line (base names, lengths and verdicts only; no token, no path).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConformanceInputError } from '../../errors.js';
import { recordCases } from '../codex-cli/codex-cli-scenarios.js';
import { runEntry } from '../isolation/entry-main.js';
import { assertIsolated } from '../isolation/isolation-guard.js';
import { codexCliScenario } from '../judges/codex-cli/case-view.js';
import { reportLine } from './crash-report-line.js';
import { runCampaign } from './kill-campaign.js';

export const CRASH_SCENARIO = 'refreshExpired';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { binary: { type: 'string' }, version: { type: 'string' }, 'timeout-ms': { type: 'string', default: '60000' } } });
  if (values.binary === undefined || values.version === undefined) throw new ConformanceInputError('USAGE', 'codex-crash-entry needs --binary and --version.', 'Start it through scripts/crash-safety/run.ts --impl codex-cli:<version>.');
  await assertIsolated();
  const base = codexCliScenario(CRASH_SCENARIO);
  const workDir = await mkdtemp(join(tmpdir(), 'codex-crash-'));
  let batch = 0;
  try {
    const report = await runCampaign({
      writer: `codex-cli:${values.version}`,
      dir: join(workDir, 'campaign'),
      real: values.binary,
      runs: async (shim, count) => {
        batch += 1;
        const scenarios = Array.from({ length: count }, (_, i) => ({ ...base, id: `crash-${batch}-${i + 1}` }));
        await recordCases({
          binaryPath: shim,
          version: values.version!,
          caseIds: [],
          scenarios,
          workDir: join(workDir, `batch-${batch}`),
          transport: 'netns',
          timeoutMs: Number(values['timeout-ms']),
          concurrency: 1,
          onCase: (id, outcome) => process.stderr.write(`crash ${id}: ${outcome.completed ? 'turn completed' : `ended ${outcome.exitCode ?? outcome.signal ?? '?'}`} in ${outcome.durationMs} ms\n`),
        });
      },
    });
    process.stdout.write(reportLine(report));
    return 0;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

runEntry('codex-crash-entry', main, { otherExit: 3 });

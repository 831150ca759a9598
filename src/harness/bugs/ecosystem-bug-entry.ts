/**
 * Inside the namespace (ecosystem-bug.ts starts it): refuses unless isolated, plays one ecosystem
 * scenario with one installed client version and prints the judged report as one line.
 *   ecosystem-bug-entry.ts --client ID --version V --install-dir DIR --scenario ID
 */
import { parseArgs } from 'node:util';
import { ConformanceInputError } from '../../errors.js';
import { clientReport } from '../ecosystem/client-report.js';
import { runEcosystem } from '../ecosystem/ecosystem-run.js';
import { assertIsolated } from '../isolation/isolation-guard.js';
import { ecosystemScenarioIds } from '../judges/ecosystem/scenario-view.js';
import { REPO_ROOT } from './bug.js';
import { clientAt, REPORT_LINE } from './ecosystem-bug.js';
import { join } from 'node:path';

async function main(): Promise<number> {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { client: { type: 'string' }, version: { type: 'string' }, 'install-dir': { type: 'string' }, scenario: { type: 'string' } } });
  const { client: id, version, scenario } = values;
  const installDir = values['install-dir'];
  if (id === undefined || version === undefined || installDir === undefined || scenario === undefined || !ecosystemScenarioIds().includes(scenario)) {
    throw new ConformanceInputError('USAGE', 'ecosystem-bug-entry needs --client, --version, --install-dir and a known --scenario.', 'it is started by src/harness/bugs/ecosystem-bug.ts, not by hand.');
  }
  await assertIsolated();
  const client = clientAt(id, version);
  const installed = { client, installDir, packageDir: join(installDir, 'node_modules', ...client.npmName.split('/')), version };
  const run = await runEcosystem({ clients: [installed], scenarios: [scenario], repoRoot: REPO_ROOT, timeoutMs: 30_000, seed: 1 });
  const report = clientReport(run.clients[0]!, run.startedAt, undefined, true);
  process.stdout.write(`${REPORT_LINE}${JSON.stringify(report)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`ecosystem-bug-entry: ${e instanceof ConformanceInputError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(e instanceof ConformanceInputError ? 2 : 3);
  },
);

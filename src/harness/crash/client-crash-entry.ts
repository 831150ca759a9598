/**
 * Entry of the crash-safety run for an ecosystem client that writes CODEX_HOME/auth.json,
 * re-executed inside the run's loopback-only namespace (scripts/crash-safety/run.ts starts it
 * through isolation/netns-run.ts). It refuses to run the package unless isolated, serves the
 * production hosts from the mock over TLS (as the ecosystem run does), then plays the ecosystem
 * scenario `accessTokenExpired` (the access token has expired, so the client refreshes and writes
 * auth.json) through the kill campaign: the client's driver runs under the probe, once traced,
 * then once per kill point. The home's auth.json is written before the driver starts
 * (`seedHome`), so the probe copies the file the client will rewrite and traces no write of the
 * harness's own. The driver runs with UV_THREADPOOL_SIZE=1: Node makes asynchronous file calls on
 * its pool threads, and strace counts injections per thread, so one pool thread makes the same
 * call the N-th in every run. Prints one `@crash report <json>` line (base names, lengths and
 * verdicts only).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConformanceInputError } from '../../errors.js';
import { repoRoot } from '../codex-cli/netns-reexec.js';
import { ecosystemClient } from '../ecosystem/clients.js';
import { playClientScenario } from '../ecosystem/client-actors.js';
import { driverCommand, findInstalledClient } from '../ecosystem/ecosystem-install.js';
import { runEntry } from '../isolation/entry-main.js';
import { assertIsolated } from '../isolation/isolation-guard.js';
import { prepareProductionImpersonation } from '../isolation/production-impersonation.js';
import { ecosystemBlackboxScenarios } from '../judges/ecosystem/scenario-view.js';
import { portMockControl } from '../port-mock-control.js';
import { reportLine } from './crash-report-line.js';
import { runCampaign } from './kill-campaign.js';

export const CLIENT_CRASH_SCENARIO = 'accessTokenExpired';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { client: { type: 'string' }, 'cache-root': { type: 'string' }, 'timeout-ms': { type: 'string', default: '30000' } } });
  const client = values.client === undefined ? undefined : ecosystemClient(values.client);
  if (client === undefined || values['cache-root'] === undefined) throw new ConformanceInputError('USAGE', 'client-crash-entry needs --client <id> and --cache-root <dir>.', 'Start it through scripts/crash-safety/run.ts --impl ecosystem:<id>.');
  await assertIsolated();
  const installed = await findInstalledClient(client, values['cache-root']);
  if (installed === undefined) throw new ConformanceInputError('BAD_CONFIG', `${client.npmName}@${client.version} is not installed in ${values['cache-root']}.`, 'Run scripts/crash-safety/run.ts from the host: it installs the pinned package before entering the namespace.');
  const scenario = ecosystemBlackboxScenarios().find((s) => s.id === CLIENT_CRASH_SCENARIO);
  if (scenario === undefined) throw new Error(`scenario ${CLIENT_CRASH_SCENARIO} is missing from scenarios/blackbox/ecosystem/`);
  const workDir = await mkdtemp(join(tmpdir(), 'client-crash-'));
  const impersonation = await prepareProductionImpersonation();
  const mock = await portMockControl({ seed: 1, production: impersonation.tls });
  let run = 0;
  try {
    const report = await runCampaign({
      writer: `ecosystem:${client.id}@${client.version}`,
      dir: join(workDir, 'campaign'),
      real: process.execPath,
      runs: async (shim, count) => {
        for (let i = 0; i < count; i++) {
          run += 1;
          const r = await playClientScenario({
            mock,
            clientId: client.id,
            driverCommand: driverCommand(installed, repoRoot(), shim),
            scenario,
            workDir: join(workDir, `run-${run}`),
            env: { ...impersonation.env, UV_THREADPOOL_SIZE: '1' },
            timeoutMs: Number(values['timeout-ms']),
            seedHome: true,
          });
          const crashed = r.safety.some((e) => e.kind === 'crashed' || e.kind === 'driverFailed');
          process.stderr.write(`crash ${client.id} run ${run}: ${r.outcome.kind}${crashed ? ' (driver ended)' : ''}, auth.json ${r.authJson?.disposition ?? 'not reported'}, ${r.durationMs} ms\n`);
        }
      },
    });
    process.stdout.write(reportLine(report));
    return 0;
  } finally {
    await mock.close();
    await impersonation.dispose();
    await rm(workDir, { recursive: true, force: true });
  }
}

runEntry('client-crash-entry', main, { otherExit: 3 });

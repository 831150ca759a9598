/**
 * A bug entry on a published third-party client version (`ecosystem:<client>@<version>`): the
 * client's pinned driver (src/harness/ecosystem/clients.ts) at the entry's version, installed into
 * the cache outside the namespace (the only step that needs the registry), then one scenario of
 * scenarios/blackbox/ecosystem/ played inside a fresh loopback-only namespace by
 * ecosystem-bug-entry.ts. The judged report comes back as one prefixed JSON line.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConformanceInputError } from '../../errors.js';
import { ecosystemClient, ECOSYSTEM_CLIENTS, type EcosystemClient } from '../ecosystem/clients.js';
import { ensureInstalledClient } from '../ecosystem/ecosystem-install.js';
import { NETNS_MARKER_ENV } from '../isolation/isolation-guard.js';
import { spawnInNetns } from '../isolation/netns-run.js';
import type { RunReport } from '../results.js';
import { REPO_ROOT } from './bug.js';

/** The line the inner entry prints its report on. */
export const REPORT_LINE = 'ecosystem-bug-report ';

/** The pinned client at another published version (its driver and custody stay the pinned one's). */
export function clientAt(id: string, version: string): EcosystemClient {
  const pinned = ecosystemClient(id);
  if (pinned === undefined || pinned.local === true) {
    throw new ConformanceInputError('BAD_SCENARIO', `ecosystem:${id}@${version}: "${id}" is not an ecosystem client of this harness.`, `name one of ${ECOSYSTEM_CLIENTS.map((c) => c.id).join(', ')} (src/harness/ecosystem/clients.ts).`);
  }
  return { ...pinned, version };
}

/** The report line of the inner entry's stdout, or undefined when it printed none. */
export function parseReportLine(stdout: string): RunReport | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith(REPORT_LINE));
  return line === undefined ? undefined : (JSON.parse(line.slice(REPORT_LINE.length)) as RunReport);
}

const ENTRY = join(dirname(fileURLToPath(import.meta.url)), 'ecosystem-bug-entry.ts');

/** Installs the client at the version, plays the scenario in a namespace and returns its report. */
export async function runEcosystemBug(id: string, version: string, scenarioId: string, opts: { readonly timeoutMs?: number; readonly announce?: (line: string) => void } = {}): Promise<RunReport> {
  const client = clientAt(id, version);
  opts.announce?.(`… installing ${client.npmName}@${version} into the cache if missing (npm, --ignore-scripts)`);
  const installed = await ensureInstalledClient(client);
  const workDir = await mkdtemp(join(tmpdir(), 'cac-ecosystem-bug-'));
  try {
    const child = await spawnInNetns({
      workDir,
      main: {
        command: process.execPath,
        args: ['--import', 'tsx', ENTRY, '--client', id, '--version', version, '--install-dir', installed.installDir, '--scenario', scenarioId],
        env: { PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin', [NETNS_MARKER_ENV]: '1' },
        cwd: REPO_ROOT,
      },
    });
    if (!child.isolated) {
      child.kill();
      throw new ConformanceInputError('BAD_CONFIG', 'cannot create a loopback-only network namespace here, and third-party packages never run outside one.', 'run as root or allow unprivileged user namespaces (util-linux unshare, iproute2); --allow-network does not apply to ecosystem entries.');
    }
    let stdout = '';
    let stderr = '';
    child.process.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.process.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4096)));
    child.process.stdin.end();
    const timer = setTimeout(() => child.kill(), opts.timeoutMs ?? 180_000);
    const { code, signal } = await child.exited.finally(() => clearTimeout(timer));
    const report = parseReportLine(stdout);
    if (report === undefined) {
      throw new ConformanceInputError('BAD_CONFIG', `the namespaced ecosystem run of ${id}@${version} ended without a report (exit ${code ?? signal}): ${stderr.slice(-400)}`, 'run `codex-auth-conformance run --impl ecosystem:<client>` to check the namespace and the driver.');
    }
    return report;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

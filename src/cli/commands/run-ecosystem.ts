import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConformanceInputError } from '../../errors.js';
import { loadExpectationFile, type ExpectationFile } from '../../harness/expectation-file.js';
import { namespacesAvailable, rerunIsolated, runningIsolated } from '../../harness/isolation/isolated-run.js';
import { writeReports, type ReportTarget } from '../report-targets.js';
import { ECOSYSTEM_CLIENTS, ecosystemClient, type EcosystemClient } from '../../harness/ecosystem/clients.js';
import { ensureInstalledClient, findInstalledClient, type InstalledClient } from '../../harness/ecosystem/ecosystem-install.js';
import { clientReport } from '../../harness/ecosystem/client-report.js';
import { renderCoexistenceHtml } from '../../harness/ecosystem/coexistence-rows.js';
import type { EcosystemDocument } from '../../harness/ecosystem/ecosystem-document.js';
import { ecosystemJson, renderEcosystemMarkdown } from '../../harness/ecosystem/ecosystem-report.js';
import { progressLine } from '../../harness/ecosystem/scenario-summary.js';
import { runEcosystem } from '../../harness/ecosystem/ecosystem-run.js';
import { coexistenceRunner, coexistenceScenariosFor } from '../../harness/coexistence/run-coexistence.js';
import { checkCoexistence, coexistenceProgressLine, parseCoexistenceExpectations, type CoexistenceExpectation } from '../../harness/judges/coexistence/coexistence-expectations.js';
import { readCrashSafety } from '../../harness/judges/coexistence/crash-safety-table.js';
import { DEFAULT_CODEX_VERSION, ensureCodexCli } from '../../harness/codex-cli/codex-install.js';
import { ECOSYSTEM_PROFILE } from '../../harness/judges/ecosystem/ecosystem-rules.js';
import { ecosystemScenarioIds, type ScenarioId } from '../../harness/judges/ecosystem/scenario-view.js';
import { htmlReport } from '../../harness/reporters/html/index.js';
import { toNdjson } from '../../harness/results.js';
import type { CommandIo } from '../command.js';

/**
 * `run --impl ecosystem[:<id>,...]`: the third-party client table (src/harness/ecosystem/).
 * Outside the namespace it installs the pinned packages (the only step that needs the registry),
 * then re-executes itself inside a loopback-only namespace, where every client runs; it never
 * runs a package unisolated (`--allow-network` does not apply).
 */
export const ECOSYSTEM_IMPL = 'ecosystem';
export { ECOSYSTEM_PROFILE };

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function isEcosystemImpl(implArg: string): boolean {
  return implArg === ECOSYSTEM_IMPL || implArg.startsWith(`${ECOSYSTEM_IMPL}:`);
}

export function selectClients(implArg: string): EcosystemClient[] {
  const list = implArg.slice(ECOSYSTEM_IMPL.length + 1);
  if (implArg === ECOSYSTEM_IMPL) return [...ECOSYSTEM_CLIENTS];
  const ids = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (ids.length === 0) throw new ConformanceInputError('USAGE', '--impl ecosystem: names no client.', `use --impl ecosystem or --impl ecosystem:${ECOSYSTEM_CLIENTS.map((c) => c.id).join(',')}.`);
  return ids.map((id) => {
    const c = ecosystemClient(id);
    if (c === undefined) throw new ConformanceInputError('USAGE', `unknown ecosystem client ${JSON.stringify(id.slice(0, 60))}.`, `use one of ${ECOSYSTEM_CLIENTS.map((x) => x.id).join(', ')}.`);
    return c;
  });
}

/** The `--scenarios` word that selects the coexistence scenarios (the client beside the codex binary). */
export const COEXISTENCE_SCENARIOS = 'coexistence';

export function parseScenarios(value: string | undefined): ScenarioId[] | undefined {
  if (value === undefined) return undefined;
  const ids = value.split(',').map((s) => s.trim()).filter((s) => s !== '' && s !== COEXISTENCE_SCENARIOS);
  if (ids.length === 0 && value.split(',').some((s) => s.trim() === COEXISTENCE_SCENARIOS)) return [];
  for (const id of ids) {
    if (!ecosystemScenarioIds().includes(id)) throw new ConformanceInputError('USAGE', `unknown scenario ${JSON.stringify(id.slice(0, 60))}.`, `use some of ${ecosystemScenarioIds().join(', ')} (scenarios/blackbox/ecosystem/), or ${COEXISTENCE_SCENARIOS} (scenarios/blackbox/coexistence/).`);
  }
  if (ids.length === 0) throw new ConformanceInputError('USAGE', '--scenarios names no scenario.', `use some of ${ecosystemScenarioIds().join(', ')}.`);
  return ids as ScenarioId[];
}

export interface EcosystemArgs {
  readonly implArg: string;
  /** The run's report targets (`--reporter NAME[=FILE]`, `--output`): pretty, markdown, json or html (one matrix column per client). */
  readonly targets: readonly ReportTarget[];
  readonly expect?: string;
  readonly resultsDir?: string;
  readonly scenarios?: string;
  readonly seed?: number;
  readonly timeoutMs?: number;
}

async function loadExpectations(dir: string | undefined, clients: readonly EcosystemClient[], cwd: string): Promise<{ readonly files: Map<string, ExpectationFile>; readonly coexistence: Map<string, CoexistenceExpectation[]> }> {
  const base = dir === undefined ? join(REPO_ROOT, 'expectations', 'ecosystem') : resolve(cwd, dir);
  const files = new Map<string, ExpectationFile>();
  const coexistence = new Map<string, CoexistenceExpectation[]>();
  for (const c of clients) {
    const path = join(base, `${c.id}.json`);
    const exists = await access(path).then(() => true, () => false);
    if (!exists) continue;
    files.set(c.id, await loadExpectationFile(path));
    // loadExpectationFile has checked that the file is JSON.
    coexistence.set(c.id, parseCoexistenceExpectations(JSON.parse(await readFile(path, 'utf8')), path));
  }
  return { files, coexistence };
}

export async function runEcosystemCommand(args: EcosystemArgs, argv: readonly string[], io: CommandIo): Promise<number> {
  const unfit = args.targets.find((t) => !['pretty', 'markdown', 'json', 'html'].includes(t.reporter));
  if (unfit !== undefined) {
    throw new ConformanceInputError('USAGE', `--reporter ${unfit.reporter} does not render the ecosystem table.`, 'use --reporter pretty, markdown, json or html (and --results-dir DIR for one results stream per client, for diff).');
  }
  const clients = selectClients(args.implArg);
  const scenarios = parseScenarios(args.scenarios);
  const coexistence = (args.scenarios === undefined || args.scenarios.split(',').some((x) => x.trim() === COEXISTENCE_SCENARIOS)) && clients.some((c) => coexistenceScenariosFor(c.id).length > 0);
  if (!runningIsolated(io.env)) {
    if (!(await namespacesAvailable())) {
      throw new ConformanceInputError(
        'BAD_CONFIG',
        'cannot create a loopback-only network namespace here, and third-party packages never run outside one (several hard-code production hosts).',
        'run as root or allow unprivileged user namespaces (util-linux unshare, iproute2); --allow-network does not apply to the ecosystem run.',
      );
    }
    for (const c of clients) {
      const found = await findInstalledClient(c);
      if (found === undefined) io.err(`… installing ${c.npmName}@${c.version} into the cache (npm, --ignore-scripts)`);
      await ensureInstalledClient(c);
    }
    if (coexistence) {
      io.err(`… the coexistence scenarios run the codex binary ${DEFAULT_CODEX_VERSION} beside each client (installed into the cache on first use)`);
      await ensureCodexCli(DEFAULT_CODEX_VERSION);
    }
    io.err('… running the clients inside a network namespace with only loopback up (production hosts served by the mock over TLS)');
    return rerunIsolated('run', argv, io, io.cwd);
  }
  const installed: InstalledClient[] = [];
  for (const c of clients) {
    const found = await findInstalledClient(c);
    if (found === undefined) throw new ConformanceInputError('BAD_CONFIG', `${c.npmName}@${c.version} is not installed in the cache.`, 'run the command from the host (outside a namespace); it installs the pinned packages first.');
    installed.push(found);
  }
  const { files: expectations, coexistence: recordedCoexistence } = await loadExpectations(args.expect, clients, io.cwd);
  const codex = coexistence ? await ensureCodexCli(DEFAULT_CODEX_VERSION) : undefined;
  const run = await runEcosystem({
    clients: installed,
    ...(scenarios === undefined ? {} : { scenarios, coexistenceSelected: coexistence }),
    ...(codex === undefined ? {} : { afterClient: coexistenceRunner({ binaryPath: codex.binaryPath, version: codex.version }, (r) => io.err(coexistenceProgressLine(r))) }),
    repoRoot: REPO_ROOT,
    timeoutMs: args.timeoutMs ?? 30_000,
    seed: args.seed ?? 1,
    onScenario: (recording, results) => io.err(progressLine({ recording, results })),
  });
  const reports = run.clients.map((c) => clientReport(c, run.startedAt, expectations.get(c.client.id), scenarios !== undefined));
  const crash = await readCrashSafety(join(REPO_ROOT, 'docs', 'crash-safety.md'));
  const coexistenceChecks = run.clients.map((c) => checkCoexistence(c.coexistence, recordedCoexistence.get(c.client.id) ?? [], scenarios !== undefined && !coexistence));
  const doc: EcosystemDocument = { run, reports, expectations, profile: ECOSYSTEM_PROFILE, crash, coexistence: recordedCoexistence };
  if (args.resultsDir !== undefined) {
    const dir = resolve(io.cwd, args.resultsDir);
    await mkdir(dir, { recursive: true });
    for (const r of reports) await writeFile(join(dir, `${r.header.implementation.name}.ndjson`), toNdjson(r));
    io.err(`… wrote ${reports.length} results stream(s) to ${dir} (compare two runs with \`diff\`)`);
  }
  for (const [i, c] of coexistenceChecks.entries()) for (const p of c.problems) io.err(`… ${run.clients[i]!.client.id}: coexistence not as recorded: ${p}`);
  // `--scenarios coexistence` alone runs no ecosystem scenario: the client's results stream is empty, not failing.
  const ecosystemOk = (r: (typeof reports)[number]): boolean => r.footer.ok || scenarios?.length === 0;
  const ok = reports.every(ecosystemOk) && coexistenceChecks.every((c) => c.ok);
  await writeReports(args.targets, (name) => (name === 'json' ? JSON.stringify(ecosystemJson(doc), null, 2) : name === 'html' ? htmlReport(reports, renderCoexistenceHtml(doc)) : renderEcosystemMarkdown(doc)), io, ok);
  io.out(`ecosystem: ${reports.map((r, i) => `${r.header.implementation.name} ${ecosystemOk(r) && coexistenceChecks[i]!.ok ? 'as recorded' : 'NOT as recorded'}`).join(', ')} — wall time ${(run.durationMs / 1000).toFixed(1)} s — ${ok ? 'OK' : 'NOT OK'}`);
  return ok ? 0 : 1;
}

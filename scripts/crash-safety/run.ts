/**
 * Crash safety of auth.json writers, measured (issue 18 part 3): kills each writer with SIGKILL at
 * every write point of a refresh commit (strace syscall fault injection) and judges the auth.json
 * each kill left (old or new, never absent, empty, truncated, unparseable, missing keys or mode
 * other than 600). Not part of npm test.
 *
 *   npx tsx scripts/crash-safety/run.ts [--impl codex-cli:0.156.0,codex-cli:0.171.0,ecosystem:codex-as-api,ecosystem:openai-oauth] [--out report.json]
 *
 * It first checks the mechanism on two writers of its own (an in-place and an atomic tiny writer):
 * without strace, or if the check fails, nothing else runs (exit 1). Codex releases and the
 * ecosystem clients that write auth.json (installed first, outside) run only inside the
 * loopback-only namespace (src/harness/isolation/) against the mock. Prints a summary table and
 * one detail table per writer (Markdown); `--out` writes the summary (per writer: killRuns, broken,
 * verdict) and the reports as JSON. Exit 0 when every writer was measured; 1 when a measurement
 * failed; 2 on bad input. A broken file is a verdict in the table (a client's: failure), not an
 * exit status.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { ConformanceInputError } from '../../src/errors.js';
import { defaultCacheDir, ensureCodexCli } from '../../src/harness/codex-cli/codex-install.js';
import { repoRoot } from '../../src/harness/codex-cli/netns-reexec.js';
import { crashSummary } from '../../src/harness/crash/crash-summary.js';
import { detailTable, summaryTable } from '../../src/harness/crash/crash-table.js';
import { crashImplLabel, DEFAULT_CRASH_IMPLS, parseCrashImpls, type CrashImpl } from '../../src/harness/crash/crash-impls.js';
import { findReport } from '../../src/harness/crash/crash-report-line.js';
import type { CrashReport } from '../../src/harness/crash/kill-campaign.js';
import { selfCheck } from '../../src/harness/crash/self-check.js';
import { WRITER_FINDINGS } from '../../src/harness/crash/writer-findings.js';
import { cacheRoot } from '../../src/harness/ecosystem/cache-dir.js';
import { ensureInstalledClient, findInstalledClient } from '../../src/harness/ecosystem/ecosystem-install.js';
import { NETNS_MARKER_ENV } from '../../src/harness/isolation/isolation-guard.js';
import { spawnInNetns } from '../../src/harness/isolation/netns-run.js';
import { tail } from '../../src/harness/isolation/scrub-secrets.js';

async function straceVersion(): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('strace', ['-V']);
    return stdout.split('\n')[0] ?? 'strace';
  } catch {
    throw new MechanismMissing('strace is not installed, so no writer can be killed at a write point; nothing was measured. Fix: apt-get install -y strace (Debian/Ubuntu), then run this command again.');
  }
}

class MechanismMissing extends Error {}

/** Runs a crash entry inside a fresh loopback-only namespace and returns the report it printed. */
async function namespacedReport(label: string, entry: string, args: readonly string[]): Promise<CrashReport> {
  const workDir = await mkdtemp(join(tmpdir(), 'crash-netns-'));
  try {
    const child = await spawnInNetns({
      workDir,
      main: {
        command: process.execPath,
        args: ['--import', 'tsx', join(repoRoot(), 'src/harness/crash', entry), ...args],
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', [NETNS_MARKER_ENV]: '1' },
        cwd: repoRoot(),
      },
    });
    if (!child.isolated) {
      child.kill();
      throw new ConformanceInputError('BAD_CONFIG', `The loopback-only namespace could not be created, so ${label} is not started.`, 'Run as root or allow unprivileged user namespaces (docs/real-cli.md §2).');
    }
    let stdout = '';
    let stderr = '';
    child.process.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.process.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-16_384);
      if (process.env['CRASH_PROGRESS'] === '1') process.stderr.write(d);
    });
    child.process.stdin.end();
    const { code, signal } = await child.exited;
    const report = findReport(stdout);
    if (report === undefined) throw new Error(`${label}: the namespaced crash run ended without a report (exit ${code ?? signal}): ${tail(stderr, 600)}`);
    return report;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Installs what `impl` needs (needs the registry, so before the namespace) and measures it inside one. */
async function measure(impl: CrashImpl, timeoutMs: number): Promise<CrashReport> {
  if (impl.kind === 'codex-cli') {
    const cli = await ensureCodexCli(impl.version, defaultCacheDir(), { announce: (l) => process.stderr.write(`${l}\n`) });
    return namespacedReport(crashImplLabel(impl), 'codex-crash-entry.ts', ['--binary', cli.binaryPath, '--version', cli.version, '--timeout-ms', String(timeoutMs)]);
  }
  const root = cacheRoot();
  if ((await findInstalledClient(impl.client, root)) === undefined) process.stderr.write(`crash-safety: installing ${impl.client.npmName}@${impl.client.version} into the cache (npm, --ignore-scripts)\n`);
  await ensureInstalledClient(impl.client, root);
  return namespacedReport(crashImplLabel(impl), 'client-crash-entry.ts', ['--client', impl.client.id, '--cache-root', root, '--timeout-ms', String(Math.min(timeoutMs, 30_000))]);
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { impl: { type: 'string', default: DEFAULT_CRASH_IMPLS }, out: { type: 'string' }, 'timeout-ms': { type: 'string', default: '60000' } } });
  const impls = parseCrashImpls(values.impl);
  const timeoutMs = Number(values['timeout-ms']);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new ConformanceInputError('USAGE', `--timeout-ms ${values['timeout-ms']} is not a positive integer.`, 'Pass milliseconds per writer run, e.g. --timeout-ms 60000.');
  const started = performance.now();
  const strace = await straceVersion();
  process.stderr.write(`crash-safety: ${strace}\n`);
  const scratch = await mkdtemp(join(tmpdir(), 'crash-self-check-'));
  const reports: CrashReport[] = [];
  let failed = 0;
  try {
    const check = await selfCheck(scratch);
    reports.push(...check.reports);
    if (!check.ok) {
      process.stderr.write(`crash-safety: the kill mechanism failed its self-check, nothing else was run:\n  ${check.problems.join('\n  ')}\n`);
      return 1;
    }
    process.stderr.write('crash-safety: self-check passed (the in-place tiny writer breaks under kills, the atomic one never does)\n');
    for (const impl of impls) {
      const t0 = performance.now();
      try {
        reports.push(await measure(impl, timeoutMs));
        process.stderr.write(`crash-safety: ${crashImplLabel(impl)} measured in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      } catch (e) {
        if (e instanceof ConformanceInputError) throw e;
        failed += 1;
        process.stderr.write(`crash-safety: ${crashImplLabel(impl)} not measured: ${e instanceof Error ? e.message : String(e)}\n`);
      }
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  process.stdout.write(`${summaryTable(reports, WRITER_FINDINGS)}\n\n${reports.map((r) => detailTable(r)).join('\n\n')}\n`);
  const wallSeconds = Math.round((performance.now() - started) / 100) / 10;
  if (values.out !== undefined) {
    const summary = reports.map((r) => crashSummary(r, WRITER_FINDINGS[r.writer]));
    await writeFile(values.out, `${JSON.stringify({ measuredAt: new Date().toISOString(), strace, impl: values.impl, wallSeconds, summary, reports }, null, 2)}\n`);
  }
  process.stderr.write(`crash-safety: ${reports.length} writer(s) measured in ${wallSeconds.toFixed(1)} s${failed === 0 ? '' : `, ${failed} failed`}\n`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(e instanceof ConformanceInputError ? 2 : e instanceof MechanismMissing ? 1 : 3);
  },
);

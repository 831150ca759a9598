/**
 * `npm test` (the whole vitest run, both projects) as a child process: wall time, test counts,
 * and the slowest files by vitest's own per-file figures. Target: at most 90 s on this 2-core
 * machine. One run per call (it takes minutes); repeat the bench for a median.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fmt, fmtLoad, machineLoad, writeResult } from './stats.js';

const run = promisify(execFile);

interface VitestJson {
  readonly numTotalTests: number;
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly testResults: readonly { readonly name: string; readonly startTime: number; readonly endTime: number }[];
}

export async function testSuite() {
  const loadBefore = machineLoad();
  const dir = await mkdtemp(join(tmpdir(), 'bench-tests-'));
  const out = join(dir, 'vitest.json');
  const t0 = performance.now();
  try {
    await run(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--reporter=json', `--outputFile=${out}`], { maxBuffer: 64 * 1024 * 1024, timeout: 30 * 60_000 }).catch(() => undefined);
    const ms = performance.now() - t0;
    const loadAfter = machineLoad();
    const report = JSON.parse(await readFile(out, 'utf8')) as VitestJson;
    const files = report.testResults
      .map((f) => ({ file: f.name.replace(`${process.cwd()}/`, ''), seconds: (f.endTime - f.startTime) / 1000 }))
      .sort((a, b) => b.seconds - a.seconds);
    await writeResult('test-suite', { wallMs: ms, tests: report.numTotalTests, passed: report.numPassedTests, failed: report.numFailedTests, files: files.length, slowest: files.slice(0, 15), loadBefore, loadAfter, target: '<= 90 s', met: ms <= 90_000 });
    return [
      { measure: `\`npm test\` wall time (${files.length} files, ${report.numPassedTests}/${report.numTotalTests} tests passed; ${fmtLoad(loadBefore)} before, ${fmtLoad(loadAfter)} after)`, value: `${fmt(ms / 1000, 0)} s`, target: '<= 90 s', met: ms <= 90_000 && report.numFailedTests === 0 ? 'yes' : 'no' },
      { measure: 'slowest test files (vitest per-file time)', value: files.slice(0, 4).map((f) => `${f.file} ${fmt(f.seconds, 1)} s`).join('; '), target: '', met: '' },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

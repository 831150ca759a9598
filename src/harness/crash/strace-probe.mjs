#!/usr/bin/env node
/**
 * Stands in for a writer's executable during a crash-safety campaign (kill-campaign.ts): run n
 * (counted in <dir>/counter) copies auth.json aside as it is before the writer starts (inside the
 * scratch run directory, mode 0700, removed with it), runs the real writer under strace with the
 * arguments of plan entry n (`{home}` and `{out}` replaced), copies auth.json as the writer left it
 * and records how strace ended.
 * Usage: strace-probe.mjs <dir> <real executable> [its arguments...]; env CODEX_HOME names the home.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';

const [dir, real, ...argv] = process.argv.slice(2);
if (dir === undefined || real === undefined) {
  process.stderr.write('strace-probe: usage: strace-probe.mjs <dir> <executable> [args...]\n');
  process.exit(96);
}
const plan = JSON.parse(readFileSync(`${dir}/plan.json`, 'utf8'));
let n = 0;
try {
  n = Number(readFileSync(`${dir}/counter`, 'utf8'));
} catch {
  n = 0;
}
n += 1;
writeFileSync(`${dir}/counter`, String(n));
const run = plan[n - 1];
if (run === undefined) {
  process.stderr.write(`strace-probe: no plan entry for run ${n}\n`);
  process.exit(97);
}
const home = process.env.CODEX_HOME ?? '';
const out = `${dir}/run-${n}`;
mkdirSync(out, { recursive: true, mode: 0o700 });
writeFileSync(`${out}/home`, home);
try {
  copyFileSync(`${home}/auth.json`, `${out}/before.json`);
  writeFileSync(`${out}/before.mode`, String(statSync(`${home}/auth.json`).mode & 0o777));
} catch {
  // no auth.json before the writer: recorded as absent
}
const args = run.strace.map((a) => a.replaceAll('{out}', out).replaceAll('{home}', home));
const r = spawnSync('strace', [...args, '--', real, ...argv], { stdio: 'inherit' });
try {
  copyFileSync(`${home}/auth.json`, `${out}/after.json`);
  writeFileSync(`${out}/after.mode`, String(statSync(`${home}/auth.json`).mode & 0o777));
} catch {
  // the writer left no auth.json: recorded as absent
}
writeFileSync(`${out}/exit.json`, JSON.stringify({ status: r.status, signal: r.signal, error: r.error === undefined ? undefined : String(r.error.message) }));
process.exit(r.status ?? 137);

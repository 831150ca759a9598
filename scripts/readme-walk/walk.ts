/**
 * Runs every walked README command (scripts/readme-walk/plan.ts) as the README writes it, in a
 * shell from the repository root, and checks its exit code and output: `.ci/run` runs it after the
 * test suite. Prints one line per command; exits 1 when any command does not do what the README
 * says. npm runs offline (`npm_config_offline`), so nothing is downloaded.
 */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { INLINE, LINES, README, ROOT, SCRIPTS, shBlocks, type Walked } from './plan.js';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

function sh(script: string, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], { cwd: ROOT, env: { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    const timer = setTimeout(() => {
      output += `\n[walk: timed out after ${timeoutMs} ms]`;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** What is wrong with one walked command's run, or undefined when it did what the README says. */
function verdict(plan: Walked, code: number | null, output: string): string | undefined {
  if (code !== plan.exit) return `exited ${code}, the README says ${plan.exit}`;
  if (plan.output !== undefined && !plan.output.test(output)) return `output does not match ${String(plan.output)}`;
  if (/^\s+at .+:\d+:\d+\)?$/m.test(output)) return 'printed a stack trace';
  return undefined;
}

const written = new Set<string>();
const failures: string[] = [];
let walked = 0;

async function check(label: string, script: string, plan: Walked): Promise<void> {
  for (const f of plan.writes ?? []) written.add(f);
  const started = performance.now();
  const { code, output } = await sh(script, plan.timeoutMs);
  walked += 1;
  const wrong = verdict(plan, code, output);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (wrong === undefined) {
    process.stdout.write(`ok    ${label} (exit ${code}, ${seconds} s)\n`);
  } else {
    failures.push(label);
    process.stdout.write(`FAIL  ${label}: ${wrong} (${seconds} s)\n${output.slice(-3000)}\n`);
  }
}

try {
  for (const [line, plan] of Object.entries({ ...LINES, ...INLINE })) {
    if (plan.kind === 'excluded') continue;
    await check(line, plan.instead ?? line, plan);
  }
  const blocks = shBlocks(README);
  for (const [first, plan] of Object.entries(SCRIPTS)) {
    const block = blocks.find((b) => b[0] === first);
    if (block === undefined) {
      failures.push(first);
      process.stdout.write(`FAIL  the block starting ${first}: not in the README\n`);
      continue;
    }
    const port = String(await freePort());
    const body = block.map((l) => l.replace(/\b4010\b/g, port));
    // Every line but the last must succeed; the last line's exit is the block's.
    await check(`the block starting \`${first.slice(0, 60)}…\``, ['set -e', ...body.slice(0, -1), 'set +e', body[body.length - 1]!].join('\n'), plan);
  }
} finally {
  await Promise.all([...written].map((f) => rm(join(ROOT, f), { recursive: true, force: true })));
}
process.stdout.write(`README walk: ${walked - failures.length} of ${walked} walked command(s) did what the README says\n`);
if (walked === 0) {
  process.stdout.write('README walk: nothing was walked\n');
  process.exitCode = 1;
} else if (failures.length > 0) process.exitCode = 1;

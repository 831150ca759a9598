import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * A walk through every command of README.md, run as the README writes it (in a shell, from the
 * repository root), each checked against the exit code the README documents. Every `sh` block
 * line and every inline `npx …`/`npm …`/`codex-auth-conformance …` command must appear in the
 * tables below, either walked or excluded with the reason; a README command missing here fails
 * the walk, so the README cannot drift from what the tool does.
 *
 * npm runs offline (`npm_config_offline`), so nothing here downloads anything.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

interface Walked {
  readonly kind: 'walk';
  /** The documented exit code. */
  readonly exit: number;
  /** Output (stdout and stderr) the README promises. */
  readonly output?: RegExp;
  readonly timeoutMs: number;
  /** What to run when the README line holds more than the walk may run (explained in `why`). */
  readonly instead?: string;
  readonly why?: string;
  /** Files the command writes in the repository root, removed after the walk. */
  readonly writes?: readonly string[];
}
interface Excluded {
  readonly kind: 'excluded';
  readonly why: string;
}
type Plan = Walked | Excluded;

const MIN = 60_000;
const walk = (exit: number, timeoutMs: number, extra: Partial<Walked> = {}): Walked => ({ kind: 'walk', exit, timeoutMs, ...extra });
const excluded = (why: string): Excluded => ({ kind: 'excluded', why });

/** Every line of every `sh` block, keyed by the line as written. */
const LINES: Readonly<Record<string, Plan>> = {
  'npm ci && npm run conformance   # the main job: every rule against the reference, on the in-process mock': walk(0, 10 * MIN, {
    instead: 'npm run conformance',
    why: '`npm ci` is not run: it reinstalls node_modules from the registry, replacing the modules this walk runs from',
    output: /50 rules: 50 passed, 0 failed; \d+ case\(s\) run in [\d.]+s — OK/,
  }),
  'npm ci && npm test              # unit tests, mock tests, the conformance suites, mutants, drivers': excluded('`npm test` runs this walk: walking it here would recurse (and `npm ci` would reinstall node_modules)'),
  'CONFORMANCE_IMPL=mutant:account-id-dropped CONFORMANCE_SEED=7 npx vitest run --project conformance specs/headers.spec.ts': walk(1, 10 * MIN, { output: /HDR\.ACCOUNT\.001/ }),
  'npx codex-auth-conformance run --impl mutant:agent-fedramp-dropped --rules HDR.AGENT.002 --seed 7 --path 18:0:1': walk(1, 5 * MIN, {
    output: /FAIL HDR\.AGENT\.002[\s\S]*replay: codex-auth-conformance run --impl mutant:agent-fedramp-dropped --rules HDR\.AGENT\.002 --seed 7 --path 18:0:1/,
  }),
  'npx codex-auth-conformance run --impl mutant:account-id-dropped --rules CACHE.SWITCH.002 --seed 7 --path 10:0:0:0:0:0:0:6:5:8:8 --replay-path Ad:C': walk(1, 5 * MIN, {
    output: /FAIL CACHE\.SWITCH\.002[\s\S]*--path 10:0:0:0:0:0:0:6:5:8:8 --replay-path Ad:C/,
  }),
  'npx codex-auth-conformance run --seed 7 --runs 20 --shard 1/2 --reporter json=shard-1.ndjson': walk(0, 10 * MIN, { writes: ['shard-1.ndjson'], output: /wrote json report to .*shard-1\.ndjson: OK/ }),
  'npx codex-auth-conformance run --seed 7 --runs 20 --shard 2/2 --reporter json=shard-2.ndjson': walk(0, 10 * MIN, { writes: ['shard-2.ndjson'], output: /wrote json report to .*shard-2\.ndjson: OK/ }),
  'npx codex-auth-conformance report shard-1.ndjson shard-2.ndjson --reporter junit=junit.xml --reporter markdown=summary.md --reporter pretty': walk(0, 5 * MIN, {
    writes: ['junit.xml', 'summary.md'],
    output: /shards 1,2 of 2 merged[\s\S]*50 rules: 50 passed, 0 failed; \d+ case\(s\) run in [\d.]+s — OK/,
  }),
  'npx codex-auth-conformance smoke -- python3 examples/drivers/python/codex_auth_driver.py': walk(0, 5 * MIN, { output: /^ok: codex-auth-python/m }),
  'npx codex-auth-conformance run --impl "driver:python3 examples/drivers/python/codex_auth_driver.py" --runs 10 --validate --expect expectations/python-driver.json': walk(0, 40 * MIN, {
    output: /UNSUP REFRESH\.ERROR\.001[\s\S]*50 rules: 47 passed, 2 failed, 1 unsupported; \d+ case\(s\) run in [\d.]+s — OK/,
  }),
  'npx codex-auth-conformance run --impl "driver:node --import tsx examples/drivers/reference-driver.ts" --runs 10': walk(0, 40 * MIN, { output: /50 rules: 50 passed, 0 failed; \d+ case\(s\) run in [\d.]+s — OK/ }),
  'npx codex-auth-conformance run --impl codex-cli:0.171.0 --expect expectations/codex-cli.json': excluded('installs the published @openai/codex binary (about 420 MB from the npm registry) on first use'),
  'npx tsx scripts/real-cli/conformance.ts --expect expectations/codex-cli.json': excluded('the same real-CLI run as above (the 420 MB binary)'),
  'bash scripts/real-cli/by-hand.sh chatgpt     # seen: the binary completes a turn, 26 requests, check OK': excluded('runs the published codex binary (the 420 MB download) inside a namespace'),
};

/** A block run as one shell script (its lines share a background job), keyed by its first line. */
const SCRIPTS: Readonly<Record<string, Walked>> = {
  'npx codex-auth-conformance serve --port 4010 --journal journal.ndjson --pid-file serve.pid > serve.log &': walk(1, 10 * MIN, {
    why: 'port 4010 is replaced by a free port; the fixture and request lines must succeed (set -e up to the last line)',
    writes: ['serve.log', 'serve.pid', 'journal.ndjson', 'codex-home'],
    output: /wrote\s+\S+codex-home\/config\.toml[\s\S]*request\s+GET http:\/\/127\.0\.0\.1:\d+\/backend-api\/wham\/tasks\/list[\s\S]*FAIL HDR\.ACCOUNT\.002[\s\S]*FAIL HDR\.BEARER\.001/,
  }),
};

/** Inline commands in the prose (code spans), keyed by the span. */
const INLINE: Readonly<Record<string, Plan>> = {
  'npm run conformance': excluded('walked as a line of the set-up block'),
  'npm test': excluded('`npm test` runs this walk (recursion)'),
  'npx codex-auth-conformance rules': walk(0, 5 * MIN, { output: /^50 rules$/m }),
  'codex-auth-conformance run': excluded('a mention of the command `npm run conformance` runs (walked)'),
  'npm run bench': excluded('a benchmark: minutes of timing runs that rewrite bench/results/*.json, not a functional example'),
  'npx tsx bench/mutants.ts': excluded('a benchmark (13 mutants × 5 seeds) that rewrites bench/results/mutants.json'),
};

function shBlocks(markdown: string): string[][] {
  const blocks: string[][] = [];
  const re = /^```sh\n([\s\S]*?)^```/gm;
  for (let m = re.exec(markdown); m !== null; m = re.exec(markdown)) {
    blocks.push(m[1]!.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '' && !l.startsWith('#')));
  }
  return blocks;
}

function inlineCommands(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  const spans = [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
  return [...new Set(spans.filter((s) => /^(npx|npm|node|bash|tsx|codex-auth-conformance) [a-z]/.test(s) && !s.includes('<')))];
}

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

const written = new Set<string>();
afterAll(async () => {
  await Promise.all([...written].map((f) => rm(join(ROOT, f), { recursive: true, force: true })));
});

async function check(label: string, script: string, plan: Walked): Promise<void> {
  for (const f of plan.writes ?? []) written.add(f);
  const { code, output } = await sh(script, plan.timeoutMs);
  expect(code, `${label}\nexited ${code}, the README says ${plan.exit}:\n${output.slice(-4000)}`).toBe(plan.exit);
  if (plan.output !== undefined) expect(output, `${label}: output`).toMatch(plan.output);
  expect(output, `${label}: a stack trace`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

const blocks = shBlocks(README);

describe('README walk', () => {
  it('every README command is walked or excluded with a reason (the tables match the README)', () => {
    const scripted = new Set(Object.keys(SCRIPTS));
    const lines = blocks.filter((b) => !scripted.has(b[0]!)).flat();
    expect(lines.filter((l) => !(l in LINES)), 'README sh lines missing from the walk').toEqual([]);
    expect(Object.keys(LINES).filter((l) => !lines.includes(l)), 'walk lines no longer in the README').toEqual([]);
    expect([...scripted].filter((first) => !blocks.some((b) => b[0] === first)), 'walk scripts no longer in the README').toEqual([]);
    const inline = inlineCommands(README);
    expect(inline.filter((c) => !(c in INLINE)), 'inline README commands missing from the walk').toEqual([]);
    expect(Object.keys(INLINE).filter((c) => !inline.includes(c)), 'walk inline commands no longer in the README').toEqual([]);
    for (const plan of [...Object.values(LINES), ...Object.values(INLINE)]) if (plan.kind === 'excluded') expect(plan.why.length).toBeGreaterThan(20);
  });

  for (const [line, plan] of Object.entries({ ...LINES, ...INLINE })) {
    if (plan.kind === 'excluded') continue;
    it(`${plan.instead ?? line} exits ${plan.exit}`, () => check(line, plan.instead ?? line, plan), plan.timeoutMs + 30_000);
  }

  for (const [first, plan] of Object.entries(SCRIPTS)) {
    it(`the block starting \`${first.slice(0, 60)}…\` exits ${plan.exit}`, async () => {
      const block = blocks.find((b) => b[0] === first)!;
      const port = String(await freePort());
      const body = block.map((l) => l.replace(/\b4010\b/g, port));
      // Every line but the last must succeed; the last line's exit is the block's.
      const script = ['set -e', ...body.slice(0, -1), 'set +e', body[body.length - 1]!].join('\n');
      await check(first, script, plan);
    }, plan.timeoutMs + 30_000);
  }
});

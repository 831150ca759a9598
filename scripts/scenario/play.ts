/**
 * Plays black-box scenario files (scenarios/blackbox/**.json, schema schemas/scenario/v1.json) on
 * a published codex release, inside the loopback-only namespace, with the one scenario runner:
 *
 *   npx tsx scripts/scenario/play.ts [--release 0.171.0] [--profile codex-0.171] [--out plays.json] FILE...
 *
 * Prints, per scenario, every step (actor, outcome, the requests it spanned, token requests with
 * their status) and the auth.json each actor left (fingerprints, mode, inode), then the verdicts
 * of the scenario's judge. `--out FILE` writes the plays and verdicts as JSON (fingerprints only).
 * Exit 0 when every scenario played and no verdict failed; 1 otherwise; 2 on bad input.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConformanceInputError } from '../../src/errors.js';
import type { PlayEvidence } from '../../src/harness/codex-cli/case-evidence.js';
import { defaultCacheDir, DEFAULT_CODEX_VERSION, ensureCodexCli } from '../../src/harness/codex-cli/codex-install.js';
import { runInnerInNetns } from '../../src/harness/codex-cli/netns-reexec.js';
import { CODEX_CLI_SUITE_RULES } from '../../src/harness/judges/codex-cli/judge-cases.js';
import { loadScenarioFile } from '../../src/harness/scenario/load-scenario.js';
import { profileById, profileForCodexVersion } from '../../src/rules/profiles.js';

export function renderPlay(p: PlayEvidence): string {
  const out = [`scenario ${p.caseId} (${p.family})`];
  for (const s of p.steps) {
    const tokens = s.requests.filter((r) => r.endpoint === 'oauth.token' || /\/oauth\/token$/.test(r.url));
    out.push(`  ${String(s.index).padStart(2)} ${s.group === undefined ? '' : `[together with group ${s.group}] `}${s.kind}${s.actor === undefined ? '' : ` by ${s.actor}`}: ${s.outcome ?? ''}; ${s.requests.length} request(s)${tokens.length === 0 ? '' : `, token requests: ${tokens.map((t) => `#${t.seq} ${t.status}${t.reason === undefined ? '' : ` ${t.reason}`}`).join(', ')}`}`);
  }
  for (const a of p.authJson) {
    out.push(`  auth.json of ${a.home} ${a.label}${a.actor === undefined ? '' : ` [left by ${a.actor}]`}: ${a.present ? `mode ${a.mode}, inode ${a.inode}, account ${a.accountId ?? '-'}, refresh ${a.tokens?.refreshToken ?? '-'}, access ${a.tokens?.accessToken ?? '-'}` : 'absent'}`);
  }
  return out.join('\n');
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { release: { type: 'string', default: DEFAULT_CODEX_VERSION }, profile: { type: 'string' }, out: { type: 'string' }, 'timeout-ms': { type: 'string', default: '90000' } } });
  if (positionals.length === 0) throw new ConformanceInputError('USAGE', 'No scenario file given.', 'pass one or more scenario files, e.g. npx tsx scripts/scenario/play.ts src/harness/scenario/testdata/two-execs-refresh-window.json');
  const files = positionals.map((f) => resolve(f));
  for (const f of files) loadScenarioFile(f); // bad files: exit 2 before any install
  const profile = values.profile === undefined ? profileForCodexVersion(values.release) : profileById(values.profile).id;
  const cli = await ensureCodexCli(values.release, defaultCacheDir(), { announce: (l) => process.stderr.write(`${l}\n`) });
  const out = await runInnerInNetns({ binaryPath: cli.binaryPath, version: cli.version, caseIds: [], scenarioFiles: files, timeoutMs: Number(values['timeout-ms']), profile }, CODEX_CLI_SUITE_RULES);
  for (const p of out.plays) process.stdout.write(`${renderPlay(p)}\n`);
  for (const r of out.results) process.stdout.write(`${r.verdict.toUpperCase()} ${r.ruleId} [${r.caseId}] ${r.message}\n`);
  if (values.out !== undefined) await writeFile(values.out, `${JSON.stringify({ release: cli.version, profile, plays: out.plays, results: out.results }, null, 2)}\n`);
  const ok = out.done && out.plays.length === files.length && !out.results.some((r) => r.verdict === 'fail' || r.verdict === 'error');
  process.stderr.write(`play: ${out.plays.length} of ${files.length} scenario(s) played on ${cli.version} in ${(out.durationMs / 1000).toFixed(1)} s — ${ok ? 'OK' : 'NOT OK'}\n`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(e instanceof ConformanceInputError ? 2 : 3);
  },
);

import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brokenCount, runCampaign, type CrashReport } from './kill-campaign.js';

/**
 * The kill mechanism checked on two writers of this project's own (testdata/tiny-writer.mjs): it
 * must find a broken file when it kills the in-place writer and none when it kills the atomic one,
 * else its verdicts on real writers mean nothing. The writers hold fake tokens only.
 */
export const TINY_WRITER = join(dirname(fileURLToPath(import.meta.url)), 'testdata', 'tiny-writer.mjs');

const SEED = `${JSON.stringify({ auth_mode: 'chatgpt', OPENAI_API_KEY: 'sk-fake-self-check', tokens: { id_token: 'fake.id.token', access_token: 'fake-access', refresh_token: 'fake-refresh', account_id: 'acct-self-check' }, last_refresh: '2026-01-01T00:00:00Z' }, null, 2)}\n`;

export async function tinyWriterCampaign(mode: 'inPlace' | 'atomic', dir: string): Promise<CrashReport> {
  const home = join(dir, 'home');
  await mkdir(home, { recursive: true, mode: 0o700 });
  return runCampaign({
    writer: `tiny-writer ${mode}`,
    dir,
    real: process.execPath,
    runs: async (shim, count) => {
      for (let i = 0; i < count; i++) {
        await writeFile(join(home, 'auth.json'), SEED, { mode: 0o600 });
        await new Promise<void>((resolve, reject) => {
          const child = spawn(shim, [TINY_WRITER, mode, join(home, 'auth.json')], { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', CODEX_HOME: home }, stdio: ['ignore', 'ignore', 'pipe'] });
          child.stderr.resume();
          child.on('error', reject);
          child.on('exit', () => resolve());
        });
      }
    },
  });
}

export interface SelfCheck {
  readonly ok: boolean;
  readonly reports: readonly CrashReport[];
  readonly problems: readonly string[];
}

export async function selfCheck(dir: string): Promise<SelfCheck> {
  const inPlace = await tinyWriterCampaign('inPlace', join(dir, 'in-place'));
  const atomic = await tinyWriterCampaign('atomic', join(dir, 'atomic'));
  const problems: string[] = [];
  for (const r of [inPlace, atomic]) {
    if (r.kills.length === 0) problems.push(`${r.writer}: no write point found on auth.json (strace saw none)`);
    const missed = r.control.points.filter((p) => !r.kills.some((k) => k.killed && k.hit === p.label.replace(/ \(\d+ bytes\)$/, '')));
    if (missed.length > 0) problems.push(`${r.writer}: no kill run hit ${missed.map((p) => p.label).join(', ')}`);
  }
  if (brokenCount(inPlace) === 0) problems.push('tiny-writer inPlace: no kill left a broken auth.json (the mechanism cannot see a torn write)');
  if (brokenCount(atomic) > 0) problems.push(`tiny-writer atomic: ${brokenCount(atomic)} kill(s) left a broken auth.json (the mechanism breaks files itself)`);
  return { ok: problems.length === 0, reports: [inPlace, atomic], problems };
}

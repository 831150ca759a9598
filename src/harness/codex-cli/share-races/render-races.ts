import type { ModelRequestSeen } from './race-mock.js';
import { RACE_SCENARIO_IDS, type ActorOutcome, type AuthJsonEnd, type PhaseObservation, type RaceObservation, type RaceScenarioId } from './race-observation.js';
import type { Redemption } from './token-lineage.js';

/**
 * Markdown renderings of race observations (labels only, never a token): per scenario, a
 * summary table (release × the pattern a run showed, with "k of n runs") and a detail table (one
 * row per release × run × phase). Pure, so docs/shared-credentials-observed.md can be rebuilt
 * from the saved observations.
 */
export const SCENARIO_TITLES: Readonly<Record<RaceScenarioId, string>> = {
  execRace: 'two `codex exec` race inside the refresh window on one CODEX_HOME',
  appServerRotation: 'a long-lived `codex app-server` while another process rotates the tokens, then logs in as another account',
  rotateBetween401s: 'tokens rotated on disk between the first and the second 401 of one `codex exec`',
};

const cell = (t: string): string => t.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * True when `r` reached the token endpoint while an earlier redemption of the same generation
 * was still unanswered: the two requests were in flight at once, so no lock around the request
 * kept them apart.
 */
export function inFlightTogether(r: Redemption, all: readonly Redemption[]): boolean {
  return all.some((e) => e.n < r.n && e.presented === r.presented && e.answeredAtMs !== undefined && r.atMs <= e.answeredAtMs);
}

export function describeRedemption(r: Redemption, all: readonly Redemption[] = []): string {
  const answer = r.status === 200 ? `200 → ${r.minted ?? '?'}` : `${r.status}${r.code === undefined ? '' : ` ${r.code === 'refresh_token_reused' ? 'reused' : r.code}`}`;
  return `${r.actor} ${r.presented} ${answer}${inFlightTogether(r, all) ? ' (sent while the previous one was in flight)' : ''}`;
}

/** Consecutive identical model requests of one actor folded into `×n`. */
export function describeModelRequests(requests: readonly ModelRequestSeen[]): string {
  const parts: Array<{ key: string; n: number }> = [];
  for (const m of requests) {
    // The account header is shown only when it names another family than the Bearer token's.
    const header = m.account === m.bearer.charAt(0) ? '' : ` (account ${m.account})`;
    const key = `${m.actor} ${m.bearer}${header} ${m.status}`;
    const last = parts.at(-1);
    if (last?.key === key) last.n += 1;
    else parts.push({ key, n: 1 });
  }
  return parts.map((p) => (p.n > 1 ? `${p.key} ×${p.n}` : p.key)).join(', ');
}

export function describeOutcome(o: ActorOutcome): string {
  const flags = [o.reusedError ? '"already used"' : '', o.otherAccountError ? '"another account"' : ''].filter((x) => x !== '').join(' ');
  if (o.completed) return `${o.actor} completed${flags === '' ? '' : ` (printed ${flags})`}`;
  return `${o.actor} failed${o.exitCode === undefined || o.exitCode === null ? '' : ` exit ${o.exitCode}`}${flags === '' ? '' : `: ${flags}`}`;
}

export function describeAuthJson(a: AuthJsonEnd): string {
  if (!a.exists) return 'deleted';
  const sidecars = a.sidecars.length === 0 ? '' : `, ${a.sidecars.join(' ')}`;
  const mixed = a.account !== undefined && a.refresh !== undefined && a.account !== a.refresh.charAt(0) ? ` with account_id of ${a.account}` : '';
  return `${a.refresh ?? 'none'}${a.access !== a.refresh ? ` (access ${a.access ?? 'none'})` : ''}${mixed}, ${a.replaced ? 'replaced (new inode)' : 'same inode'}${sidecars}`;
}

/** What a run showed, in words that compare equal across runs with the same behaviour. */
export function phasePattern(p: PhaseObservation): string {
  const tokens = p.redemptions.filter((r) => r.actor !== 'other');
  const byAnswer = new Map<string, number>();
  for (const r of tokens) {
    const k = r.status === 200 ? '200' : `${r.status} ${r.code ?? ''}`.trim();
    byAnswer.set(k, (byAnswer.get(k) ?? 0) + 1);
  }
  const tokenText = tokens.length === 0 ? 'no token request' : `token requests ${[...byAnswer].map(([k, n]) => `${n}× ${k.replace('refresh_token_reused', 'reused')}`).join(', ')}`;
  // Counted, not named: which of two racing processes wins varies from run to run.
  const n = p.outcomes.length;
  const count = (k: number, what: string): string => (n === 1 ? (k === 1 ? what : '') : k === 0 ? '' : `${k} of ${n} ${what}`);
  const ends = [
    count(p.outcomes.filter((o) => o.completed).length, 'completed') || (n === 1 ? 'failed' : `0 of ${n} completed`),
    count(p.outcomes.filter((o) => o.reusedError).length, 'printed "already used"'),
    count(p.outcomes.filter((o) => o.otherAccountError).length, 'printed "another account"'),
  ].filter((x) => x !== '').join(', ');
  return `${p.phase}: ${tokenText}; ${ends}; auth.json ${describeAuthJson(p.authJson)}`;
}

export function runPattern(o: RaceObservation): string {
  if (o.problems.length > 0) return `not counted: ${o.problems.join('; ')}`;
  return o.phases.map(phasePattern).join(' / ');
}

export function renderScenario(scenario: RaceScenarioId, observations: readonly RaceObservation[]): string {
  const mine = observations.filter((o) => o.scenario === scenario);
  if (mine.length === 0) return '';
  const releases = [...new Set(mine.map((o) => o.release))];
  const lines = [`### ${scenario}: ${SCENARIO_TITLES[scenario]}`, '', '| release | pattern (per phase: token requests by the binary; each actor\'s end; auth.json at the end) | runs |', '| --- | --- | --- |'];
  for (const release of releases) {
    const runs = mine.filter((o) => o.release === release);
    const counts = new Map<string, number>();
    for (const r of runs) counts.set(runPattern(r), (counts.get(runPattern(r)) ?? 0) + 1);
    for (const [pattern, n] of counts) lines.push(`| ${release} | ${cell(pattern)} | ${n} of ${runs.length} |`);
  }
  lines.push('', '| release | run | phase | token requests (arrival order: actor, generation presented, answer) | model requests (actor, Bearer generation, status) | end | auth.json at the end |', '| --- | --- | --- | --- | --- | --- | --- |');
  for (const o of mine) {
    for (const p of o.phases) {
      lines.push(`| ${o.release} | ${o.run} | ${p.phase} | ${cell(p.redemptions.map((r) => describeRedemption(r, p.redemptions)).join('; ') || 'none')} | ${cell(describeModelRequests(p.modelRequests) || 'none')} | ${cell(p.outcomes.map(describeOutcome).join('; '))} | ${cell(describeAuthJson(p.authJson))} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function renderRaceTables(observations: readonly RaceObservation[]): string {
  return RACE_SCENARIO_IDS.map((s) => renderScenario(s, observations)).filter((t) => t !== '').join('\n');
}

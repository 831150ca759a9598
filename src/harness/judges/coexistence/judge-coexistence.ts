import type { IssuedLineage, TokenLineage } from '../../../rules/observed-request.js';
import type { AuthJsonSnapshot } from '../../scenario/recording.js';
import type { CoexistenceRecording, CoexistenceStep, CoexistenceTokenRequest } from './coexistence-recording.js';

/**
 * The coexistence judge (issue 18 item 1): does a third-party client break the Codex login it
 * shares? Pure, over a CoexistenceRecording. Four checks, each a verdict with its evidence:
 *
 * - `codexStillWorks`: every `codex exec` turn after the client's first request completes, without
 *   a new login (the 0.171.0 binary on the same CODEX_HOME; a turn that needs a refresh redeems
 *   what the client left in auth.json);
 * - `noDoubleRedemption`: no refresh token (a login family's generation, from the mock's lineage)
 *   is presented twice, by anyone: a second presentation gets production's 401
 *   `refresh_token_reused`, which Codex reports as permanent, "Your access token could not be
 *   refreshed because your refresh token was already used. Please log out and sign in again."
 *   (`REFRESH_TOKEN_REUSED_MESSAGE`, codex-rs/login/src/auth/manager.rs at openai/codex@0126a9dd8ce3;
 *   the 0.171.0 binary prints the same text in these runs);
 * - `keepsForeignKeys`: a rewrite of CODEX_HOME/auth.json by the client keeps the keys Codex reads
 *   that a token writer does not own (`auth_mode`, `OPENAI_API_KEY`, `tokens.account_id`: the
 *   `AuthDotJson` fields, codex-rs/login/src/auth/manager.rs at openai/codex@0126a9dd8ce3, where
 *   `resolved_mode()` lets `auth_mode` decide between the key and the tokens; SHARE.WRITE.001's set)
 *   and leaves whole JSON with mode 0600;
 * - `neverOlderGeneration`: after each of the client's steps CODEX_HOME/auth.json holds the newest
 *   generation minted in its login family so far, never a spent one (SHARE.WRITE.002/.003 in one
 *   sentence: a client that redeems the shared token and keeps the rotated pair to itself, or that
 *   writes an older pair back, leaves Codex a spent refresh token);
 * - `neverHalfWritten`: a reader polling CODEX_HOME/auth.json while the client runs (as a Codex
 *   process starting then would read it) never finds it half-written. A race: a writer that
 *   truncates and rewrites in place fails only when a poll lands inside its write, so its record
 *   may say the verdict is intermittent.
 */
export const COEXISTENCE_CHECKS = ['codexStillWorks', 'noDoubleRedemption', 'keepsForeignKeys', 'neverOlderGeneration', 'neverHalfWritten'] as const;
export type CoexistenceCheck = (typeof COEXISTENCE_CHECKS)[number];

export type CoexistenceVerdictKind = 'pass' | 'fail' | 'notExercised';

export interface CoexistenceVerdict {
  readonly check: CoexistenceCheck;
  readonly scenario: string;
  readonly verdict: CoexistenceVerdictKind;
  /** What was seen: request seqs, lineage (family, generation), step labels, keys; no secret. */
  readonly evidence: string;
}

/** A step's description with the binary's repeated error lines said once (its stderr tail repeats them). */
export function compactDescription(text: string): string {
  const head = /^[^:]{0,40}/.exec(text)?.[0] ?? '';
  const errors = [...new Set([...text.matchAll(/ERROR: ([^]*?)(?= ERROR: |$)/g)].map((m) => m[1]!.trim()))];
  return errors.length === 0 ? text : `${head}: ERROR: ${errors.join(' / ')}`;
}

const label = (s: CoexistenceStep): string => `step ${s.index} (${s.kind}${s.actor === undefined ? '' : ` by ${s.actor}`})`;
const showLineage = (l: TokenLineage): string => `${l.family} generation ${l.generation}`;

function stepOf(r: CoexistenceRecording, seq: number): CoexistenceStep | undefined {
  return r.steps.find((s) => s.journalSeqs.includes(seq));
}

function who(r: CoexistenceRecording, t: CoexistenceTokenRequest): string {
  const s = stepOf(r, t.seq);
  return s === undefined ? `#${t.seq}` : `#${t.seq} by ${s.actor ?? 'the harness'} (${label(s)})`;
}

function answer(t: CoexistenceTokenRequest): string {
  return `${t.status} ${t.refresh.outcome}${t.refresh.minted === undefined ? '' : ` → generation ${t.refresh.minted.generation}`}`;
}

/** The snapshot of `home` the runner took after step `index`, and the one in force before it. */
function around(r: CoexistenceRecording, home: string, index: number): { readonly before?: AuthJsonSnapshot; readonly after?: AuthJsonSnapshot } {
  const mine = r.snapshots.filter((x) => x.home === home);
  const before = [...mine].reverse().find((x) => x.afterStep < index);
  const after = mine.find((x) => x.afterStep === index && x.label.startsWith('after step'));
  return { ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) };
}

function changed(a: AuthJsonSnapshot, b: AuthJsonSnapshot): boolean {
  return (
    a.present !== b.present ||
    a.inode !== b.inode ||
    a.mode !== b.mode ||
    a.parses !== b.parses ||
    a.authMode !== b.authMode ||
    a.accountId !== b.accountId ||
    a.lastRefresh !== b.lastRefresh ||
    a.apiKey !== b.apiKey ||
    JSON.stringify(a.tokens) !== JSON.stringify(b.tokens)
  );
}

function lineageOf(r: CoexistenceRecording, snap: AuthJsonSnapshot | undefined): IssuedLineage | undefined {
  const fp = snap?.tokens?.refreshToken;
  return fp === null || fp === undefined ? undefined : r.issued.find((l) => l.refreshFingerprint === fp);
}

const clientSteps = (r: CoexistenceRecording): CoexistenceStep[] => r.steps.filter((s) => s.actor === r.clientActor);

function codexStillWorks(r: CoexistenceRecording): CoexistenceVerdict {
  const firstRequest = r.steps.find((s) => s.actor === r.clientActor && s.kind === 'invoke');
  const turns = r.steps.filter((s) => s.actorKind === 'codexExec' && s.kind === 'exec' && firstRequest !== undefined && s.index > firstRequest.index);
  const base = { check: 'codexStillWorks' as const, scenario: r.scenarioId };
  if (turns.length === 0) return { ...base, verdict: 'notExercised', evidence: 'no `codex exec` turn after the client\'s request' };
  const tokenLine = (s: CoexistenceStep): string => {
    const mine = r.tokenRequests.filter((t) => s.journalSeqs.includes(t.seq));
    if (mine.length === 0) return 'no token request';
    // The binary builds several auth managers per `exec`: the same refusal comes back once per manager.
    const groups = new Map<string, CoexistenceTokenRequest[]>();
    for (const t of mine) {
      const key = `${showLineage(t.refresh)}|${answer(t)}`;
      groups.set(key, [...(groups.get(key) ?? []), t]);
    }
    return [...groups.values()]
      .map((ts) => {
        const t = ts[0]!;
        const spender = t.refresh.spentBy?.seq === undefined ? undefined : r.tokenRequests.find((x) => x.seq === t.refresh.spentBy!.seq);
        return `${ts.map((x) => `#${x.seq}`).join(', ')} presented ${showLineage(t.refresh)}, answered ${answer(t)}${spender === undefined ? '' : ` (spent by ${who(r, spender)})`}`;
      })
      .join('; ');
  };
  const failed = turns.find((s) => !s.completed);
  if (failed !== undefined) return { ...base, verdict: 'fail', evidence: `${label(failed)} did not complete (${compactDescription(failed.description)}); ${tokenLine(failed)}` };
  return { ...base, verdict: 'pass', evidence: turns.map((s) => `${label(s)} completed; ${tokenLine(s)}`).join('; ') };
}

function noDoubleRedemption(r: CoexistenceRecording): CoexistenceVerdict {
  const base = { check: 'noDoubleRedemption' as const, scenario: r.scenarioId };
  if (r.tokenRequests.length === 0) return { ...base, verdict: 'notExercised', evidence: 'no token request' };
  const seen = new Map<string, CoexistenceTokenRequest>();
  for (const t of [...r.tokenRequests].sort((a, b) => a.seq - b.seq)) {
    const key = `${t.refresh.family}#${t.refresh.generation}`;
    const first = seen.get(key);
    if (first !== undefined) {
      return { ...base, verdict: 'fail', evidence: `${showLineage(t.refresh)} was redeemed twice: ${who(r, first)} answered ${answer(first)}, then ${who(r, t)} answered ${answer(t)}` };
    }
    seen.set(key, t);
  }
  return { ...base, verdict: 'pass', evidence: `${r.tokenRequests.length} token request(s), each refresh token presented once: ${[...seen.values()].map((t) => `${showLineage(t.refresh)} ${who(r, t)}`).join('; ')}` };
}

const FOREIGN: ReadonlyArray<{ readonly key: string; readonly of: (s: AuthJsonSnapshot) => string | null | undefined }> = [
  { key: 'auth_mode', of: (s) => s.authMode },
  { key: 'OPENAI_API_KEY', of: (s) => s.apiKey },
  { key: 'tokens.account_id', of: (s) => s.accountId },
];

function keepsForeignKeys(r: CoexistenceRecording): CoexistenceVerdict {
  const base = { check: 'keepsForeignKeys' as const, scenario: r.scenarioId };
  const writes: string[] = [];
  for (const s of clientSteps(r)) {
    const { before, after } = around(r, r.codexHome, s.index);
    if (before === undefined || after === undefined || !changed(before, after)) continue;
    if (!after.present) return { ...base, verdict: 'fail', evidence: `${label(s)} deleted CODEX_HOME/auth.json` };
    if (after.parses !== true) return { ...base, verdict: 'fail', evidence: `${label(s)} left CODEX_HOME/auth.json that is not whole JSON` };
    for (const k of FOREIGN) {
      const was = before.present && before.parses === true ? k.of(before) : undefined;
      if (was === null || was === undefined) continue;
      const now = k.of(after);
      if (now === null || now === undefined) return { ...base, verdict: 'fail', evidence: `${label(s)} rewrote CODEX_HOME/auth.json and dropped ${k.key} (was ${k.key === 'OPENAI_API_KEY' ? was : JSON.stringify(was)})` };
      if (now !== was) return { ...base, verdict: 'fail', evidence: `${label(s)} rewrote CODEX_HOME/auth.json and changed ${k.key}` };
    }
    if (before.mode === '600' && after.mode !== '600') return { ...base, verdict: 'fail', evidence: `${label(s)} left CODEX_HOME/auth.json with mode ${after.mode ?? '?'} (was 600)` };
    const kept = FOREIGN.filter((k) => { const v = k.of(before); return v !== null && v !== undefined; }).map((k) => k.key);
    writes.push(`${label(s)} ${before.inode !== after.inode ? 'replaced' : 'rewrote in place'} it keeping ${kept.join(', ') || 'every key'}, mode ${after.mode ?? '?'}`);
  }
  if (writes.length === 0) return { ...base, verdict: 'pass', evidence: `the client never wrote CODEX_HOME/auth.json (${clientSteps(r).length} step(s))` };
  return { ...base, verdict: 'pass', evidence: writes.join('; ') };
}

function neverOlderGeneration(r: CoexistenceRecording): CoexistenceVerdict {
  const base = { check: 'neverOlderGeneration' as const, scenario: r.scenarioId };
  const judged: string[] = [];
  for (const s of clientSteps(r)) {
    const { after } = around(r, r.codexHome, s.index);
    if (after === undefined || !after.present || after.parses !== true) continue;
    const held = lineageOf(r, after);
    if (held === undefined) {
      if (after.tokens?.refreshToken !== null && after.tokens?.refreshToken !== undefined) return { ...base, verdict: 'fail', evidence: `after ${label(s)} CODEX_HOME/auth.json holds a refresh token the mock never issued` };
      continue;
    }
    const upTo = Math.max(0, ...s.journalSeqs, ...r.steps.filter((x) => x.index < s.index).flatMap((x) => x.journalSeqs));
    const minted = r.tokenRequests.filter((t) => t.seq <= upTo && t.refresh.family === held.family && t.refresh.minted !== undefined);
    const newest = minted.reduce<CoexistenceTokenRequest | undefined>((m, t) => (m === undefined || t.refresh.minted!.generation > m.refresh.minted!.generation ? t : m), undefined);
    if (newest !== undefined && newest.refresh.minted!.generation > held.generation) {
      const spender = r.tokenRequests.find((t) => t.refresh.family === held.family && t.refresh.generation === held.generation && t.refresh.outcome === 'rotated');
      const byClient = spender !== undefined && stepOf(r, spender.seq)?.actor === r.clientActor;
      return {
        ...base,
        verdict: 'fail',
        evidence: `after ${label(s)} CODEX_HOME/auth.json holds ${showLineage(held)}, already spent${spender === undefined ? '' : ` by ${who(r, spender)}`}; the newest is generation ${newest.refresh.minted!.generation} (${who(r, newest)})${byClient ? ': the client redeemed the shared refresh token and kept the rotated pair to itself' : ''}`,
      };
    }
    judged.push(`after ${label(s)}: ${showLineage(held)}`);
  }
  if (judged.length === 0) return { ...base, verdict: 'notExercised', evidence: 'no auth.json with a ChatGPT login after the client\'s steps' };
  return { ...base, verdict: 'pass', evidence: `CODEX_HOME/auth.json held the newest generation of its login ${judged.at(-1)!}` };
}

function neverHalfWritten(r: CoexistenceRecording): CoexistenceVerdict {
  const base = { check: 'neverHalfWritten' as const, scenario: r.scenarioId };
  const watched = r.clientHome === r.codexHome ? clientSteps(r).filter((s) => s.authJsonWatch !== undefined) : [];
  if (watched.length === 0) return { ...base, verdict: 'notExercised', evidence: r.clientHome === r.codexHome ? 'CODEX_HOME/auth.json was not watched during the client\'s steps' : 'the client keeps its own login elsewhere: CODEX_HOME/auth.json is not its to write' };
  const torn = watched.find((s) => s.authJsonWatch!.tornReads > 0);
  if (torn !== undefined) return { ...base, verdict: 'fail', evidence: `while ${label(torn)} ran, a reader polling CODEX_HOME/auth.json found it half-written (${torn.authJsonWatch!.tornReads} of ${torn.authJsonWatch!.polls} polls did not parse)` };
  return { ...base, verdict: 'pass', evidence: `${watched.reduce((n, s) => n + s.authJsonWatch!.polls, 0)} polls of CODEX_HOME/auth.json during the client's ${watched.length} step(s), none half-written` };
}

export function judgeCoexistence(r: CoexistenceRecording): CoexistenceVerdict[] {
  return [codexStillWorks(r), noDoubleRedemption(r), keepsForeignKeys(r), neverOlderGeneration(r), neverHalfWritten(r)];
}

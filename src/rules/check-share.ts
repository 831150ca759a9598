/**
 * The SHARE rules: several processes (or sessions) sharing one login in CODEX_HOME/auth.json.
 * Pure functions over a scenario's journal (with the mock's refresh-token lineage on every token
 * request and every ChatGPT access token, src/rules/observed-request.ts) and the auth.json each
 * step found and left. Source: codex-rs/login/src/auth/manager.rs (`refresh_token`,
 * `reload_if_account_id_matches`, `UnauthorizedRecovery`, `refresh_lock`, `persist_tokens`),
 * codex-rs/login/src/auth/storage.rs (`FileAuthStorage::save`, `AuthDotJson`),
 * codex-rs/model-provider/src/auth.rs (PR #31486); pinned per rule in catalogue.ts.
 *
 * Entry point: `judgeShareScenario(input)`. The black-box runner calls it with the journal of a
 * scenario, the mock's issued lineage (`GET /__control/lineage`) and one `ShareStep` per step of
 * the scenario (who acted, the journal seqs the step covers, auth.json before and after).
 */
import { inProfile } from './catalogue.js';
import { endpointKind } from './endpoint-kind.js';
import type { IssuedLineage, ObservedRequest, TokenLineage } from './observed-request.js';
import type { ProfileId } from './profiles.js';
import { RuleVerdicts, type RuleResult } from './result.js';
import { recoveriesOf, type Recoveries } from './share-recoveries.js';
import { bearerLineage, fileFacts, show, showFile, type StepView } from './share-step-view.js';
import { FOREIGN_KEYS, keepsForeignKeys, neverOlder, wholeAnd0600, writesBack } from './share-write-checks.js';

/** auth.json at one moment: its text (undefined when there was no file) and permission bits. */
export interface AuthJsonState {
  readonly text: string | undefined;
  /** `st_mode & 0o777` when the file exists. */
  readonly mode?: number;
}

/**
 * One step of a scenario. `client`: one or more actors (several = at once, a race) ran the client
 * (requests, refreshes, writes it decides on); `write`: the scenario itself wrote auth.json (another
 * process's login, a logout, rotated tokens), never judged as a writer.
 */
export interface ShareStep {
  readonly kind: 'client' | 'write';
  /** Actor names as the scenario gives them (`A`, `B`, `app-server`). */
  readonly actors: readonly string[];
  /** What the step did, for messages (no secrets). */
  readonly label: string;
  /** The journal entries this step caused: `fromSeq < seq <= toSeq`. */
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly before?: AuthJsonState;
  readonly after?: AuthJsonState;
  /**
   * The actor holds one auth manager (a reference session, a driver instance, an app-server). The
   * source's refresh lock and cached auth are per AuthManager and a `codex exec` builds several
   * (two in 0.125–0.156, four in 0.171), so SHARE.SINGLEFLIGHT.001 and SHARE.APPS.001 judge only
   * steps that set this.
   */
  readonly oneAuthManager?: boolean;
}

export interface ShareScenarioInput {
  readonly profile: ProfileId;
  readonly caseId: string;
  readonly journal: readonly ObservedRequest[];
  /** Every token pair the mock minted in the scenario, by fingerprint (maps auth.json onto lineage). */
  readonly issued: readonly IssuedLineage[];
  readonly steps: readonly ShareStep[];
  /** Judge only these rules (default: every SHARE rule of the profile). */
  readonly rules?: readonly string[];
}

export const SHARE_RULES = [
  'SHARE.RELOAD.001',
  'SHARE.RELOAD.002',
  'SHARE.RELOAD.003',
  'SHARE.SINGLEFLIGHT.001',
  'SHARE.ADOPT.001',
  'SHARE.APPS.001',
  'SHARE.RACE.001',
  'SHARE.WRITE.001',
  'SHARE.WRITE.002',
  'SHARE.WRITE.003',
  'SHARE.WRITE.004',
] as const;

/** Judges one scenario: one result per applicable SHARE rule (failures with evidence, else a pass). */
export function judgeShareScenario(input: ShareScenarioInput): RuleResult[] {
  const wanted = new Set((input.rules ?? SHARE_RULES).filter((id) => inProfile(input.profile, id)));
  const v = new RuleVerdicts(input.caseId);
  const byRefresh = new Map(input.issued.map((l) => [l.refreshFingerprint, l] as const));
  const views: StepView[] = input.steps.map((step, index) => {
    const entries = input.journal.filter((e) => e.seq > step.fromSeq && e.seq <= step.toSeq);
    return {
      step,
      index,
      entries,
      tokenRequests: entries.filter((e) => e.refresh !== undefined),
      backend: entries.filter((e) => bearerLineage(e) !== undefined),
      before: fileFacts(step.before, byRefresh),
      after: fileFacts(step.after, byRefresh),
    };
  });
  const at = (s: StepView): string => `step ${s.index + 1} (${s.step.label})`;
  const judge = (id: string, fn: () => void): void => {
    if (wanted.has(id)) fn();
  };
  for (const s of views.filter((x) => x.step.kind === 'client')) {
    const recoveries = recoveriesOf(input.journal, s.step, s.tokenRequests);
    judge('SHARE.RELOAD.001', () => reloadBeforeRedeem(v, s, at(s), recoveries.byDesign));
    judge('SHARE.RELOAD.002', () => anotherAccount(v, s, at(s)));
    judge('SHARE.RELOAD.003', () => reloadOn401(v, s, at(s), recoveries));
    judge('SHARE.SINGLEFLIGHT.001', () => redeemOnce(v, s, at(s), 'SHARE.SINGLEFLIGHT.001', 1));
    judge('SHARE.RACE.001', () => redeemOnce(v, s, at(s), 'SHARE.RACE.001', 2));
    judge('SHARE.WRITE.001', () => keepsForeignKeys(v, s, at(s), FOREIGN_KEYS[input.profile]));
    judge('SHARE.WRITE.002', () => writesBack(v, s, at(s)));
    judge('SHARE.WRITE.003', () => neverOlder(v, s, at(s)));
    judge('SHARE.WRITE.004', () => wholeAnd0600(v, s, at(s)));
  }
  judge('SHARE.ADOPT.001', () => adoptsLogin(v, views, at));
  judge('SHARE.APPS.001', () => newTokenEverywhere(v, views, at));
  return v.results();
}

const BY_DESIGN_NOTE = "the 401 recovery's RefreshToken step of a recovery whose Reload step ran before auth.json changed, which redeems the cached token by design (UnauthorizedRecovery, codex-rs/login/src/auth/manager.rs@343074d4 line 1819)";

/** SHARE.RELOAD.001: no token request presents an older generation than auth.json held for that login. */
function reloadBeforeRedeem(v: RuleVerdicts, s: StepView, at: string, byDesign: ReadonlySet<number>): void {
  const disk = s.before?.lineage;
  if (disk === undefined) return;
  const olderThanDisk = (e: ObservedRequest): boolean => e.refresh!.family === disk.family && e.refresh!.generation < disk.generation;
  const older = s.tokenRequests.find((e) => olderThanDisk(e) && !byDesign.has(e.seq));
  if (older !== undefined) {
    v.fail('SHARE.RELOAD.001', `${at}: token request #${older.seq} redeemed a refresh token auth.json had already replaced`, `no token request for ${disk.family} below generation ${disk.generation} (auth.json held ${show(disk)}; re-read it and use those tokens)`, `${show(older.refresh)} presented (${older.refresh!.refreshFingerprint}), answered ${older.verdict.status} ${older.refresh!.outcome}`);
    return;
  }
  const excused = s.tokenRequests.filter((e) => olderThanDisk(e)).map((e) => `#${e.seq}`);
  v.pass('SHARE.RELOAD.001', `every token request presented at least the generation auth.json held (${show(disk)})${excused.length === 0 ? '' : `, except ${excused.join(', ')}: ${BY_DESIGN_NOTE}`}`);
}

/** SHARE.RELOAD.002: auth.json of another account (or none): no redemption of the cached login, file untouched. */
function anotherAccount(v: RuleVerdicts, s: StepView, at: string): void {
  const before = s.before;
  if (before === undefined) return;
  const cachedAccounts = new Set([...s.backend.map((e) => bearerLineage(e)!.accountId), ...s.tokenRequests.map((e) => e.refresh!.accountId)]);
  const foreign = [...cachedAccounts].filter((a) => before.accountId !== a);
  if (foreign.length === 0) return;
  const redeemed = s.tokenRequests.find((e) => foreign.includes(e.refresh!.accountId));
  if (redeemed !== undefined) {
    v.fail('SHARE.RELOAD.002', `${at}: token request #${redeemed.seq} redeemed the cached login of account ${redeemed.refresh!.accountId} although auth.json now holds ${showFile(before)}`, 'no token request ("…signed in to another account…" instead)', `${show(redeemed.refresh)} presented, answered ${redeemed.verdict.status}`);
    return;
  }
  if (s.after !== undefined && s.step.after?.text !== s.step.before?.text) {
    v.fail('SHARE.RELOAD.002', `${at}: auth.json changed although it held another account's login (or none)`, `auth.json left as found (${showFile(before)})`, s.after.exists ? `rewritten: ${showFile(s.after)}` : 'deleted');
    return;
  }
  v.pass('SHARE.RELOAD.002', `with ${showFile(before)} on disk, the cached login of ${foreign.join(', ')} was not redeemed and auth.json was left alone`);
}

/** SHARE.RELOAD.003: after a 401, newer same-account tokens on disk are retried, no token request. */
function reloadOn401(v: RuleVerdicts, s: StepView, at: string, { byDesign, starts }: Recoveries): void {
  const disk = s.before?.lineage;
  if (disk === undefined) return;
  const refused = starts.find((e) => {
    const l = bearerLineage(e)!;
    return e.verdict.status === 401 && l.accountId === disk.accountId && (l.family !== disk.family || l.generation < disk.generation);
  });
  if (refused === undefined) return;
  const stale = bearerLineage(refused)!;
  const redeem = s.tokenRequests.find((e) => e.seq > refused.seq && e.refresh!.accountId === disk.accountId && !byDesign.has(e.seq));
  if (redeem !== undefined) {
    v.fail('SHARE.RELOAD.003', `${at}: after the 401 to #${refused.seq} (${show(stale)}) the client sent token request #${redeem.seq} instead of retrying with auth.json's newer tokens`, `a retry with ${show(disk)} and no token request`, `${show(redeem.refresh)} presented, answered ${redeem.verdict.status}`);
    return;
  }
  const retried = s.backend.find((e) => e.seq > refused.seq && sameLineage(bearerLineage(e), disk));
  if (retried === undefined) {
    v.fail('SHARE.RELOAD.003', `${at}: after the 401 to #${refused.seq} (${show(stale)}) the client did not retry with auth.json's newer tokens`, `a retry carrying ${show(disk)}`, 'no such request');
    return;
  }
  const excused = s.tokenRequests.filter((e) => byDesign.has(e.seq)).map((e) => `#${e.seq}`);
  v.pass('SHARE.RELOAD.003', `after the 401 to ${show(stale)} the client retried with ${show(disk)} from auth.json (#${retried.seq}) and sent no token request${excused.length === 0 ? '' : ` of its own (token request ${excused.join(', ')}: ${BY_DESIGN_NOTE})`}`);
}

const sameLineage = (a: TokenLineage | undefined, b: TokenLineage): boolean => a !== undefined && a.family === b.family && a.generation === b.generation;

/**
 * SHARE.SINGLEFLIGHT.001 (steps of one actor) and SHARE.RACE.001 (steps of several actors at once):
 * no refresh token is presented twice within the step.
 */
function redeemOnce(v: RuleVerdicts, s: StepView, at: string, id: string, minActors: 1 | 2): void {
  const actors = s.step.actors.length;
  if (minActors === 1 ? actors !== 1 || s.step.oneAuthManager !== true : actors < 2) return;
  if (s.tokenRequests.length === 0) return;
  const seen = new Map<string, ObservedRequest>();
  for (const e of s.tokenRequests) {
    const key = `${e.refresh!.family}#${e.refresh!.generation}`;
    const first = seen.get(key);
    if (first !== undefined) {
      v.fail(id, `${at}: ${show(e.refresh)} was presented by token requests #${first.seq} and #${e.seq}`, minActors === 1 ? 'one token request, its result shared by every concurrent request' : 'one redemption; the other process adopts the winner\'s tokens', `two redemptions (#${first.seq} answered ${first.verdict.status} ${first.refresh!.outcome}, #${e.seq} answered ${e.verdict.status} ${e.refresh!.outcome})`);
      return;
    }
    seen.set(key, e);
  }
  v.pass(id, `${s.tokenRequests.length} token request(s), none presenting a refresh token twice (${actors} actor(s))`);
}

/**
 * SHARE.ADOPT.001: once auth.json holds a same-account login that replaced the one an actor used
 * (another family), that actor never redeems the replaced login, and after a refused request it
 * retries with the new login.
 */
function adoptsLogin(v: RuleVerdicts, views: readonly StepView[], at: (s: StepView) => string): void {
  const lastUsed = new Map<string, TokenLineage>();
  for (const s of views) {
    const actor = s.step.actors.length === 1 ? s.step.actors[0] : undefined;
    if (s.step.kind === 'client' && actor !== undefined) {
      const used = lastUsed.get(actor);
      const disk = s.before?.lineage;
      if (used !== undefined && disk !== undefined && disk.accountId === used.accountId && disk.family !== used.family) {
        const redeemed = s.tokenRequests.find((e) => e.refresh!.family === used.family);
        const refused = s.backend.find((e) => bearerLineage(e)!.family === used.family && e.verdict.status === 401);
        const retried = refused === undefined ? undefined : s.backend.find((e) => e.seq > refused.seq && bearerLineage(e)!.family === disk.family);
        if (redeemed !== undefined) {
          v.fail('SHARE.ADOPT.001', `${at(s)}: ${actor} redeemed its replaced login (#${redeemed.seq}, ${show(redeemed.refresh)}) although auth.json held a new login of the same account`, `no token request for ${used.family}; ${show(disk)} adopted`, `answered ${redeemed.verdict.status} ${redeemed.refresh!.outcome}`);
        } else if (refused !== undefined && retried === undefined) {
          v.fail('SHARE.ADOPT.001', `${at(s)}: ${actor}'s request #${refused.seq} with the replaced login was refused and not retried with the new login`, `a retry carrying ${disk.family}`, 'none');
        } else {
          const now = s.backend.filter((e) => bearerLineage(e)!.family === disk.family);
          if (now.length > 0) v.pass('SHARE.ADOPT.001', `${actor} adopted the new login ${disk.family} written by another process (#${now[0]!.seq}) without redeeming ${used.family}`);
        }
      }
      const last = [...s.backend].reverse().find((e) => e.verdict.status < 400) ?? s.backend.at(-1);
      if (last !== undefined) lastUsed.set(actor, bearerLineage(last)!);
    }
  }
}

/**
 * SHARE.APPS.001: after an actor's refresh minted generation g of a family, none of its later
 * requests (any callsite, Codex Apps MCP included) carries an older generation of that family.
 */
function newTokenEverywhere(v: RuleVerdicts, views: readonly StepView[], at: (s: StepView) => string): void {
  const minted = new Map<string, Map<string, { generation: number; seq: number }>>();
  for (const s of views) {
    if (s.step.kind !== 'client' || s.step.actors.length !== 1 || s.step.oneAuthManager !== true) continue;
    const actor = s.step.actors[0]!;
    const mine = minted.get(actor) ?? new Map<string, { generation: number; seq: number }>();
    minted.set(actor, mine);
    for (const e of s.entries) {
      if (e.refresh?.outcome === 'rotated' && e.refresh.minted !== undefined) {
        const known = mine.get(e.refresh.family);
        if (known === undefined || known.generation < e.refresh.minted.generation) mine.set(e.refresh.family, { generation: e.refresh.minted.generation, seq: e.seq });
        continue;
      }
      const l = bearerLineage(e);
      const refreshed = l === undefined ? undefined : mine.get(l.family);
      if (l === undefined || refreshed === undefined) continue;
      const where = endpointKind(e.url) === 'appsMcp' ? 'Codex Apps MCP request' : 'request';
      if (l.generation < refreshed.generation) {
        v.fail('SHARE.APPS.001', `${at(s)}: ${actor}'s ${where} #${e.seq} (${new URL(e.url).pathname}) carried the access token its refresh #${refreshed.seq} had replaced`, `${l.family} generation ${refreshed.generation} or newer`, `generation ${l.generation} (${e.credential.kind === 'bearer' ? e.credential.fingerprint : ''}), answered ${e.verdict.status}`);
        return;
      }
      v.pass('SHARE.APPS.001', `every request after the refresh carried the new token (${where} #${e.seq} included)`);
    }
  }
}

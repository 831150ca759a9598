/**
 * The SHARE.WRITE checks (check-share.ts runs them per client step): a rewrite of auth.json keeps
 * the keys the writer does not own (.001), writes the rotated pair back (.002), never goes back to
 * an older generation (.003) and leaves whole JSON, 0600 (.004). Source: codex-rs/login/src/auth/
 * storage.rs (`FileAuthStorage::save`, `AuthDotJson`), manager.rs `persist_tokens`; pinned per rule
 * in catalogue.ts.
 */
import type { ProfileId } from './profiles.js';
import type { RuleVerdicts } from './result.js';
import { showFile, type StepView } from './share-step-view.js';

/** Top-level auth.json keys Codex reads besides `tokens` and `last_refresh` (`AuthDotJson`), per profile. */
export const FOREIGN_KEYS: Readonly<Record<ProfileId, readonly string[]>> = {
  pr18811: ['OPENAI_API_KEY', 'auth_mode', 'agent_identity'],
  'codex-0.171': ['OPENAI_API_KEY', 'auth_mode', 'agent_identity', 'personal_access_token', 'bedrock_api_key'],
};

/** SHARE.WRITE.001: a rewrite keeps the keys Codex reads that the writer does not own. */
export function keepsForeignKeys(v: RuleVerdicts, s: StepView, at: string, keys: readonly string[]): void {
  const before = s.before?.data;
  const after = s.after?.data;
  if (before === undefined || after === undefined || s.step.before?.text === s.step.after?.text) return;
  // A login of another account is a new file, not a rewrite of this one.
  if (s.before?.accountId !== undefined && s.after?.accountId !== undefined && s.before.accountId !== s.after.accountId) return;
  for (const key of keys) {
    const was = before[key];
    if (was === undefined || was === null) continue;
    if (JSON.stringify(after[key]) !== JSON.stringify(was)) {
      v.fail('SHARE.WRITE.001', `${at}: the rewrite of auth.json changed ${key}, which the writer does not own`, `${key} kept as it was`, after[key] === undefined || after[key] === null ? `${key} dropped` : `${key} changed`);
      return;
    }
  }
  if (s.before?.accountId !== undefined && s.after?.accountId !== s.before.accountId) {
    v.fail('SHARE.WRITE.001', `${at}: the rewrite dropped tokens.account_id of the same login`, `tokens.account_id ${s.before.accountId}`, s.after?.accountId ?? '(absent)');
    return;
  }
  v.pass('SHARE.WRITE.001', `auth.json rewritten with ${keys.filter((k) => before[k] !== undefined && before[k] !== null).join(', ') || 'no foreign key present'} and tokens.account_id kept`);
}

/** SHARE.WRITE.002: a redemption of the on-disk login ends with the rotated pair (or newer) on disk. */
export function writesBack(v: RuleVerdicts, s: StepView, at: string): void {
  const disk = s.before?.lineage;
  if (disk === undefined || s.after === undefined) return;
  const rotated = s.tokenRequests.filter((e) => e.refresh!.outcome === 'rotated' && e.refresh!.family === disk.family);
  if (rotated.length === 0) return;
  const newest = Math.max(...rotated.map((e) => e.refresh!.minted?.generation ?? e.refresh!.generation + 1));
  const left = s.after.lineage;
  if (left === undefined || (left.family === disk.family && left.generation < newest)) {
    v.fail('SHARE.WRITE.002', `${at}: the step redeemed ${disk.family} up to generation ${newest} but did not write the rotated pair back`, `auth.json holding ${disk.family} generation ${newest} (or newer)`, showFile(s.after));
    return;
  }
  v.pass('SHARE.WRITE.002', `the rotated pair (${disk.family} generation ${newest}) was written back`);
}

/** SHARE.WRITE.003: the same login never goes back to an older generation on disk. */
export function neverOlder(v: RuleVerdicts, s: StepView, at: string): void {
  const before = s.before?.lineage;
  const after = s.after?.lineage;
  if (before === undefined || after === undefined || before.family !== after.family) return;
  if (after.generation < before.generation) {
    v.fail('SHARE.WRITE.003', `${at}: auth.json went back to an older generation of ${before.family}`, `generation ${before.generation} or newer`, `generation ${after.generation}`);
    return;
  }
  v.pass('SHARE.WRITE.003', `auth.json kept ${before.family} at generation ${after.generation} (was ${before.generation})`);
}

/** SHARE.WRITE.004: a file the writer left is whole JSON; 0600 when it created it or it was 0600. */
export function wholeAnd0600(v: RuleVerdicts, s: StepView, at: string): void {
  const before = s.step.before;
  const after = s.step.after;
  if (after === undefined || after.text === undefined || before?.text === after.text) return;
  if (s.after?.whole !== true) {
    v.fail('SHARE.WRITE.004', `${at}: the auth.json the writer left is not whole JSON`, 'a JSON object', `${after.text.length} bytes that do not parse`);
    return;
  }
  const mustBe0600 = before?.text === undefined || before.mode === 0o600;
  if (mustBe0600 && after.mode !== undefined && after.mode !== 0o600) {
    v.fail('SHARE.WRITE.004', `${at}: the auth.json the writer left has mode ${after.mode.toString(8)}`, 'mode 600', after.mode.toString(8));
    return;
  }
  v.pass('SHARE.WRITE.004', `auth.json left as whole JSON${after.mode === undefined ? '' : ` with mode ${after.mode.toString(8)}`}`);
}

import type { ClientRun } from './ecosystem-run.js';

/**
 * Observations about a client that are not rule verdicts (auth.json handling, hosts it tried,
 * files written outside CODEX_HOME, crashes, hangs, credentials handed back to its caller), each
 * with the scenarios it was seen in.
 */
export function observationsFor(run: ClientRun): string[] {
  const notes = new Map<string, Set<string>>();
  const note = (text: string, scenario: string): void => {
    const set = notes.get(text) ?? new Set<string>();
    set.add(scenario);
    notes.set(text, set);
  };
  for (const s of run.scenarios) {
    const r = s.recording;
    const id = r.scenario.id;
    for (const e of r.safety) {
      if (e.kind === 'nonLoopbackAttempt') note(`tried to resolve a host that is not a production host: ${e.detail.replace(/^looked up (\S+).*$/, '$1')} (no answer inside the namespace)`, id);
      else if (e.kind === 'wroteOutsideCodexHome') note(`wrote outside CODEX_HOME: ${e.detail}`, id);
      else note(`${e.kind}: ${e.detail}`, id);
    }
    const a = r.authJson;
    if (a !== undefined && a.present && (a.disposition === 'replaced' || a.disposition === 'rewrittenInPlace')) {
      const how = a.disposition === 'replaced' ? 'replaced auth.json (new inode: written elsewhere, then renamed)' : 'rewrote auth.json in place (same inode), as Codex\'s FileAuthStorage does';
      note(`${how}, mode ${a.mode ?? '?'}`, id);
      const kept = ['auth_mode', 'OPENAI_API_KEY', 'tokens', 'last_refresh'].filter((k) => !(a.keys ?? []).includes(k));
      if (kept.length > 0) note(`its rewrite of auth.json dropped ${kept.join(', ')}`, id);
    }
    if (r.callerStore?.handedBack === true) note('handed the refreshed credentials back to its caller (the caller stores them; CODEX_HOME/auth.json untouched)', id);
    if (!r.scenario.storedAccountId) {
      const sent = r.entries.find((e) => e.headers['chatgpt-account-id'] !== undefined);
      if (sent !== undefined) {
        note('with no tokens.account_id in auth.json it sent ChatGPT-Account-ID taken from the token claims (the token\'s own account). Codex at openai/codex@0126a9dd8ce3 reads tokens.account_id only (`get_account_id`, codex-rs/login/src/auth/manager.rs) and sends no header then; a later manager.rs in the search index (repository not named) fills a missing account_id from the id_token on load (`normalize_managed_chatgpt_account_id`), as this client does', id);
      }
    }
  }
  return [...notes].map(([text, scenarios]) => `${text} [${[...scenarios].join(', ')}]`);
}

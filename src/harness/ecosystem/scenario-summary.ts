import { fingerprint } from '../../redact/fingerprint.js';
import type { ScenarioRun } from './ecosystem-run.js';
import { describeRequest } from '../judges/ecosystem/judge-scenario.js';
import { sha256Hex } from '../judges/ecosystem/scenario-recording.js';

/**
 * What one ecosystem scenario run showed, secret-free: its outcome, the requests it made, what it
 * left in auth.json (tokens named by fingerprint and by where the harness saw them); and the
 * one-line form the progress stream prints.
 */
export interface ScenarioSummary {
  readonly scenario: string;
  readonly caseId: string;
  readonly outcome: string;
  readonly textBack: boolean;
  readonly requests: readonly string[];
  readonly authJson?: string;
  readonly durationMs: number;
}

function outcomeText(s: ScenarioRun): string {
  const o = s.recording.outcome;
  const crash = s.recording.safety.find((e) => e.kind === 'crashed' || e.kind === 'hung');
  if (crash !== undefined) return `${crash.kind}: ${crash.detail}`;
  switch (o.kind) {
    case 'sent':
      return s.recording.text !== undefined && s.recording.text !== '' ? `HTTP ${o.status}, text back` : `HTTP ${o.status}`;
    case 'errored':
      return `error: ${o.message}`;
    case 'refused':
      return `refused: ${o.reason}`;
    case 'skipped':
      return `skipped: ${o.reason}`;
  }
}

/** Names a token auth.json holds by its digest: a keyed fingerprint when the harness saw it, and which it was. */
function tokenByDigest(s: ScenarioRun, digest: string | null | undefined, kind: 'access' | 'refresh'): string {
  if (digest === null || digest === undefined) return 'none';
  const r = s.recording;
  const seeded = kind === 'access' ? r.seeded.accessToken : r.seeded.refreshToken;
  if (digest === sha256Hex(seeded)) return `${fingerprint(seeded)} (the original)`;
  if (kind === 'access') {
    for (const e of [...r.entries].reverse()) {
      const auth = e.headers['authorization'];
      if (auth?.startsWith('Bearer ') === true && sha256Hex(auth.slice(7)) === digest) return `${fingerprint(auth.slice(7))} (sent in #${e.seq})`;
    }
  }
  return kind === 'refresh' ? 'a new one (from the token endpoint)' : 'a token no request carried';
}

function authJsonText(s: ScenarioRun): string | undefined {
  const a = s.recording.authJson;
  if (a === undefined) return undefined;
  if (!a.present) return a.disposition;
  return `${a.disposition}, mode ${a.mode ?? '?'}, access token ${tokenByDigest(s, a.digests?.accessToken, 'access')}, refresh token ${tokenByDigest(s, a.digests?.refreshToken, 'refresh')}, auth_mode ${JSON.stringify(a.authMode ?? null)}, keys ${JSON.stringify(a.keys ?? [])}`;
}

export function scenarioSummary(s: ScenarioRun): ScenarioSummary {
  const a = authJsonText(s);
  return {
    scenario: s.recording.scenario.id,
    caseId: s.recording.caseId,
    outcome: outcomeText(s),
    textBack: s.recording.text !== undefined && s.recording.text.length > 0,
    requests: s.recording.entries.map(describeRequest),
    ...(a === undefined ? {} : { authJson: a }),
    durationMs: s.recording.durationMs,
  };
}

/** A secret-free one-liner for the progress stream. */
export function progressLine(run: ScenarioRun): string {
  const fails = run.results.filter((r) => r.verdict === 'fail').map((r) => r.ruleId);
  return `… ${run.recording.caseId}: ${outcomeText(run).slice(0, 100)}; ${run.recording.entries.length} request(s)${fails.length > 0 ? `; fail ${[...new Set(fails)].join(', ')}` : ''} (${run.recording.durationMs} ms)`;
}

import type { ObservedRequest } from '../../rules/observed-request.js';
import type { CaseRecording } from './case-recording.js';
import type { AuthJsonSnapshot } from '../scenario/recording.js';

/**
 * A redacted summary of one recorded case, printed alongside the verdicts as evidence: per
 * request the method, URL, mock status and endpoint, and only the *scheme* of the credential.
 * Header values that could be secrets never appear.
 */
export interface RequestEvidence {
  readonly seq: number;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly endpoint?: string;
  readonly reason?: string;
  /** `Bearer`, `AgentAssertion`, another scheme, or `none`. */
  readonly auth: string;
  readonly accountHeader: boolean;
  readonly fedrampHeader?: string;
  readonly websocket: boolean;
  /** Milliseconds after the case's first request. */
  readonly atMs?: number;
}

export interface CaseEvidence {
  readonly caseId: string;
  readonly outcome: string;
  readonly durationMs: number;
  readonly requests: readonly RequestEvidence[];
  readonly unhandled: readonly string[];
  /** Per turn: the Apps tools of its account and the tool names offered in each Responses request. */
  readonly turns?: ReadonlyArray<{ readonly appsTools: readonly string[]; readonly offered: ReadonlyArray<{ readonly transport: string; readonly tools: readonly string[] }>; readonly completed: boolean; readonly cacheFiles: readonly import('./cache-files.js').CacheFile[] }>;
  /** auth.json before/after (token fingerprints, inode, mode) and what polling saw. */
  readonly authJson?: import('../scenario/auth-json-watch.js').AuthJsonObservation;
  readonly hostRefreshRequests?: number;
}

export function requestEvidence(e: ObservedRequest, startMs?: number): RequestEvidence {
  const auth = e.headers['authorization'];
  const fedramp = e.headers['x-openai-fedramp'];
  return {
    seq: e.seq,
    method: e.method,
    url: e.url,
    status: e.verdict.status,
    ...(e.verdict.endpoint === undefined ? {} : { endpoint: e.verdict.endpoint }),
    ...(e.verdict.reason === undefined ? {} : { reason: e.verdict.reason }),
    auth: auth === undefined ? 'none' : (auth.split(' ')[0] ?? '?'),
    accountHeader: e.headers['chatgpt-account-id'] !== undefined,
    ...(fedramp === undefined ? {} : { fedrampHeader: fedramp }),
    websocket: (e.headers['upgrade'] ?? '').toLowerCase() === 'websocket',
    ...(startMs === undefined ? {} : { atMs: Date.parse(e.time) - startMs }),
  };
}

export function caseEvidence(r: CaseRecording): CaseEvidence {
  return {
    caseId: r.run.expectation.caseId,
    outcome: r.run.outcome.description,
    durationMs: r.outcome.durationMs,
    requests: r.run.entries.map((e) => requestEvidence(e, r.run.entries[0] === undefined ? undefined : Date.parse(r.run.entries[0].time))),
    unhandled: r.unhandled,
    turns: r.observations.turns.map((t) => ({
      appsTools: t.appsTools,
      completed: t.completed,
      cacheFiles: t.cacheFiles,
      offered: r.observations.modelRequests.filter((m) => t.modelRequestSeqs.includes(m.seq)).map((m) => ({ transport: m.prewarm ? `${m.transport}-prewarm` : m.transport, tools: m.toolNames })),
    })),
    ...(r.observations.authJson === undefined ? {} : { authJson: r.observations.authJson }),
    ...(r.observations.hostRefreshRequests === undefined ? {} : { hostRefreshRequests: r.observations.hostRefreshRequests }),
  };
}

/** Counts requests by `METHOD host/path status auth`, for a compact table. */
export function tallyRequests(requests: readonly RequestEvidence[]): Array<{ readonly key: string; readonly count: number }> {
  const counts = new Map<string, number>();
  for (const r of requests) {
    let target = r.url;
    try {
      const u = new URL(r.url);
      target = `${u.host}${u.pathname}`;
    } catch {
      // keep the raw URL
    }
    const key = `${r.method} ${target}${r.websocket ? ' (websocket)' : ''} → ${r.status} auth=${r.auth}${r.accountHeader ? ' acct' : ''}${r.fedrampHeader === undefined ? '' : ` fedramp=${r.fedrampHeader}`}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, count]) => ({ key, count }));
}

/** One played scenario as evidence: each step with its requests, and every auth.json snapshot (fingerprints only). */
export interface PlayEvidence {
  readonly caseId: string;
  readonly family: string;
  readonly steps: ReadonlyArray<{ readonly index: number; readonly kind: string; readonly actor?: string; readonly group?: number; readonly completed?: boolean; readonly outcome?: string; readonly requests: readonly RequestEvidence[] }>;
  readonly authJson: readonly AuthJsonSnapshot[];
  readonly unhandled: readonly string[];
}

export function playEvidence(r: CaseRecording): PlayEvidence {
  const bySeq = new Map(r.play.entries.map((e) => [e.seq, e] as const));
  const start = r.play.entries[0] === undefined ? undefined : Date.parse(r.play.entries[0].time);
  return {
    caseId: r.play.scenarioId,
    family: r.play.family,
    steps: r.play.steps.map((s) => ({
      index: s.index,
      kind: s.kind,
      ...(s.actor === undefined ? {} : { actor: s.actor }),
      ...(s.group === undefined ? {} : { group: s.group }),
      ...(s.outcome === undefined ? {} : { completed: s.outcome.completed, outcome: s.outcome.description }),
      requests: s.journalSeqs.flatMap((q) => {
        const e = bySeq.get(q);
        return e === undefined ? [] : [requestEvidence(e, start)];
      }),
    })),
    authJson: r.play.authJson,
    unhandled: r.play.unhandled,
  };
}

import { redactEntry } from '../../mocks/journal.js';
import { fingerprint, redactAuthorization } from '../redact/fingerprint.js';
import { requestSecrets, scrubSecrets } from '../redact/request-secrets.js';
import type { Expectation } from '../rules/expectations.js';
import type { ObservedRequest } from '../rules/observed-request.js';

/**
 * What a failing result line carries besides its message, for the pages that show it (the HTML
 * report): the requests the mock saw in the failing case and, where the suite derives one, the
 * header set the rules expect. Everything here is already redacted: credentials appear only as
 * `fp:` fingerprints, so any reporter may print it.
 */
export interface CaseEvidence {
  /** The failing case's requests as the mock journaled them (redacted, at most MAX_EVIDENCE_REQUESTS). */
  readonly journal: readonly EvidenceRequest[];
  /** Requests left out of `journal` because the case made more than the cap. */
  readonly journalOmitted?: number;
  /** The request the rules expect for the case (requests suite): URL, method and header set. */
  readonly expected?: ExpectedRequestEvidence;
}

/**
 * One journal entry, redacted (mocks/journal.ts `redactEntry`). Fields the journal gains later
 * (for example a refresh token's lineage) are kept as they come and shown generically.
 */
export type EvidenceRequest = ObservedRequest & Readonly<Record<string, unknown>>;

/** What the rules expect of the case: one request (its header set) or a refusal before any request. */
export type ExpectedRequestEvidence =
  | ExpectedSendEvidence
  | { readonly kind: 'refuse'; readonly ruleId: string; readonly reason: string };

export interface ExpectedSendEvidence {
  readonly kind: 'send';
  readonly method: string;
  readonly url: string;
  /** Header name -> the exact value expected (credentials fingerprinted). */
  readonly exact: Readonly<Record<string, string>>;
  /** Header name -> the pattern the value must match. */
  readonly pattern: Readonly<Record<string, string>>;
  /** Header names that must not be sent. */
  readonly absent: readonly string[];
}

export const MAX_EVIDENCE_REQUESTS = 12;
const MAX_HEADER_CHARS = 400;

const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'openai-api-key', 'agentassertion', 'agent-assertion', 'cookie', 'set-cookie', 'x-codex-connectors-token']);

/** A header value fit for a report: credentials as fingerprints, long values cut. */
function shownValue(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization') return redactAuthorization(value);
  if (CREDENTIAL_HEADERS.has(lower)) return fingerprint(value);
  return value.length > MAX_HEADER_CHARS ? `${value.slice(0, MAX_HEADER_CHARS)}… (${value.length} chars)` : value;
}

const FINGERPRINTED = /^(?:[A-Za-z-]+ )?fp:[0-9a-f]{12}$/;

/** Raw headers as evidence: every credential header fingerprinted (whatever the journal redacted), long values cut. */
function shownHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, CREDENTIAL_HEADERS.has(k.toLowerCase()) && FINGERPRINTED.test(v) ? v : shownValue(k, v)]));
}

/** The evidence of a failing case from its journal (raw, as in memory) and the expected request. */
export function caseEvidence(entries: readonly ObservedRequest[], expected?: ExpectedRequestEvidence, message?: string): CaseEvidence {
  const kept = keptEntries(entries, message).map((e) => {
    const redacted = redactEntry(e);
    return { ...redacted, headers: shownHeaders(redacted.headers) } as EvidenceRequest;
  });
  const evidence: CaseEvidence = {
    journal: kept,
    ...(entries.length > kept.length ? { journalOmitted: entries.length - kept.length } : {}),
    ...(expected !== undefined ? { expected } : {}),
  };
  // A credential of the case may show up elsewhere (a runtime id sent as a Bearer token is also a URL path segment).
  return scrubSecrets(evidence, requestSecrets(entries));
}

/**
 * The requests kept when a case made more than the cap: those the failure message names
 * (`#<seq> `) first, then the others in order; shown in arrival order.
 */
function keptEntries(entries: readonly ObservedRequest[], message: string | undefined): readonly ObservedRequest[] {
  if (entries.length <= MAX_EVIDENCE_REQUESTS) return entries;
  const named = new Set(message === undefined ? [] : [...message.matchAll(/#(\d+) /g)].map((m) => Number(m[1])));
  const keep = new Set([...entries.filter((e) => named.has(e.seq)), ...entries.filter((e) => !named.has(e.seq))].slice(0, MAX_EVIDENCE_REQUESTS));
  return entries.filter((e) => keep.has(e));
}

/** The expected request as evidence, credentials fingerprinted, patterns as their source text. */
export function expectedSendEvidence(request: {
  readonly method: string;
  readonly url: string;
  readonly exact: Readonly<Record<string, string>>;
  readonly pattern: Readonly<Record<string, RegExp>>;
  readonly absent: readonly string[];
}): ExpectedSendEvidence {
  return {
    kind: 'send',
    method: request.method,
    url: request.url,
    exact: Object.fromEntries(Object.entries(request.exact).map(([k, v]) => [k, shownValue(k, v)])),
    pattern: Object.fromEntries(Object.entries(request.pattern).map(([k, v]) => [k, `/${v.source}/`])),
    absent: [...request.absent],
  };
}

/** A derived expectation (src/rules/expectations.ts) as evidence. */
export function expectationEvidence(expectation: Expectation): ExpectedRequestEvidence {
  if (expectation.kind === 'refuse') return { kind: 'refuse', ruleId: expectation.ruleId, reason: expectation.reason };
  return expectedSendEvidence({ method: expectation.method, url: expectation.url, ...expectation.headers });
}

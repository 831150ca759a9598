/**
 * The wire record of one black-box case: every request the mock journalled, reduced to what can
 * be compared between two releases run on the same scenario. Secrets never appear: a credential
 * header is shown as its scheme plus a *token class* (what the mock knows the token to be, and
 * which distinct token of the case it is, in order of first use), an account header as whether it
 * names the case's account. Values that differ on every run (UUIDs, long opaque strings, numbers
 * in lengths) are normalized, so two runs of one release compare equal and two releases differ
 * only where the client sends something else.
 */
import { ConformanceInputError } from '../errors.js';
import type { ObservedRequest } from '../rules/observed-request.js';

export interface WireRequest {
  readonly method: string;
  /** `host/path` plus the query with volatile values normalized. */
  readonly target: string;
  readonly status: number;
  /** Lower-case header name -> normalized value or token class. */
  readonly headers: Readonly<Record<string, string>>;
  /** Header names that arrived on more than one line (the node adapter keeps the lines), with their count. */
  readonly repeated?: Readonly<Record<string, number>>;
}

export interface WireCase {
  readonly caseId: string;
  /** One line on how the case ended (`exit 0`, `stopped after ...`). */
  readonly outcome: string;
  readonly requests: readonly WireRequest[];
}

/** What the record compares a case's requests with: its own account id (raw, in memory only). */
export interface WireContext {
  readonly accountId?: string;
}

/** Headers left out of the record: transport framing, or a value that says nothing about the client. */
const DROPPED = new Set(['host', 'content-length', 'connection', 'accept-encoding', 'x-codex-mock-case', 'date', 'traceparent', 'tracestate', 'sec-websocket-key']);

/** Headers whose values are credentials: shown only as a token class. */
const CREDENTIAL = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'openai-api-key', 'cookie', 'x-codex-connectors-token']);

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const OPAQUE = /[A-Za-z0-9_\-+/=.]{24,}/g;
const TIMESTAMP = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?\b|\b1[6-9]\d{8,11}\b/g;

/** A non-secret value with per-run parts replaced. */
export function normalizeValue(value: string): string {
  return value.replace(UUID, '<uuid>').replace(TIMESTAMP, '<time>').replace(OPAQUE, '<opaque>');
}

/** Headers that name a session the mock or the client minted for this run only. */
const SESSION_HEADERS = new Set(['mcp-session-id']);
/** The `(originator; version)` suffix some of a release's HTTP clients add to the user agent and others do not. */
const UA_SUFFIX = / \([^;()]+; [^()]+\)$/;

/** A non-secret header value as the record keeps it (idempotent: a record can be normalized again). */
export function normalizeHeader(name: string, value: string): string {
  if (SESSION_HEADERS.has(name)) return '<session>';
  const v = normalizeValue(value);
  return name === 'user-agent' ? v.replace(UA_SUFFIX, '') : v;
}

function target(url: string): string {
  if (!URL.canParse(url)) return normalizeValue(url);
  const u = new URL(url);
  const query = [...u.searchParams].map(([k, v]) => `${k}=${/token|key|secret|assertion/i.test(k) ? '<secret>' : normalizeValue(v)}`).join('&');
  return `${u.host}${u.pathname}${query === '' ? '' : `?${query}`}`;
}

/** Numbers the distinct credentials of one case in order of first use (the raw value stays in this closure). */
class TokenClasses {
  readonly #seen = new Map<string, number>();
  of(value: string): number {
    const known = this.#seen.get(value);
    if (known !== undefined) return known;
    const n = this.#seen.size + 1;
    this.#seen.set(value, n);
    return n;
  }
}

function credentialClass(name: string, value: string, e: ObservedRequest, tokens: TokenClasses): string {
  const n = tokens.of(value);
  if (name !== 'authorization') return `credential #${n}`;
  const space = value.indexOf(' ');
  const scheme = space < 0 ? '(no scheme)' : value.slice(0, space);
  const c = e.credential;
  switch (c.kind) {
    case 'bearer':
      return `${scheme} ${c.issued === undefined ? 'unknown to the mock' : `${c.issued.tokenKind}${c.issued.expired ? ' (expired)' : ''}`} #${n}`;
    case 'agentAssertion':
      return `${scheme} assertion${c.signatureValid ? '' : ' (bad signature)'}${c.taskIssuedToRuntime ? '' : ' (unissued task)'}`;
    case 'malformed':
      return `${scheme} malformed (${c.reason})`;
    case 'none':
      return `${scheme} #${n}`;
  }
}

/** Header lines per name as the journal kept them (comma-joined when the adapter merged them). */
function lineCounts(e: ObservedRequest): Record<string, number> | undefined {
  const lines = e.headerLines;
  return lines === undefined || Object.keys(lines).length === 0 ? undefined : { ...lines };
}

export function wireRequest(e: ObservedRequest, ctx: WireContext, tokens: TokenClasses): WireRequest {
  const headers: Record<string, string> = {};
  for (const name of Object.keys(e.headers).sort()) {
    if (DROPPED.has(name)) continue;
    const value = e.headers[name] ?? '';
    if (CREDENTIAL.has(name)) headers[name] = credentialClass(name, value, e, tokens);
    else if (name === 'chatgpt-account-id') headers[name] = value.split(',').map((v) => (ctx.accountId !== undefined && v.trim() === ctx.accountId ? 'the case account' : v.trim() === '' ? '(empty)' : 'another account')).join(', ');
    else headers[name] = normalizeHeader(name, value);
  }
  const repeated = lineCounts(e);
  return { method: e.method, target: target(e.url), status: e.verdict.status, headers, ...(repeated === undefined ? {} : { repeated }) };
}

/** The wire record of one case's journal. */
export function wireCase(caseId: string, outcome: string, entries: readonly ObservedRequest[], ctx: WireContext): WireCase {
  const tokens = new TokenClasses();
  return { caseId, outcome, requests: [...entries].sort((a, b) => a.seq - b.seq).map((e) => wireRequest(e, ctx, tokens)) };
}

/** One JSON object per case and line. */
export function wireNdjson(cases: readonly WireCase[]): string {
  return cases.map((c) => `${JSON.stringify(c)}\n`).join('');
}

/** Parses a wire record file; a typed error names the line that is not a case. */
export function parseWireNdjson(text: string, source: string): WireCase[] {
  const out: WireCase[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new ConformanceInputError('BAD_SCENARIO', `${source}:${i + 1} is not JSON.`, 'pass a wire record written by `matrix --out-dir` (codex-cli-<version>.wire.ndjson).');
    }
    const v = value as Partial<WireCase>;
    if (typeof v.caseId !== 'string' || typeof v.outcome !== 'string' || !Array.isArray(v.requests)) {
      throw new ConformanceInputError('BAD_SCENARIO', `${source}:${i + 1} is not a wire case (caseId, outcome, requests).`, 'pass a wire record written by `matrix --out-dir` (codex-cli-<version>.wire.ndjson).');
    }
    out.push(v as WireCase);
  });
  return out;
}

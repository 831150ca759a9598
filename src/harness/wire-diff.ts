/**
 * Bisect on the wire: the request-level differences between two wire records of the same
 * scenarios (two releases, or two runs). Requests are matched per case by method, host and path,
 * the i-th of a kind in A with the i-th in B; what is left over is new or missing. For matched
 * requests the status, the query and every header are compared; a credential compares as its
 * token class (wire-record.ts), so "the same token" and "another token" show without a secret.
 * Pure: it reads two parsed records and returns data; render with renderWireDiff.
 */
import { normalizeHeader, type WireCase, type WireRequest } from './wire-record.js';

/**
 * How the two sides are compared: `releases` are the versions A and B report (in user agents,
 * `version` headers, `client_version` queries); each side's own version is read as `<release>`, so
 * that a release bump alone is not a difference.
 */
export interface WireDiffOptions {
  readonly releases?: readonly [string, string];
}

/** A side's requests with its release version and the per-run values normalized. */
function normalized(requests: readonly WireRequest[], release: string | undefined): WireRequest[] {
  const bump = (v: string): string => (release === undefined ? v : v.split(release).join('<release>'));
  return requests.map((r) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(r.headers)) headers[name] = bump(normalizeHeader(name, value));
    return { ...r, target: bump(r.target), headers };
  });
}

export type HeaderChange =
  | { readonly kind: 'added'; readonly name: string; readonly after: string }
  | { readonly kind: 'removed'; readonly name: string; readonly before: string }
  | { readonly kind: 'changed'; readonly name: string; readonly before: string; readonly after: string };

/** One kind of difference on requests of one kind (method, host, path), with how many requests show it. */
export type RequestChange =
  | { readonly kind: 'new'; readonly request: string; readonly count: number; readonly statuses: readonly number[] }
  | { readonly kind: 'missing'; readonly request: string; readonly count: number; readonly statuses: readonly number[] }
  | { readonly kind: 'status'; readonly request: string; readonly count: number; readonly before: number; readonly after: number }
  | { readonly kind: 'query'; readonly request: string; readonly count: number; readonly before: string; readonly after: string }
  | { readonly kind: 'header'; readonly request: string; readonly count: number; readonly change: HeaderChange };

export interface CaseDiff {
  readonly caseId: string;
  readonly outcome: { readonly before: string; readonly after: string };
  readonly changes: readonly RequestChange[];
}

export interface WireDiff {
  readonly a: string;
  readonly b: string;
  readonly onlyInA: readonly string[];
  readonly onlyInB: readonly string[];
  readonly cases: readonly CaseDiff[];
}

function kindOf(r: WireRequest): string {
  const q = r.target.indexOf('?');
  return `${r.method} ${q < 0 ? r.target : r.target.slice(0, q)}`;
}

function queryOf(r: WireRequest): string {
  const q = r.target.indexOf('?');
  return q < 0 ? '' : r.target.slice(q + 1);
}

function byKind(requests: readonly WireRequest[]): Map<string, WireRequest[]> {
  const out = new Map<string, WireRequest[]>();
  for (const r of requests) out.set(kindOf(r), [...(out.get(kindOf(r)) ?? []), r]);
  return out;
}

function headerChanges(a: WireRequest, b: WireRequest): HeaderChange[] {
  const out: HeaderChange[] = [];
  const names = [...new Set([...Object.keys(a.headers), ...Object.keys(b.headers)])].sort();
  for (const name of names) {
    const before = a.headers[name];
    const after = b.headers[name];
    if (before === after) continue;
    if (before === undefined) out.push({ kind: 'added', name, after: after! });
    else if (after === undefined) out.push({ kind: 'removed', name, before });
    else out.push({ kind: 'changed', name, before, after });
  }
  const linesA = a.repeated ?? {};
  const linesB = b.repeated ?? {};
  for (const name of [...new Set([...Object.keys(linesA), ...Object.keys(linesB)])].sort()) {
    const before = linesA[name] ?? 1;
    const after = linesB[name] ?? 1;
    if (before !== after) out.push({ kind: 'changed', name: `${name} (header lines)`, before: String(before), after: String(after) });
  }
  return out;
}

/** Adds a change, counting repeats of the same difference on requests of one kind. */
class Changes {
  readonly #items = new Map<string, RequestChange>();
  add(change: RequestChange): void {
    const { count: _count, ...rest } = change;
    const key = JSON.stringify(rest);
    const known = this.#items.get(key);
    this.#items.set(key, known === undefined ? change : ({ ...known, count: known.count + change.count } as RequestChange));
  }
  list(): RequestChange[] {
    return [...this.#items.values()];
  }
}

export function diffCase(a: WireCase, b: WireCase, options: WireDiffOptions = {}): CaseDiff {
  const changes = new Changes();
  const before = byKind(normalized(a.requests, options.releases?.[0]));
  const after = byKind(normalized(b.requests, options.releases?.[1]));
  const kinds = [...new Set([...before.keys(), ...after.keys()])];
  for (const kind of kinds) {
    const ra = before.get(kind) ?? [];
    const rb = after.get(kind) ?? [];
    const paired = Math.min(ra.length, rb.length);
    for (let i = 0; i < paired; i += 1) {
      const x = ra[i]!;
      const y = rb[i]!;
      if (x.status !== y.status) changes.add({ kind: 'status', request: kind, count: 1, before: x.status, after: y.status });
      if (queryOf(x) !== queryOf(y)) changes.add({ kind: 'query', request: kind, count: 1, before: queryOf(x), after: queryOf(y) });
      for (const change of headerChanges(x, y)) changes.add({ kind: 'header', request: kind, count: 1, change });
    }
    if (rb.length > paired) changes.add({ kind: 'new', request: kind, count: rb.length - paired, statuses: [...new Set(rb.slice(paired).map((r) => r.status))] });
    if (ra.length > paired) changes.add({ kind: 'missing', request: kind, count: ra.length - paired, statuses: [...new Set(ra.slice(paired).map((r) => r.status))] });
  }
  return { caseId: a.caseId, outcome: { before: a.outcome, after: b.outcome }, changes: changes.list() };
}

export function diffWire(a: { readonly name: string; readonly cases: readonly WireCase[] }, b: { readonly name: string; readonly cases: readonly WireCase[] }, options: WireDiffOptions = {}): WireDiff {
  const inB = new Map(b.cases.map((c) => [c.caseId, c] as const));
  const inA = new Set(a.cases.map((c) => c.caseId));
  const cases: CaseDiff[] = [];
  for (const c of a.cases) {
    const other = inB.get(c.caseId);
    if (other !== undefined) cases.push(diffCase(c, other, options));
  }
  return {
    a: a.name,
    b: b.name,
    onlyInA: a.cases.filter((c) => !inB.has(c.caseId)).map((c) => c.caseId),
    onlyInB: b.cases.filter((c) => !inA.has(c.caseId)).map((c) => c.caseId),
    cases,
  };
}

/** Whether the two records differ at all (a changed outcome counts). */
export function wireDiffers(d: WireDiff): boolean {
  return d.onlyInA.length > 0 || d.onlyInB.length > 0 || d.cases.some((c) => c.changes.length > 0 || c.outcome.before !== c.outcome.after);
}

function times(n: number): string {
  return n === 1 ? '' : ` ×${n}`;
}

function showChange(c: RequestChange): string {
  switch (c.kind) {
    case 'new':
      return `+ ${c.request}${times(c.count)} (only in B; status ${c.statuses.join('/')})`;
    case 'missing':
      return `- ${c.request}${times(c.count)} (only in A; status ${c.statuses.join('/')})`;
    case 'status':
      return `~ ${c.request}${times(c.count)}: status ${c.before} → ${c.after}`;
    case 'query':
      return `~ ${c.request}${times(c.count)}: query ${c.before === '' ? '(none)' : c.before} → ${c.after === '' ? '(none)' : c.after}`;
    case 'header': {
      const h = c.change;
      const what = h.kind === 'added' ? `+${h.name}: ${h.after}` : h.kind === 'removed' ? `-${h.name}: ${h.before}` : `${h.name}: ${h.before} → ${h.after}`;
      return `~ ${c.request}${times(c.count)}: ${what}`;
    }
  }
}

/** Order: requests new or missing first, then statuses, then headers and queries. */
const ORDER: Readonly<Record<RequestChange['kind'], number>> = { new: 0, missing: 1, status: 2, header: 3, query: 4 };

/** Plain text (also valid inside a Markdown code block). */
export function renderWireDiff(d: WireDiff): string {
  const lines = [`wire diff A=${d.a} → B=${d.b} (release versions read as <release>; per-run ids as <uuid>/<session>)`];
  for (const id of d.onlyInA) lines.push(`case ${id}: only in A`);
  for (const id of d.onlyInB) lines.push(`case ${id}: only in B`);
  for (const c of d.cases) {
    const outcome = c.outcome.before === c.outcome.after ? c.outcome.after : `${c.outcome.before} → ${c.outcome.after}`;
    lines.push(`case ${c.caseId} (${outcome})${c.changes.length === 0 ? ': same requests' : ''}`);
    for (const change of [...c.changes].sort((x, y) => ORDER[x.kind] - ORDER[y.kind] || x.request.localeCompare(y.request))) lines.push(`  ${showChange(change)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The release a wire record file is of, from its name (`codex-cli-0.129.0.wire.ndjson`), if it says. */
export function releaseOfRecordName(name: string): string | undefined {
  return /(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)\.wire\.ndjson$/.exec(name)?.[1];
}

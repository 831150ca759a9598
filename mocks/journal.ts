import { createHash } from 'node:crypto';
import { fingerprint, redactAuthorization } from '../src/redact/fingerprint.js';
import type { CredentialAttribution, MockVerdict, ObservedRequest, RefreshLineage } from '../src/rules/observed-request.js';

/**
 * Every request the mock saw, in arrival order, as ObservedRequest (src/rules/observed-request.ts).
 * In memory the raw headers are kept (a checker may verify signatures); `toNdjson()` writes
 * secret-bearing headers as keyed fingerprints only.
 */
export const CASE_ID_HEADER = 'x-codex-mock-case';

/** Headers whose values are credentials: written out as fingerprints, never raw. */
const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'openai-api-key',
  'x-codex-connectors-token',
]);

export interface JournalDraft {
  readonly caseId?: string;
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Names that arrived on more than one line, where the adapter saw the lines (headerLinesOf). */
  readonly headerLines?: Readonly<Record<string, number>>;
  readonly body?: Uint8Array;
  readonly credential: CredentialAttribution;
  readonly refresh?: RefreshLineage;
  readonly verdict: MockVerdict;
}

export function headersToRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) {
    if (name === CASE_ID_HEADER) continue;
    out[name.toLowerCase()] = value;
  }
  return out;
}

/**
 * The repeated header lines a request arrived with, when its headers still know them (the node:http
 * adapter's HeaderList, built from `rawHeaders`); undefined for a Fetch Headers, which joined them.
 */
export function headerLinesOf(headers: Headers): Record<string, number> | undefined {
  const lines = (headers as { repeatedLines?: () => Record<string, number> }).repeatedLines?.();
  if (lines === undefined) return undefined;
  delete lines[CASE_ID_HEADER];
  return Object.keys(lines).length === 0 ? undefined : lines;
}

export function bodyDigest(body: Uint8Array | undefined): string | undefined {
  if (body === undefined || body.length === 0) return undefined;
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}

export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'authorization' || name === 'proxy-authorization') out[name] = redactAuthorization(value);
    else if (SECRET_HEADERS.has(name)) out[name] = fingerprint(value);
    else out[name] = value;
  }
  return out;
}

/** Query parameters that can carry credentials are fingerprinted in written URLs too. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    let changed = false;
    for (const key of [...u.searchParams.keys()]) {
      if (/token|key|secret|password|assertion/i.test(key)) {
        u.searchParams.set(key, fingerprint(u.searchParams.get(key) ?? ''));
        changed = true;
      }
    }
    return changed ? u.toString() : url;
  } catch {
    return url;
  }
}

export function redactEntry(entry: ObservedRequest): ObservedRequest {
  return { ...entry, url: redactUrl(entry.url), headers: redactHeaders(entry.headers) };
}

export class Journal {
  private entries: ObservedRequest[] = [];
  private nextSeq = 1;

  constructor(private readonly now: () => number = Date.now) {}

  record(draft: JournalDraft): ObservedRequest {
    const digest = bodyDigest(draft.body);
    const entry: ObservedRequest = {
      seq: this.nextSeq++,
      time: new Date(this.now()).toISOString(),
      ...(draft.caseId === undefined ? {} : { caseId: draft.caseId }),
      method: draft.method,
      url: draft.url,
      headers: draft.headers,
      ...(draft.headerLines === undefined ? {} : { headerLines: draft.headerLines }),
      ...(digest === undefined ? {} : { bodyDigest: digest }),
      credential: draft.credential,
      ...(draft.refresh === undefined ? {} : { refresh: draft.refresh }),
      verdict: draft.verdict,
    };
    this.entries.push(entry);
    return entry;
  }

  /** All entries in order, or only those of one case. */
  list(caseId?: string): readonly ObservedRequest[] {
    return caseId === undefined ? [...this.entries] : this.entries.filter((e) => e.caseId === caseId);
  }

  /** Requests no handler served: each one is an error of the run. */
  unhandled(caseId?: string): readonly ObservedRequest[] {
    return this.list(caseId).filter((e) => !e.verdict.handled);
  }

  /** One JSON object per line, secrets fingerprinted. */
  toNdjson(caseId?: string): string {
    return this.list(caseId)
      .map((e) => JSON.stringify(redactEntry(e)))
      .map((line) => `${line}\n`)
      .join('');
  }

  clear(caseId?: string): void {
    this.entries = caseId === undefined ? [] : this.entries.filter((e) => e.caseId !== caseId);
  }

  get size(): number {
    return this.entries.length;
  }
}

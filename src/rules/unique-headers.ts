/**
 * HDR.UNIQUE.001: the identity headers appear at most once per request. A header sent twice is
 * seen two ways: as two header lines (the node:http adapter keeps `rawHeaders`, the journal's
 * `headerLines`), or as one value listing several (Fetch, and intermediaries such as proxies,
 * join repeated lines with a comma: `uuid, uuid`). None of the three legitimately holds a comma
 * (a bearer token, an AgentAssertion, an account UUID, the literal "true"), so a comma means two.
 */
import type { ObservedRequest } from './observed-request.js';

/** The headers that must appear at most once (PR #29893). */
export const UNIQUE_HEADERS = ['authorization', 'chatgpt-account-id', 'x-openai-fedramp'] as const;
export type UniqueHeader = (typeof UNIQUE_HEADERS)[number];

export interface RepeatedHeader {
  readonly name: UniqueHeader;
  /** How many times it appears: the larger of its line count and its comma-separated value count. */
  readonly count: number;
}

/** The identity headers of one request that appear more than once (empty: the rule holds). */
export function repeatedIdentityHeaders(e: Pick<ObservedRequest, 'headers' | 'headerLines'>): RepeatedHeader[] {
  const out: RepeatedHeader[] = [];
  for (const name of UNIQUE_HEADERS) {
    const value = e.headers[name];
    if (value === undefined) continue;
    const lines = e.headerLines?.[name] ?? 1;
    const values = value.split(',').length;
    const count = Math.max(lines, values);
    if (count > 1) out.push({ name, count });
  }
  return out;
}

/** Whether a request carries any identity header at all (the rule applies to it). */
export function carriesIdentityHeader(e: Pick<ObservedRequest, 'headers'>): boolean {
  return UNIQUE_HEADERS.some((name) => e.headers[name] !== undefined);
}

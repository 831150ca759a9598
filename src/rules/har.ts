/**
 * Converts a HAR 1.2 capture into journal entries so recorded traffic can be judged by
 * `checkJournal`. A HAR carries no mock knowledge: credentials are attributed only by scheme
 * (`bearer` with a fingerprint, else `none`) and every entry counts as handled.
 */
import { createHash } from 'node:crypto';
import { ConformanceInputError } from '../errors.js';
import { fingerprint } from '../redact/fingerprint.js';
import type { CredentialAttribution, ObservedRequest } from './observed-request.js';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bad(problem: string): ConformanceInputError {
  return new ConformanceInputError('USAGE', `not a HAR 1.2 capture: ${problem}.`, 'export the capture as HAR 1.2 (log.entries[].request with method, url, headers[]) or pass a journal .ndjson file.');
}

export function harToObserved(har: unknown): ObservedRequest[] {
  if (!isRecord(har) || !isRecord(har['log'])) throw bad('no top-level "log" object');
  const entries = har['log']['entries'];
  if (!Array.isArray(entries)) throw bad('"log.entries" is not an array');
  return entries.map((entry: unknown, index): ObservedRequest => {
    if (!isRecord(entry) || !isRecord(entry['request'])) throw bad(`entry ${index} has no "request" object`);
    const request = entry['request'];
    const method = request['method'];
    const url = request['url'];
    if (typeof method !== 'string' || method === '') throw bad(`entry ${index} has no request.method`);
    if (typeof url !== 'string' || !URL.canParse(url)) throw bad(`entry ${index} has no absolute request.url`);
    const headers: Record<string, string> = {};
    const rawHeaders = request['headers'] ?? [];
    if (!Array.isArray(rawHeaders)) throw bad(`entry ${index} request.headers is not an array`);
    for (const h of rawHeaders as unknown[]) {
      if (!isRecord(h) || typeof h['name'] !== 'string' || typeof h['value'] !== 'string') throw bad(`entry ${index} has a header without string name and value`);
      const name = h['name'].toLowerCase();
      if (name.startsWith(':')) continue; // HTTP/2 pseudo-headers
      headers[name] = name in headers ? `${headers[name]}, ${h['value']}` : h['value'];
    }
    const postData = request['postData'];
    const text = isRecord(postData) && typeof postData['text'] === 'string' ? postData['text'] : '';
    const response = isRecord(entry['response']) ? entry['response'] : {};
    const status = typeof response['status'] === 'number' ? response['status'] : 0;
    const started = entry['startedDateTime'];
    const base = {
      seq: index,
      time: typeof started === 'string' ? started : new Date(0).toISOString(),
      method: method.toUpperCase(),
      url,
      headers,
      credential: attribute(headers['authorization']),
      verdict: { status, handled: true },
    };
    return text === '' ? base : { ...base, bodyDigest: `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}` };
  });
}

function attribute(authorization: string | undefined): CredentialAttribution {
  const m = authorization === undefined ? null : /^Bearer\s+(.+)$/i.exec(authorization);
  return m?.[1] === undefined ? { kind: 'none' } : { kind: 'bearer', fingerprint: fingerprint(m[1]) };
}

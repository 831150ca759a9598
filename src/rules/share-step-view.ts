/**
 * What the SHARE judge sees of one step of a shared-login scenario: the journal slice the step
 * covers, its token and backend requests, and the facts of auth.json before and after it (whole
 * JSON or not, the account, the refresh-token lineage the mock issued), with their wording.
 */
import { fingerprint } from '../redact/fingerprint.js';
import type { AuthJsonState, ShareStep } from './check-share.js';
import type { IssuedLineage, ObservedRequest, TokenLineage } from './observed-request.js';

/** What the judge knows of one auth.json state. */
export interface FileFacts {
  readonly exists: boolean;
  readonly whole: boolean;
  readonly data?: Record<string, unknown>;
  readonly accountId?: string;
  readonly lineage?: TokenLineage;
  readonly refreshFingerprint?: string;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function fileFacts(state: AuthJsonState | undefined, byRefresh: ReadonlyMap<string, IssuedLineage>): FileFacts | undefined {
  if (state === undefined) return undefined;
  if (state.text === undefined) return { exists: false, whole: false };
  let data: unknown;
  try {
    data = JSON.parse(state.text);
  } catch {
    return { exists: true, whole: false };
  }
  if (!isRecord(data)) return { exists: true, whole: false };
  const tokens = isRecord(data['tokens']) ? data['tokens'] : undefined;
  const refresh = typeof tokens?.['refresh_token'] === 'string' ? tokens['refresh_token'] : undefined;
  const fp = refresh === undefined ? undefined : fingerprint(refresh);
  const issued = fp === undefined ? undefined : byRefresh.get(fp);
  const accountId = typeof tokens?.['account_id'] === 'string' ? tokens['account_id'] : undefined;
  return {
    exists: true,
    whole: true,
    data,
    ...(accountId === undefined ? {} : { accountId }),
    ...(issued === undefined ? {} : { lineage: { family: issued.family, generation: issued.generation, accountId: issued.accountId } }),
    ...(fp === undefined ? {} : { refreshFingerprint: fp }),
  };
}

export function bearerLineage(e: ObservedRequest): TokenLineage | undefined {
  return e.credential.kind === 'bearer' ? e.credential.issued?.lineage : undefined;
}

export const show = (l: TokenLineage | undefined): string => (l === undefined ? 'an unknown token' : `${l.family} generation ${l.generation}`);
export const showFile = (f: FileFacts | undefined): string =>
  f === undefined ? 'not recorded' : !f.exists ? 'no auth.json' : !f.whole ? 'a file that is not whole JSON' : f.lineage !== undefined ? `${show(f.lineage)} of account ${f.lineage.accountId}` : f.accountId !== undefined ? `account ${f.accountId} (tokens the mock did not issue)` : 'no ChatGPT login';

export interface StepView {
  readonly step: ShareStep;
  readonly index: number;
  readonly entries: readonly ObservedRequest[];
  readonly tokenRequests: readonly ObservedRequest[];
  readonly backend: readonly ObservedRequest[];
  readonly before: FileFacts | undefined;
  readonly after: FileFacts | undefined;
}

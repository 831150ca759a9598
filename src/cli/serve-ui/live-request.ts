import { caseEvidence } from '../../harness/case-evidence.js';
import { requestSecrets, scrubSecrets } from '../../redact/request-secrets.js';
import { LINEAGE_KEY, lineageFields, type LineageField } from '../../harness/lineage-fields.js';
import { ruleById } from '../../rules/catalogue.js';
import { checkJournal } from '../../rules/check.js';
import type { ObservedRequest } from '../../rules/observed-request.js';
import type { ProfileId } from '../../rules/profiles.js';
import type { Verdict } from '../../rules/rule.js';

/**
 * One request as the live view of `serve` shows it: what reached the mock (credentials as
 * fingerprints), the mock's verdict on its credential, and the verdicts of the journal rules on
 * this request alone (`check` judges a whole journal, sequences included). Built from the
 * journal entry, then scrubbed once more of every raw credential value the entry carried, so
 * nothing secret can reach the page or its event stream.
 */
export interface LiveRequest {
  readonly seq: number;
  readonly time: string;
  readonly caseId?: string;
  readonly method: string;
  /** The URL as received, credential-bearing query values fingerprinted. */
  readonly url: string;
  readonly path: string;
  readonly status: number;
  readonly handled: boolean;
  readonly endpoint?: string;
  readonly reason?: string;
  /** The account the request is for, as the mock attributed its credential (else the header). */
  readonly account?: string;
  readonly credential: CredentialVerdict;
  readonly headers: Readonly<Record<string, string>>;
  readonly rules: readonly LiveRuleVerdict[];
  /** Journal fields this view does not know, as they come. */
  readonly extra: Readonly<Record<string, unknown>>;
  /** The credential's lineage wherever the journal carries it (src/harness/lineage-fields.ts). */
  readonly lineage: readonly LineageField[];
}

export interface CredentialVerdict {
  readonly kind: ObservedRequest['credential']['kind'];
  /** True when the mock accepts the credential as one it issued and that is still good. */
  readonly accepted: boolean;
  readonly summary: string;
  readonly facts: Readonly<Record<string, string | boolean>>;
}

export interface LiveRuleVerdict {
  readonly ruleId: string;
  readonly level?: string;
  readonly verdict: Verdict;
  readonly message: string;
}

const KNOWN_FIELDS = new Set(['seq', 'time', 'caseId', 'method', 'url', 'headers', 'bodyDigest', 'credential', 'verdict']);

export function credentialVerdict(credential: ObservedRequest['credential']): CredentialVerdict {
  switch (credential.kind) {
    case 'none':
      return { kind: 'none', accepted: false, summary: 'no credential', facts: {} };
    case 'bearer': {
      const i = credential.issued;
      if (i === undefined) return { kind: 'bearer', accepted: false, summary: `Bearer ${credential.fingerprint}: never issued by the mock`, facts: { fingerprint: credential.fingerprint, issued: false } };
      const facts: Record<string, string | boolean> = { fingerprint: credential.fingerprint, issued: true, tokenKind: i.tokenKind, expired: i.expired };
      if (i.accountId !== undefined) facts['accountId'] = i.accountId;
      if (i.chatgptUserId !== undefined) facts['chatgptUserId'] = i.chatgptUserId;
      if (i.isFedramp !== undefined) facts['fedramp'] = i.isFedramp;
      return { kind: 'bearer', accepted: !i.expired, summary: `Bearer ${credential.fingerprint}: issued ${i.tokenKind}${i.expired ? ', EXPIRED' : ', valid'}`, facts };
    }
    case 'agentAssertion': {
      const facts: Record<string, string | boolean> = { signatureValid: credential.signatureValid, taskIssuedToRuntime: credential.taskIssuedToRuntime };
      for (const key of ['agentRuntimeId', 'taskId', 'timestamp', 'accountId'] as const) {
        const value = credential[key];
        if (value !== undefined) facts[key] = value;
      }
      if (credential.isFedramp !== undefined) facts['fedramp'] = credential.isFedramp;
      const accepted = credential.signatureValid && credential.taskIssuedToRuntime;
      return { kind: 'agentAssertion', accepted, summary: `AgentAssertion: signature ${credential.signatureValid ? 'valid' : 'INVALID'}, task ${credential.taskIssuedToRuntime ? 'issued to the runtime' : 'NOT issued to the runtime'}`, facts };
    }
    case 'malformed':
      return { kind: 'malformed', accepted: false, summary: `malformed credential: ${credential.reason}`, facts: { reason: credential.reason } };
    default:
      return { kind: 'malformed', accepted: false, summary: 'unknown credential attribution', facts: {} };
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '?';
  }
}

const isBad = (v: Verdict): boolean => v === 'fail' || v === 'error';

function judgeAlone(entry: ObservedRequest, profile: ProfileId): LiveRuleVerdict[] {
  try {
    return checkJournal([entry], { profile, mockAttribution: true })
      .map((r) => ({ ruleId: r.ruleId, verdict: r.verdict, message: r.verdict === 'pass' ? `${ruleById(r.ruleId)?.title ?? r.ruleId}: held on this request` : r.message, ...(ruleById(r.ruleId) !== undefined ? { level: ruleById(r.ruleId)!.level } : {}) }))
      // Failures first, then by rule id.
      .sort((a, b) => Number(isBad(b.verdict)) - Number(isBad(a.verdict)) || a.ruleId.localeCompare(b.ruleId));
  } catch (e) {
    return [{ ruleId: '*', verdict: 'error', message: `the journal rules could not judge this request: ${e instanceof Error ? e.message : String(e)}` }];
  }
}

/** The live view of one journal entry (raw, as the mock holds it) as JSON text, scrubbed of its secrets. */
export function liveRequestJson(entry: ObservedRequest, profile: ProfileId): string {
  const shown = caseEvidence([entry]).journal[0]!;
  const c = entry.credential;
  const account = (c.kind === 'bearer' ? c.issued?.accountId : c.kind === 'agentAssertion' ? c.accountId : undefined) ?? entry.headers['chatgpt-account-id'];
  const live: LiveRequest = {
    seq: entry.seq,
    time: entry.time,
    ...(entry.caseId !== undefined ? { caseId: entry.caseId } : {}),
    method: entry.method,
    url: shown.url,
    path: pathOf(shown.url),
    status: entry.verdict.status,
    handled: entry.verdict.handled,
    ...(entry.verdict.endpoint !== undefined ? { endpoint: entry.verdict.endpoint } : {}),
    ...(entry.verdict.reason !== undefined ? { reason: entry.verdict.reason } : {}),
    ...(account !== undefined ? { account } : {}),
    credential: credentialVerdict(c),
    headers: shown.headers,
    rules: judgeAlone(entry, profile),
    extra: Object.fromEntries(Object.entries(shown).filter(([k]) => !KNOWN_FIELDS.has(k) && !LINEAGE_KEY.test(k))),
    lineage: lineageFields(shown),
  };
  return JSON.stringify(scrubSecrets(live, requestSecrets([entry])));
}

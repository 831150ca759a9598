import type { Collector } from './journal-collector.js';
import type { EndpointKind } from './endpoint-kind.js';
import type { ObservedRequest } from './observed-request.js';
import { carriesIdentityHeader, repeatedIdentityHeaders } from './unique-headers.js';

/**
 * Per-request checks on what the header values hold rather than which headers are sent: blank,
 * padded or placeholder account ids and credentials (HDR.ACCOUNT.002, HDR.BEARER.001,
 * HDR.AGENT.001), identity headers sent twice (HDR.UNIQUE.001), and, on a journal the mock wrote,
 * its verdict on a Bearer credential (HDR.BEARER.001).
 */

/** Values a JavaScript client produces by interpolating a missing value. */
const PLACEHOLDER = /^(undefined|null|nan|none|\[object object\])$/i;

/** HDR.UNIQUE.001: Authorization, ChatGPT-Account-ID and X-OpenAI-Fedramp at most once each. */
export function checkUnique(c: Collector, e: ObservedRequest): void {
  if (!carriesIdentityHeader(e)) return;
  c.judge('HDR.UNIQUE.001', e);
  for (const r of repeatedIdentityHeaders(e)) {
    c.fail('HDR.UNIQUE.001', e, `${r.name} repeated`, `at most one ${r.name} (one line, one value)`, `${r.count} ${e.headerLines?.[r.name] !== undefined ? 'header lines' : 'comma-joined values'}`);
  }
}

/** Header values a client must never send: blank, padded or placeholder ids and credentials. */
export function checkValues(c: Collector, e: ObservedRequest): void {
  const account = e.headers['chatgpt-account-id'];
  if (account !== undefined && account.trim() !== '' && (account !== account.trim() || PLACEHOLDER.test(account.trim()))) {
    c.fail('HDR.ACCOUNT.002', e, 'ChatGPT-Account-ID value', 'an account id or no header', JSON.stringify(account));
  }
  const auth = e.headers['authorization'];
  const m = auth === undefined ? null : /^(Bearer|AgentAssertion)\s+(.*)$/.exec(auth);
  if (m !== null && PLACEHOLDER.test((m[2] ?? '').trim())) {
    const rule = m[1] === 'Bearer' ? 'HDR.BEARER.001' : 'HDR.AGENT.001';
    c.fail(rule, e, `${m[1]} credential`, 'a credential', JSON.stringify(`${m[1]} ${(m[2] ?? '').trim()}`));
  }
}

/** The mock's verdict on the credential: a Bearer token it never issued is not the mode's own token. */
export function checkAttribution(c: Collector, e: ObservedRequest, kind: EndpointKind): void {
  const cred = e.credential;
  if (cred.kind !== 'bearer' || kind === 'oauthToken' || kind === 'jwks' || kind === 'taskRegistration') return;
  if (e.headers['authorization'] === undefined) return;
  c.judge('HDR.BEARER.001', e);
  if (cred.issued === undefined) {
    c.fail('HDR.BEARER.001', e, 'Bearer credential', 'a token the backend issued for this client (API key or access token)', `a token the mock never issued (${cred.fingerprint}${e.verdict.reason !== undefined ? `, answered ${e.verdict.status} ${e.verdict.reason}` : ''})`);
  }
}

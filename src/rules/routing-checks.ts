/**
 * Workspace routing discovery, judged from the journal alone (codex-0.171; discovery arrived in
 * 0.156.0). The source (codex-rs/model-provider/src/workspace_routing.rs and the app-server's
 * account_processor/workspace_routing.rs, literals in the 0.171.0 binary) runs discovery only for
 * ChatGPT-account credentials (Chatgpt, ChatgptAuthTokens, PersonalAccessToken: `is_chatgpt_auth`)
 * on the first-party provider; it keeps the entries whose `id` equals the selected account id and
 * stops with "selected workspace missing from routing discovery" when none is left, "duplicate
 * workspace in routing discovery" when two are; HTTP and WebSocket Responses wait for it.
 *
 * The mock answers discovery with the account the credential belongs to (mocks/handlers/
 * account-discovery.ts), so an answer lists the selected account exactly when the request's
 * ChatGPT-Account-ID names the credential's own account and the answer was a 200.
 */
import type { ObservedRequest } from './observed-request.js';

/** Pure verdict data; check-journal.ts turns it into results. */
export type RoutingFinding =
  | { readonly rule: 'URL.ROUTING.001'; readonly entry: ObservedRequest; readonly ok: true }
  | { readonly rule: 'URL.ROUTING.001'; readonly entry: ObservedRequest; readonly ok: false; readonly what: string; readonly expected: string; readonly actual: string }
  | { readonly rule: 'URL.ROUTING.002'; readonly entry: ObservedRequest; readonly ok: true }
  | { readonly rule: 'URL.ROUTING.002'; readonly entry: ObservedRequest; readonly ok: false; readonly what: string; readonly expected: string; readonly actual: string };

const DISCOVERY = /\/(wham|api\/codex)\/accounts\/check\/?$/;
const RESPONSES = /\/responses\/?$/;
/** Credentials of the auth modes that discover (the mock's names for them). */
const DISCOVERING_TOKENS = new Set(['chatgptAccess', 'hostAccess', 'personalAccessToken']);

function pathOf(url: string): string {
  return URL.canParse(url) ? new URL(url).pathname : url;
}

export function isDiscovery(e: Pick<ObservedRequest, 'url'>): boolean {
  return DISCOVERY.test(pathOf(e.url));
}

export function isResponsesRequest(e: Pick<ObservedRequest, 'url'>): boolean {
  return RESPONSES.test(pathOf(e.url));
}

/** The account the mock knows the request's credential to belong to, when it issued it. */
function credentialAccount(e: ObservedRequest): string | undefined {
  const c = e.credential;
  if (c.kind === 'bearer') return c.issued?.accountId;
  if (c.kind === 'agentAssertion') return c.accountId;
  return undefined;
}

/** Whether the mock's answer to a discovery request listed the selected account exactly once (a 200 whose selection is the credential's own account). */
export function discoveryConfirmedSelection(e: ObservedRequest): boolean {
  if (e.verdict.status !== 200) return false;
  const selected = e.headers['chatgpt-account-id'];
  if (selected === undefined || selected.includes(',')) return false;
  const own = credentialAccount(e);
  return own === undefined || own === selected.trim();
}

/** URL.ROUTING.001 on one discovery request. */
function discoveryShape(e: ObservedRequest, accountOnOtherRequests: string | undefined): RoutingFinding {
  const fail = (what: string, expected: string, actual: string): RoutingFinding => ({ rule: 'URL.ROUTING.001', entry: e, ok: false, what, expected, actual });
  const auth = e.headers['authorization'];
  if (auth === undefined || !/^Bearer\s+\S/.test(auth)) return fail('discovery credential', 'the ChatGPT-account auth\'s Bearer token', auth === undefined ? 'no Authorization' : `scheme ${auth.split(' ')[0] ?? '?'}`);
  const c = e.credential;
  if (c.kind === 'bearer' && c.issued !== undefined && !DISCOVERING_TOKENS.has(c.issued.tokenKind)) {
    return fail('discovery sent with a credential that does not discover', 'a ChatGPT access token, host tokens or a personal access token', `a ${c.issued.tokenKind} token`);
  }
  const account = e.headers['chatgpt-account-id'];
  if (account === undefined || account.trim() === '') return fail('discovery account', 'the selected account\'s ChatGPT-Account-ID', account === undefined ? 'no ChatGPT-Account-ID' : 'an empty ChatGPT-Account-ID');
  if (accountOnOtherRequests !== undefined && accountOnOtherRequests !== account) {
    return fail('discovery account', 'the ChatGPT-Account-ID the same credential sends on its other backend requests', 'another account id');
  }
  return { rule: 'URL.ROUTING.001', entry: e, ok: true };
}

/** Both routing rules over one case's requests, in order. */
export function routingFindings(group: readonly ObservedRequest[]): RoutingFinding[] {
  const discoveries = group.filter(isDiscovery);
  if (discoveries.length === 0) return [];
  const out: RoutingFinding[] = [];
  for (const d of discoveries) {
    const sameCredential = group.find((o) => !isDiscovery(o) && o.headers['authorization'] === d.headers['authorization'] && o.headers['chatgpt-account-id'] !== undefined && /\/backend-api\//.test(pathOf(o.url)));
    out.push(discoveryShape(d, sameCredential?.headers['chatgpt-account-id']));
  }
  for (const m of group.filter(isResponsesRequest)) {
    const earlier = discoveries.filter((d) => d.seq < m.seq);
    const answered = earlier.filter((d) => d.verdict.status === 200);
    if (answered.some(discoveryConfirmedSelection)) {
      out.push({ rule: 'URL.ROUTING.002', entry: m, ok: true });
      continue;
    }
    // A discovery that failed outright (no 200 answer) is another matter ("workspace routing
    // discovery failed"): the rule is about an answer that lacks the selection.
    if (earlier.length > 0 && answered.length === 0) continue;
    const last = answered.at(-1);
    out.push({
      rule: 'URL.ROUTING.002',
      entry: m,
      ok: false,
      what: 'model request without a discovery answer listing the selected account',
      expected: 'no model request (the client stops: "selected workspace missing from routing discovery")',
      actual: last === undefined ? 'a model request before any discovery answer' : `a model request after discovery #${last.seq} answered without the selected account`,
    });
  }
  return out;
}

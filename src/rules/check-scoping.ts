/**
 * Judges one scoping case (contract/scoping.ts) from its journal and the outcome the
 * implementation returned: HDR.PROVIDER.001, GATE.WORKSPACE.001, GATE.USAGE.001, URL.ENVBASE.001.
 * Each rule is judged only on the cases its condition applies to; the others get no verdict.
 */
import type { AuthMode } from '../auth/codex-auth.js';
import { modeFacts } from './contract/modes.js';
import { providerTakesLogin, usagePollAllowed, workspaceAllowed, type ModelProviderSpec } from './contract/scoping.js';
import type { ObservedRequest } from './observed-request.js';
import { fail, pass, type RuleResult } from './result.js';

/** What the case configured; `call` is what the harness asked for. */
export interface ScopingCase {
  readonly caseId: string;
  readonly auth: { readonly mode: AuthMode; readonly accountId?: string };
  readonly call: 'model' | 'usage' | 'backend';
  readonly modelProvider?: ModelProviderSpec;
  readonly forcedWorkspaceIds?: readonly string[];
  /** `OPENAI_BASE_URL` in the environment (no `openai_base_url` configured). */
  readonly envOpenaiBaseUrl?: string;
  /** How the call ended: `sent`, or not (`refused` / `errored`). */
  readonly outcome: 'sent' | 'refused' | 'errored' | 'skipped';
}

const IDENTITY = ['authorization', 'chatgpt-account-id', 'x-openai-fedramp'] as const;

function under(url: string, base: string): boolean {
  if (!URL.canParse(url) || !URL.canParse(base)) return false;
  const u = new URL(url);
  const b = new URL(base);
  return u.origin === b.origin && u.pathname.startsWith(b.pathname.replace(/\/+$/, ''));
}

function describe(e: ObservedRequest): string {
  return `#${e.seq} ${e.method} ${e.url}`;
}

const isModelRequest = (e: ObservedRequest): boolean => URL.canParse(e.url) && /\/responses\/?$/.test(new URL(e.url).pathname);
const isUsageRequest = (e: ObservedRequest): boolean => URL.canParse(e.url) && /\/(wham|api\/codex)\/usage\/?$/.test(new URL(e.url).pathname);
/** Requests a workspace restriction must stop: the codex backend and model traffic (not whoami, JWKS, token endpoint). */
const isGuarded = (e: ObservedRequest): boolean => URL.canParse(e.url) && (isModelRequest(e) || /\/backend-api\/|\/api\/codex\//.test(new URL(e.url).pathname)) && !/\/whoami\/?$/.test(new URL(e.url).pathname);

export function checkScoping(c: ScopingCase, observed: readonly ObservedRequest[]): RuleResult[] {
  const out: RuleResult[] = [];
  const id = c.caseId;
  const allowed = workspaceAllowed(c.auth.mode, c.auth.accountId, c.forcedWorkspaceIds);

  // HDR.PROVIDER.001: a provider that takes no login gets none of its credentials.
  if (c.modelProvider !== undefined && !providerTakesLogin(c.modelProvider) && c.call === 'model') {
    const provider = c.modelProvider;
    const atProvider = observed.filter((e) => under(e.url, provider.baseUrl));
    const failures: RuleResult[] = [];
    for (const e of atProvider) {
      const leaked = IDENTITY.filter((h) => e.headers[h] !== undefined && !(h === 'authorization' && provider.ownAuth === 'bearerToken' && !(e.credential.kind === 'bearer' && e.credential.issued !== undefined)));
      if (leaked.length > 0) failures.push(fail('HDR.PROVIDER.001', `login credentials sent to a provider that neither requires OpenAI auth nor uses the login on ${describe(e)}`, provider.ownAuth === 'bearerToken' ? 'only the provider\'s own bearer token' : 'no Authorization, ChatGPT-Account-ID or X-OpenAI-Fedramp', leaked.join(', '), id));
    }
    if (failures.length > 0) out.push(...failures);
    else if (atProvider.length > 0) out.push(pass('HDR.PROVIDER.001', `HDR.PROVIDER.001 the custom provider got no login credential (${atProvider.length} request(s))`, id));
    // A login the workspace restriction refuses sends nothing anywhere (GATE.WORKSPACE.001 judges that).
    else if (allowed !== false) out.push(fail('HDR.PROVIDER.001', 'model request to the configured provider', `a request under ${provider.baseUrl}`, observed.length === 0 ? `no request (${c.outcome})` : `none there; first ${describe(observed[0]!)}`, id));
  }

  // GATE.WORKSPACE.001: credentials outside the forced workspace are refused before any request.
  if (allowed === false) {
    const sent = observed.filter(isGuarded);
    out.push(sent.length === 0 && c.outcome !== 'sent'
      ? pass('GATE.WORKSPACE.001', `GATE.WORKSPACE.001 ${c.auth.mode} of another workspace refused (${c.outcome}) before any request`, id)
      : fail('GATE.WORKSPACE.001', `${c.auth.mode} credentials outside forced_chatgpt_workspace_id`, 'a refusal before any codex-backend or model request', sent[0] === undefined ? `outcome ${c.outcome}` : `${sent.length} request(s), first ${describe(sent[0])}`, id));
  } else if (allowed === true && !(c.call === 'usage' && !providerTakesLogin(c.modelProvider))) {
    out.push(observed.some(isGuarded)
      ? pass('GATE.WORKSPACE.001', `GATE.WORKSPACE.001 ${c.auth.mode} of the forced workspace accepted`, id)
      : fail('GATE.WORKSPACE.001', `${c.auth.mode} credentials of the forced workspace`, 'the request sent', `no request (${c.outcome})`, id));
  }

  // GATE.USAGE.001: no usage polling for a provider that does not take the login.
  if (c.call === 'usage' && modeFacts(c.auth.mode).usesCodexBackend && c.forcedWorkspaceIds === undefined) {
    const polls = observed.filter(isUsageRequest);
    const may = usagePollAllowed(c.modelProvider, modeFacts(c.auth.mode).chatgptAccount);
    if (!providerTakesLogin(c.modelProvider)) {
      out.push(polls.length === 0 ? pass('GATE.USAGE.001', 'GATE.USAGE.001 no usage request for a provider that does not require OpenAI auth', id) : fail('GATE.USAGE.001', 'usage polling with a custom provider that does not require OpenAI auth', 'no usage request', describe(polls[0]!), id));
    } else if (may) {
      out.push(polls.length > 0 ? pass('GATE.USAGE.001', 'GATE.USAGE.001 usage polled for a ChatGPT account on the OpenAI provider', id) : fail('GATE.USAGE.001', 'usage polling for a ChatGPT account on the OpenAI provider', 'a usage request', `none (${c.outcome})`, id));
    }
  }

  // URL.ENVBASE.001: OPENAI_BASE_URL followed or refused, never silently ignored.
  if (c.envOpenaiBaseUrl !== undefined && c.call === 'model' && c.modelProvider === undefined) {
    const env = c.envOpenaiBaseUrl;
    const models = observed.filter(isModelRequest);
    const elsewhere = models.filter((e) => !under(e.url, env));
    if (elsewhere.length > 0) out.push(fail('URL.ENVBASE.001', 'OPENAI_BASE_URL set, model traffic elsewhere', `model traffic under ${env}, or a refusal`, describe(elsewhere[0]!), id));
    else if (models.length > 0) out.push(pass('URL.ENVBASE.001', `URL.ENVBASE.001 model traffic followed OPENAI_BASE_URL (${models.length} request(s))`, id));
    else out.push(c.outcome === 'refused' || c.outcome === 'errored' ? pass('URL.ENVBASE.001', `URL.ENVBASE.001 OPENAI_BASE_URL refused (${c.outcome}) with no model request`, id) : fail('URL.ENVBASE.001', 'OPENAI_BASE_URL set', 'model traffic under it, or a refusal', `no model request and outcome ${c.outcome}`, id));
  }
  return out;
}

/**
 * `request <callsite> --codex-home DIR [...]`: what the REFERENCE implementation would send for
 * one callsite (method, URL, every auth header), or why its gate refuses. The callsite request
 * itself is computed, never sent: gate first (src/callsites/gates.ts), URL from the configured
 * bases (src/urls/derived-urls.ts), then `AuthProvider.applyHeaders` on a fresh Headers object.
 *
 * The base URLs come from the flags, else from CODEX_HOME/config.toml as Codex reads it
 * (`chatgpt_base_url`, `openai_base_url`, an active profile's `chatgpt_base_url`;
 * src/config/codex-config.ts), else the production defaults.
 *
 * Side effects that the reference performs BEFORE it can build headers do happen, and only
 * towards loopback hosts unless --allow-network (src/net/network-policy.ts; refused before any
 * socket is opened):
 * - agent identity: the JWT is verified (JWKS from --jwks FILE, else fetched from the JWKS URL
 *   of the configured ChatGPT base: codex-rs/agent-identity/src/lib.rs `agent_identity_jwks_url`)
 *   and a task is registered (POST to `agent_identity_authapi_base_url(configured base)`,
 *   codex-rs/login/src/auth/agent_identity.rs), unless --task-id is given.
 * - managed ChatGPT tokens are NOT refreshed here (the reference would refresh stale tokens
 *   first, codex-rs/login/src/auth/manager.rs); the output says when they are stale.
 * Header rules: codex-rs/model-provider/src/bearer_auth_provider.rs (Bearer, ChatGPT-Account-ID,
 * X-OpenAI-Fedramp: true only for FedRAMP) and the AgentAssertion provider. Credentials are shown
 * as keyed fingerprints unless --show-secrets.
 */
import { resolve } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { jwksFetcher, verifyAgentIdentityJwt } from '../../auth/agent-identity/identity-jwt.js';
import { registerAgentTask } from '../../auth/agent-identity/task-registration.js';
import { AuthManager } from '../../auth/auth-manager.js';
import { authProviderFor } from '../../auth/auth-provider-for.js';
import type { CodexAuth } from '../../auth/codex-auth.js';
import type { Env, HostTokens } from '../../auth/load-auth.js';
import { isStaleForProactiveRefresh } from '../../auth/token-refresh.js';
import type { Callsite } from '../../callsites/callsite.js';
import { CALLSITES, callsiteById } from '../../callsites/catalog.js';
import { ConformanceInputError } from '../../errors.js';
import { redactAuthorization } from '../../redact/fingerprint.js';
import { agentJwksUrl, backendUrl, DEFAULT_CHATGPT_BASE_URL } from '../../urls/derived-urls.js';
import { DEFAULT_CLIENT_PROFILE } from '../../auth/client-profile.js';
import { readCodexConfig } from '../../config/codex-config.js';
import { guardedFetch } from '../../net/network-policy.js';
import { stopAfterValidation, type Command } from '../command.js';
import { parseCommandArgs } from '../parse-args.js';
import { readHostTokensFile, readJwksFile } from './request-files.js';

const usage =
  'codex-auth-conformance request <callsite> --codex-home DIR [--chatgpt-base-url URL] [--openai-base-url URL] [--jwks FILE] [--task-id ID] [--host-tokens FILE] [--apps-enabled] [--allow-network] [--show-secrets] [--json] | request --list';

export interface ComputeRequestOptions {
  readonly callsiteId: string;
  readonly codexHome: string;
  readonly env: Env;
  readonly chatgptBaseUrl?: string;
  readonly openaiBaseUrl?: string;
  /** A JWKS to verify the agent identity with; absent = fetched from the configured base. */
  readonly jwks?: JSONWebKeySet;
  /** A task id to use instead of registering one. */
  readonly taskId?: string;
  readonly hostTokens?: HostTokens;
  /** Config `apps_enabled` (the Apps MCP gate); default false. */
  readonly appsEnabled?: boolean;
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
  /** Let the JWKS fetch and task registration reach non-loopback hosts (default: refused). */
  readonly allowNetwork?: boolean;
}

interface ComputedBase {
  readonly callsite: string;
  readonly title: string;
  readonly authMode: CodexAuth['mode'];
  readonly authSource: string;
}

/** Raw (unredacted) result: keep it in memory only; print it through `presentRequest`. */
export type ComputedRequest =
  | (ComputedBase & { readonly outcome: 'refused'; readonly reason: string })
  | (ComputedBase & {
      readonly outcome: 'send';
      readonly method: string;
      readonly url: string;
      /** Lower-case header names: the auth headers the provider set, plus content-type for a JSON body. */
      readonly headers: Readonly<Record<string, string>>;
      /** The JSON body the callsite sends (no secrets), when it has one. */
      readonly body?: unknown;
      readonly agent?: { readonly runtimeId: string; readonly taskId: string; readonly taskRegistered: boolean };
      /** Managed ChatGPT tokens the reference would refresh before sending. */
      readonly staleTokens: boolean;
    });

export async function computeRequest(opts: ComputeRequestOptions): Promise<ComputedRequest> {
  // The refusal is kept: the callers of fetch wrap its errors (JWKS_UNAVAILABLE, ...), and the
  // user must see that nothing was sent, and why.
  let refusal: unknown;
  const inner = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const guarded = guardedFetch({ allowNetwork: opts.allowNetwork === true }, `request ${opts.callsiteId}`, inner);
  const fetchFn: typeof fetch = (input, init) => {
    try {
      return guarded(input, init);
    } catch (e) {
      refusal = e;
      return Promise.reject(e);
    }
  };
  try {
    return await computeRequestWith(opts, fetchFn);
  } catch (e) {
    throw refusal ?? e;
  }
}

async function computeRequestWith(opts: ComputeRequestOptions, fetchFn: typeof fetch): Promise<ComputedRequest> {
  const callsite = callsiteById(opts.callsiteId);
  const now = opts.now ?? (() => new Date());
  const givenJwks = opts.jwks;
  const manager = new AuthManager({
    codexHome: opts.codexHome,
    env: opts.env,
    ...(opts.chatgptBaseUrl !== undefined && { chatgptBaseUrl: opts.chatgptBaseUrl }),
    ...(opts.hostTokens !== undefined && { hostTokens: opts.hostTokens }),
    fetch: fetchFn,
    now,
    verifyAgentIdentity: (jwt, context) =>
      verifyAgentIdentityJwt(jwt, {
        jwks: givenJwks ?? jwksFetcher(agentJwksUrl(context.chatgptBaseUrl ?? DEFAULT_CHATGPT_BASE_URL, opts.env), fetchFn),
        now: now(),
      }),
    registerAgentTask: (args) => registerAgentTask(args),
  });
  const auth = await manager.auth();
  const base: ComputedBase = { callsite: callsite.id, title: callsite.title, authMode: auth.mode, authSource: await manager.source() };
  // The same gate context invokeCallsite gives: the profile (API-key model discovery) and openai_base_url.
  const decision = callsite.gate(auth, { appsEnabled: opts.appsEnabled === true, openaiBaseUrl: opts.openaiBaseUrl, profile: DEFAULT_CLIENT_PROFILE });
  if (!decision.allowed) return { ...base, outcome: 'refused', reason: decision.reason };

  const url = callsiteUrl(callsite, auth, opts);
  let agent: { runtimeId: string; taskId: string; taskRegistered: boolean } | undefined;
  if (auth.mode === 'agentIdentity') {
    const taskId = opts.taskId ?? (await manager.agentTaskId());
    agent = { runtimeId: auth.claims.agentRuntimeId, taskId, taskRegistered: opts.taskId === undefined };
  }
  const provider = authProviderFor(auth, { ...(agent !== undefined && { taskId: agent.taskId }), now });
  const headers = new Headers();
  provider.applyHeaders(headers);
  if (callsite.body !== undefined) headers.set('content-type', 'application/json');
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return {
    ...base,
    outcome: 'send',
    method: callsite.method,
    url,
    headers: record,
    ...(callsite.body !== undefined && { body: callsite.body }),
    ...(agent !== undefined && { agent }),
    staleTokens: isStaleForProactiveRefresh(auth, now()),
  };
}

/** The callsite's URL from the configured bases, as invokeCallsite builds it. */
function callsiteUrl(callsite: Callsite, auth: CodexAuth, opts: ComputeRequestOptions): string {
  if (callsite.url !== undefined) {
    return callsite.url({ chatgptBaseUrl: opts.chatgptBaseUrl, openaiBaseUrl: opts.openaiBaseUrl }, auth, DEFAULT_CLIENT_PROFILE);
  }
  return backendUrl(opts.chatgptBaseUrl ?? DEFAULT_CHATGPT_BASE_URL, callsite);
}

const SECRET_HEADERS: ReadonlySet<string> = new Set(['authorization']);

/** The printable form: credentials fingerprinted (scheme kept) unless `showSecrets`. */
export function presentRequest(computed: ComputedRequest, showSecrets: boolean): ComputedRequest & { readonly secretsShown: boolean } {
  if (computed.outcome === 'refused' || showSecrets) return { ...computed, secretsShown: showSecrets };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(computed.headers)) {
    headers[name] = SECRET_HEADERS.has(name) ? redactAuthorization(value) : value;
  }
  return { ...computed, headers, secretsShown: false };
}

export const requestCommand: Command = {
  name: 'request',
  summary: 'Show what the reference implementation sends for a callsite (or why it refuses); sends nothing.',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        list: { type: 'boolean' },
        'codex-home': { type: 'string' },
        'chatgpt-base-url': { type: 'string' },
        'openai-base-url': { type: 'string' },
        jwks: { type: 'string' },
        'task-id': { type: 'string' },
        'host-tokens': { type: 'string' },
        'apps-enabled': { type: 'boolean' },
        'allow-network': { type: 'boolean' },
        'show-secrets': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      usage,
      { min: 0, max: 1 },
    );
    if (values.list) {
      if (positionals.length > 0) throw new ConformanceInputError('USAGE', '--list takes no callsite.', `usage: ${usage}`);
      listCallsites(values.json === true, io.out);
      return 0;
    }
    const callsiteId = positionals[0];
    if (callsiteId === undefined) {
      throw new ConformanceInputError('USAGE', 'no callsite given.', `name one (request --list shows them). usage: ${usage}`);
    }
    const home = values['codex-home'] ?? io.env['CODEX_HOME'];
    if (home === undefined || home === '') {
      throw new ConformanceInputError('USAGE', '--codex-home is missing (and CODEX_HOME is unset).', `pass --codex-home DIR. usage: ${usage}`);
    }
    const taskId = values['task-id'];
    if (taskId !== undefined && !/^[\x21-\x7e]+$/.test(taskId)) {
      throw new ConformanceInputError('USAGE', '--task-id must be non-empty visible ASCII.', 'pass the task id the backend issued.');
    }
    if (!CALLSITES.some((c) => c.id === callsiteId)) {
      throw new ConformanceInputError('UNKNOWN_CALLSITE', `no callsite is named ${JSON.stringify(callsiteId.slice(0, 80))}.`, `use one of ${CALLSITES.map((c) => c.id).join(', ')} (request --list).`);
    }
    const codexHome = resolve(io.cwd, home);
    const config = await readCodexConfig(codexHome);
    const chatgptBaseUrl = values['chatgpt-base-url'] ?? config.chatgptBaseUrl;
    const openaiBaseUrl = values['openai-base-url'] ?? config.openaiBaseUrl;
    for (const [flag, url] of [['chatgpt-base-url', chatgptBaseUrl], ['openai-base-url', openaiBaseUrl]] as const) {
      if (url !== undefined && !isHttpUrl(url)) {
        const from = values[flag] !== undefined ? `--${flag}` : `${flag.replace(/-/g, '_')} in ${config.file}`;
        throw new ConformanceInputError('BAD_URL', `${from} ${JSON.stringify(url.slice(0, 200))} is not an absolute http(s) URL.`, 'pass e.g. http://127.0.0.1:4010/backend-api/ (the chatgptBaseUrl `serve` printed).');
      }
    }
    const jwks = values.jwks !== undefined ? await readJwksFile(resolve(io.cwd, values.jwks)) : undefined;
    const hostTokens = values['host-tokens'] !== undefined ? await readHostTokensFile(resolve(io.cwd, values['host-tokens'])) : undefined;
    if (stopAfterValidation(io)) return 0;
    const computed = await computeRequest({
      callsiteId,
      codexHome,
      env: io.env,
      allowNetwork: values['allow-network'] === true,
      ...(chatgptBaseUrl !== undefined && { chatgptBaseUrl }),
      ...(openaiBaseUrl !== undefined && { openaiBaseUrl }),
      ...(jwks !== undefined && { jwks }),
      ...(hostTokens !== undefined && { hostTokens }),
      ...(taskId !== undefined && { taskId }),
      appsEnabled: values['apps-enabled'] === true,
    });
    const shown = presentRequest(computed, values['show-secrets'] === true);
    const bases = {
      chatgptBaseUrl: chatgptBaseUrl ?? DEFAULT_CHATGPT_BASE_URL,
      chatgptBaseUrlFrom: values['chatgpt-base-url'] !== undefined ? '--chatgpt-base-url' : config.chatgptBaseUrl !== undefined ? (config.profile !== undefined ? `${config.file} (profile ${config.profile})` : config.file!) : 'default',
    };
    if (values.json) io.out(JSON.stringify({ ...shown, ...bases }, null, 2));
    else {
      printRequest(shown, io.out);
      io.out(`note      chatgpt_base_url ${bases.chatgptBaseUrl} from ${bases.chatgptBaseUrlFrom}`);
    }
    return 0;
  },
};

function listCallsites(json: boolean, out: (line: string) => void): void {
  const rows = CALLSITES.map((c) => ({ id: c.id, method: c.method, wham: c.path('wham'), codexApi: c.path('codexApi'), title: c.title, source: c.source }));
  if (json) {
    out(JSON.stringify(rows, null, 2));
    return;
  }
  const width = Math.max(...rows.map((r) => r.id.length));
  const pathWidth = Math.max(...rows.map((r) => r.wham.length));
  for (const r of rows) out(`${r.id.padEnd(width)}  ${r.method.padEnd(4)} ${r.wham.padEnd(pathWidth)}  ${r.title}`);
}

function printRequest(shown: ComputedRequest & { readonly secretsShown: boolean }, out: (line: string) => void): void {
  out(`callsite  ${shown.callsite} (${shown.title})`);
  out(`auth      ${shown.authMode} from ${shown.authSource}`);
  if (shown.outcome === 'refused') {
    out(`refused   ${shown.reason}`);
    out('note      the gate refused before any header was built; nothing would be sent');
    return;
  }
  out(`request   ${shown.method} ${shown.url}`);
  for (const [name, value] of Object.entries(shown.headers)) out(`header    ${name}: ${value}`);
  if (shown.body !== undefined) out(`body      ${JSON.stringify(shown.body)}`);
  if (shown.agent !== undefined) {
    out(`agent     runtime ${shown.agent.runtimeId}, task ${shown.agent.taskId} (${shown.agent.taskRegistered ? 'registered now' : 'given with --task-id'})`);
  }
  if (shown.staleTokens) out('note      the ChatGPT tokens are stale: the reference would refresh them before sending (not done here)');
  out(`note      computed, not sent${shown.secretsShown ? '; SECRETS SHOWN' : '; credentials shown as fingerprints (--show-secrets shows them)'}`);
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

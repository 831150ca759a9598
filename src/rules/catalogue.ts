/**
 * The rule catalogue: every behaviour the harness judges, with a stable id, a level, the contract
 * profiles it belongs to (src/rules/profiles.ts) and the openai/codex source it is read from,
 * pinned to the profile's commit or release. Ids never change meaning once published: a rule
 * whose meaning changes gets a new id, and the old id stays in the older profile. An id the
 * source never stated is withdrawn (kept, in no profile, with the reason and its replacement).
 *
 * Rules whose statement names a derivation ("the apps URL derived from the configured base",
 * "a permanent refresh failure") take that derivation from the profile's own source-pinned table
 * in src/rules/contract/ (never from the reference client): the statement keeps its meaning while
 * the table is versioned data.
 *
 * Refs: `5882f3f9` is the squash-merge of PR #18811 (2026-04-23; first released in 0.125.0);
 * `rust-v0.171.0` is the newest published release (read from the source at upstream 50ea8fd4 and
 * the index versions whose literals are in the 0.171.0 binary). How each was established, with
 * quotes: docs/contract-sources.md.
 */
import { PROFILES, type ProfileId } from './profiles.js';
import type { Rule, RuleArea, RuleLevel, SourceRef, Withdrawal } from './rule.js';

const PR = '5882f3f9';
const R171 = 'rust-v0.171.0';

/** Paths in openai/codex (codex-rs/...). */
const P = {
  bearer: 'codex-rs/model-provider/src/bearer_auth_provider.rs',
  providerAuth: 'codex-rs/model-provider/src/auth.rs',
  manager: 'codex-rs/login/src/auth/manager.rs',
  storage: 'codex-rs/login/src/auth/storage.rs',
  agentLib: 'codex-rs/agent-identity/src/lib.rs',
  agentLogin: 'codex-rs/login/src/auth/agent_identity.rs',
  backendClient: 'codex-rs/backend-client/src/client.rs',
  mcpMod: 'codex-rs/codex-mcp/src/mcp/mod.rs',
  mcpConnections: 'codex-rs/codex-mcp/src/mcp_connection_manager.rs',
  mcpStartup: 'codex-rs/codex-mcp/src/connection_manager/startup.rs',
  connectorRuntime: 'codex-rs/connectors/src/connector_runtime/mod.rs',
  connectorPersistence: 'codex-rs/connectors/src/connector_runtime/persistence.rs',
  files: 'codex-rs/codex-api/src/files.rs',
  cloudRequirements: 'codex-rs/cloud-requirements/src/lib.rs',
  modelsEndpoint: 'codex-rs/model-provider/src/models_endpoint.rs',
  modelsManager: 'codex-rs/models-manager/src/manager.rs',
  modelProviderInfo: 'codex-rs/model-provider-info/src/lib.rs',
  protocolAuth: 'codex-rs/protocol/src/auth.rs',
  pat: 'codex-rs/login/src/auth/personal_access_token.rs',
  accessToken: 'codex-rs/login/src/auth/access_token.rs',
  pluginSync: 'codex-rs/core-plugins/src/startup_sync.rs',
  remoteControlEnroll: 'codex-rs/app-server/src/transport/remote_control/enroll.rs',
  workspaceRouting: 'codex-rs/model-provider/src/workspace_routing.rs',
  accountRouting: 'codex-rs/app-server/src/request_processors/account_processor/workspace_routing.rs',
  usagePoller: 'codex-rs/tui/src/chatwidget.rs',
  /** The TUI's start-up rate-limit prefetch (`requires_openai_auth && has_chatgpt_account`). */
  tuiApp: 'codex-rs/tui/src/app.rs',
  coreConfig: 'codex-rs/core/src/config/mod.rs',
} as const;

type PathKey = keyof typeof P;

/** One source with a note (what the rule rests on there). */
function src(path: PathKey, ref: string, note: string): SourceRef {
  return { path: P[path], ref, note };
}

/** Sources at the PR #18811 merge. */
function pr(...paths: PathKey[]): SourceRef[] {
  return paths.map((p) => ({ path: P[p], ref: PR }));
}
/** Sources at the 0.171.0 release. */
function r171(...paths: PathKey[]): SourceRef[] {
  return paths.map((p) => ({ path: P[p], ref: R171 }));
}

/**
 * The profiles a rule belongs to, as a span of the release-ordered PROFILES: from one profile up
 * to (not including) another. A profile added between two others joins every span that covers it.
 */
interface Span {
  readonly from: ProfileId;
  readonly until?: ProfileId;
}

function profilesOf(span: Span): readonly ProfileId[] {
  const ids = PROFILES.map((p) => p.id);
  const start = ids.indexOf(span.from);
  const end = span.until === undefined ? ids.length : ids.indexOf(span.until);
  return ids.slice(start, end);
}

const BOTH: Span = { from: 'pr18811' };
const PR_ONLY: Span = { from: 'pr18811', until: 'codex-0.171' };
const NEW_ONLY: Span = { from: 'codex-0.171' };

function render(sources: readonly SourceRef[]): string {
  return sources.map((s) => `${s.path}@${s.ref}`).join(', ');
}

function rule(id: string, level: RuleLevel, title: string, span: Span, sources: readonly SourceRef[]): Rule {
  const area = id.slice(0, id.indexOf('.')) as RuleArea;
  return { id, level, area, title, profiles: profilesOf(span), sources, source: render(sources) };
}

function withdrawn(id: string, level: RuleLevel, title: string, sources: readonly SourceRef[], why: Withdrawal): Rule {
  const area = id.slice(0, id.indexOf('.')) as RuleArea;
  return { id, level, area, title, profiles: [], sources, source: render(sources), withdrawn: why };
}

export const RULES: readonly Rule[] = [
  // HDR: the header set each auth mode sends.
  rule('HDR.BEARER.001', 'MUST', 'apiKey, chatgpt and chatgptAuthTokens send `Authorization: Bearer <token>` with the mode\'s own token', BOTH, [...pr('bearer', 'providerAuth'), ...r171('bearer', 'providerAuth')]),
  rule('HDR.BEARER.002', 'MUST', 'API-key requests carry neither ChatGPT-Account-ID nor X-OpenAI-Fedramp', BOTH, [...pr('providerAuth', 'bearer'), ...r171('providerAuth', 'bearer')]),
  rule('HDR.ACCOUNT.001', 'MUST', 'ChatGPT-Account-ID equals the auth\'s account id whenever the auth has one', BOTH, [...pr('bearer', 'manager'), ...r171('bearer', 'manager')]),
  rule('HDR.ACCOUNT.002', 'MUST', 'ChatGPT-Account-ID is absent (never empty, never a placeholder such as "undefined" or "null") when the auth has no account id', BOTH, [...pr('bearer'), ...r171('bearer')]),
  rule('HDR.FEDRAMP.001', 'MUST', 'X-OpenAI-Fedramp is sent exactly for FedRAMP accounts', BOTH, [...pr('bearer', 'manager'), ...r171('bearer', 'manager')]),
  rule('HDR.FEDRAMP.002', 'MUST', 'X-OpenAI-Fedramp, when sent, is the literal "true" (never "false")', BOTH, [...pr('bearer'), ...r171('bearer')]),
  rule('HDR.AGENT.001', 'MUST', 'agentIdentity sends `Authorization: AgentAssertion <assertion>` and never a Bearer token', BOTH, [...pr('agentLib', 'providerAuth'), ...r171('agentLib', 'providerAuth')]),
  rule('HDR.AGENT.002', 'MUST', 'agentIdentity takes ChatGPT-Account-ID and X-OpenAI-Fedramp from the agent identity itself (the auth.json record at PR #18811, the verified JWT claims later)', BOTH, [...pr('agentLogin', 'providerAuth'), ...r171('agentLogin', 'providerAuth')]),
  rule('HDR.AUTH.001', 'MUST', 'a request carries exactly one credential: the provider\'s authorization header and no other credential header (no second Authorization, no AgentAssertion or API-key header beside it); Headers-mode maps are the caller\'s and judged by HDR.HEADERS.001', BOTH, [...pr('bearer'), ...r171('bearer', 'providerAuth')]),
  rule('HDR.BACKEND.001', 'MUST', 'every request to an authenticated codex-backend endpoint carries an authorization header (the public curated-plugins export and the optionally authenticated featured-plugins list are not such endpoints)', BOTH, [...pr('backendClient', 'bearer', 'pluginSync'), ...r171('backendClient', 'bearer', 'pluginSync')]),
  rule('HDR.APPS.001', 'SHOULD', 'Codex Apps MCP requests carry the codex-backend auth headers (or Bearer CODEX_CONNECTORS_TOKEN when that override is set)', PR_ONLY, pr('mcpMod')),
  rule('HDR.APPS.002', 'MUST', 'Codex Apps MCP on a trusted origin (https://chatgpt.com, or an https chatgpt-staging.com origin equal to the configured base) carries the mode\'s codex-backend auth headers', NEW_ONLY, r171('mcpMod', 'mcpStartup')),
  rule('HDR.APPS.003', 'MUST', 'ChatGPT credentials (Authorization, ChatGPT-Account-ID, X-OpenAI-Fedramp) never go to a Codex Apps MCP server on an untrusted origin', NEW_ONLY, r171('mcpMod', 'mcpStartup')),
  rule('HDR.PAT.001', 'MUST', 'personalAccessToken sends `Authorization: Bearer <PAT>` with ChatGPT-Account-ID and X-OpenAI-Fedramp from the whoami answer', NEW_ONLY, r171('pat', 'bearer', 'providerAuth')),
  rule('HDR.HEADERS.001', 'MUST', 'headers auth sends the caller-supplied header map verbatim and adds no credential of its own', NEW_ONLY, r171('providerAuth', 'manager')),
  // Bug classes the corpus found uncovered (issue 19; ../shared/reference/auth-bug-corpus.md B1, D2).
  rule('HDR.UNIQUE.001', 'MUST', 'Authorization, ChatGPT-Account-ID and X-OpenAI-Fedramp each appear at most once on a request: one header line, one value (PR #29893: remote-control enrollment appended a second ChatGPT-Account-ID after the auth headers)', NEW_ONLY, r171('bearer', 'remoteControlEnroll')),
  rule('HDR.PROVIDER.001', 'MUST', 'a model provider that neither requires OpenAI auth nor configures auth of its own (env_key, experimental_bearer_token, an auth command) receives none of the login\'s credentials: no Authorization, ChatGPT-Account-ID or X-OpenAI-Fedramp from ChatGPT, API-key or Headers auth (PR #39214)', NEW_ONLY, r171('providerAuth', 'modelProviderInfo')),

  // GATE: which auth may reach which callsite.
  rule('GATE.APIKEY.001', 'MUST', 'every codex-backend-only callsite refuses API-key auth without sending any request', BOTH, [...pr('manager', 'backendClient'), ...r171('protocolAuth', 'backendClient')]),
  rule('GATE.APIKEY.002', 'MUST', 'no API key is ever sent to the ChatGPT backend', PR_ONLY, pr('manager', 'providerAuth')),
  rule('GATE.APIKEY.003', 'MUST', 'an API key reaches the ChatGPT backend only as API-key model discovery: GET https://chatgpt.com/backend-api/codex/models with the built-in provider and no openai_base_url', NEW_ONLY, r171('modelsEndpoint', 'modelsManager', 'protocolAuth')),
  rule('GATE.UPLOAD.001', 'MUST', 'file upload rejects non-codex-backend auth before it applies any header or sends any request', BOTH, [{ path: 'codex-rs/core/src/mcp_openai_file.rs', ref: PR, note: 'the caller gates; codex-api files.rs only takes the provider' }, ...r171('files', 'protocolAuth')]),
  rule('GATE.APPS.001', 'MUST', 'Codex Apps is enabled exactly when apps are enabled and the auth uses the codex backend (agent identity included)', BOTH, [...pr('mcpMod'), ...r171('mcpMod', 'protocolAuth')]),
  rule('GATE.PLAN.001', 'MUST', 'cloud requirements are fetched only for codex-backend auth on Business-like (business, enterprise_cbp_usage_based, later ent26 and enterprise_cbp_automation) and Enterprise plans; other plans send no request', BOTH, [...pr('cloudRequirements'), ...r171('cloudRequirements', 'protocolAuth')]),
  rule('GATE.AGENT.001', 'MUST', 'codex-backend callsites admit agentIdentity auth (gate on uses_codex_backend, not is_chatgpt_auth)', BOTH, [...pr('manager', 'mcpMod'), ...r171('protocolAuth', 'mcpMod')]),
  rule('GATE.BACKEND.001', 'MUST', 'codex-backend callsites admit personalAccessToken and headers auth (both use the codex backend)', NEW_ONLY, r171('protocolAuth', 'manager')),
  rule('GATE.WORKSPACE.001', 'MUST', 'with forced_chatgpt_workspace_id set, credentials of another workspace or of none (a ChatGPT login, host tokens, a personal access token by its whoami workspace, a Headers map by its chatgpt-account-id) are refused before any codex-backend or model request (PRs #27450, #39322)', NEW_ONLY, r171('manager', 'pat')),
  rule('GATE.USAGE.001', 'MUST', 'rate-limit polling (GET {base}/wham/usage) runs only when the active model provider requires OpenAI auth (and the auth has a ChatGPT account): with a custom provider that does not, no usage request is sent (PR #10973)', BOTH, [...pr('usagePoller'), ...r171('usagePoller', 'tuiApp')]),
  rule('GATE.BEDROCK.001', 'MUST', 'Bedrock auth is refused by every codex-backend callsite and by the OpenAI provider, before any request', NEW_ONLY, r171('protocolAuth', 'providerAuth')),

  // CACHE: the Codex Apps tools cache.
  rule('CACHE.KEY.001', 'MUST', 'the apps tools cache key is {account_id, chatgpt_user_id, is_workspace_account} from the generic getters, for every codex-backend mode', BOTH, [...pr('mcpConnections', 'manager'), ...r171('connectorRuntime', 'manager')]),
  rule('CACHE.KEY.002', 'MUST', 'two identities that differ in any key component never share a cache key or disk file', BOTH, [...pr('mcpConnections'), ...r171('connectorRuntime', 'connectorPersistence')]),
  rule('CACHE.SWITCH.001', 'MUST', 'after an auth switch the in-memory cache never serves the previous identity\'s tools', BOTH, [...pr('mcpConnections'), ...r171('connectorRuntime', 'mcpStartup')]),
  rule('CACHE.SWITCH.002', 'MUST', 'after an auth switch the disk cache never serves the previous identity\'s tools', BOTH, [...pr('mcpConnections'), ...r171('connectorPersistence')]),
  // mutcache (issue 20): the disk cache file as found in the wild.
  rule('CACHE.DISK.001', 'MUST', 'a disk cache file that is not `{schema_version, tools: [...]}` (not JSON, not an object, null, no tools array) or carries another schema_version is no cache: the identity\'s tools are listed from the server, never the file\'s content, and the listing does not fail', BOTH, [...pr('mcpConnections'), ...r171('connectorPersistence')]),

  // URL: where requests go.
  rule('URL.NORM.001', 'MUST', 'trailing slashes of the configured base are trimmed (and a bare chatgpt.com gets /backend-api) before paths are appended; the agent-identity authapi base also strips a bare /codex and the remote-control suffixes', PR_ONLY, pr('agentLib', 'backendClient')),
  rule('URL.NORM.002', 'MUST', 'trailing slashes of the configured base are trimmed (and a bare chatgpt.com or chat.openai.com gets /backend-api) before paths are appended', NEW_ONLY, r171('backendClient', 'mcpMod')),
  rule('URL.STYLE.001', 'MUST', 'a base containing /backend-api uses /wham/... paths; any other base uses /api/codex/... paths', BOTH, [...pr('backendClient'), ...r171('backendClient')]),
  rule('URL.PATH.001', 'MUST', 'each callsite requests its own method and path under the base', BOTH, [...pr('backendClient'), ...r171('backendClient')]),
  rule('URL.BASE.001', 'MUST', 'every backend-client, ChatGPT-client and Codex Apps request goes to the configured ChatGPT base URL\'s origin and prefix (model traffic has URL.MODEL.001)', BOTH, [...pr('backendClient', 'manager'), ...r171('backendClient', 'manager')]),
  withdrawn('URL.BASE.002', 'MUST', 'no request goes to the default host (chatgpt.com) when another base URL is configured', pr('manager', 'agentLogin'), {
    reason: 'Model traffic goes to the constant https://chatgpt.com/backend-api/codex unless openai_base_url is set, and the curated-plugins export to a constant URL, whatever chatgpt_base_url says (codex-rs/model-provider-info/src/lib.rs `to_api_provider`, codex-rs/core-plugins/src/startup_sync.rs), in every release.',
    replacedBy: ['URL.BASE.003'],
  }),
  rule('URL.BASE.003', 'MUST', 'with another ChatGPT base configured, no request goes to a production host except what the source sends to a constant host by design (model traffic without openai_base_url, the curated-plugins export, API-key model discovery, the OAuth token endpoint without its override)', BOTH, [...pr('modelProviderInfo', 'pluginSync', 'manager'), ...r171('modelProviderInfo', 'modelsEndpoint', 'pluginSync', 'manager')]),
  withdrawn('URL.AGENT.001', 'MUST', 'task registration goes to the authapi base derived from the configured ChatGPT base (env override first; loopback bases map to the normalized base)', pr('agentLogin', 'agentLib'), {
    reason: 'No release carries that derivation: at PR #18811 registration goes to the normalized ChatGPT base itself with no override; the staging/loopback/gateway derivation was only in the reviewed head of PR #19635, and released versions use https://auth.openai.com/api/accounts (0.128.0 on) and the exact production/staging environment map (0.142.0 on).',
    replacedBy: ['URL.AGENT.005', 'URL.AGENT.003'],
  }),
  rule('URL.AGENT.002', 'MUST', 'the agent identity JWKS is fetched from the JWKS URL derived from the configured ChatGPT base (or CODEX_AGENT_IDENTITY_JWKS_BASE_URL)', NEW_ONLY, r171('agentLib', 'agentLogin')),
  rule('URL.AGENT.003', 'MUST', 'task registration goes to the authapi of the configured ChatGPT environment (production https://auth.openai.com/api/accounts, staging https://auth.api.openai.org/api/accounts; CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL as the source allows)', NEW_ONLY, r171('agentLib', 'agentLogin')),
  rule('URL.AGENT.004', 'MUST', 'agent identity with a ChatGPT base outside production and staging (and no authapi override the source accepts) registers no task and sends no AgentAssertion', NEW_ONLY, r171('agentLib', 'agentLogin')),
  rule('URL.AGENT.005', 'MUST', 'task registration goes to {normalized ChatGPT base}/v1/agent/{agent_runtime_id}/task/register (no authapi host, no override)', PR_ONLY, pr('agentLogin', 'agentLib')),
  rule('URL.MODEL.001', 'MUST', 'model traffic (responses, models) goes to openai_base_url when it is configured, else to https://chatgpt.com/backend-api/codex for codex-backend auth and https://api.openai.com/v1 for API keys; never to chatgpt_base_url', BOTH, [...pr('modelProviderInfo', 'modelsManager'), ...r171('modelProviderInfo', 'modelsEndpoint')]),
  rule('URL.APIKEY.001', 'MUST', 'API-key traffic goes to the configured OpenAI base URL', PR_ONLY, pr('providerAuth', 'modelProviderInfo')),
  rule('URL.APIKEY.002', 'MUST', 'API-key inference goes to the configured OpenAI base URL; the model catalogue goes there too, except API-key model discovery, which asks the constant https://chatgpt.com/backend-api/codex', NEW_ONLY, r171('providerAuth', 'modelsEndpoint', 'modelProviderInfo')),
  rule('URL.ROUTING.001', 'MUST', 'workspace routing discovery (GET {base}/wham/accounts/check, 0.156.0 on) is sent only for ChatGPT-account auth (chatgpt, chatgptAuthTokens, personalAccessToken) and carries that auth\'s Bearer token and its own ChatGPT-Account-ID', NEW_ONLY, r171('backendClient', 'workspaceRouting', 'accountRouting')),
  rule('URL.ROUTING.002', 'MUST', 'where discovery runs, no model request (HTTP or WebSocket Responses) is sent before a discovery answer that lists the selected account exactly once: with the selected workspace missing (or listed twice) the client stops', NEW_ONLY, r171('workspaceRouting', 'accountRouting')),
  rule('URL.ENVBASE.001', 'MUST', 'OPENAI_BASE_URL, while the release reads it (deprecated by PR #12031, with a warning), is followed as openai_base_url is when that key is not configured: model traffic goes there, never silently to the default base (corpus C3); 0.171.0 no longer reads the variable', PR_ONLY, pr('coreConfig')),
  rule('URL.APPS.001', 'MUST', 'Codex Apps MCP requests go to the apps URL derived from the configured ChatGPT base (/wham/apps at PR #18811, /ps/mcp from 0.145.0)', BOTH, [...pr('mcpMod'), ...r171('mcpMod')]),

  // AGENT: AgentAssertion, task registration, identity JWT.
  rule('AGENT.ASSERT.001', 'MUST', 'the assertion is base64url without padding of a JSON object', BOTH, [...pr('agentLib'), ...r171('agentLib')]),
  rule('AGENT.ASSERT.002', 'MUST', 'the assertion JSON has exactly the keys agent_runtime_id, signature, task_id, timestamp in sorted order, all strings', BOTH, [...pr('agentLib'), ...r171('agentLib')]),
  rule('AGENT.ASSERT.003', 'MUST', 'signature is standard base64 of Ed25519 over "{agent_runtime_id}:{task_id}:{timestamp}" by the identity key', BOTH, [...pr('agentLib'), ...r171('agentLib')]),
  rule('AGENT.ASSERT.004', 'MUST', 'timestamp is RFC 3339 UTC to the second with a Z suffix', BOTH, [...pr('agentLib'), ...r171('agentLib')]),
  rule('AGENT.ASSERT.005', 'MUST', 'task_id was issued to that agent runtime by task registration', BOTH, [...pr('agentLib', 'agentLogin'), ...r171('agentLib', 'agentLogin')]),
  rule('AGENT.ASSERT.006', 'MUST', 'agent_runtime_id is the runtime id of the identity in use', BOTH, [...pr('agentLib'), ...r171('agentLib')]),
  withdrawn('AGENT.TASK.001', 'MUST', 'a process registers at most one task per agent runtime', pr('agentLogin'), {
    reason: 'The source never registers once per process: the task id is cached per loaded auth value (a per-value once-cell at PR #18811, a field of the record later), and every load (each AuthManager, each reload) registers again; 0.171.0 registers four times in one `exec` by design.',
    replacedBy: ['AGENT.TASK.004', 'AGENT.TASK.005'],
  }),
  rule('AGENT.TASK.002', 'MUST', 'task registration is a POST of JSON {timestamp, signature} with signature = standard base64 Ed25519 over "{agent_runtime_id}:{timestamp}"', BOTH, [...pr('agentLib'), ...r171('agentLib')]),
  rule('AGENT.TASK.003', 'MUST', 'task registration completes before the first AgentAssertion request', BOTH, [...pr('agentLogin', 'manager'), ...r171('agentLogin')]),
  rule('AGENT.TASK.004', 'MUST', 'a task registration is retried only after a retryable failure (429, 5xx or a transport error), with at most the source\'s attempts per load (1 at PR #18811, 3 in 0.171.0)', BOTH, [...pr('agentLib'), ...r171('agentLogin', 'agentLib')]),
  rule('AGENT.TASK.005', 'MUST', 'a loaded agent identity registers its task once and reuses it: no second successful registration for one verification of the identity JWT (one JWKS fetch)', NEW_ONLY, r171('agentLogin')),
  // Issue 20 (helper "mutagent"): how a registration answer is read, and the retry after a transient failure.
  rule('AGENT.TASK.006', 'MUST', 'a task registration answer is read as the source reads it: from a 2xx JSON object, task_id, else taskId, else encrypted_task_id, else encryptedTaskId (null counts as absent; a sealed id is canonical standard base64, opened with the identity key, UTF-8), and the AgentAssertion requests of the call carry that task; an answer without a readable id (not JSON, no id, an id of another JSON type, a sealed id that is not canonical base64 or not UTF-8) fails the registration: no AgentAssertion request and no retry follow in that call', BOTH, [...pr('agentLib'), ...r171('agentLib', 'agentLogin')]),
  rule('AGENT.TASK.007', 'MUST', 'a task registration answered 429 or 5xx is tried again within the same call, up to the source\'s 3 attempts (0.171.0 `retry_registration`)', NEW_ONLY, r171('agentLogin', 'agentLib')),
  rule('AGENT.JWT.001', 'MUST', 'an identity JWT that fails RS256 verification (kid in JWKS, iss, aud, signature) is refused: no AgentAssertion request is sent', NEW_ONLY, r171('agentLib', 'agentLogin')),
  rule('AGENT.JWT.002', 'MUST', 'the JWKS is fetched before the first AgentAssertion request', NEW_ONLY, r171('agentLogin', 'agentLib')),
  rule('AGENT.JWT.003', 'MUST', 'an identity JWT that decode_agent_identity_jwt accepts is used (AgentAssertion requests follow): exp up to jsonwebtoken\'s default 60 s leeway in the past, iat 0, claims the claims struct does not name, its kid on a JWKS key that is not the first', NEW_ONLY, r171('agentLib', 'agentLogin')),

  // SHARE: several processes (or sessions) sharing one login in CODEX_HOME/auth.json, judged by
  // refresh-token lineage (mocks/state/lineage.ts) and the auth.json each step left.
  rule('SHARE.RELOAD.001', 'MUST', 'before redeeming a refresh token the client re-reads auth.json: it never presents an older generation of its login than auth.json holds at that moment (it adopts the newer tokens instead). Out of scope by source: the second step of a 401 recovery whose first step (the reload) ran before auth.json changed, which redeems the cached token without a new reload', BOTH, [
    src('manager', PR, '`AuthManager::refresh_token` → `reload_if_account_id_matches`: ReloadedChanged skips the token request (PR #11802; proactive path guarded since PR #15357, 0.117.0)'),
    src('manager', R171, 'the same guarded reload ("Skipping token refresh because auth changed after guarded reload" in the 0.171.0 binary)'),
    src('manager', PR, '`UnauthorizedRecovery` RefreshToken step: `refresh_token_from_authority()` with no reload (manager.rs@343074d4 line 1819, @5882f3f9 line 1016), so a rotation between a request\'s two 401s is redeemed by design (check-share.ts `recoveriesOf`)'),
  ]),
  rule('SHARE.RELOAD.002', 'MUST', 'when auth.json holds another account or no login, the client redeems none of its cached login\'s refresh tokens and leaves auth.json as it found it (neither deleted nor rewritten)', BOTH, [
    src('manager', PR, '`reload_if_account_id_matches` Skipped → permanent "…signed in to another account…" error, no network call (PR #11802); no logout or deletion on a permanent failure (PR #6231)'),
    src('manager', R171, 'same; the "another account" message and "Skipping auth reload due to account id mismatch" are in the 0.171.0 binary'),
  ]),
  rule('SHARE.RELOAD.003', 'MUST', 'after a 401, when auth.json holds newer tokens of the same account, the client retries with them and sends no token request', BOTH, [
    src('manager', PR, '`UnauthorizedRecovery` first step: reload if the account id matches, retry with the reloaded auth (PR #8880, 0.80.0)'),
    src('manager', R171, '`UnauthorizedRecovery` Reload step, unchanged'),
  ]),
  rule('SHARE.SINGLEFLIGHT.001', 'MUST', 'concurrent requests of one client session (one auth manager) that find the access token stale redeem its refresh token once and share the result', BOTH, [
    src('manager', PR, '`refresh_lock` held by `refresh_token` (PR #15798, a Semaphore(1) since PR #18403); a caller that waited finds the auth changed'),
    src('manager', R171, '`refresh_lock`, unchanged in kind'),
  ]),
  rule('SHARE.ADOPT.001', 'MUST', 'a long-lived process adopts a same-account login another process wrote at its next guarded reload: it never redeems the replaced login\'s refresh token, and its requests from then on carry the new login\'s token', BOTH, [
    src('manager', PR, 'no file watch ("External modifications to auth.json will NOT be observed until reload()"); the guarded reload installs a changed same-account auth (ReloadedChanged)'),
    src('manager', R171, 'same guarded reload'),
  ]),
  rule('SHARE.APPS.001', 'MUST', 'after a refresh, every later request of the process carries the new access token on every callsite, Codex Apps MCP included (never the token the refresh replaced)', NEW_ONLY, [
    src('providerAuth', R171, '`AuthManagerAuthProvider` resolves the auth per request (PR #31486, 2026-07-08: Apps MCP no longer keeps a static bearer snapshot)'),
    src('mcpMod', R171, 'Codex Apps MCP built on the auth-manager provider'),
  ]),
  rule('SHARE.RACE.001', 'SHOULD', 'of two processes that enter the refresh window together, one redeems the shared refresh token and the other adopts its tokens: no refresh token is presented twice', NEW_ONLY, [
    src('storage', R171, 'a credential commit lock (`auth.json.lock`, "Credentials changed before refresh commit." in the 0.171.0 binary); its scope is unread, hence SHOULD. Before it no cross-process lock existed (PR #23546 review; PR #24663 closed unmerged)'),
    src('manager', R171, 'guarded reload under the lock'),
  ]),
  rule('SHARE.WRITE.001', 'MUST', 'a writer of auth.json keeps the keys it does not own, as Codex reads them: OPENAI_API_KEY, auth_mode, agent_identity and the other top-level fields, and tokens.account_id of the same login', BOTH, [
    src('manager', PR, '`persist_tokens` reloads the store and replaces only the returned token fields and last_refresh'),
    src('storage', PR, '`AuthDotJson` (the keys Codex reads and writes)'),
    src('manager', R171, '`persist_tokens`, same'),
  ]),
  rule('SHARE.WRITE.002', 'MUST', 'a writer that redeemed a refresh token read from CODEX_HOME writes the rotated pair back: auth.json never ends a step holding a generation its own redemption spent', BOTH, [
    src('manager', PR, '`refresh_and_persist_chatgpt_token` persists every successful refresh'),
    src('manager', R171, 'same'),
  ]),
  rule('SHARE.WRITE.003', 'SHOULD', 'a writer never replaces the tokens in auth.json with an older generation of the same login', BOTH, [
    src('manager', PR, '`persist_tokens` writes only what it just minted (last writer wins, no compare: hence SHOULD)'),
    src('storage', R171, '"Credentials changed before refresh commit." (0.171.0 binary): a compare before the commit, scope unread'),
  ]),
  rule('SHARE.WRITE.004', 'MUST', 'every auth.json a writer leaves is whole JSON, with mode 0600 when the writer created it or it was 0600 before', BOTH, [
    src('storage', PR, '`FileAuthStorage::save`: whole `to_string_pretty` JSON, mode 0600 on create (truncate and rewrite in place: half-written states are not judged here)'),
    src('storage', R171, 'atomic credential replacement (0.171.0 binary literals; new inode observed)'),
  ]),

  // REFRESH: ChatGPT token refresh.
  rule('REFRESH.REQUEST.001', 'MUST', 'a refresh is POST {token URL} with JSON {client_id, grant_type: "refresh_token", refresh_token}', PR_ONLY, pr('manager')),
  rule('REFRESH.REQUEST.002', 'MUST', 'a refresh is POST {token URL} carrying client_id, grant_type=refresh_token and the refresh token, as JSON or RFC 6749 form encoding (production accepts both)', NEW_ONLY, r171('manager')),
  rule('REFRESH.REQUEST.003', 'SHOULD', 'the refresh body is JSON, as Codex sends it', NEW_ONLY, r171('manager')),
  rule('REFRESH.PROACTIVE.001', 'MUST', 'managed ChatGPT tokens are refreshed before the backend request when the access token JWT has expired (or, when it has no readable exp, when last_refresh is older than 8 days), and not otherwise', PR_ONLY, pr('manager')),
  rule('REFRESH.PROACTIVE.002', 'MUST', 'managed ChatGPT tokens are refreshed before the backend request when the access token JWT expires within 5 minutes (or, when it has no readable exp, when last_refresh is older than 8 days), and not otherwise', NEW_ONLY, r171('manager')),
  withdrawn('REFRESH.401.001', 'MUST', 'a 401 from the backend triggers one refresh and one retry for managed ChatGPT auth', pr('manager'), {
    reason: 'The source recovers from a 401 in steps, one per 401: first it reloads auth.json and retries, and only a further 401 makes it refresh and retry again; a single 401 therefore needs no refresh at all (UnauthorizedRecovery in codex-rs/login/src/auth/manager.rs).',
    replacedBy: ['REFRESH.401.003'],
  }),
  rule('REFRESH.401.002', 'MUST', 'only a 401 triggers the unauthorized recovery: another refusal (such as 403) is neither refreshed nor retried', BOTH, [...pr('manager'), ...r171('manager')]),
  rule('REFRESH.401.003', 'MUST', 'while the backend keeps answering 401 to managed ChatGPT auth, the client refreshes once and retries with the new token, with at most two retries (after a reload, then after the refresh)', BOTH, [...pr('manager'), ...r171('manager')]),
  rule('REFRESH.TOKEN.001', 'MUST', 'after a refresh the next backend request uses the new access token', BOTH, [...pr('manager'), ...r171('manager')]),
  rule('REFRESH.PERSIST.001', 'MUST', 'refreshed tokens and a new last_refresh are written back to auth.json', BOTH, [...pr('manager', 'storage'), ...r171('manager', 'storage')]),
  withdrawn('REFRESH.PERSIST.002', 'SHOULD', 'the auth.json rewrite is never observable half-written (write then rename) and keeps mode 0600', pr('storage'), {
    reason: 'The source truncates and rewrites auth.json in place (FileAuthStorage::save: truncate, write, mode 0600 on create) in every release up to 0.171.0; a write-then-rename version exists only in an unreleased index version.',
    replacedBy: ['REFRESH.PERSIST.003'],
  }),
  rule('REFRESH.PERSIST.003', 'MUST', 'the rewritten auth.json is whole JSON with mode 0600 and no stray file is left beside it', BOTH, [...pr('storage'), ...r171('storage')]),
  rule('REFRESH.PERSIST.004', 'MUST', 'the refresh rewrite keeps every auth.json field it does not own: OPENAI_API_KEY, auth_mode, tokens.account_id and agent_identity stay as they were (persist_tokens loads the stored auth.json and changes only tokens.id_token, access_token, refresh_token and last_refresh)', NEW_ONLY, r171('manager', 'storage')),
  rule('REFRESH.ERROR.001', 'MUST', 'refresh errors are classified: refresh_token_expired = expired, refresh_token_reused = reused, refresh_token_invalidated = revoked', BOTH, [...pr('manager'), ...r171('manager', 'protocolAuth')]),
  rule('REFRESH.ERROR.002', 'MUST', 'a permanent refresh failure (the profile\'s classes: a 401 at PR #18811) is not retried against the token endpoint for the same credentials', BOTH, [...pr('manager'), ...r171('manager')]),
  rule('REFRESH.ERROR.003', 'MUST', 'a 400 invalid_grant, and refresh_token_expired/_reused/_invalidated at any status, are permanent refresh failures too', NEW_ONLY, r171('manager')),
  rule('REFRESH.EXTERNAL.001', 'MUST', 'chatgptAuthTokens, apiKey and agentIdentity never call the OAuth token endpoint', BOTH, [...pr('manager'), ...r171('manager')]),
  rule('REFRESH.EXTERNAL.002', 'MUST', 'personalAccessToken, headers and Bedrock auth never call the OAuth token endpoint', NEW_ONLY, r171('manager', 'pat')),
];

const byId = new Map(RULES.map((r) => [r.id, r] as const));

/** The rule with this id, or undefined when the catalogue has none. */
export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}

/** The rules of one contract profile, in catalogue order (withdrawn rules belong to none). */
export function rulesInProfile(profile: ProfileId): readonly Rule[] {
  return RULES.filter((r) => r.profiles.includes(profile));
}

/** Rule ids of one profile. */
export function ruleIdsInProfile(profile: ProfileId): readonly string[] {
  return rulesInProfile(profile).map((r) => r.id);
}

/**
 * The first of several ids (successive statements of one behaviour) that belongs to the profile:
 * checkers name the verdict's rule with it (e.g. `pickRule(p, 'URL.NORM.002', 'URL.NORM.001')`),
 * so a profile added between two others takes whichever statement it keeps.
 */
export function pickRule(profile: ProfileId, ...ids: readonly string[]): string {
  const found = ids.find((id) => byId.get(id)?.profiles.includes(profile) === true);
  if (found === undefined) throw new TypeError(`pickRule: none of ${ids.join(', ')} belongs to profile ${profile}; list the id that does.`);
  return found;
}

/** Whether a rule belongs to a profile. */
export function inProfile(profile: ProfileId, id: string): boolean {
  return byId.get(id)?.profiles.includes(profile) === true;
}

/** The pattern every id follows: `AREA.TOPIC.NNN`. */
export const RULE_ID_PATTERN = /^(HDR|GATE|CACHE|URL|AGENT|REFRESH|SHARE)\.[A-Z0-9]+\.\d{3}$/;

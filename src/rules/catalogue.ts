/**
 * The rule catalogue: every behaviour the harness judges, with a stable id, a level and the
 * openai/codex path(s) the rule is taken from. Ids never change meaning once published; a rule
 * whose meaning changes gets a new id.
 *
 * Facts were checked against these sources (openai/codex, crates under codex-rs/):
 * - codex-rs/model-provider/src/bearer_auth_provider.rs: Bearer token, `ChatGPT-Account-ID` only
 *   when an account id is known, `X-OpenAI-Fedramp: true` only for FedRAMP accounts.
 * - codex-rs/model-provider/src/auth.rs: API-key providers carry no account id and no FedRAMP flag.
 * - codex-rs/login/src/auth/manager.rs: `uses_codex_backend` (Chatgpt, ChatgptAuthTokens,
 *   AgentIdentity), the generic getters, `TOKEN_REFRESH_INTERVAL` (8 days), the JSON refresh
 *   request, the error classification (`refresh_token_expired` / `_reused` / `_invalidated`),
 *   the cached permanent failure, and the 401 recovery (reload, then refresh; external tokens
 *   are refreshed by the host).
 * - codex-rs/login/src/auth/storage.rs: auth.json save (mode 0600, truncate-and-write).
 * - codex-rs/agent-identity/src/lib.rs: AgentAssertion envelope and signatures, task
 *   registration, JWKS URL, JWT validation (RS256, kid, iss, aud), base URL normalization.
 * - codex-rs/login/src/auth/agent_identity.rs: authapi base URL, once-per-process registration.
 * - codex-rs/backend-client/src/client.rs: path style from `/backend-api`.
 * - codex-rs/codex-mcp/src/mcp/mod.rs: apps gate `apps_enabled && uses_codex_backend`, apps URL.
 * - codex-rs/codex-mcp/src/codex_apps.rs: tools cache key from the generic getters, disk file
 *   named by a hash of the key.
 * - codex-rs/codex-mcp/src/connection_manager.rs: the Codex Apps (`/ps/mcp`) connection is given
 *   the CodexAuth provider; `CODEX_CONNECTORS_TOKEN` replaces it and bypasses the shared cache.
 * - codex-rs/codex-api/src/files.rs: file upload through the provider's headers.
 * - codex-rs/cloud-requirements/src/lib.rs: requirements fetched only for Business/Enterprise.
 */
import type { Rule, RuleArea, RuleLevel } from './rule.js';

const SRC = {
  bearer: 'codex-rs/model-provider/src/bearer_auth_provider.rs',
  providerAuth: 'codex-rs/model-provider/src/auth.rs',
  manager: 'codex-rs/login/src/auth/manager.rs',
  storage: 'codex-rs/login/src/auth/storage.rs',
  agentLib: 'codex-rs/agent-identity/src/lib.rs',
  agentLogin: 'codex-rs/login/src/auth/agent_identity.rs',
  backendClient: 'codex-rs/backend-client/src/client.rs',
  mcpMod: 'codex-rs/codex-mcp/src/mcp/mod.rs',
  appsCache: 'codex-rs/codex-mcp/src/codex_apps.rs',
  mcpConnections: 'codex-rs/codex-mcp/src/connection_manager.rs',
  files: 'codex-rs/codex-api/src/files.rs',
  cloudRequirements: 'codex-rs/cloud-requirements/src/lib.rs',
} as const;

function rule(id: string, level: RuleLevel, title: string, ...sources: string[]): Rule {
  const area = id.slice(0, id.indexOf('.')) as RuleArea;
  return { id, level, area, title, source: sources.join(', ') };
}

export const RULES: readonly Rule[] = [
  // HDR: the header set each auth mode sends.
  rule('HDR.BEARER.001', 'MUST', 'apiKey, chatgpt and chatgptAuthTokens send `Authorization: Bearer <token>` with the mode\'s own token', SRC.bearer, SRC.providerAuth),
  rule('HDR.BEARER.002', 'MUST', 'API-key requests carry neither ChatGPT-Account-ID nor X-OpenAI-Fedramp', SRC.providerAuth, SRC.bearer),
  rule('HDR.ACCOUNT.001', 'MUST', 'ChatGPT-Account-ID equals the auth\'s account id whenever the auth has one', SRC.bearer, SRC.manager),
  rule('HDR.ACCOUNT.002', 'MUST', 'ChatGPT-Account-ID is absent (never empty) when the auth has no account id', SRC.bearer),
  rule('HDR.FEDRAMP.001', 'MUST', 'X-OpenAI-Fedramp is sent exactly for FedRAMP accounts', SRC.bearer, SRC.manager),
  rule('HDR.FEDRAMP.002', 'MUST', 'X-OpenAI-Fedramp, when sent, is the literal "true" (never "false")', SRC.bearer),
  rule('HDR.AGENT.001', 'MUST', 'agentIdentity sends `Authorization: AgentAssertion <assertion>` and never a Bearer token', SRC.agentLib, SRC.manager),
  rule('HDR.AGENT.002', 'MUST', 'agentIdentity takes ChatGPT-Account-ID and X-OpenAI-Fedramp from the identity JWT claims', SRC.agentLogin, SRC.manager),
  rule('HDR.AUTH.001', 'MUST', 'a request carries exactly one credential: the provider\'s authorization header and no other auth header', SRC.bearer),
  rule('HDR.BACKEND.001', 'MUST', 'every request to a codex-backend endpoint carries an authorization header', SRC.backendClient, SRC.bearer),
  rule('HDR.APPS.001', 'SHOULD', 'Codex Apps MCP requests carry the codex-backend auth headers (or Bearer CODEX_CONNECTORS_TOKEN when that override is set)', SRC.mcpConnections, SRC.mcpMod),

  // GATE: which auth may reach which callsite.
  rule('GATE.APIKEY.001', 'MUST', 'every codex-backend-only callsite refuses API-key auth without sending any request', SRC.manager, SRC.backendClient),
  rule('GATE.APIKEY.002', 'MUST', 'no API key is ever sent to the ChatGPT backend', SRC.manager, SRC.providerAuth),
  rule('GATE.UPLOAD.001', 'MUST', 'file upload rejects non-codex-backend auth before it applies any header or sends any request', SRC.files, SRC.manager),
  rule('GATE.APPS.001', 'MUST', 'Codex Apps is enabled exactly when apps are enabled and the auth uses the codex backend (agent identity included)', SRC.mcpMod),
  rule('GATE.PLAN.001', 'MUST', 'cloud requirements are fetched only for Business and Enterprise plans; other plans send no request', SRC.cloudRequirements),
  rule('GATE.AGENT.001', 'MUST', 'codex-backend callsites admit agentIdentity auth (gate on uses_codex_backend, not is_chatgpt_auth)', SRC.manager, SRC.mcpMod),

  // CACHE: the Codex Apps tools cache.
  rule('CACHE.KEY.001', 'MUST', 'the apps tools cache key is {account_id, chatgpt_user_id, is_workspace_account} from the generic getters, for every codex-backend mode', SRC.appsCache, SRC.manager),
  rule('CACHE.KEY.002', 'MUST', 'two identities that differ in any key component never share a cache key or disk file', SRC.appsCache),
  rule('CACHE.SWITCH.001', 'MUST', 'after an auth switch the in-memory cache never serves the previous identity\'s tools', SRC.appsCache, SRC.mcpConnections),
  rule('CACHE.SWITCH.002', 'MUST', 'after an auth switch the disk cache never serves the previous identity\'s tools', SRC.appsCache),

  // URL: where requests go.
  rule('URL.NORM.001', 'MUST', 'trailing slashes of the configured base are trimmed (and a bare chatgpt.com gets /backend-api) before paths are appended; the agent-identity authapi base also strips a bare /codex and the remote-control suffixes', SRC.agentLib, SRC.backendClient),
  rule('URL.STYLE.001', 'MUST', 'a base containing /backend-api uses /wham/... paths; any other base uses /api/codex/... paths', SRC.backendClient),
  rule('URL.PATH.001', 'MUST', 'each callsite requests its own method and path under the base', SRC.backendClient),
  rule('URL.BASE.001', 'MUST', 'every ChatGPT-backend request goes to the configured base URL\'s origin and prefix', SRC.backendClient, SRC.manager),
  rule('URL.BASE.002', 'MUST', 'no request goes to the default host (chatgpt.com) when another base URL is configured', SRC.manager, SRC.agentLogin),
  rule('URL.AGENT.001', 'MUST', 'task registration goes to the authapi base derived from the configured ChatGPT base (env override first; loopback bases map to the normalized base)', SRC.agentLogin, SRC.agentLib),
  rule('URL.AGENT.002', 'MUST', 'the agent identity JWKS is fetched from the configured ChatGPT base', SRC.agentLib, SRC.manager),
  rule('URL.APIKEY.001', 'MUST', 'API-key traffic goes to the configured OpenAI base URL', SRC.providerAuth),
  rule('URL.APPS.001', 'MUST', 'Codex Apps MCP requests go to the apps URL derived from the configured ChatGPT base', SRC.mcpMod),

  // AGENT: AgentAssertion, task registration, identity JWT.
  rule('AGENT.ASSERT.001', 'MUST', 'the assertion is base64url without padding of a JSON object', SRC.agentLib),
  rule('AGENT.ASSERT.002', 'MUST', 'the assertion JSON has exactly the keys agent_runtime_id, signature, task_id, timestamp in sorted order, all strings', SRC.agentLib),
  rule('AGENT.ASSERT.003', 'MUST', 'signature is standard base64 of Ed25519 over "{agent_runtime_id}:{task_id}:{timestamp}" by the identity key', SRC.agentLib),
  rule('AGENT.ASSERT.004', 'MUST', 'timestamp is RFC 3339 UTC to the second with a Z suffix', SRC.agentLib),
  rule('AGENT.ASSERT.005', 'MUST', 'task_id was issued to that agent runtime by task registration', SRC.agentLib, SRC.agentLogin),
  rule('AGENT.ASSERT.006', 'MUST', 'agent_runtime_id is the runtime id of the identity in use', SRC.agentLib),
  rule('AGENT.TASK.001', 'MUST', 'a process registers at most one task per agent runtime', SRC.agentLogin),
  rule('AGENT.TASK.002', 'MUST', 'task registration is a POST of {timestamp, signature} with signature = standard base64 Ed25519 over "{agent_runtime_id}:{timestamp}"', SRC.agentLib),
  rule('AGENT.TASK.003', 'MUST', 'task registration completes before the first AgentAssertion request', SRC.agentLogin, SRC.manager),
  rule('AGENT.JWT.001', 'MUST', 'an identity JWT that fails RS256 verification (kid in JWKS, iss, aud, signature) is refused: no AgentAssertion request is sent', SRC.agentLib, SRC.manager),
  rule('AGENT.JWT.002', 'MUST', 'the JWKS is fetched before the first AgentAssertion request', SRC.manager, SRC.agentLib),

  // REFRESH: ChatGPT token refresh.
  rule('REFRESH.REQUEST.001', 'MUST', 'a refresh is POST {token URL} with JSON {client_id, grant_type: "refresh_token", refresh_token}', SRC.manager),
  rule('REFRESH.PROACTIVE.001', 'MUST', 'managed ChatGPT tokens are refreshed before the backend request when the access token JWT has expired (or, when it has no readable exp, when last_refresh is older than 8 days), and not otherwise', SRC.manager),
  rule('REFRESH.401.001', 'MUST', 'a 401 from the backend triggers one refresh and one retry for managed ChatGPT auth', SRC.manager),
  rule('REFRESH.TOKEN.001', 'MUST', 'after a refresh the next backend request uses the new access token', SRC.manager),
  rule('REFRESH.PERSIST.001', 'MUST', 'refreshed tokens and a new last_refresh are written back to auth.json', SRC.manager, SRC.storage),
  rule('REFRESH.PERSIST.002', 'SHOULD', 'the auth.json rewrite is never observable half-written (write then rename) and keeps mode 0600', SRC.storage),
  rule('REFRESH.ERROR.001', 'MUST', 'refresh errors are classified: refresh_token_expired = expired, refresh_token_reused = reused, refresh_token_invalidated = revoked', SRC.manager),
  rule('REFRESH.ERROR.002', 'MUST', 'a permanent refresh failure is not retried against the token endpoint for the same credentials', SRC.manager),
  rule('REFRESH.EXTERNAL.001', 'MUST', 'chatgptAuthTokens, apiKey and agentIdentity never call the OAuth token endpoint', SRC.manager),
];

const byId = new Map(RULES.map((r) => [r.id, r] as const));

/** The rule with this id, or undefined when the catalogue has none. */
export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}

/** The pattern every id follows: `AREA.TOPIC.NNN`. */
export const RULE_ID_PATTERN = /^(HDR|GATE|CACHE|URL|AGENT|REFRESH)\.[A-Z0-9]+\.\d{3}$/;

import { defaultAgentIdentityVia } from '../../../scenarios/arbitraries/auth-spec.js';
import type { BaseChoice, BaseHost, BaseSpelling } from '../../../scenarios/arbitraries/base-url.js';
import type { AuthMode } from '../../auth/codex-auth.js';
import type { ProfileId } from '../../rules/profiles.js';
import type { AuthSpec } from '../auth-spec.js';
import type { AgentOverrides, RequestCase } from './requests-suite.js';

/**
 * Hand-picked base-URL examples of the requests suite (issue 20 item 2): every branch the URL
 * derivations take on the configured ChatGPT base, once each, where random generation reaches it
 * only once in hundreds of cases. Each example is a RequestCase judged by the suite's rules
 * (URL.BASE.001, URL.STYLE.001, URL.APPS.001, URL.AGENT.*, URL.MODEL.001, HDR.APPS.*); the
 * derivations they exercise, with the source each rule cites:
 *  - the backend client's base (codex-rs/backend-client/src/client.rs `Client::new`): a bare
 *    https://chatgpt.com, https://chatgpt.com/api/codex (gets `/backend-api` all the same), a bare
 *    custom host (the `/api/codex/...` path style), staging with a doubled slash;
 *  - the Codex Apps MCP URL (`codex_apps_mcp_url_for_base_url`) and its trust gate
 *    (`is_trusted_chatgpt_mcp_server`): `/api/codex`, bare custom, bare production, staging
 *    (trusted in 0.171.0), custom https and http://localhost (not trusted);
 *  - the model base (`to_api_provider`) for host-provided tokens and the newer modes without
 *    `openai_base_url`;
 *  - agent identity (`agent_identity_authapi_base_url`, `agent_identity_jwks_url`,
 *    `normalize_chatgpt_base_url`): every production and staging spelling the environment map
 *    names, bare production with one override and not the other, a custom base with one override
 *    (refused in 0.171.0) or the pair, the pair spelled with whitespace and other trailing
 *    slashes, and the suffixes PR #18811's normalizer strips (`/codex`, remote control).
 * Examples that name a host the mock does not answer are left out (production needs
 * `productionHosts`, staging `anyHost` or `stagingHosts`, custom and loopback names `anyHost`).
 */
export interface UrlExampleSupport {
  readonly productionHosts: boolean;
  readonly anyHost?: boolean | undefined;
  readonly stagingHosts?: boolean | undefined;
}

function served(host: BaseHost, support: UrlExampleSupport): boolean {
  if (support.anyHost === true) return true;
  if (host === 'mock') return true;
  if (host === 'production') return support.productionHosts;
  if (host === 'staging') return support.productionHosts && support.stagingHosts === true;
  return false;
}

function on(host: Exclude<BaseHost, 'mock'>, spelling: BaseSpelling): BaseChoice {
  return { host, spelling };
}

export function urlExamples(profile: ProfileId, support: UrlExampleSupport, modes: readonly AuthMode[]): RequestCase[] {
  const plus: AuthSpec = { mode: 'chatgpt', account: { plan: 'plus', fedramp: false }, lastRefreshDaysAgo: 0 };
  const agent: AuthSpec = { mode: 'agentIdentity', account: { plan: 'business', fedramp: false }, via: defaultAgentIdentityVia(profile) };
  const mockBackendApi: BaseChoice = { host: 'mock', spelling: 'backend-api/' };
  const mk = (auth: AuthSpec, callsiteId: string, base: BaseChoice, agentOverrides: AgentOverrides = 'pair', openaiBase = true): RequestCase => ({ auth, callsiteId, base, appsEnabled: true, openaiBase, agentOverrides });
  const cases: RequestCase[] = [
    // Backend client base and path style.
    mk(plus, 'cloud-tasks.list', on('production', '')),
    mk(plus, 'cloud-tasks.list', on('production', 'api/codex')),
    mk(plus, 'cloud-tasks.list', on('custom', '')),
    mk(plus, 'cloud-tasks.list', on('staging', 'backend-api//')),
    // Codex Apps MCP URL and trust.
    mk(plus, 'apps-mcp.tools-list', { host: 'mock', spelling: 'api/codex' }),
    mk(plus, 'apps-mcp.tools-list', on('custom', '')),
    mk(plus, 'apps-mcp.tools-list', on('custom', 'backend-api')),
    mk(plus, 'apps-mcp.tools-list', on('production', '')),
    mk(plus, 'apps-mcp.tools-list', on('staging', 'backend-api')),
    mk(plus, 'apps-mcp.tools-list', on('localhost', 'backend-api/')),
    // Model base of the newer codex-backend modes without openai_base_url (the constant host).
    mk({ mode: 'personalAccessToken', account: { plan: 'pro', fedramp: false }, via: 'CODEX_ACCESS_TOKEN' }, 'core.responses', mockBackendApi, 'none', false),
    mk({ mode: 'headers', account: { plan: 'team', fedramp: false }, accountHeader: true }, 'core.responses', mockBackendApi, 'none', false),
    mk({ mode: 'chatgptAuthTokens', account: { plan: 'plus', fedramp: false } }, 'core.responses', mockBackendApi, 'none', false),
    // Agent identity: production spellings, one override and not the other.
    mk(agent, 'cloud-tasks.list', on('production', ''), 'none'),
    mk(agent, 'cloud-tasks.list', on('production', ''), 'authapiOnly'),
    mk(agent, 'cloud-tasks.list', on('production', ''), 'jwksOnly'),
    mk(agent, 'cloud-tasks.list', on('production', 'codex'), 'none'),
    mk(agent, 'cloud-tasks.list', on('production', 'backend-api/codex'), 'none'),
    mk(agent, 'cloud-tasks.list', on('production', 'api/codex'), 'none'),
    // Staging spellings.
    mk(agent, 'cloud-tasks.list', on('staging', ''), 'none'),
    mk(agent, 'cloud-tasks.list', on('staging', 'backend-api/'), 'none'),
    mk(agent, 'cloud-tasks.list', on('staging', 'backend-api/codex'), 'authapiOnly'),
    // Other bases: one override is not enough in 0.171.0; the pair is, also spelled otherwise.
    mk(agent, 'cloud-tasks.list', on('custom', 'backend-api'), 'authapiOnly'),
    mk(agent, 'cloud-tasks.list', on('custom', 'backend-api'), 'jwksOnly'),
    mk(agent, 'cloud-tasks.list', mockBackendApi, 'pairSpelled'),
    mk(agent, 'cloud-tasks.list', { host: 'mock', spelling: 'backend-api' }, 'pairSpelled'),
    mk(agent, 'cloud-tasks.list', { host: 'mock', spelling: 'api/codex' }, 'pair'),
    // Suffixes PR #18811's normalizer strips before registering.
    mk(agent, 'cloud-tasks.list', on('custom', 'codex'), 'pair'),
    mk(agent, 'cloud-tasks.list', on('custom', 'backend-api/wham/remote/control/server'), 'pair'),
    mk(agent, 'cloud-tasks.list', on('ipv6', 'backend-api/wham/remote/control/server/enroll/'), 'pair'),
  ];
  return cases.filter((c) => modes.includes(c.auth.mode) && served(c.base.host, support));
}

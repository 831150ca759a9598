import { defineMutant } from './mutant.js';

/**
 * PR #18811 review finding 1: the Apps gate path built its AuthManager without the configured
 * ChatGPT base URL, so agent-identity setup (JWKS fetch, task registration) used the default
 * backend. `agent_identity_authapi_base_url(None)` assumes https://chatgpt.com/backend-api and
 * maps it to the production authapi (codex-rs/login/src/auth/agent_identity.rs), so a config that
 * points at staging or a local backend still registers tasks against production.
 */
export const managerWithoutBaseUrl = defineMutant({
  name: 'manager-without-base-url',
  description:
    'The AuthManager is built without the configured chatgpt_base_url, so agent-identity task registration (and JWKS) target the default production backend instead of the configured one.',
  breaks: 'URL.AGENT.001',
  source: 'https://github.com/openai/codex/pull/18811 (review finding 1); codex-rs/login/src/auth/agent_identity.rs',
  parts: { managerBaseUrl: () => undefined },
});

import { defineMutant } from './mutant.js';

/**
 * PR #18811 review finding 1: the Apps gate path built its AuthManager without the configured
 * ChatGPT base URL, so agent-identity setup used the default backend. At PR #18811 the task is
 * registered at the normalized ChatGPT base itself, which defaults to https://chatgpt.com/backend-api
 * (codex-rs/login/src/auth/agent_identity.rs), so a config that points at staging or a local
 * backend still registers tasks against production (URL.AGENT.005). In 0.171.0 a missing base
 * means the production environment, so with a loopback base (which the source refuses) the task
 * is registered at https://auth.openai.com instead of being refused (URL.AGENT.004).
 */
export const managerWithoutBaseUrl = defineMutant({
  name: 'manager-without-base-url',
  description:
    'The AuthManager is built without the configured chatgpt_base_url, so agent-identity task registration (and JWKS) target the default production backend instead of the configured one.',
  breaks: { pr18811: 'URL.AGENT.005', 'codex-0.171': 'URL.AGENT.004' },
  source: 'https://github.com/openai/codex/pull/18811 (review finding 1); codex-rs/login/src/auth/agent_identity.rs',
  parts: { managerBaseUrl: () => undefined },
});

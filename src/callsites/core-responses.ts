import { responsesUrl } from '../urls/derived-urls.js';
import type { Callsite } from './callsite.js';
import { ALLOWED } from './gates.js';

/**
 * core client setup: model traffic, POST `{model base}/responses` with the provider from
 * model-provider auth (AgentIdentity is allowed through provider-backed OpenAI auth). API keys
 * go to the OpenAI API base; codex-backend modes to `{chatgpt base}/codex/responses`.
 */
export const coreResponses: Callsite = {
  id: 'core.responses',
  title: 'core client sends a Responses request',
  method: 'POST',
  target: 'chatgptBackend',
  path: () => '/codex/responses',
  url: (bases, auth) => responsesUrl(auth.mode, bases),
  gate: () => ALLOWED,
  source: 'codex-rs/core/src/client.rs, codex-rs/model-provider/src/bearer_auth_provider.rs',
  body: { model: 'gpt-5-codex', input: 'conformance', stream: false },
};

import { responsesUrl } from '../urls/derived-urls.js';
import type { Callsite } from './callsite.js';
import { ALLOWED, refuse } from './gates.js';

/**
 * core client setup: model traffic, POST `{model base}/responses` with the provider from
 * model-provider auth (AgentIdentity is allowed through provider-backed OpenAI auth). The base is
 * `openai_base_url` when configured, else https://api.openai.com/v1 for API keys and the constant
 * https://chatgpt.com/backend-api/codex for codex-backend modes (src/urls/derived-urls.ts).
 */
export const coreResponses: Callsite = {
  id: 'core.responses',
  title: 'core client sends a Responses request',
  method: 'POST',
  target: 'chatgptBackend',
  path: () => '/codex/responses',
  url: (bases, auth) => responsesUrl(auth.mode, bases),
  gate: (auth) => (auth.mode === 'bedrockApiKey' ? refuse('Bedrock API key auth is only supported by the Amazon Bedrock model provider') : ALLOWED),
  source: 'codex-rs/core/src/client.rs, codex-rs/model-provider/src/bearer_auth_provider.rs',
  body: { model: 'gpt-5-codex', input: 'conformance', stream: false },
};

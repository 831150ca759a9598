import { CHATGPT_CODEX_BASE_URL, modelsUrl } from '../urls/derived-urls.js';
import type { Callsite } from './callsite.js';
import { ALLOWED, refuse } from './gates.js';

/**
 * model refresh (codex-rs/models-manager/src/manager.rs `should_refresh_models`): GET
 * `{model base}/models` through the provider, for codex-backend auth. API keys refresh only with
 * API-key model discovery (0.155.0 on): the built-in provider without `openai_base_url` asks the
 * constant `https://chatgpt.com/backend-api/codex/models` with `Bearer <key>`
 * (codex-rs/model-provider/src/models_endpoint.rs). Bedrock has no OpenAI model catalogue.
 */
export const modelRefresh: Callsite = {
  id: 'models.refresh',
  title: 'models manager refreshes the model list',
  method: 'GET',
  target: 'chatgptBackend',
  path: () => '/codex/models',
  url: (bases, auth) => (auth.mode === 'apiKey' && bases.openaiBaseUrl === undefined ? `${CHATGPT_CODEX_BASE_URL}/models` : modelsUrl(auth.mode, bases)),
  gate: (auth, ctx) => {
    if (auth.mode === 'bedrockApiKey') return refuse('Bedrock API key auth is only supported by the Amazon Bedrock model provider');
    if (auth.mode !== 'apiKey') return ALLOWED;
    if (ctx?.profile?.apiKeyModelDiscovery !== true) return refuse('the model catalogue is refreshed for codex-backend auth only');
    return ctx.openaiBaseUrl === undefined ? ALLOWED : refuse('API-key model discovery is off with a configured openai_base_url');
  },
  source: 'codex-rs/core/src/models_manager/manager.rs, codex-rs/codex-api/src/endpoint/models.rs',
};

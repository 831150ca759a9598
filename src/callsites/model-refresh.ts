import { modelsUrl } from '../urls/derived-urls.js';
import type { Callsite } from './callsite.js';
import { ALLOWED } from './gates.js';

/**
 * model refresh (models manager): GET `{model base}/models` through the provider: the OpenAI API
 * base for API keys, `{chatgpt base}/codex` for codex-backend modes. Every mode may refresh.
 */
export const modelRefresh: Callsite = {
  id: 'models.refresh',
  title: 'models manager refreshes the model list',
  method: 'GET',
  target: 'chatgptBackend',
  path: () => '/codex/models',
  url: (bases, auth) => modelsUrl(auth.mode, bases),
  gate: () => ALLOWED,
  source: 'codex-rs/core/src/models_manager/manager.rs, codex-rs/codex-api/src/endpoint/models.rs',
};

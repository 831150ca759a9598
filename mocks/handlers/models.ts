import { HttpResponse, type HttpHandler } from 'msw';
import { backendPaths } from './paths.js';
import { defineRoute, type MockContext } from './route.js';

/**
 * Model list for ChatGPT modes (`{chatgpt base}/codex/models`, the model refresh callsite in
 * codex-rs/core models manager) and for API keys (`/v1/models`, see openai-api.ts).
 */
export const MOCK_MODELS = ['gpt-5-codex-mock', 'gpt-5-mock'] as const;

export function modelsCatalog(): Record<string, unknown> {
  return {
    models: MOCK_MODELS.map((slug, i) => ({
      slug,
      display_name: slug,
      description: 'served by the mock backend',
      supported_in_api: true,
      priority: i,
      visibility: 'list',
    })),
  };
}

export function modelHandlers(ctx: MockContext): HttpHandler[] {
  return defineRoute(ctx, {
    endpoint: 'codex.models',
    method: 'GET',
    paths: backendPaths({ wham: ['/codex/models', '/wham/models'], codexApi: ['/models', '/codex/models'], root: '/codex/models' }),
    auth: 'modelCatalogue',
    handle: () => HttpResponse.json(modelsCatalog()),
  });
}

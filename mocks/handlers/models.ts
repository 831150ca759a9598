import { HttpResponse, type HttpHandler } from 'msw';
import { backendPaths } from './paths.js';
import { defineRoute, type MockContext } from './route.js';

/**
 * Model catalogue for ChatGPT modes (`{chatgpt base}/codex/models?client_version=...`, the model
 * refresh callsite in the Codex models manager) and for API keys (`/v1/models`, see
 * openai-api.ts).
 *
 * Each entry carries every field Codex's `ModelInfo` requires (`ModelsResponse { models }`,
 * openai/codex codex-rs/protocol/src/openai_models.rs@8db0700334e35787030da010475ab211649e6b5d:
 * a missing non-optional field fails serde, and the client then drops the whole catalogue) plus
 * the optional fields third-party clients read: codex-as-api 0.7.0 `parseModelInfo` requires
 * `supported_reasoning_levels`, `support_verbosity` and an int32 `priority` and reads the
 * service tiers, context window and summary fields; openai-oauth 2.0.0 (`@openai-oauth/core`
 * `toCodexModelInfo`) reads `use_responses_lite`, `prefer_websockets`, `default_reasoning_summary`
 * and `supports_parallel_tool_calls`. Lite mode and WebSockets are off (the mock serves SSE).
 */
export const MOCK_MODELS = ['gpt-5-codex-mock', 'gpt-5-mock'] as const;

/** ETag of the catalogue (Codex and codex-as-api cache by it; `X-Models-Etag` on responses). */
export const MODELS_ETAG = '"mock-models-1"';

export function modelInfo(slug: string, priority: number): Record<string, unknown> {
  return {
    slug,
    display_name: slug,
    description: 'served by the mock backend',
    default_reasoning_level: 'medium',
    supported_reasoning_levels: [
      { effort: 'low', description: 'Fast responses with lighter reasoning' },
      { effort: 'medium', description: 'Balances speed and reasoning depth' },
      { effort: 'high', description: 'Greater reasoning depth for complex problems' },
    ],
    shell_type: 'shell_command',
    visibility: 'list',
    supported_in_api: true,
    priority,
    upgrade: null,
    base_instructions: 'You are a coding agent answering through the conformance mock backend.',
    supports_reasoning_summaries: true,
    support_verbosity: true,
    default_verbosity: 'low',
    apply_patch_tool_type: 'freeform',
    truncation_policy: { mode: 'tokens', limit: 10_000 },
    supports_parallel_tool_calls: true,
    context_window: 272_000,
    max_context_window: 272_000,
    auto_compact_token_limit: 244_800,
    effective_context_window_percent: 95,
    experimental_supported_tools: [],
    input_modalities: ['text', 'image'],
    // Optional fields third-party clients read.
    supports_reasoning_summary_parameter: true,
    default_reasoning_summary: 'auto',
    service_tiers: [],
    default_service_tier: null,
    use_responses_lite: false,
    prefer_websockets: false,
    supports_image_detail_original: false,
  };
}

export function modelsCatalog(): { models: Record<string, unknown>[] } {
  return { models: MOCK_MODELS.map((slug, i) => modelInfo(slug, i)) };
}

export function modelHandlers(ctx: MockContext): HttpHandler[] {
  return defineRoute(ctx, {
    endpoint: 'codex.models',
    method: 'GET',
    paths: backendPaths({ wham: ['/codex/models', '/wham/models'], codexApi: ['/models', '/codex/models'], root: '/codex/models' }),
    auth: 'modelCatalogue',
    handle: () => HttpResponse.json(modelsCatalog(), { headers: { etag: MODELS_ETAG } }),
  });
}

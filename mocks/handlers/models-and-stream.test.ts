import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startInProcessMock, type InProcessMock } from '../in-process.js';
import { MOCK_MODELS, modelsCatalog } from './models.js';
import { responseEvents, textDeltas } from './sse.js';

let mock: InProcessMock;
beforeAll(async () => {
  mock = await startInProcessMock({ seed: 11 });
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

async function chatgptHeaders(): Promise<Record<string, string>> {
  const account = mock.backend.createAccount({ plan: 'plus' });
  const tokens = await mock.backend.issueChatgptTokens(account.id);
  return { authorization: `Bearer ${tokens.accessToken}`, 'chatgpt-account-id': account.id };
}

/**
 * The fields Codex's `ModelInfo` cannot do without (no serde default): openai/codex
 * codex-rs/protocol/src/openai_models.rs@8db0700334e35787030da010475ab211649e6b5d. Each with the
 * JSON type serde accepts.
 */
const isString = (v: unknown) => typeof v === 'string';
const isBool = (v: unknown) => typeof v === 'boolean';
const isInt32 = (v: unknown) => Number.isInteger(v) && (v as number) >= -(2 ** 31) && (v as number) < 2 ** 31;
const isArray = (v: unknown) => Array.isArray(v);
const oneOf = (...values: string[]) => (v: unknown) => typeof v === 'string' && values.includes(v);
const CODEX_MODEL_INFO_REQUIRED: Record<string, (v: unknown) => boolean> = {
  slug: isString,
  display_name: isString,
  supported_reasoning_levels: (v) => isArray(v) && (v as unknown[]).every((p) => typeof p === 'object' && p !== null && oneOf('none', 'minimal', 'low', 'medium', 'high', 'xhigh')((p as Record<string, unknown>)['effort']) && isString((p as Record<string, unknown>)['description'])),
  shell_type: oneOf('default', 'local', 'unified_exec', 'disabled', 'shell_command'),
  visibility: oneOf('list', 'hide', 'none'),
  supported_in_api: isBool,
  priority: isInt32,
  base_instructions: isString,
  supports_reasoning_summaries: isBool,
  support_verbosity: isBool,
  truncation_policy: (v) => typeof v === 'object' && v !== null && oneOf('bytes', 'tokens')((v as Record<string, unknown>)['mode']) && Number.isInteger((v as Record<string, unknown>)['limit']),
  supports_parallel_tool_calls: isBool,
  experimental_supported_tools: isArray,
};

describe('model catalogue', () => {
  it('every entry has every field Codex ModelInfo requires, with the type serde accepts', () => {
    const { models } = modelsCatalog();
    expect(models.map((m) => m['slug'])).toEqual([...MOCK_MODELS]);
    for (const model of models) {
      for (const [field, ok] of Object.entries(CODEX_MODEL_INFO_REQUIRED)) {
        expect(ok(model[field]), `${String(model['slug'])}.${field} = ${JSON.stringify(model[field])}`).toBe(true);
      }
    }
  });

  it('carries the fields third-party clients read (codex-as-api, openai-oauth) with lite mode and WebSockets off', () => {
    for (const model of modelsCatalog().models) {
      expect(model).toMatchObject({ default_verbosity: 'low', default_reasoning_level: 'medium', input_modalities: ['text', 'image'], use_responses_lite: false, prefer_websockets: false });
      expect(isInt32(model['context_window'])).toBe(true);
      expect(model['service_tiers']).toEqual([]);
    }
  });

  it('serves it at {base}/codex/models with an ETag', async () => {
    const res = await fetch('https://chatgpt.com/backend-api/codex/models?client_version=0.171.0', { headers: await chatgptHeaders() });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toMatch(/^".+"$/);
    expect(await res.json()).toEqual(modelsCatalog());
  });
});

function parseSse(text: string): Record<string, unknown>[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as Record<string, unknown>;
      expect(data['type']).toBe(event);
      return data;
    });
}

describe('Responses stream', () => {
  it('splits text into deltas that join back to it', () => {
    expect(textDeltas('Hello from the mock backend.')).toEqual(['Hello ', 'from ', 'the ', 'mock ', 'backend.']);
    expect(textDeltas('').join('')).toBe('');
    expect(textDeltas('one').join('')).toBe('one');
  });

  it('orders the events as production does and repeats the text in output_item.done and completed', () => {
    const events = responseEvents('resp_1', 'gpt-5-mock', 'a b');
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
  });

  it('a client really gets its text back: from the deltas, from output_item.done and from response.completed', async () => {
    const res = await fetch('https://chatgpt.com/backend-api/codex/responses', {
      method: 'POST',
      headers: { ...(await chatgptHeaders()), 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5-mock', input: 'hi', stream: true }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = parseSse(await res.text());
    expect(events.map((e) => e['sequence_number'])).toEqual(events.map((_, i) => i));
    const deltas = events.filter((e) => e['type'] === 'response.output_text.delta').map((e) => e['delta']);
    expect(deltas.join('')).toBe('Hello from the mock backend.');
    const itemDone = events.find((e) => e['type'] === 'response.output_item.done') as { item: { content: { text: string }[] } };
    expect(itemDone.item.content[0]?.text).toBe('Hello from the mock backend.');
    const completed = events.at(-1) as { type: string; response: { status: string; model: string; output: { role: string; content: { type: string; text: string }[] }[]; usage: { total_tokens: number } } };
    expect(completed.type).toBe('response.completed');
    expect(completed.response).toMatchObject({ status: 'completed', model: 'gpt-5-mock' });
    expect(completed.response.output[0]?.content[0]).toMatchObject({ type: 'output_text', text: 'Hello from the mock backend.' });
    expect(completed.response.usage.total_tokens).toBe(15);
  });

  it('the API-key surface streams the same events', async () => {
    const apiKey = mock.backend.createApiKey();
    const res = await fetch('https://api.openai.com/v1/responses', {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5-mock', input: 'hi' }),
    });
    const events = parseSse(await res.text());
    expect(events.filter((e) => e['type'] === 'response.output_text.delta').map((e) => e['delta']).join('')).toBe('Hello from the mock backend.');
  });
});

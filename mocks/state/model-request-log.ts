/**
 * What the mock saw of each Responses request body (HTTP POST or WebSocket `response.create`):
 * the model and the tool names the client offered the model. The journal keeps only a body
 * digest; the Apps tools cache is judged from these names (CACHE.SWITCH.*: the tools a client
 * offers must be the current identity's). Tool names are not secrets.
 */
export type ModelRequestTransport = 'sse' | 'websocket';

export interface ModelRequest {
  readonly seq: number;
  readonly caseId?: string;
  readonly transport: ModelRequestTransport;
  readonly url: string;
  readonly model: string;
  /** Every `name` found in `tools` (nested `tools` of a namespace entry included), in order. */
  readonly toolNames: readonly string[];
  /** `generate: false` (a WebSocket prewarm that asks for no output). */
  readonly prewarm: boolean;
}

/**
 * Tool names a Responses body offers: its `tools` array and the `additional_tools` input items
 * ("responses lite" bodies carry the tools there): `{name}`, `{function: {name}}`, nested `{tools: [...]}`.
 */
export function toolNamesInBody(body: Record<string, unknown>): string[] {
  const extra = Array.isArray(body['input'])
    ? (body['input'] as unknown[]).filter((i): i is Record<string, unknown> => typeof i === 'object' && i !== null && (i as Record<string, unknown>)['type'] === 'additional_tools').flatMap((i) => toolNamesOf(i['tools']))
    : [];
  return [...toolNamesOf(body['tools']), ...extra];
}

/** Tool names in a Responses `tools` array: `{name}`, `{function: {name}}`, nested `{tools: [...]}`. */
export function toolNamesOf(tools: unknown): string[] {
  const out: string[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 4 || !Array.isArray(value)) return;
    for (const t of value) {
      if (typeof t !== 'object' || t === null) continue;
      const o = t as Record<string, unknown>;
      if (typeof o['name'] === 'string') out.push(o['name']);
      const fn = o['function'];
      if (typeof fn === 'object' && fn !== null && typeof (fn as Record<string, unknown>)['name'] === 'string') out.push((fn as Record<string, string>)['name'] as string);
      visit(o['tools'], depth + 1);
    }
  };
  visit(tools, 0);
  return out;
}

export class ModelRequestLog {
  private entries: ModelRequest[] = [];
  private nextSeq = 1;

  record(draft: Omit<ModelRequest, 'seq'>): ModelRequest {
    const entry: ModelRequest = { seq: this.nextSeq++, ...draft };
    this.entries.push(entry);
    return entry;
  }

  list(caseId?: string): readonly ModelRequest[] {
    return caseId === undefined ? [...this.entries] : this.entries.filter((e) => e.caseId === caseId);
  }

  clear(): void {
    this.entries = [];
  }
}

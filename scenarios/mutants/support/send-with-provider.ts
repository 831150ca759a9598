import type { Callsite } from '../../../src/callsites/callsite.js';
import type { InvokeContext } from '../../../src/callsites/invoke.js';
import type { Outcome } from '../../../src/harness/implementation.js';

/**
 * The request half of a caller, for mutants that get the gate or the URL wrong: build the
 * provider, apply its headers, send; after a 401 run the recovery once and retry. Written for the
 * mutants only — the reference caller is src/callsites/invoke.ts.
 */
export async function sendWithProvider(callsite: Callsite, url: string, ctx: InvokeContext): Promise<Outcome> {
  const once = async (): Promise<Response> => {
    const provider = await ctx.source.provider();
    const headers = new Headers();
    provider.applyHeaders(headers);
    const init: RequestInit = { method: callsite.method, headers };
    if (callsite.body !== undefined) {
      headers.set('content-type', 'application/json');
      init.body = JSON.stringify(callsite.body);
    }
    return ctx.fetch(url, init);
  };
  try {
    let response = await once();
    if (response.status === 401 && (await ctx.source.onUnauthorized())) response = await once();
    const text = await response.text();
    return { kind: 'sent', status: response.status, body: parseBody(text) };
  } catch (e) {
    return { kind: 'errored', message: `${callsite.id} failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

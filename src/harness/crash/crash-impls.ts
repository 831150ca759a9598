import { ConformanceInputError } from '../../errors.js';
import { ECOSYSTEM_CLIENTS, ecosystemClient, type EcosystemClient } from '../ecosystem/clients.js';

/**
 * The writers scripts/crash-safety/run.ts can kill (`--impl`): a Codex release
 * (`codex-cli:<release>`) or an ecosystem client whose package itself writes CODEX_HOME/auth.json
 * (`ecosystem:<id>`; `ecosystem` alone: every such client). A client whose caller holds the
 * tokens never writes auth.json, so it has no write point to kill: naming it is bad input.
 */
export type CrashImpl =
  | { readonly kind: 'codex-cli'; readonly version: string }
  | { readonly kind: 'ecosystem'; readonly client: EcosystemClient };

export const DEFAULT_CRASH_IMPLS = 'codex-cli:0.156.0,codex-cli:0.171.0,ecosystem:codex-as-api,ecosystem:openai-oauth';

/** The ecosystem clients whose package writes auth.json (token custody in CODEX_HOME). */
export function authJsonWriters(): EcosystemClient[] {
  return ECOSYSTEM_CLIENTS.filter((c) => c.custody === 'codexHome');
}

export function crashImplLabel(impl: CrashImpl): string {
  return impl.kind === 'codex-cli' ? `codex-cli:${impl.version}` : `ecosystem:${impl.client.id}@${impl.client.version}`;
}

function clientImpl(id: string): CrashImpl {
  const client = ecosystemClient(id);
  if (client === undefined) throw new ConformanceInputError('USAGE', `"ecosystem:${id.slice(0, 60)}" names no ecosystem client.`, `Use one of ${ECOSYSTEM_CLIENTS.map((c) => `ecosystem:${c.id}`).join(', ')} (src/harness/ecosystem/clients.ts).`);
  if (client.custody !== 'codexHome') {
    throw new ConformanceInputError('USAGE', `${client.npmName}@${client.version} never writes auth.json (its caller holds the tokens: ${client.drivenThrough}), so it has no write point to kill.`, `Use ${authJsonWriters().map((c) => `ecosystem:${c.id}`).join(', ')} (docs/crash-safety.md, "Clients that never write auth.json").`);
  }
  return { kind: 'ecosystem', client };
}

export function parseCrashImpls(list: string): CrashImpl[] {
  const items = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new ConformanceInputError('USAGE', '--impl names no writer.', `Use e.g. --impl ${DEFAULT_CRASH_IMPLS}.`);
  return items.flatMap((s): CrashImpl[] => {
    const codex = /^codex-cli:(\d+\.\d+\.\d+)$/.exec(s);
    if (codex !== null) return [{ kind: 'codex-cli', version: codex[1]! }];
    if (s === 'ecosystem') return authJsonWriters().map((c) => ({ kind: 'ecosystem', client: c }));
    const eco = /^ecosystem:(.+)$/.exec(s);
    if (eco !== null) return [clientImpl(eco[1]!)];
    throw new ConformanceInputError('USAGE', `"${s.slice(0, 80)}" is not a writer this command can kill.`, `Use codex-cli:<release> or ecosystem:<client id>, e.g. --impl ${DEFAULT_CRASH_IMPLS}.`);
  });
}

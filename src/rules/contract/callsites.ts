/**
 * The oracle's own table of the callers PR #18811 migrated: method, kind and path per path
 * style, read from the source (pinned in each row). The reference client has its own catalogue
 * (src/callsites/); the two are kept apart on purpose, so a wrong path in one is caught by the other.
 */
import { ConformanceInputError } from '../../errors.js';

export type ContractCallsiteKind =
  /** A codex-backend-only request through the backend or ChatGPT client (gate: uses_codex_backend). */
  | 'backend'
  /** Cloud requirements: codex backend and Business/Enterprise plans only. */
  | 'requirements'
  /** OpenAI file upload for Apps tool arguments: refuses before headers. */
  | 'upload'
  /** The Codex Apps MCP server: gated on apps_enabled && uses_codex_backend. */
  | 'apps'
  /** Model traffic through the model provider (`responses`, `models`). */
  | 'model';

export interface ContractCallsite {
  readonly id: string;
  readonly method: 'GET' | 'POST';
  readonly kind: ContractCallsiteKind;
  /** Paths for a `/backend-api` base (`wham`) and any other base (`codexApi`); unused for apps and model traffic. */
  readonly paths: { readonly wham: string; readonly codexApi: string };
  /** For model traffic: the Responses stream or the model catalogue. */
  readonly model?: 'responses' | 'models';
  readonly source: string;
}

const same = (path: string): { wham: string; codexApi: string } => ({ wham: path, codexApi: path });

export const CONTRACT_CALLSITES: readonly ContractCallsite[] = [
  { id: 'backend-client.rate-limits', method: 'GET', kind: 'backend', paths: { wham: '/wham/usage', codexApi: '/api/codex/usage' }, source: 'codex-rs/backend-client/src/client.rs' },
  { id: 'chatgpt.get-task', method: 'GET', kind: 'backend', paths: same('/wham/tasks/task_conformance_1'), source: 'codex-rs/chatgpt/src/chatgpt_client.rs (path appended as written)' },
  { id: 'cloud-tasks.list', method: 'GET', kind: 'backend', paths: { wham: '/wham/tasks/list', codexApi: '/api/codex/tasks/list' }, source: 'codex-rs/backend-client/src/client.rs' },
  { id: 'cloud-requirements.fetch', method: 'GET', kind: 'requirements', paths: { wham: '/wham/config/requirements', codexApi: '/api/codex/config/requirements' }, source: 'codex-rs/cloud-requirements/src/lib.rs' },
  { id: 'remote-control.enroll', method: 'POST', kind: 'backend', paths: same('/wham/remote/control/server/enroll'), source: 'codex-rs/app-server/src/transport/remote_control/enroll.rs' },
  { id: 'apps-mcp.tools-list', method: 'POST', kind: 'apps', paths: same(''), source: 'codex-rs/codex-mcp/src/mcp/mod.rs' },
  { id: 'models.refresh', method: 'GET', kind: 'model', model: 'models', paths: same(''), source: 'codex-rs/models-manager/src/manager.rs' },
  { id: 'openai-files.upload', method: 'POST', kind: 'upload', paths: { wham: '/files', codexApi: '/api/files' }, source: 'codex-rs/codex-api/src/files.rs' },
  { id: 'core.responses', method: 'POST', kind: 'model', model: 'responses', paths: same(''), source: 'codex-rs/core/src/client.rs' },
];

export function contractCallsite(id: string): ContractCallsite {
  const found = CONTRACT_CALLSITES.find((c) => c.id === id);
  if (found === undefined) {
    throw new ConformanceInputError('UNKNOWN_CALLSITE', `the rules know no callsite ${JSON.stringify(String(id).slice(0, 80))}.`, `use one of: ${CONTRACT_CALLSITES.map((c) => c.id).join(', ')}.`);
  }
  return found;
}

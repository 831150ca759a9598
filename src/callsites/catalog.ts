import { ConformanceInputError } from '../errors.js';
import { appsMcpToolsList } from './apps-mcp.js';
import { backendClientRateLimits } from './backend-client.js';
import type { Callsite } from './callsite.js';
import { chatgptGetTask } from './chatgpt-client.js';
import { cloudRequirementsFetch } from './cloud-requirements.js';
import { cloudTasksList } from './cloud-tasks.js';
import { coreResponses } from './core-responses.js';
import { fileUploadCreate } from './file-upload.js';
import { modelRefresh } from './model-refresh.js';
import { remoteControlEnroll } from './remote-control.js';

/** The nine callers PR #18811 ("route Codex auth through AuthProvider") migrated, one endpoint each. */
export const CALLSITES: readonly Callsite[] = Object.freeze([
  backendClientRateLimits,
  chatgptGetTask,
  cloudTasksList,
  cloudRequirementsFetch,
  remoteControlEnroll,
  appsMcpToolsList,
  modelRefresh,
  fileUploadCreate,
  coreResponses,
]);

export const CALLSITE_IDS: readonly string[] = Object.freeze(CALLSITES.map((c) => c.id));

export function callsiteById(id: string): Callsite {
  const found = CALLSITES.find((c) => c.id === id);
  if (found === undefined) {
    throw new ConformanceInputError(
      'UNKNOWN_CALLSITE',
      `no callsite has id ${JSON.stringify(String(id).slice(0, 80))}.`,
      `use one of: ${CALLSITE_IDS.join(', ')}.`,
    );
  }
  return found;
}

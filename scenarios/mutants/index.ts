import { ConformanceInputError } from '../../src/errors.js';
import type { Implementation } from '../../src/harness/implementation.js';
import { referenceImplementation } from '../../src/harness/reference-implementation.js';
import { accountIdDropped } from './account-id-dropped.js';
import { ambientAuthAnyProvider } from './ambient-auth-any-provider.js';
import { enrollAccountAppended } from './enroll-account-appended.js';
import { forcedWorkspaceManagedOnly } from './forced-workspace-managed-only.js';
import { agentFedrampDropped } from './agent-fedramp-dropped.js';
import { apiKeyThroughGate } from './api-key-through-gate.js';
import { appsStaleBearer } from './apps-stale-bearer.js';
import { appsCredentialsAnyOrigin } from './apps-credentials-any-origin.js';
import { appsEnabledIgnored } from './apps-enabled-ignored.js';
import { appsGateChatgptOnly } from './apps-gate-chatgpt-only.js';
import { appsGateFlagOnly } from './apps-gate-flag-only.js';
import { assertionWrongPayload } from './assertion-wrong-payload.js';
import { bearerForAgentIdentity } from './bearer-for-agent-identity.js';
import { cacheKeyFromTokenData } from './cache-key-from-token-data.js';
import { fedrampFalseSent } from './fedramp-false-sent.js';
import { firstRequestUnauthenticated } from './first-request-unauthenticated.js';
import { managerWithoutBaseUrl } from './manager-without-base-url.js';
import { modelTrafficUnderChatgptBase } from './model-traffic-under-chatgpt-base.js';
import { openaiBaseUrlEnvIgnored } from './openai-base-url-env-ignored.js';
import type { Mutant } from './mutant.js';
import type { ProfileId } from '../../src/rules/profiles.js';
import { refreshDropsForeignKeys } from './refresh-drops-foreign-keys.js';
import { refreshCodesTransient } from './refresh-codes-transient.js';
import { refreshKeptInMemory } from './refresh-kept-in-memory.js';
import { refreshNotSingleFlight } from './refresh-not-single-flight.js';
import { refreshWithoutReload } from './refresh-without-reload.js';
import { refreshWorldReadable } from './refresh-world-readable.js';
import { restoresSavedLogin } from './restores-saved-login.js';
import { registrationRetryAnyFailure } from './registration-retry-any-failure.js';
import { staleTokenAfterRefresh } from './stale-token-after-refresh.js';
import { taskPerRequest } from './task-per-request.js';
import { trailingSlashDoublePath } from './trailing-slash-double-path.js';
import { uploadHeadersBeforeGate } from './upload-headers-before-gate.js';
import { whamPathsEverywhere } from './wham-paths-everywhere.js';

export type { Mutant } from './mutant.js';

/** Every buggy variant of the reference client the suites must catch, each by its `breaks` rule. */
export const MUTANTS: readonly Mutant[] = Object.freeze([
  managerWithoutBaseUrl,
  cacheKeyFromTokenData,
  agentFedrampDropped,
  accountIdDropped,
  bearerForAgentIdentity,
  apiKeyThroughGate,
  uploadHeadersBeforeGate,
  staleTokenAfterRefresh,
  taskPerRequest,
  trailingSlashDoublePath,
  assertionWrongPayload,
  fedrampFalseSent,
  appsGateChatgptOnly,
  appsCredentialsAnyOrigin,
  modelTrafficUnderChatgptBase,
  registrationRetryAnyFailure,
  whamPathsEverywhere,
  appsEnabledIgnored,
  refreshWithoutReload,
  refreshNotSingleFlight,
  appsStaleBearer,
  refreshDropsForeignKeys,
  refreshKeptInMemory,
  enrollAccountAppended,
  ambientAuthAnyProvider,
  forcedWorkspaceManagedOnly,
  refreshWorldReadable,
  restoresSavedLogin,
  firstRequestUnauthenticated,
  refreshCodesTransient,
  openaiBaseUrlEnvIgnored,
  appsGateFlagOnly,
]);

export const MUTANT_NAMES: readonly string[] = Object.freeze(MUTANTS.map((m) => m.name));

export function mutantByName(name: string): Mutant {
  const found = MUTANTS.find((m) => m.name === name);
  if (found === undefined) {
    throw new ConformanceInputError(
      'USAGE',
      `no mutant is named ${JSON.stringify(String(name).slice(0, 80))}.`,
      `use one of: ${MUTANT_NAMES.join(', ')} (as --impl mutant:<name>).`,
    );
  }
  return found;
}

/** The reference client with the mutant's parts swapped in, named `mutant:<name>`. */
export function mutantImplementation(name: string, profile?: ProfileId): Implementation {
  const mutant = mutantByName(name);
  return referenceImplementation(mutant.parts, `mutant:${mutant.name}`, profile);
}

/**
 * The auth modes each contract profile knows and what the source says of each: whether it uses
 * the codex backend (`AuthMode::uses_codex_backend`, codex-rs/protocol/src/auth.rs), whether it is
 * a ChatGPT account (`is_chatgpt_auth`), and whether the client itself refreshes it at the OAuth
 * token endpoint (managed ChatGPT only, codex-rs/login/src/auth/manager.rs). This is the oracle's
 * own table: src/rules never calls the reference client's getters.
 */
import type { AuthMode } from '../../auth/codex-auth.js';
import { PROFILE_IDS, type ProfileId } from '../profiles.js';
import { contractFeatures } from './features.js';

export interface ModeFacts {
  readonly usesCodexBackend: boolean;
  readonly chatgptAccount: boolean;
  readonly refreshedByClient: boolean;
}

export const MODE_FACTS: Readonly<Record<AuthMode, ModeFacts>> = {
  apiKey: { usesCodexBackend: false, chatgptAccount: false, refreshedByClient: false },
  chatgpt: { usesCodexBackend: true, chatgptAccount: true, refreshedByClient: true },
  chatgptAuthTokens: { usesCodexBackend: true, chatgptAccount: true, refreshedByClient: false },
  agentIdentity: { usesCodexBackend: true, chatgptAccount: false, refreshedByClient: false },
  personalAccessToken: { usesCodexBackend: true, chatgptAccount: true, refreshedByClient: false },
  headers: { usesCodexBackend: true, chatgptAccount: false, refreshedByClient: false },
  bedrockApiKey: { usesCodexBackend: false, chatgptAccount: false, refreshedByClient: false },
};

/** Modes per profile: PR #18811 has four; PAT (PR #25731), Headers (PR #31274) and Bedrock came later. */
export const PROFILE_MODES: Readonly<Record<ProfileId, readonly AuthMode[]>> = Object.fromEntries(
  PROFILE_IDS.map((id) => [id, contractFeatures(id).modes]),
) as Record<ProfileId, readonly AuthMode[]>;

export function modeFacts(mode: AuthMode): ModeFacts {
  return MODE_FACTS[mode];
}

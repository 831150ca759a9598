import { DEFAULT_CLIENT_PROFILE } from '../auth/client-profile.js';
import type { Callsite } from './callsite.js';
import { requireBusinessOrEnterprise } from './gates.js';

/**
 * cloud requirements: `Client::get_config_requirements_file`:
 * `/wham/config/requirements` | `/api/codex/config/requirements`. Fetched only for Business and
 * Enterprise plans (before PR #18811 also only when `is_chatgpt_auth()`; modelled here with the
 * migrated `uses_codex_backend()` check).
 */
export const cloudRequirementsFetch: Callsite = {
  id: 'cloud-requirements.fetch',
  title: 'cloud requirements fetches the managed requirements file',
  method: 'GET',
  target: 'chatgptBackend',
  path: (style) => (style === 'wham' ? '/wham/config/requirements' : '/api/codex/config/requirements'),
  gate: (auth, ctx) => requireBusinessOrEnterprise(auth, ctx?.profile ?? DEFAULT_CLIENT_PROFILE),
  source: 'codex-rs/cloud-requirements/src/lib.rs, codex-rs/backend-client/src/client.rs',
};

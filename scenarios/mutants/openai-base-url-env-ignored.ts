import { defineMutant } from './mutant.js';

/**
 * OPENAI_BASE_URL is not applied: model traffic goes to the default base although the variable is
 * set and `openai_base_url` is not, while the release still reads the variable (deprecated by
 * PR #12031 with a warning). Reported for 0.118.0 ("triggers a deprecation warning but is not
 * used") and for app-server sessions on 0.144.5 (yc-software/qm#522, corpus C3). Under the
 * pr18811 profile the reference follows the variable as openai_base_url; 0.171.0 no longer reads
 * it, so the mutant breaks only pr18811.
 */
export const openaiBaseUrlEnvIgnored = defineMutant({
  name: 'openai-base-url-env-ignored',
  description: 'OPENAI_BASE_URL is set and openai_base_url is not, yet model traffic goes to the default base.',
  breaks: { pr18811: 'URL.ENVBASE.001' },
  source: 'https://github.com/yc-software/qm/issues/522; https://github.com/openai/codex/pull/12031',
  parts: { openaiBaseUrlEnv: false },
});

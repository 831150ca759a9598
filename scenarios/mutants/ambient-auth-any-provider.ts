import { defineMutant } from './mutant.js';

/**
 * Provider auth as before PR #39214: a configured model provider with neither
 * `requires_openai_auth` nor auth of its own still resolves the ambient login, so a local model
 * server or proxy receives the user's ChatGPT bearer and ChatGPT-Account-ID.
 */
export const ambientAuthAnyProvider = defineMutant({
  name: 'ambient-auth-any-provider',
  description: 'A custom model provider that neither requires OpenAI auth nor configures auth gets the login\'s Bearer, ChatGPT-Account-ID and X-OpenAI-Fedramp.',
  breaks: { 'codex-0.171': 'HDR.PROVIDER.001' },
  source: 'codex-rs/model-provider/src/auth.rs (PR #39214)',
  parts: { providerTakesLogin: () => true },
});

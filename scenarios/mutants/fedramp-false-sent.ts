import { FEDRAMP_HEADER, authProviderFor } from '../../src/auth/auth-provider-for.js';
import { isFedrampAccount } from '../../src/auth/auth-getters.js';
import { defineMutant } from './mutant.js';

/**
 * The provider always writes the FedRAMP flag, as `X-OpenAI-Fedramp: false` for commercial
 * accounts. The source sends the header only for FedRAMP accounts and only as "true"
 * (codex-rs/model-provider/src/bearer_auth_provider.rs).
 */
export const fedrampFalseSent = defineMutant({
  name: 'fedramp-false-sent',
  description: 'Codex-backend requests of non-FedRAMP accounts carry X-OpenAI-Fedramp: false instead of no header.',
  breaks: { pr18811: 'HDR.FEDRAMP.002', 'codex-0.171': 'HDR.FEDRAMP.002' },
  source: 'codex-rs/model-provider/src/bearer_auth_provider.rs',
  parts: {
    providerFor: (auth, opts) => {
      const inner = authProviderFor(auth, opts);
      if (auth.mode === 'apiKey') return inner;
      return {
        applyHeaders(headers) {
          inner.applyHeaders(headers);
          if (!isFedrampAccount(auth)) headers.set(FEDRAMP_HEADER, 'false');
        },
      };
    },
  },
});

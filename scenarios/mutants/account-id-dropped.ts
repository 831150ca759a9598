import { ACCOUNT_ID_HEADER, authProviderFor } from '../../src/auth/auth-provider-for.js';
import { defineMutant } from './mutant.js';

/**
 * The bearer provider sets only `Authorization` after the migration: the ChatGPT-Account-ID
 * header that selects the workspace is lost for ChatGPT-token auth, so workspace users act in
 * their personal account.
 */
export const accountIdDropped = defineMutant({
  name: 'account-id-dropped',
  description: 'ChatGPT-token requests (chatgpt, chatgptAuthTokens) carry no ChatGPT-Account-ID header although the auth has an account id.',
  breaks: { pr18811: 'HDR.ACCOUNT.001', 'codex-0.171': 'HDR.ACCOUNT.001' },
  source: 'codex-rs/model-provider/src/bearer_auth_provider.rs',
  parts: {
    providerFor: (auth, opts) => {
      const inner = authProviderFor(auth, opts);
      if (auth.mode !== 'chatgpt' && auth.mode !== 'chatgptAuthTokens') return inner;
      return {
        applyHeaders(headers) {
          inner.applyHeaders(headers);
          headers.delete(ACCOUNT_ID_HEADER);
        },
      };
    },
  },
});

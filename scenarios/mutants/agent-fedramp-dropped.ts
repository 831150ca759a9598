import { authProviderFor } from '../../src/auth/auth-provider-for.js';
import { FEDRAMP_HEADER } from '../../src/auth/auth-provider-for.js';
import { defineMutant } from './mutant.js';

/**
 * The AgentAssertion provider attaches the account id from the identity claims but forgets the
 * FedRAMP flag (`chatgpt_account_is_fedramp`), so FedRAMP agent identities are routed as
 * commercial traffic. The bearer providers are unaffected.
 */
export const agentFedrampDropped = defineMutant({
  name: 'agent-fedramp-dropped',
  description: 'Agent identity requests omit X-OpenAI-Fedramp: true for FedRAMP identities (the claim is read but never applied).',
  breaks: { pr18811: 'HDR.AGENT.002', 'codex-0.171': 'HDR.AGENT.002' },
  source: 'codex-rs/login/src/auth/agent_identity.rs, codex-rs/model-provider/src/bearer_auth_provider.rs',
  parts: {
    providerFor: (auth, opts) => {
      const inner = authProviderFor(auth, opts);
      if (auth.mode !== 'agentIdentity') return inner;
      return {
        applyHeaders(headers) {
          inner.applyHeaders(headers);
          headers.delete(FEDRAMP_HEADER);
        },
      };
    },
  },
});

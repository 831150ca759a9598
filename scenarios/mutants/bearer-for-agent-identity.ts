import { ACCOUNT_ID_HEADER, AUTHORIZATION_HEADER, FEDRAMP_HEADER, authProviderFor } from '../../src/auth/auth-provider-for.js';
import { accountId, isFedrampAccount } from '../../src/auth/auth-getters.js';
import { defineMutant } from './mutant.js';

/**
 * The agent identity is treated like any other token: its JWT goes out as `Authorization:
 * Bearer <jwt>` instead of a signed, task-bound `AgentAssertion`. The identity JWT is a
 * long-lived credential that must never leave the client this way.
 */
export const bearerForAgentIdentity = defineMutant({
  name: 'bearer-for-agent-identity',
  description: 'Agent identity requests send the identity JWT as a Bearer token instead of an AgentAssertion.',
  breaks: { pr18811: 'HDR.AGENT.001', 'codex-0.171': 'HDR.AGENT.001' },
  source: 'codex-rs/agent-identity/src/lib.rs, codex-rs/login/src/auth/manager.rs',
  parts: {
    providerFor: (auth, opts) => {
      if (auth.mode !== 'agentIdentity') return authProviderFor(auth, opts);
      return {
        applyHeaders(headers) {
          headers.set(AUTHORIZATION_HEADER, `Bearer ${auth.jwt ?? auth.claims.agentRuntimeId}`);
          const account = accountId(auth);
          if (account !== undefined) headers.set(ACCOUNT_ID_HEADER, account);
          if (isFedrampAccount(auth)) headers.set(FEDRAMP_HEADER, 'true');
        },
      };
    },
  },
});

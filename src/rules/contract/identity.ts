/**
 * What the contract says an auth state's identity is: account id, ChatGPT user id, plan,
 * workspace flag and FedRAMP flag, per mode (codex-rs/login/src/auth/manager.rs generic getters:
 * managed ChatGPT reads `tokens.account_id` — never the id_token claim — and the id_token's user,
 * plan and FedRAMP claims; host tokens carry the account the host gave; agent identities answer
 * from their verified claims; personal access tokens from whoami; Headers mode only knows the
 * account header it was given; API keys and Bedrock have no identity).
 * Plans: codex-rs/protocol/src/auth.rs `KnownPlan` (aliases `hc` -> enterprise, `education` -> edu)
 * and `is_workspace_account`.
 */
import type { CodexAuth } from '../../auth/codex-auth.js';
import { assertNever } from '../../assert-never.js';

export interface ContractIdentity {
  readonly accountId?: string;
  readonly chatgptUserId?: string;
  /** The plan as the contract canonicalizes it (known plans lower-case; unknown kept). */
  readonly plan?: string;
  readonly isWorkspace: boolean;
  readonly isFedramp: boolean;
}

/** Workspace plans (and the raw spellings the source maps onto them). */
const WORKSPACE = new Map<string, string>([
  ['team', 'team'],
  ['self_serve_business_usage_based', 'self_serve_business_usage_based'],
  ['business', 'business'],
  ['enterprise_cbp_usage_based', 'enterprise_cbp_usage_based'],
  ['enterprise', 'enterprise'],
  ['hc', 'enterprise'],
  ['edu', 'edu'],
  ['education', 'edu'],
]);

/** Canonical plan of a claim value (exact, case-sensitive, as serde reads the JWT claim). */
export function contractPlan(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  return WORKSPACE.get(raw) ?? raw;
}

export function contractIdentity(auth: CodexAuth): ContractIdentity {
  const of = (accountId: string | undefined, chatgptUserId: string | undefined, rawPlan: string | undefined, isFedramp: boolean): ContractIdentity => {
    const plan = contractPlan(rawPlan);
    return {
      ...(accountId !== undefined && accountId !== '' ? { accountId } : {}),
      ...(chatgptUserId !== undefined ? { chatgptUserId } : {}),
      ...(plan !== undefined ? { plan } : {}),
      isWorkspace: plan !== undefined && [...WORKSPACE.values()].includes(plan),
      isFedramp,
    };
  };
  switch (auth.mode) {
    case 'apiKey':
    case 'bedrockApiKey':
      return { isWorkspace: false, isFedramp: false };
    case 'chatgpt':
      return of(auth.tokens.accountId, auth.tokens.idToken.chatgptUserId, auth.tokens.idToken.planType, auth.tokens.idToken.isFedramp);
    case 'chatgptAuthTokens':
      return of(auth.accountId, auth.chatgptUserId, auth.planType, auth.isFedramp);
    case 'agentIdentity':
      return of(auth.claims.accountId, auth.claims.chatgptUserId, auth.claims.planType, auth.claims.isFedramp);
    case 'personalAccessToken':
      return of(auth.accountId, auth.chatgptUserId, auth.planType, auth.isFedramp);
    case 'headers':
      return of(auth.headers['chatgpt-account-id'], undefined, undefined, false);
    default:
      return assertNever(auth, 'auth mode');
  }
}

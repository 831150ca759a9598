import type { SeedAuthMode as AuthMode } from '../../auth/codex-auth.js';
import type { PlanType } from '../../../mocks/state/accounts.js';
import { ConformanceInputError } from '../../errors.js';

/**
 * The black-box cases the codex-cli suite runs: one non-interactive turn per auth mode, plus a
 * FedRAMP workspace account (HDR.FEDRAMP.001 with a FedRAMP account) and an identity JWT the
 * mock did not sign (AGENT.JWT.001). How each mode is driven is recorded in docs/real-cli.md §5:
 * `codex exec` for auth.json / CODEX_ACCESS_TOKEN modes, `codex app-server` JSON-RPC
 * (`account/login/start` with type `chatgptAuthTokens`) for host-supplied tokens.
 */
export const CODEX_CLI_CASE_IDS = ['apiKey', 'chatgpt', 'chatgptFedramp', 'agentIdentity', 'agentIdentityForged', 'chatgptAuthTokens'] as const;
export type CodexCliCaseId = (typeof CODEX_CLI_CASE_IDS)[number];

export type CodexCliFlow = 'exec' | 'appServer';

export interface CodexCliCase {
  readonly id: CodexCliCaseId;
  readonly mode: AuthMode;
  readonly flow: CodexCliFlow;
  readonly title: string;
  /** The account the credentials belong to (API keys belong to none). */
  readonly account?: { readonly plan: PlanType; readonly fedramp: boolean };
  /** The identity JWT is re-signed with a key the mock's JWKS does not hold. */
  readonly forgedJwt?: boolean;
}

export const CODEX_CLI_CASES: readonly CodexCliCase[] = [
  { id: 'apiKey', mode: 'apiKey', flow: 'exec', title: 'API key in auth.json, `codex exec`' },
  { id: 'chatgpt', mode: 'chatgpt', flow: 'exec', title: 'ChatGPT tokens in auth.json (plus plan), `codex exec`', account: { plan: 'plus', fedramp: false } },
  { id: 'chatgptFedramp', mode: 'chatgpt', flow: 'exec', title: 'ChatGPT tokens of a FedRAMP enterprise workspace account, `codex exec`', account: { plan: 'enterprise', fedramp: true } },
  { id: 'agentIdentity', mode: 'agentIdentity', flow: 'exec', title: 'agent identity JWT in CODEX_ACCESS_TOKEN, `codex exec`', account: { plan: 'plus', fedramp: false } },
  {
    id: 'agentIdentityForged',
    mode: 'agentIdentity',
    flow: 'exec',
    title: 'agent identity JWT signed by a key outside the JWKS, `codex exec`',
    account: { plan: 'plus', fedramp: false },
    forgedJwt: true,
  },
  { id: 'chatgptAuthTokens', mode: 'chatgptAuthTokens', flow: 'appServer', title: 'host-supplied ChatGPT tokens over `codex app-server` (account/login/start)', account: { plan: 'plus', fedramp: false } },
];

export function codexCliCase(id: string): CodexCliCase {
  const found = CODEX_CLI_CASES.find((c) => c.id === id);
  if (found === undefined) {
    throw new ConformanceInputError('USAGE', `"${id}" is not a codex-cli case.`, `Use one of ${CODEX_CLI_CASE_IDS.join(', ')}.`);
  }
  return found;
}

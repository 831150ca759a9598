import type { KeyObject } from 'node:crypto';
import type { TokenLineage } from '../../src/rules/observed-request.js';
import type { AgentIdentityClaimsJson } from './token-claims.js';

/**
 * What the mock backend (mock-backend.ts) issued and hands out: the records it keeps per access
 * token, refresh token, agent runtime and task (the verifiers in mocks/verify/ read and update
 * them), the token set and agent identity it returns to a test, and the options of an issue.
 */
export interface IssuedAccessToken {
  readonly jti: string;
  readonly kind: 'chatgptAccess' | 'hostAccess';
  readonly accountId: string;
  readonly expiresAt: number;
  revoked: boolean;
  /** Family and generation of a ChatGPT access token (mocks/state/lineage.ts). */
  readonly lineage: TokenLineage;
}

export interface RefreshRecord {
  readonly accountId: string;
  readonly expiresAt: number;
  state: 'active' | 'used' | 'revoked';
  readonly lineage: TokenLineage;
  /** Set when the token was redeemed: the generation that redemption minted and its journal seq. */
  spentBy?: { readonly generation: number; seq?: number };
}

export interface AgentRuntime {
  readonly runtimeId: string;
  readonly accountId: string;
  readonly publicKey: KeyObject;
  /** Raw 32-byte Ed25519 public key (for sealing task ids). */
  readonly publicKeyRaw: Uint8Array;
  readonly encryptTaskIds: boolean;
}

export interface IssuedTask {
  readonly taskId: string;
  readonly runtimeId: string;
  readonly issuedAt: number;
  revoked: boolean;
}

export interface ChatgptTokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly accountId: string;
  /** Epoch ms the access token expires. */
  readonly expiresAt: number;
}

export interface AgentIdentityFixture {
  readonly jwt: string;
  readonly claims: AgentIdentityClaimsJson;
  readonly runtimeId: string;
  readonly accountId: string;
  readonly privateKeyPkcs8Base64: string;
}

export interface IssueTokenOptions {
  readonly ttlSeconds?: number;
  /** Issue an access token that has already expired. */
  readonly expired?: boolean;
  readonly refreshTtlSeconds?: number;
  readonly kind?: 'chatgptAccess' | 'hostAccess';
  /** Mint the next generation of this family (a redemption); default: a new family (a login). */
  readonly family?: string;
}

/**
 * The AuthProvider contract: built before a request, it only attaches headers. Cheap,
 * synchronous, no I/O (refresh and agent task registration happen before it is built).
 * Source: codex-rs/model-provider/src/bearer_auth_provider.rs and the AgentIdentity provider.
 */
export interface AuthProvider {
  /** Sets the auth headers of this provider's mode on `headers` (lower-case names). */
  applyHeaders(headers: Headers): void;
}

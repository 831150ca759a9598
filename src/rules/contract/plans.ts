/**
 * Plans the cloud-requirements gate admits (codex-rs/cloud-requirements/src/lib.rs:
 * `auth.uses_codex_backend() && (plan_type.is_business_like() || plan == Enterprise)`;
 * business-like in codex-rs/protocol/src/account.rs), per profile (src/rules/contract/features.ts).
 */
import type { ProfileId } from '../profiles.js';
import { contractFeatures } from './features.js';

export function requirementsPlans(profile: ProfileId): ReadonlySet<string> {
  return new Set(contractFeatures(profile).requirementsPlans);
}

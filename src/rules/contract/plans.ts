/**
 * Plans the cloud-requirements gate admits (codex-rs/cloud-requirements/src/lib.rs:
 * `auth.uses_codex_backend() && (plan_type.is_business_like() || plan == Enterprise)`;
 * business-like in codex-rs/protocol/src/account.rs). PR #18811: business,
 * enterprise_cbp_usage_based, enterprise. 0.171.0 adds ent26 and enterprise_cbp_automation.
 */
import type { ProfileId } from '../profiles.js';

const PR18811_PLANS: ReadonlySet<string> = new Set(['business', 'enterprise_cbp_usage_based', 'enterprise']);
const CODEX_0171_PLANS: ReadonlySet<string> = new Set([...PR18811_PLANS, 'ent26', 'enterprise_cbp_automation']);

export function requirementsPlans(profile: ProfileId): ReadonlySet<string> {
  return profile === 'pr18811' ? PR18811_PLANS : CODEX_0171_PLANS;
}

/**
 * What each published release's own source intends, where the black-box judges need it. The
 * contract profiles (src/rules/profiles.ts, src/rules/contract/features.ts, source-pinned) win:
 * for a release inside a profile's range every fact the profile's feature table covers (refresh
 * window, permanent failure classes, Apps path and trust gate, authapi map, agent identity JWT) is
 * read from that table. This file keeps only what the profiles do not cover:
 *  - the same facts for releases between two profiles' ranges (0.128.0 - 0.170.x), which the
 *    `matrix` command judges under the newest profile (see `matrixProfileFor`);
 *  - release-dependent details no profile models: how auth.json is written (`authJsonWrite`),
 *    when workspace routing starts (`workspaceRouting`), and the source quotes the refresh
 *    verdicts cite.
 * Sources: /work research notes for issue 8 (string literals of each linux-x64 binary,
 * content-matched source versions) and shared/reference/codex-auth-newest-source.md.
 */
import { contractFeatures, type ContractFeatures } from '../../rules/contract/features.js';
import { compareVersions as compareReleaseVersions, DEFAULT_PROFILE, PROFILE_IDS, PROFILES, type ProfileId } from '../../rules/profiles.js';

export interface SourceQuote {
  /** `openai/codex:<path>` plus the release line the quote applies to. */
  readonly where: string;
  readonly quote: string;
}

export interface ReleaseFacts {
  readonly version: string;
  /** Proactive refresh fires when the access token's exp <= now + this many seconds. */
  readonly refreshWindowSeconds: number;
  readonly refreshWindowSource: SourceQuote;
  /** A 400 invalid_grant from the token endpoint is a permanent failure (else transient, may be retried). */
  readonly invalidGrantPermanent: boolean;
  /** refresh_token_expired/_reused/_invalidated are permanent at any status (else only a 401 is). */
  readonly knownCodesPermanent: boolean;
  readonly permanentFailureSource: SourceQuote;
  /** Codex Apps gets ChatGPT credentials only on the production (or matching staging) origin. */
  readonly appsTrustGate: boolean;
  /** Agent identity reads a JWT from CODEX_ACCESS_TOKEN (else only an auth.json record). */
  readonly agentIdentityJwtEnv: boolean;
  /** Workspace routing discovery (`wham/accounts/check`) runs for ChatGPT auth. */
  readonly workspaceRouting: boolean;
  /** Codex Apps MCP path: `/wham/apps` through 0.144.x, `/ps/mcp` from 0.145.0 (PR #34389). */
  readonly appsVariant: 'whamApps' | 'psMcp';
  /**
   * How the source writes auth.json: `inPlace` where FileAuthStorage::save is known to truncate and
   * write (openai/codex:codex-rs/login/src/auth/storage.rs, pr18811 era: `options.truncate(true).write(true).create(true)`);
   * `unknown` where the release's storage.rs was not read (the observation is reported, not judged).
   */
  readonly authJsonWrite: 'inPlace' | 'unknown';
  /**
   * Agent identity maps the staging ChatGPT base to the staging authapi `https://auth.api.openai.org/api/accounts`
   * (ChatGptEnvironment, PR #19047; "Agent Identity only supports production and staging" first in 0.142.0);
   * before, the authapi is production `https://auth.openai.com/api/accounts` whatever the base (0.128-0.141).
   */
  readonly stagingAuthapi: boolean;
  /** Codex Apps trusts an https chatgpt-staging.com origin equal to the configured base (PR #36983, 2026-08-04: 0.146.1 by date). */
  readonly stagingAppsTrusted: boolean;
  /**
   * Auth managers one `codex exec` builds, each loading auth.json and keeping its own permanent
   * refresh failure cache (`CachedAuth { permanent_refresh_failure }`, "Permanent refresh failure
   * cached for the current auth snapshot", codex-rs/login/src/auth/manager.rs: a field of each
   * AuthManager, not process-wide). So up to this many identical token requests after a permanent
   * refusal are the source's design, one per manager. Observed: 2 per exec in 0.125-0.156, 4 in
   * 0.171 (the same count as its task registrations, JWKS fetches and whoami calls per exec).
   */
  readonly authLoadsPerExec: number;
  /**
   * The auth store keeps a sidecar lock file `auth.json.lock` for refresh commits (0.171.0 binary
   * literals `%s.lock`, "credential lock has no parent", "credential commit lock timed out",
   * "Credentials changed before refresh commit."; none of them in 0.125-0.156): a lock by design,
   * not a leftover of the auth.json rewrite.
   */
  readonly credentialLockFile: boolean;
  /**
   * An OPENAI_API_KEY stored in auth.json beside ChatGPT tokens is the login (PR #3189, first in
   * tag rust-v0.35.0; npm 0.36.0: "Prefer AuthMode.ApiKey if it's set in the auth.json",
   * codex-rs/core/src/auth.rs@rust-v0.36.0 `load_auth`). Before, the tokens win for a Free, Plus,
   * Pro or Team plan unless config.toml says `preferred_auth_method = "apikey"` (judges/codex-cli/stored-key-finding.ts).
   */
  readonly storedApiKeyWins: boolean;
  /** `codex app-server` exists (`Subcommand::AppServer`, codex-rs/cli/src/main.rs@rust-v0.43.0; absent at rust-v0.39.0). */
  readonly appServerSubcommand: boolean;
}

export const compareVersions = compareReleaseVersions;

/** The profile whose release range holds the version, or undefined between ranges. */
export function profileCovering(version: string): ProfileId | undefined {
  return PROFILES.find((p) => compareVersions(version, p.releases.from) >= 0 && (p.releases.until === undefined || compareVersions(version, p.releases.until) < 0))?.id;
}

/**
 * The profile the `matrix` command judges a release under: the profile whose range holds it, else
 * (a release between two profiles' ranges) the newest profile, with this file's facts deciding
 * the release-dependent details; a rule whose statement the release's source does not make is
 * not emitted for it (reported not exercised), never failed.
 */
export function matrixProfileFor(version: string): ProfileId {
  return profileCovering(version) ?? DEFAULT_PROFILE;
}

/**
 * The profile to derive one feature-dependent value from (e.g. the Apps URL): the run's profile
 * when its feature table agrees with the release's fact, else the first profile that has it.
 */
export function profileForReleaseFeature<K extends keyof ContractFeatures>(profile: ProfileId, key: K, value: ContractFeatures[K]): ProfileId {
  if (contractFeatures(profile)[key] === value) return profile;
  return PROFILE_IDS.find((p) => contractFeatures(p)[key] === value) ?? profile;
}

const atLeast = (v: string, min: string): boolean => compareVersions(v, min) >= 0;

const WINDOW_OLD: SourceQuote = {
  where: 'openai/codex:codex-rs/login/src/auth/manager.rs (pr18811 era, before PR #23546)',
  quote: 'return expires_at <= Utc::now(); } … last_refresh < Utc::now() - chrono::Duration::days(TOKEN_REFRESH_INTERVAL)',
};
const WINDOW_NEW: SourceQuote = {
  where: 'openai/codex:codex-rs/login/src/auth/manager.rs@50ea8fd4 (PR #23546, 2026-05-28; in releases from 0.136)',
  quote: 'CHATGPT_ACCESS_TOKEN_REFRESH_WINDOW_MINUTES = 5 (refresh when exp <= now + 5 min)',
};
const PERMANENT_OLD: SourceQuote = {
  where: 'openai/codex:codex-rs/login/src/auth/manager.rs (pr18811 era; "unknown 401 response" literal through 0.133)',
  quote: 'if status == StatusCode::UNAUTHORIZED { let failed = classify_refresh_token_failure(&body); Err(RefreshTokenError::Permanent(failed)) } else { … Transient',
};
const PERMANENT_NEW: SourceQuote = {
  where: 'openai/codex:codex-rs/login/src/auth/manager.rs (index version matching 0.171.0)',
  quote: 'if status == StatusCode::UNAUTHORIZED || failed.reason != RefreshTokenFailedReason::Other || is_invalid_grant_bad_request { Err(RefreshTokenError::Permanent(failed)) }',
};

/** Facts for a release: a covering profile's feature table first, else the release table below. */
export function releaseFacts(version: string): ReleaseFacts {
  const table = releaseTableFacts(version);
  const profile = profileCovering(version);
  if (profile === undefined) return table;
  const f = contractFeatures(profile);
  return {
    ...table,
    refreshWindowSeconds: f.refreshWindowSeconds,
    refreshWindowSource: f.refreshWindowSeconds > 0 ? WINDOW_NEW : WINDOW_OLD,
    invalidGrantPermanent: f.permanentRefresh === 'knownCodesAndInvalidGrant',
    knownCodesPermanent: f.permanentRefresh !== 'unauthorizedOnly',
    permanentFailureSource: f.permanentRefresh === 'unauthorizedOnly' ? PERMANENT_OLD : PERMANENT_NEW,
    appsTrustGate: f.appsTrust !== 'none',
    appsVariant: f.appsPath,
    agentIdentityJwtEnv: f.agentIdentity === 'verifiedJwt',
    stagingAuthapi: f.authapi === 'chatgptEnvironment',
    stagingAppsTrusted: f.appsTrust === 'productionAndStaging',
  };
}

/** The release table (newest fact whose first release is <= version), for releases no profile covers. */
export function releaseTableFacts(version: string): ReleaseFacts {
  // PR #23546 (5-minute window, 2026-05-28) has no literal to date it; observed on the binaries
  // (matrix 2026-12-06, case refreshWindow: a token expiring in 120 s): 0.133.0-0.135.0 do not refresh
  // it, 0.136.0 and 0.137.0 do, so releases >= 0.136 carry it.
  const window = atLeast(version, '0.136.0');
  // invalid_grant as permanent has no literal to date it; 0.171.0 carries it (index version with its literals).
  const invalidGrant = atLeast(version, '0.171.0');
  return {
    version,
    refreshWindowSeconds: window ? 300 : 0,
    refreshWindowSource: window ? WINDOW_NEW : WINDOW_OLD,
    invalidGrantPermanent: invalidGrant,
    // Known refresh error codes permanent at any status (PR #24830, 2026-05-27), observed on the binaries
    // (matrix 2026-12-06, case refreshFailReused400: a 400 refresh_token_reused): 0.135.0 retries it 101
    // times with a generic error, 0.136.0 sends 2 token requests and reports "already used".
    knownCodesPermanent: atLeast(version, '0.136.0'),
    permanentFailureSource: invalidGrant ? PERMANENT_NEW : PERMANENT_OLD,
    // PR #29924 (trust gate, 2026-06-24) is in 0.145.0 (Apps moved to /ps/mcp with it, PR #34389).
    appsTrustGate: atLeast(version, '0.145.0'),
    // PR #18904 / #19764: CODEX_AGENT_IDENTITY JWT from 0.128.0, renamed CODEX_ACCESS_TOKEN in 0.129.0.
    agentIdentityJwtEnv: atLeast(version, '0.129.0'),
    // workspace routing literals first in 0.156.0.
    workspaceRouting: atLeast(version, '0.156.0'),
    appsVariant: atLeast(version, '0.145.0') ? 'psMcp' : 'whamApps',
    // storage.rs truncate-and-write is verified in the pr18811-era source and in a stored version that already
    // has personal access tokens (June 2026 or later, i.e. >= 0.138); observed in place through 0.156.0, replaced
    // (new inode) by 0.171.0, whose storage.rs was not read.
    authJsonWrite: atLeast(version, '0.157.0') ? 'unknown' : 'inPlace',
    stagingAuthapi: atLeast(version, '0.142.0'),
    stagingAppsTrusted: atLeast(version, '0.146.1'),
    authLoadsPerExec: atLeast(version, '0.171.0') ? 4 : 2,
    credentialLockFile: atLeast(version, '0.171.0'),
    storedApiKeyWins: atLeast(version, '0.35.0'),
    appServerSubcommand: atLeast(version, '0.43.0'),
  };
}

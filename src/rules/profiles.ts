/**
 * Contract profiles: a named version of the Codex auth contract, read from the openai/codex source
 * at one commit or release. Every rule of the catalogue says which profiles it belongs to; a rule
 * whose meaning changes between profiles gets a new id and the old id stays in the older profile.
 * Adding the next release is data here (a profile, its release range) plus rule membership in
 * catalogue.ts; nothing else is copied per version.
 */
import { ConformanceInputError } from '../errors.js';

export const PROFILE_IDS = ['pr18811', 'codex-0.171'] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

export interface Profile {
  readonly id: ProfileId;
  readonly title: string;
  /** Upstream commit or release tag the profile's rules are read from. */
  readonly ref: string;
  /** Date of that commit or release (YYYY-MM-DD). */
  readonly date: string;
  /**
   * Published @openai/codex releases this profile judges: `from` inclusive, `until` exclusive
   * (open-ended when absent). Used by `--impl codex-cli:<version>` to pick a profile.
   */
  readonly releases: { readonly from: string; readonly until?: string };
  readonly description: string;
}

export const PROFILES: readonly Profile[] = Object.freeze([
  {
    id: 'pr18811',
    title: 'PR #18811 merged (route Codex auth through AuthProvider)',
    ref: '5882f3f9',
    date: '2026-04-23',
    releases: { from: '0.125.0', until: '0.128.0' },
    description:
      'The contract at the squash-merge of openai/codex PR #18811 (first released in 0.125.0): four auth modes, agent identity from an auth.json record registering its task at the ChatGPT base, Codex Apps at /wham/apps with no origin gate, refresh once the access token has expired, only a 401 permanent.',
  },
  {
    id: 'codex-0.171',
    title: '@openai/codex 0.171.0 (newest published release)',
    ref: 'rust-v0.171.0',
    date: '2026-11-20',
    releases: { from: '0.171.0' },
    description:
      'The contract of the newest published release: PAT, Headers and Bedrock modes, agent identity JWTs verified against a JWKS, Codex Apps at /ps/mcp with credentials only on a trusted origin, API-key model discovery on the constant ChatGPT host, production/staging authapi only, a 5-minute refresh window.',
  },
]);

/** The profile a run uses when none is named: the newest. */
export const DEFAULT_PROFILE: ProfileId = 'codex-0.171';

export function isProfileId(value: string): value is ProfileId {
  return (PROFILE_IDS as readonly string[]).includes(value);
}

export function profileById(id: string): Profile {
  const found = PROFILES.find((p) => p.id === id);
  if (found === undefined) {
    throw new ConformanceInputError(
      'USAGE',
      `no contract profile is named ${JSON.stringify(String(id).slice(0, 80))}.`,
      `use one of: ${PROFILE_IDS.join(', ')} (\`codex-auth-conformance rules --profile <name>\` lists a profile's rules).`,
    );
  }
  return found;
}

/** Compares two release versions `MAJOR.MINOR.PATCH[-pre]` numerically (pre-releases sort first). */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): [number[], string] => {
    const [core = '', pre = ''] = v.split('-', 2);
    return [core.split('.').map((n) => Number(n)), pre];
  };
  const [ca, pa] = parse(a);
  const [cb, pb] = parse(b);
  for (let i = 0; i < 3; i += 1) {
    const d = (ca[i] ?? 0) - (cb[i] ?? 0);
    if (d !== 0) return d;
  }
  if (pa === pb) return 0;
  if (pa === '') return 1;
  if (pb === '') return -1;
  return pa < pb ? -1 : 1;
}

/** The profile that judges a published codex release; a typed error before the first one. */
export function profileForCodexVersion(version: string): ProfileId {
  if (!/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?$/.test(version)) {
    throw new ConformanceInputError('USAGE', `"${String(version).slice(0, 40)}" is not a codex release version.`, 'pass an exact version such as 0.171.0.');
  }
  const match = PROFILES.find((p) => compareVersions(version, p.releases.from) >= 0 && (p.releases.until === undefined || compareVersions(version, p.releases.until) < 0));
  if (match === undefined) {
    const first = [...PROFILES].sort((x, y) => compareVersions(x.releases.from, y.releases.from))[0];
    const ranges = PROFILES.map((p) => `${p.id}: ${p.releases.from}${p.releases.until === undefined ? ' and later' : ` up to ${p.releases.until}`}`).join('; ');
    throw new ConformanceInputError(
      'USAGE',
      compareVersions(version, first?.releases.from ?? '0.0.0') < 0
        ? `codex ${version} predates every contract profile (the first, ${first?.id ?? '?'}, judges releases from ${first?.releases.from ?? '?'}).`
        : `no contract profile judges codex ${version} (${ranges}).`,
      'pass --profile explicitly, or add a profile for that release to src/rules/profiles.ts (data: its ref, its release range, the rules it keeps).',
    );
  }
  return match.id;
}

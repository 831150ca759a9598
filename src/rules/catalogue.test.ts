import { describe, expect, it } from 'vitest';
import { ALL_SUITES } from '../harness/suites/index.js';
import { inProfile, pickRule, RULE_ID_PATTERN, RULES, ruleById, ruleIdsInProfile, rulesInProfile } from './catalogue.js';
import { appsHeaderRule, CONTRACT_FEATURES, contractFeatures } from './contract/features.js';
import { PROFILE_MODES } from './contract/modes.js';
import { requirementsPlans } from './contract/plans.js';
import { PROFILE_IDS, PROFILES, profileById } from './profiles.js';
import { RULE_AREAS } from './rule.js';

const LIVE = RULES.filter((r) => r.withdrawn === undefined);
/** A pinned ref: an upstream commit (hex, at least 8) or a release tag. */
const PINNED_REF = /^(?:[0-9a-f]{8,40}|rust-v\d+\.\d+\.\d+)$/;

describe('rule catalogue', () => {
  it('ids are unique, well formed, and their area prefix matches the area', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RULES) {
      expect(r.id).toMatch(RULE_ID_PATTERN);
      expect(r.id.startsWith(`${r.area}.`)).toBe(true);
      expect(RULE_AREAS).toContain(r.area);
      expect(ruleById(r.id)).toBe(r);
    }
    expect(ruleById('HDR.NOPE.001')).toBeUndefined();
  });

  it('every rule has a level, a title and sources in openai/codex, each pinned to a commit or release tag', () => {
    for (const r of RULES) {
      expect(['MUST', 'SHOULD']).toContain(r.level);
      expect(r.title.length, r.id).toBeGreaterThan(20);
      expect(r.sources.length, r.id).toBeGreaterThan(0);
      for (const s of r.sources) {
        expect(s.path, r.id).toMatch(/^codex-rs\/[\w/.-]+\.rs$/);
        expect(s.ref, `${r.id} ${s.path}`).toMatch(PINNED_REF);
      }
      expect(r.source, r.id).toBe(r.sources.map((s) => `${s.path}@${s.ref}`).join(', '));
    }
  });

  it('every live rule belongs to at least one profile and cites a source pinned to each of its profiles\' ref', () => {
    for (const r of LIVE) {
      expect(r.profiles.length, `${r.id} belongs to no profile`).toBeGreaterThan(0);
      expect(new Set(r.profiles).size, r.id).toBe(r.profiles.length);
      for (const p of r.profiles) {
        expect(PROFILE_IDS, r.id).toContain(p);
        const ref = profileById(p).ref;
        expect(r.sources.some((s) => s.ref === ref), `${r.id} belongs to ${p} but cites no source at ${ref}`).toBe(true);
      }
    }
  });

  it('every source ref is the ref of a profile the rule belongs to (withdrawn rules: of some profile)', () => {
    const refs = new Set(PROFILES.map((p) => p.ref));
    for (const r of RULES) {
      const own = new Set(r.profiles.map((p) => profileById(p).ref));
      for (const s of r.sources) expect(r.withdrawn === undefined ? own.has(s.ref) : refs.has(s.ref), `${r.id} cites ${s.path}@${s.ref}`).toBe(true);
    }
  });

  it('withdrawn rules belong to no profile and name live replacements', () => {
    const withdrawn = RULES.filter((r) => r.withdrawn !== undefined);
    expect(withdrawn.length).toBeGreaterThan(0);
    for (const r of withdrawn) {
      expect(r.profiles, r.id).toEqual([]);
      expect(r.withdrawn!.replacedBy.length, r.id).toBeGreaterThan(0);
      for (const id of r.withdrawn!.replacedBy) expect(ruleById(id)?.withdrawn, `${r.id} -> ${id}`).toBeUndefined();
    }
    for (const p of PROFILE_IDS) for (const r of rulesInProfile(p)) expect(r.withdrawn, `${p} holds withdrawn ${r.id}`).toBeUndefined();
  });

  it('rulesInProfile and ruleIdsInProfile agree with each rule\'s profiles, in catalogue order', () => {
    for (const p of PROFILE_IDS) {
      const mine = RULES.filter((r) => r.profiles.includes(p));
      expect(rulesInProfile(p)).toEqual(mine);
      expect(ruleIdsInProfile(p)).toEqual(mine.map((r) => r.id));
    }
    // The profiles differ: each has rules the other lacks.
    const pr = new Set(ruleIdsInProfile('pr18811'));
    const newest = new Set(ruleIdsInProfile('codex-0.171'));
    expect([...pr].filter((id) => !newest.has(id))).toEqual(expect.arrayContaining(['HDR.APPS.001', 'GATE.APIKEY.002', 'URL.NORM.001', 'URL.AGENT.005', 'URL.APIKEY.001', 'REFRESH.REQUEST.001', 'REFRESH.PROACTIVE.001']));
    expect([...newest].filter((id) => !pr.has(id))).toEqual(expect.arrayContaining(['HDR.APPS.002', 'HDR.APPS.003', 'HDR.PAT.001', 'HDR.HEADERS.001', 'GATE.APIKEY.003', 'GATE.BACKEND.001', 'GATE.BEDROCK.001', 'URL.NORM.002', 'URL.AGENT.002', 'URL.AGENT.003', 'URL.AGENT.004', 'URL.APIKEY.002', 'AGENT.TASK.005', 'AGENT.JWT.001', 'AGENT.JWT.002', 'REFRESH.REQUEST.002', 'REFRESH.REQUEST.003', 'REFRESH.PROACTIVE.002', 'REFRESH.ERROR.003', 'REFRESH.EXTERNAL.002']));
  });

  it('every live rule belongs to exactly one suite, so a replay command names one property; no suite lists a withdrawn or unknown id', () => {
    const owners = new Map<string, string[]>();
    for (const suite of ALL_SUITES) for (const id of suite.rules) owners.set(id, [...(owners.get(id) ?? []), suite.id]);
    for (const r of LIVE) expect(owners.get(r.id), r.id).toHaveLength(1);
    for (const id of owners.keys()) {
      expect(ruleById(id), `suite rule ${id} is not in the catalogue`).toBeDefined();
      expect(ruleById(id)?.withdrawn, `suite rule ${id} is withdrawn`).toBeUndefined();
    }
  });

  it('every area has rules in every profile', () => {
    for (const p of PROFILE_IDS) for (const area of RULE_AREAS) expect(rulesInProfile(p).some((r) => r.area === area), `${p} ${area}`).toBe(true);
  });

  it('pickRule names the statement a profile keeps, and refuses ids of no such statement; inProfile agrees with membership', () => {
    expect(pickRule('pr18811', 'URL.NORM.002', 'URL.NORM.001')).toBe('URL.NORM.001');
    expect(pickRule('codex-0.171', 'URL.NORM.002', 'URL.NORM.001')).toBe('URL.NORM.002');
    expect(pickRule('pr18811', 'GATE.APIKEY.003', 'GATE.APIKEY.002')).toBe('GATE.APIKEY.002');
    expect(() => pickRule('pr18811', 'HDR.PAT.001')).toThrow(/none of HDR.PAT.001 belongs to profile pr18811/);
    expect(() => pickRule('codex-0.171', 'AGENT.TASK.001')).toThrow(TypeError);
    for (const p of PROFILE_IDS) for (const r of RULES) expect(inProfile(p, r.id), `${p} ${r.id}`).toBe(r.profiles.includes(p));
    expect(inProfile('codex-0.171', 'NOPE.NOPE.001')).toBe(false);
  });
});

describe('contract feature table', () => {
  it('has one row per profile, and the derived tables read it', () => {
    expect(Object.keys(CONTRACT_FEATURES).sort()).toEqual([...PROFILE_IDS].sort());
    for (const p of PROFILE_IDS) {
      expect(PROFILE_MODES[p]).toEqual(contractFeatures(p).modes);
      expect([...requirementsPlans(p)].sort()).toEqual([...contractFeatures(p).requirementsPlans].sort());
    }
  });

  it('states the source facts of each profile (research-8: PR #18811 at 0.125.0, 0.171.0)', () => {
    expect(contractFeatures('pr18811')).toMatchObject({ agentIdentity: 'authJsonRecord', authapi: 'chatgptBase', registrationAttempts: 1, appsPath: 'whamApps', appsTrust: 'none', refreshWindowSeconds: 0, permanentRefresh: 'unauthorizedOnly', apiKeyModelDiscovery: false });
    expect(contractFeatures('codex-0.171')).toMatchObject({ agentIdentity: 'verifiedJwt', authapi: 'chatgptEnvironment', registrationAttempts: 3, appsPath: 'psMcp', appsTrust: 'productionAndStaging', refreshWindowSeconds: 300, permanentRefresh: 'knownCodesAndInvalidGrant', apiKeyModelDiscovery: true });
    expect(contractFeatures('codex-0.171').modes).toEqual(expect.arrayContaining([...contractFeatures('pr18811').modes, 'personalAccessToken', 'headers', 'bedrockApiKey']));
  });

  it('features and rule membership agree: a profile judges the rules of the features it has', () => {
    for (const p of PROFILE_IDS) {
      const f = contractFeatures(p);
      expect(inProfile(p, 'HDR.APPS.001'), p).toBe(f.appsTrust === 'none');
      expect(inProfile(p, 'HDR.APPS.002') && inProfile(p, 'HDR.APPS.003'), p).toBe(f.appsTrust !== 'none');
      expect(appsHeaderRule(p, true)).toBe(f.appsTrust === 'none' ? 'HDR.APPS.001' : 'HDR.APPS.002');
      expect(appsHeaderRule(p, false)).toBe(f.appsTrust === 'none' ? 'HDR.APPS.001' : 'HDR.APPS.003');
      expect(inProfile(p, 'AGENT.JWT.001'), p).toBe(f.agentIdentity === 'verifiedJwt');
      expect(inProfile(p, 'URL.AGENT.005'), p).toBe(f.authapi === 'chatgptBase');
      expect(inProfile(p, 'URL.AGENT.004'), p).toBe(f.authapi === 'chatgptEnvironment');
      expect(inProfile(p, 'GATE.APIKEY.003'), p).toBe(f.apiKeyModelDiscovery);
      expect(inProfile(p, 'REFRESH.PROACTIVE.002'), p).toBe(f.refreshWindowSeconds > 0);
      expect(inProfile(p, 'REFRESH.ERROR.003'), p).toBe(f.permanentRefresh !== 'unauthorizedOnly');
      expect(inProfile(p, 'HDR.PAT.001'), p).toBe(f.modes.includes('personalAccessToken'));
      expect(inProfile(p, 'HDR.HEADERS.001'), p).toBe(f.modes.includes('headers'));
      expect(inProfile(p, 'GATE.BEDROCK.001'), p).toBe(f.modes.includes('bedrockApiKey'));
    }
  });
});

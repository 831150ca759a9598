import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REGISTRATION_SHAPES } from '../../../mocks/handlers/registration-shape.js';
import { AUTH_MODES } from '../../auth/codex-auth.js';
import { CALLSITE_IDS } from '../../callsites/catalog.js';
import { PROFILE_IDS } from '../../rules/profiles.js';
import { PROFILE_MODES } from '../../rules/contract/modes.js';
import { agentSessionCase } from './agent-session-suite.js';
import { refreshCase, TOKEN_ENDPOINTS } from './refresh-suite.js';
import { AGENT_OVERRIDES, requestCase } from './requests-suite.js';
import { cacheScenario, SHARED_USER_ID } from './cache-suite.js';
import { MockBackend } from '../../../mocks/state/mock-backend.js';
import { seedAuth } from '../auth-spec.js';
import { contractIdentity } from '../../rules/contract/identity.js';

const SEED = 11;

describe('suite generators span the hosts and endpoints a mock answers', () => {
  for (const profile of PROFILE_IDS) {
    it(`requests cases reach every base host in process and only the mock origin on a plain port (${profile})`, () => {
      const modes = PROFILE_MODES[profile];
      const anyHost = fc.sample(requestCase(CALLSITE_IDS, modes, profile, { productionHosts: true, anyHost: true }), { seed: SEED, numRuns: 1500 });
      for (const host of ['mock', 'production', 'staging', 'custom', 'localhost', 'ipv6']) expect(anyHost.some((c) => c.base.host === host), host).toBe(true);
      expect(anyHost.some((c) => c.base.spelling === 'backend-api/wham/remote/control/server/enroll/')).toBe(true);
      expect(anyHost.some((c) => c.auth.mode === 'agentIdentity' && c.base.host === 'staging' && c.agentOverrides === 'none')).toBe(true);
      // `pairSpelled` is a hand-picked example only (url-examples.ts and its test), never generated.
      for (const o of AGENT_OVERRIDES.filter((x) => x !== 'pairSpelled')) expect(anyHost.some((c) => c.auth.mode === 'agentIdentity' && c.base.host !== 'mock' && c.agentOverrides === o), o).toBe(true);
      const port = fc.sample(requestCase(CALLSITE_IDS, modes, profile, false), { seed: SEED, numRuns: 300 });
      expect(port.every((c) => c.base.host === 'mock')).toBe(true);
    });

    it(`agent session cases reach custom and loopback hosts (${profile})`, () => {
      const cases = fc.sample(agentSessionCase(['cloud-tasks.list'], profile, { productionHosts: true, anyHost: true }), { seed: SEED, numRuns: 500 });
      for (const host of ['custom', 'localhost', 'ipv6', 'staging']) expect(cases.some((c) => c.base.host === host), host).toBe(true);
      for (const shape of REGISTRATION_SHAPES) expect(cases.some((c) => c.registrationShape === shape), shape).toBe(true);
    });

    it(`refresh cases go to the override and to production where the production hosts are served (${profile})`, () => {
      const modes = PROFILE_MODES[profile].filter((m) => (AUTH_MODES as readonly string[]).includes(m));
      const inProcess = fc.sample(refreshCase(profile, modes, true), { seed: SEED, numRuns: 200 });
      for (const t of TOKEN_ENDPOINTS) expect(inProcess.some((c) => c.tokenEndpoint === t && c.kind === 'proactive'), t).toBe(true);
      const port = fc.sample(refreshCase(profile, modes, false), { seed: SEED, numRuns: 100 });
      expect(port.every((c) => c.tokenEndpoint === 'override')).toBe(true);
    });
  }

  it('cache scenarios log one user into several workspaces: identities differing only in the account id', async () => {
    const scenarios = fc.sample(cacheScenario(), { seed: SEED, numRuns: 60 });
    expect(scenarios.some((c) => c.accounts.every((a) => a.chatgptUserId === SHARED_USER_ID))).toBe(true);
    expect(scenarios.some((c) => c.accounts.every((a) => a.chatgptUserId === undefined))).toBe(true);
    const backend = await MockBackend.create({ seed: 3 });
    const account = { plan: 'team', fedramp: false, chatgptUserId: SHARED_USER_ID } as const;
    const [x, y] = [await seedAuth(backend, { mode: 'chatgpt', account, lastRefreshDaysAgo: 0 }), await seedAuth(backend, { mode: 'agentIdentity', account, via: 'CODEX_ACCESS_TOKEN' })];
    const [ix, iy] = [contractIdentity(x.expected), contractIdentity(y.expected)];
    expect(ix.chatgptUserId).toBe(SHARED_USER_ID);
    expect(iy.chatgptUserId).toBe(SHARED_USER_ID);
    expect(ix.accountId).not.toBe(iy.accountId);
    expect(ix.isWorkspace).toBe(iy.isWorkspace);
  });
});

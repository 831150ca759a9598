import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecosystemBlackboxScenarios } from '../judges/ecosystem/scenario-view.js';
import { portMockControl } from '../port-mock-control.js';
import { playClientScenario } from './client-actors.js';

/**
 * `seedHome` (the crash-safety run's seam): the home's auth.json exists, mode 0600, before the
 * driver process starts, and the driver gets CODEX_HOME, so a process wrapped around the driver
 * (the strace probe) finds the file the client will rewrite. The driver here refuses to start
 * unless $CODEX_HOME/auth.json is there when it starts (no package is run: start and stop only).
 */
const STAND_IN = resolve('src/harness/ecosystem/testdata/stand-in/stand-in-driver.mjs');
const GUARDED = ['/bin/sh', '-c', 'test -f "$CODEX_HOME/auth.json" && [ "$(stat -c %a "$CODEX_HOME/auth.json")" = 600 ] || exit 7; exec "$0" "$@"', process.execPath, STAND_IN, '--mode', 'works'];

let dir: string;
let mock: Awaited<ReturnType<typeof portMockControl>>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cac-seed-test-'));
  mock = await portMockControl({ seed: 1 });
});
afterAll(async () => {
  await mock.close();
  await rm(dir, { recursive: true, force: true });
});

function startStop() {
  const s = ecosystemBlackboxScenarios().find((x) => x.id === 'accessTokenExpired')!;
  return { ...s, steps: s.steps.filter((step) => step.kind === 'start' || step.kind === 'stop') };
}

describe('ecosystem client actor: seeding the home before the driver starts', () => {
  it('SHARE.WRITE.004 with seedHome the driver starts with CODEX_HOME/auth.json (0600) already on disk', async () => {
    const r = await playClientScenario({ mock, clientId: 'stand-in', driverCommand: GUARDED, scenario: startStop(), workDir: join(dir, 'seeded'), env: {}, timeoutMs: 10_000, seedHome: true });
    expect(r.safety).toEqual([]);
    expect(r.codexHomeFiles).toContain('auth.json');
  });

  it('without it the driver writes auth.json itself at configure, so the guarded driver never starts', async () => {
    const r = await playClientScenario({ mock, clientId: 'stand-in', driverCommand: GUARDED, scenario: startStop(), workDir: join(dir, 'plain'), env: {}, timeoutMs: 10_000 });
    expect(r.safety.map((e) => e.kind)).toContain('driverFailed');
  });
});

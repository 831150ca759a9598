import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driverImplementation } from './driver-implementation.js';
import { tempDir } from '../../testing/temp-dirs.js';

const TSX = [process.execPath, '--import', 'tsx'];
const SERVED_FAKE = fileURLToPath(new URL('./testdata/served-fake.ts', import.meta.url));
const REFERENCE_DRIVER = fileURLToPath(new URL('../../../examples/drivers/reference-driver.ts', import.meta.url));
const OPTS = { timeoutMs: 20_000, maxRestarts: 1, validate: true } as const;

let home: string;
beforeAll(async () => {
  home = await tempDir('served-');
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('serveImplementation (an in-process Implementation behind the protocol)', () => {
  it('answers every request with messages that pass schema validation; version 2: instances on one CODEX_HOME, concurrent invokes', async () => {
    const session = await driverImplementation([...TSX, SERVED_FAKE], OPTS).start();
    try {
      expect(session.hello.implementation).toEqual({ name: 'served-fake', version: '9.9.9', language: 'typescript' });
      await session.configure({ caseId: 'c1', home, files: {}, env: {}, config: {} });
      expect(await session.invoke('ok')).toEqual({ kind: 'sent', status: 204 });
      expect(await session.invoke('skip')).toEqual({ kind: 'skipped', reason: 'not here' });
      const thrown = await session.invoke('throws');
      expect(thrown.kind === 'errored' && thrown.message).toMatch(/implementation blew up/);
      expect(await session.introspect('caseId')).toBe('c1');
      // Version 2 (offered at start, chosen by the driver): a second instance on the same home keeps its own state.
      expect(session.hello.version).toBe(2);
      expect(session.hello.capabilities).toMatchObject({ instances: true, concurrentInvokes: true });
      await session.configure({ caseId: 'c2', home, files: {}, env: {}, config: {} }, 'b');
      expect([await session.introspect('caseId'), await session.introspect('caseId', 'b')]).toEqual(['c1', 'c2']);
      // `gate` completes only once `open` arrived: both were in flight at once.
      const outcomes = await session.invokeConcurrently([{ callsite: 'gate' }, { callsite: 'open', instance: 'b' }, { callsite: 'skip' }]);
      expect(outcomes).toEqual([{ kind: 'sent', status: 200 }, { kind: 'sent', status: 204 }, { kind: 'skipped', reason: 'not here' }]);
      expect(session.restarts).toBe(0);
    } finally {
      await session.stop();
    }
  });

  it('turns a configure failure into errored invokes for that case only', async () => {
    const session = await driverImplementation([...TSX, SERVED_FAKE], OPTS).start();
    try {
      await session.configure({ caseId: 'bad', home, files: {}, env: {}, config: {} });
      const outcome = await session.invoke('ok');
      expect(outcome.kind === 'errored' && outcome.message).toMatch(/configure failed: .*cannot configure case bad/);
      await session.configure({ caseId: 'good', home, files: {}, env: {}, config: {} });
      expect(await session.invoke('ok')).toEqual({ kind: 'sent', status: 204 });
    } finally {
      await session.stop();
    }
  });
});

describe('process reuse (capabilities.reset)', () => {
  it('parks a stopped session, resets it for the next start (same process, nothing of the last case) and starts a new process for freshProcess', async () => {
    const implementation = driverImplementation([...TSX, SERVED_FAKE], OPTS);
    try {
      const first = await implementation.start();
      expect(first.hello.capabilities.reset).toBe(true);
      await first.configure({ caseId: 'c1', home, files: {}, env: {}, config: {} });
      const pid = await first.introspect('pid');
      expect(await first.introspect('caseId')).toBe('c1');
      await first.stop();
      const second = await implementation.start();
      expect(await second.introspect('pid')).toBe(pid);
      expect(await second.introspect('caseId')).toBe('');
      await second.configure({ caseId: 'c2', home, files: {}, env: {}, config: {} });
      expect(await second.invoke('ok')).toEqual({ kind: 'sent', status: 204 });
      await second.stop();
      const fresh = await implementation.start({ freshProcess: true });
      expect(await fresh.introspect('pid')).not.toBe(pid);
      await fresh.stop();
      const reusedAgain = await implementation.start();
      expect(await reusedAgain.introspect('pid')).toBe(pid);
      await reusedAgain.configure({ caseId: 'c4', home, files: {}, env: {}, config: {} });
      await reusedAgain.stop();
      // What each case's process served before it (a replay of a failure in c4 runs c1, c2 first).
      expect(implementation.processHistory('c2')).toEqual(['c1']);
      expect(implementation.processHistory('c4')).toEqual(['c1', 'c2']);
      implementation.setProcessReuse(false);
      const unreused = await implementation.start();
      expect(await unreused.introspect('pid'), 'reuse turned off: a new process').not.toBe(pid);
      await unreused.stop();
    } finally {
      await implementation.close();
    }
  });

  it('does not reuse processes when reuseProcesses is false', async () => {
    const implementation = driverImplementation([...TSX, SERVED_FAKE], { ...OPTS, reuseProcesses: false });
    try {
      const first = await implementation.start();
      const pid = await first.introspect('pid');
      await first.stop();
      const second = await implementation.start();
      expect(await second.introspect('pid')).not.toBe(pid);
      await second.stop();
    } finally {
      await implementation.close();
    }
  });
});

describe('examples/drivers/reference-driver.ts', () => {
  it('GATE.APIKEY.001 serves the reference: an API key is refused by a codex-backend callsite', async () => {
    const session = await driverImplementation([...TSX, REFERENCE_DRIVER], OPTS).start();
    try {
      expect(session.hello.capabilities.callsites).toContain('cloud-tasks.list');
      await session.configure({
        caseId: 'ref-apikey',
        home,
        files: { 'auth.json': JSON.stringify({ OPENAI_API_KEY: 'sk-reference-test' }) },
        env: {},
        config: { chatgptBaseUrl: 'http://127.0.0.1:9/backend-api/' },
      });
      expect((await session.invoke('cloud-tasks.list')).kind).toBe('refused');
      expect(await session.introspect('authMode')).toBe('apiKey');
    } finally {
      await session.stop();
    }
  });
});

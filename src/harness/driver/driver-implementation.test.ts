import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseSetup } from '../implementation.js';
import { driverImplementation, probeDriver, smoke, type DriverOptions } from './driver-implementation.js';
import type { DriverSession } from './driver-session.js';
import { isDriverProtocolError } from './driver-error.js';
import { tempDir } from '../../testing/temp-dirs.js';

const BROKEN = fileURLToPath(new URL('../../../examples/drivers/broken/', import.meta.url));
const node = (script: string): string[] => [process.execPath, join(BROKEN, script)];
const FAST: DriverOptions = { timeoutMs: 5_000, maxRestarts: 3, validate: true };

let home: string;
beforeAll(async () => {
  home = await tempDir('driver-adapter-');
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

function setup(caseId: string): CaseSetup {
  return { caseId, home, files: {}, env: {}, config: {} };
}

async function withSession<T>(script: string, opts: DriverOptions, body: (s: DriverSession) => Promise<T>): Promise<T> {
  const session = await driverImplementation(node(script), opts).start();
  try {
    return await body(session);
  } finally {
    await session.stop();
  }
}

describe('driverImplementation over a well-behaved driver', () => {
  it('takes name, version and capabilities from the start response', async () => {
    const impl = await probeDriver(node('ok.mjs'), FAST);
    expect(impl.name).toBe('fake-driver');
    expect(impl.version).toBe('0.0.1');
    expect(impl.capabilities.callsites).toContain('fake.ok');
    expect(impl.hello?.implementation.language).toBe('javascript');
  });

  it('reports a placeholder before the first start', () => {
    const impl = driverImplementation(node('ok.mjs'), FAST);
    expect(impl.version).toBe('unknown');
    expect(impl.capabilities.callsites).toEqual([]);
  });

  it('carries sent, refused and skipped outcomes and introspection', async () => {
    await withSession('ok.mjs', FAST, async (session) => {
      await session.configure(setup('case-1'));
      const sent = await session.invoke('fake.ok');
      expect(sent).toMatchObject({ kind: 'sent', status: 200, body: { callsite: 'fake.ok', caseId: 'case-1' } });
      expect(await session.invoke('fake.refuse')).toEqual({ kind: 'refused', reason: 'gate says no' });
      expect(await session.invoke('fake.skip')).toEqual({ kind: 'skipped', reason: 'not supported', link: 'https://example.invalid/issue/1' });
      expect(typeof (await session.introspect('pid'))).toBe('number');
      expect(session.restarts).toBe(0);
    });
  });

  it('refuses introspection the driver did not declare', async () => {
    await withSession('ok.mjs', FAST, async (session) => {
      await session.configure(setup('case-1'));
      await expect(session.introspect('appsCacheKey')).rejects.toThrow(/does not offer introspect/);
    });
  });

  it('rejects invoke before configure as misuse', async () => {
    await withSession('ok.mjs', FAST, async (session) => {
      await expect(session.invoke('fake.ok')).rejects.toThrow(TypeError);
    });
  });

  it('serializes concurrent invokes (one request in flight at a time)', async () => {
    await withSession('ok.mjs', FAST, async (session) => {
      await session.configure(setup('case-c'));
      const outcomes = await Promise.all(['fake.ok', 'fake.refuse', 'fake.ok'].map((c) => session.invoke(c)));
      expect(outcomes.map((o) => o.kind)).toEqual(['sent', 'refused', 'sent']);
    });
  });

  it('does not hand the driver the harness auth environment', async () => {
    process.env['OPENAI_API_KEY'] = 'sk-must-not-leak';
    try {
      const impl = driverImplementation([process.execPath, '-e', ENV_DRIVER], FAST);
      const session = await impl.start();
      await session.configure(setup('env'));
      const outcome = await session.invoke('fake.ok');
      await session.stop();
      expect(outcome).toEqual({ kind: 'sent', status: 200, body: { leaked: false } });
    } finally {
      delete process.env['OPENAI_API_KEY'];
    }
  });
});

const ENV_DRIVER = `
const rl = require('node:readline').createInterface({ input: process.stdin });
const out = (m) => process.stdout.write(JSON.stringify(m) + '\\n');
rl.on('line', (l) => {
  const r = JSON.parse(l);
  if (r.cmd === 'start') out({ seq: r.seq, version: 1, implementation: { name: 'env', version: '1', language: 'javascript' }, capabilities: { authModes: [], callsites: ['fake.ok'], introspect: [] } });
  else if (r.cmd === 'invoke') out({ seq: r.seq, outcome: { kind: 'sent', status: 200, body: { leaked: 'OPENAI_API_KEY' in process.env } } });
  else { out({ seq: r.seq, ok: true }); if (r.cmd === 'stop') process.exit(0); }
});`;

describe('driverImplementation over broken drivers', () => {
  const cases = [
    { script: 'crash-on-callsite.mjs', callsite: 'fake.crash', failure: 'crashed', pattern: /exited \(code 3\)/ },
    { script: 'hang.mjs', callsite: 'fake.hang', failure: 'timeout', pattern: /did not answer within/ },
    { script: 'garbage.mjs', callsite: 'fake.garbage', failure: 'invalidJson', pattern: /not JSON/ },
    { script: 'wrong-seq.mjs', callsite: 'fake.wrong-seq', failure: 'wrongSeq', pattern: /expected \d+/ },
  ] as const;

  for (const c of cases) {
    it(`${c.script}: the bad invoke is errored (uncaught), the driver restarts, earlier and later results stand`, async () => {
      const opts: DriverOptions = { ...FAST, timeoutMs: 3_000 };
      await withSession(c.script, opts, async (session) => {
        await session.configure(setup(`case-${c.script}`));
        const before = await session.invoke('fake.ok');
        const broken = await session.invoke(c.callsite);
        const after = await session.invoke('fake.ok');

        expect(before).toMatchObject({ kind: 'sent', status: 200 });
        expect(broken.kind).toBe('errored');
        expect(broken.kind === 'errored' && broken.message).toMatch(/^uncaught: /);
        expect(broken.kind === 'errored' && broken.message).toMatch(c.pattern);
        expect(session.restarts).toBe(1);
        const uncaught = session.events.find((e) => e.kind === 'uncaught');
        expect(uncaught?.kind === 'uncaught' && uncaught.error.failure).toBe(c.failure);
        // The replacement process got start + the replayed configure: same case, new pid.
        expect(after).toMatchObject({ kind: 'sent', status: 200, body: { caseId: `case-${c.script}` } });
        const pid = (o: typeof before) => (o.kind === 'sent' ? (o.body as { pid: number }).pid : -1);
        expect(pid(after)).not.toBe(pid(before));
      });
    });
  }

  it('gives up after maxRestarts and answers errored without hanging', async () => {
    await withSession('crash-on-callsite.mjs', { ...FAST, maxRestarts: 1 }, async (session) => {
      await session.configure(setup('give-up'));
      expect((await session.invoke('fake.crash')).kind).toBe('errored');
      expect((await session.invoke('fake.crash')).kind).toBe('errored');
      const third = await session.invoke('fake.ok');
      expect(third.kind === 'errored' && third.message).toMatch(/failed after 1 restart/);
      expect(session.events.some((e) => e.kind === 'gaveUp')).toBe(true);
    });
  });

  it('unsolicited.mjs: an extra stdout line is recorded as uncaught and the driver restarts before the next request', async () => {
    await withSession('unsolicited.mjs', FAST, async (session) => {
      await session.configure(setup('unsolicited'));
      expect(await session.invoke('fake.unsolicited')).toEqual({ kind: 'sent', status: 200 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const outcome = await session.invoke('fake.ok');
      expect(outcome).toMatchObject({ kind: 'sent', body: { caseId: 'unsolicited' } });
      expect(session.restarts).toBe(1);
      const uncaught = session.events.find((e) => e.kind === 'uncaught');
      expect(uncaught?.kind === 'uncaught' && uncaught.error.failure).toBe('unsolicited');
    });
  });

  it('captures stderr bounded and never mistakes it for a response', async () => {
    await withSession('noisy-stderr.mjs', { ...FAST, stderrLimitBytes: 4096 }, async (session) => {
      await session.configure(setup('noisy'));
      for (let i = 0; i < 5; i++) expect((await session.invoke('fake.ok')).kind).toBe('sent');
      expect(session.restarts).toBe(0);
      const tail = session.stderrTail();
      expect(tail.length).toBeLessThanOrEqual(4096);
      expect(tail).toContain('xxxx');
    });
  });

  it('with validate, a schema-breaking response is an uncaught failure', async () => {
    await withSession('bad-schema.mjs', FAST, async (session) => {
      await session.configure(setup('schema'));
      const outcome = await session.invoke('fake.ok');
      expect(outcome.kind === 'errored' && outcome.message).toMatch(/violates schemas\/driver\/v1\/invoke\.response\.json/);
      expect(session.restarts).toBe(1);
    });
  });

  it('without validate, the same response is read leniently', async () => {
    await withSession('bad-schema.mjs', { ...FAST, validate: false }, async (session) => {
      await session.configure(setup('lenient'));
      expect(await session.invoke('fake.ok')).toEqual({ kind: 'sent', status: 42 });
    });
  });

  it('a driver speaking another protocol version fails start with DRIVER_PROTOCOL', async () => {
    const error = await driverImplementation(node('wrong-version.mjs'), FAST)
      .start()
      .then(() => undefined, (e: unknown) => e);
    expect(isDriverProtocolError(error) && error.code).toBe('DRIVER_PROTOCOL');
    expect(isDriverProtocolError(error) && error.failure).toBe('versionMismatch');
  });
});

describe('smoke', () => {
  it('passes a driver that answers start and stop', async () => {
    const report = await smoke(node('ok.mjs'));
    expect(report.ok).toBe(true);
  });

  it('reports a driver that dies at start, with its stderr', async () => {
    const report = await smoke(node('crash-at-start.mjs'), { timeoutMs: 10_000 });
    expect(report).toMatchObject({ ok: false, failure: 'crashed' });
    expect(report.stderrTail).toContain('cannot load my dependencies');
  });

  it('reports a command that does not exist', async () => {
    const report = await smoke([join(home, 'no-such-driver')], { timeoutMs: 2_000 });
    expect(report).toMatchObject({ ok: false });
    expect(report.ok === false && report.failure).toMatch(/spawnFailed|crashed/);
  });

  it('reports a driver that never answers start within the timeout', async () => {
    const started = Date.now();
    const report = await smoke([process.execPath, '-e', 'setInterval(() => {}, 1000)'], { timeoutMs: 300 });
    expect(report).toMatchObject({ ok: false, failure: 'timeout' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

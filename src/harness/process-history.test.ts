import { describe, expect, it } from 'vitest';
import { invokeCallsite } from '../callsites/invoke.js';
import type { Implementation, Session } from './implementation.js';
import { inProcessMockControl } from './in-process-mock-control.js';
import { referenceImplementation } from './reference-implementation.js';
import type { RunReport } from './results.js';
import { runConformance, type RunOptions } from './runner.js';
import { shellWords } from './shell-words.js';
import { ALL_SUITES } from './suites/index.js';

/**
 * The reference as a driver whose "process" serves many cases (as a driver with `reset`) and
 * keeps the first ChatGPT-Account-ID it sent across reset, like examples/drivers/broken/sticky-account.ts
 * (which shows the same through the real driver adapter, in a namespace, in minutes; this is ms).
 */
function stickyImplementation(): Implementation {
  interface FakeProcess { sticky: string | undefined; readonly served: string[] }
  let current: FakeProcess | undefined;
  let reuse = true;
  const history = new Map<string, readonly string[]>();
  const inner = referenceImplementation({
    invokeCallsite: (id, ctx) =>
      invokeCallsite(id, {
        ...ctx,
        fetch: (input, init) => {
          const headers = new Headers(init?.headers);
          const account = headers.get('chatgpt-account-id');
          if (account !== null && current !== undefined) {
            current.sticky ??= account;
            headers.set('chatgpt-account-id', current.sticky);
          }
          return ctx.fetch(input, { ...init, headers });
        },
      }),
  }, 'sticky');
  return {
    name: 'sticky',
    version: '1',
    capabilities: inner.capabilities,
    async start(options) {
      if (!reuse || options?.freshProcess === true || current === undefined) current = { sticky: undefined, served: [] };
      const proc = current;
      const session = await inner.start();
      const wrapped: Session = {
        async configure(setup) {
          history.set(setup.caseId, [...proc.served]);
          proc.served.push(setup.caseId);
          await session.configure(setup);
        },
        invoke: (c) => session.invoke(c),
        stop: () => session.stop(),
      };
      return wrapped;
    },
    processHistory: (caseId) => history.get(caseId),
    setProcessReuse(enabled) {
      reuse = enabled;
    },
    async close() {
      current = undefined;
    },
  };
}

async function run(opts: Omit<RunOptions, 'implementation' | 'mock' | 'suites' | 'profile'>, implementation = stickyImplementation()): Promise<RunReport> {
  const mock = await inProcessMockControl(7);
  try {
    return await runConformance({ implementation, mock, suites: ALL_SUITES, profile: 'codex-0.171', implArg: 'driver:sticky', ...opts });
  } finally {
    await mock.close();
  }
}

describe('a failure that depends on process history', () => {
  it('HDR.ACCOUNT.001 the replay carries the cases the process served before (--after-path) and fails the same rule; the finding names the driver', async () => {
    const first = await run({ rulePrefixes: ['HDR.ACCOUNT.001'], seed: 7, runs: 8 });
    const failure = first.cases.find((c) => c.ruleId === 'HDR.ACCOUNT.001' && c.verdict === 'fail');
    expect(failure, 'the sticky account is caught').toBeDefined();
    expect(failure!.message).toMatch(/state survived reset: sticky 1 passes this case in a fresh process and fails it after serving \d+ earlier case\(s\) in the same process/);
    expect(failure!.replay?.afterPaths?.length).toBeGreaterThan(0);
    const words = shellWords(failure!.replay!.command);
    expect(words.slice(0, 3)).toEqual(['npx', 'codex-auth-conformance', 'run']);
    const flag = (name: string) => words[words.indexOf(name) + 1]!;
    expect(flag('--after-path')).toBe(failure!.replay!.afterPaths!.join(','));
    const replay = await run({ rulePrefixes: [flag('--rules')], seed: Number(flag('--seed')), runs: 8, path: flag('--path'), afterPaths: flag('--after-path').split(',') });
    const again = replay.cases.find((c) => c.ruleId === 'HDR.ACCOUNT.001');
    expect(again?.verdict, 'the printed replay fails the same rule').toBe('fail');
    expect(again?.replay?.afterPaths, 'and prints the history again').toEqual(failure!.replay!.afterPaths);
  });

  it('HDR.ACCOUNT.001 with reuse off (--fresh-process) every case gets a new process: the same run passes', async () => {
    const implementation = stickyImplementation();
    implementation.setProcessReuse!(false);
    const report = await run({ rulePrefixes: ['HDR.ACCOUNT.001'], seed: 7, runs: 1 }, implementation);
    expect(report.cases.find((c) => c.ruleId === 'HDR.ACCOUNT.001')?.verdict).toBe('pass');
  });
});

import { access, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MockBackend } from '../../mocks/state/mock-backend.js';
import { main } from './main.js';
import { tempDir } from '../testing/temp-dirs.js';

/**
 * Safe by default: no command contacts a non-loopback host unless `--allow-network`, and the
 * refusal comes before any socket is opened. `fetch` is watched (any call fails the test); the
 * machine is made to look networked (a non-loopback interface), so the refusal cannot come from
 * an isolated test environment. Foreign code (drivers, the codex binary) is refused when no
 * loopback-only namespace can be made (CODEX_AUTH_CONFORMANCE_NETNS=off), and never started.
 */
vi.mock('node:os', async (importOriginal) => {
  const os = await importOriginal<typeof import('node:os')>();
  const networkInterfaces = (): ReturnType<typeof os.networkInterfaces> => ({
    lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
    eth0: [{ address: '192.0.2.10', netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal: false, cidr: '192.0.2.10/24' }],
  });
  return { ...os, networkInterfaces, default: { ...os, networkInterfaces } };
});

const tempDirFor = (): Promise<string> => tempDir('cac-refusal-');

const fetched: string[] = [];
beforeAll(() => {
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
    fetched.push(String(input instanceof Request ? input.url : input));
    throw new Error('the test forbids any fetch');
  });
});
afterEach(() => {
  expect(fetched, 'no request may be attempted').toEqual([]);
});

function capture(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env, cwd: process.cwd() }, text: () => [...out, ...err].join('\n') };
}

async function agentIdentity(): Promise<{ jwt: string; jwks: unknown }> {
  const backend = await MockBackend.create();
  const account = backend.createAccount({ plan: 'team' });
  return { jwt: (await backend.createAgentIdentity(account.id)).jwt, jwks: backend.agentIdentityKeys.jwks() };
}
const agentIdentityJwt = async (): Promise<string> => (await agentIdentity()).jwt;

const exists = (p: string) => access(p).then(() => true, () => false);

describe('no command reaches beyond loopback unless --allow-network', () => {
  it('request (agent identity) refuses to fetch the JWKS from the chatgpt_base_url config.toml names', async () => {
    const home = await tempDirFor();
    await writeFile(join(home, 'config.toml'), 'chatgpt_base_url = "https://chatgpt.example.com/backend-api/"\n');
    const c = capture({ CODEX_ACCESS_TOKEN: await agentIdentityJwt() });
    expect(await main(['request', 'cloud-tasks.list', '--codex-home', home], c.io)).toBe(2);
    expect(c.text()).toMatch(/error \[NETWORK_REFUSED\]: request cloud-tasks\.list would contact https:\/\/chatgpt\.example\.com, which is not a loopback host; nothing was sent\. Fix: .*--allow-network/);
  });

  it('request (agent identity) with no base URL at all refuses production (chatgpt.com)', async () => {
    const c = capture({ CODEX_ACCESS_TOKEN: await agentIdentityJwt() });
    expect(await main(['request', 'cloud-tasks.list', '--codex-home', await tempDirFor()], c.io)).toBe(2);
    expect(c.text()).toMatch(/NETWORK_REFUSED.*https:\/\/chatgpt\.com/);
  });

  it('request (agent identity) with a valid JWKS file still refuses to register a task with a remote authapi', async () => {
    const home = await tempDirFor();
    const identity = await agentIdentity();
    const jwks = join(home, 'jwks.json');
    await writeFile(jwks, JSON.stringify(identity.jwks));
    // The production base: task registration would go to the production authapi (codex-0.171).
    const c = capture({ CODEX_ACCESS_TOKEN: identity.jwt });
    expect(await main(['request', 'cloud-tasks.list', '--codex-home', home, '--chatgpt-base-url', 'https://chatgpt.com/backend-api/', '--jwks', jwks], c.io)).toBe(2);
    expect(c.text()).toMatch(/error \[NETWORK_REFUSED\]: request cloud-tasks\.list would contact https:\/\/auth\.openai\.com, which is not a loopback host/);
    // Any other base is refused by the contract itself, before anything is contacted.
    const other = capture({ CODEX_ACCESS_TOKEN: identity.jwt });
    expect(await main(['request', 'cloud-tasks.list', '--codex-home', home, '--chatgpt-base-url', 'https://chatgpt.example.com/backend-api/', '--jwks', jwks], other.io)).toBe(2);
    expect(other.text()).toMatch(/error \[BAD_CONFIG\]: Agent Identity only supports production and staging/);
    // With a task id given, nothing needs the network: the request is computed (exit 0).
    const offline = capture({ CODEX_ACCESS_TOKEN: identity.jwt });
    expect(await main(['request', 'cloud-tasks.list', '--codex-home', home, '--chatgpt-base-url', 'https://chatgpt.com/backend-api/', '--jwks', jwks, '--task-id', 'task_1'], offline.io)).toBe(0);
    expect(offline.text()).toMatch(/AgentAssertion fp:/);
  });

  it('fixture refuses a non-loopback --base-url before creating anything', async () => {
    const home = join(await tempDirFor(), 'home');
    const c = capture();
    expect(await main(['fixture', '--mode', 'chatgpt', '--codex-home', home, '--base-url', 'https://example.com/backend-api/'], c.io)).toBe(2);
    expect(c.text()).toMatch(/NETWORK_REFUSED.*https:\/\/example\.com/);
    expect(await exists(home)).toBe(false);
  });

  for (const command of ['run', 'repro', 'smoke'] as const) {
    it(`${command} refuses to start a driver when no loopback-only namespace can be made`, async () => {
      const dir = await tempDirFor();
      const marker = join(dir, 'started');
      const driver = `${process.execPath} -e "require('fs').writeFileSync(process.argv[1], 'x')" ${marker}`;
      const saved = join(dir, 'saved.json');
      await writeFile(saved, JSON.stringify({ impl: `driver:${driver}`, rules: 'HDR', seed: 1 }));
      const argv = command === 'run' ? ['run', '--impl', `driver:${driver}`] : command === 'repro' ? ['repro', saved] : ['smoke', '--', ...driver.split(' ')];
      const c = capture({ CODEX_AUTH_CONFORMANCE_NETNS: 'off' });
      expect(await main(argv, c.io)).toBe(2);
      expect(c.text()).toMatch(/error \[NETWORK_REFUSED\]: cannot create a loopback-only network namespace here.*Fix: .*--allow-network/);
      expect(await exists(marker), 'the driver never started').toBe(false);
    });
  }

  it('run --impl codex-cli refuses before installing or starting the binary', async () => {
    const c = capture({ CODEX_AUTH_CONFORMANCE_NETNS: 'off' });
    expect(await main(['run', '--impl', 'codex-cli:0.171.0'], c.io)).toBe(2);
    expect(c.text()).toMatch(/NETWORK_REFUSED.*nothing was installed or started/);
  });
});

import { lookup } from 'node:dns/promises';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { ConformanceInputError } from '../../errors.js';

/**
 * The last check before the codex binary is started by a process that believes it runs inside
 * the run's network namespace (netns-reexec.ts): the marker is set, no interface other than
 * loopback has an address, and the production hosts resolve to 127.0.0.1 (hosts bind mount).
 * netns-launcher.mjs checks `ip link` / `ip addr` first; this repeats it from Node's side so a
 * wrong marker can never start the binary on the host network.
 */
export const NETNS_MARKER_ENV = 'CODEX_CONFORMANCE_IN_NETNS';

export function nonLoopbackAddresses(ifaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces()): string[] {
  const out: string[] = [];
  for (const [name, infos] of Object.entries(ifaces)) {
    for (const info of infos ?? []) {
      const loopback = info.internal && (info.address === '127.0.0.1' || info.address === '::1');
      if (!loopback) out.push(`${name} ${info.address}`);
    }
  }
  return out;
}

export async function assertIsolated(env: NodeJS.ProcessEnv = process.env, ifaces?: NodeJS.Dict<NetworkInterfaceInfo[]>, resolve: (host: string) => Promise<string> = async (h) => (await lookup(h, { family: 4 })).address): Promise<void> {
  const refuse = (what: string): never => {
    throw new ConformanceInputError('BAD_CONFIG', `Refusing to start the codex binary: ${what}.`, 'Run `codex-auth-conformance run --impl codex-cli` from the host; it re-executes itself inside a fresh network namespace (docs/real-cli.md).');
  };
  if (env[NETNS_MARKER_ENV] !== '1') refuse(`${NETNS_MARKER_ENV} is not set, so this is not the namespaced harness process`);
  const stray = nonLoopbackAddresses(ifaces);
  if (stray.length > 0) refuse(`the network has non-loopback addresses (${stray.join(', ')})`);
  let address: string;
  try {
    address = await resolve('chatgpt.com');
  } catch {
    return refuse('chatgpt.com does not resolve (the hosts bind mount is missing)');
  }
  if (address !== '127.0.0.1') refuse(`chatgpt.com resolves to ${address}, not 127.0.0.1`);
}

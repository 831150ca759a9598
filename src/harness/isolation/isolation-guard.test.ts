import { describe, expect, it } from 'vitest';
import { assertIsolated, NETNS_MARKER_ENV, nonLoopbackAddresses } from './isolation-guard.js';

const lo = { lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }] } as const;
const eth = { ...lo, eth0: [{ address: '10.0.0.5', netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal: false, cidr: '10.0.0.5/24' }] } as const;
const marker = { [NETNS_MARKER_ENV]: '1' };
const resolvesTo = (address: string) => async () => address;

describe('isolation guard before the codex binary starts', () => {
  it('passes inside the namespace: marker, loopback only, chatgpt.com -> 127.0.0.1', async () => {
    await expect(assertIsolated(marker, lo as never, resolvesTo('127.0.0.1'))).resolves.toBeUndefined();
  });

  it('refuses without the marker', async () => {
    await expect(assertIsolated({}, lo as never, resolvesTo('127.0.0.1'))).rejects.toThrow(/not the namespaced harness/);
  });

  it('refuses when any non-loopback address exists', async () => {
    expect(nonLoopbackAddresses(eth as never)).toEqual(['eth0 10.0.0.5']);
    await expect(assertIsolated(marker, eth as never, resolvesTo('127.0.0.1'))).rejects.toThrow(/non-loopback/);
  });

  it('refuses when chatgpt.com does not resolve to loopback or does not resolve', async () => {
    await expect(assertIsolated(marker, lo as never, resolvesTo('104.18.32.47'))).rejects.toThrow(/not 127\.0\.0\.1/);
    await expect(assertIsolated(marker, lo as never, async () => Promise.reject(new Error('ENOTFOUND')))).rejects.toThrow(/does not resolve/);
  });
});

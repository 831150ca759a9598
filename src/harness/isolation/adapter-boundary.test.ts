import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * No adapter imports another adapter's files (docs/design: "an adapter never imports another
 * adapter's files"): what the codex-cli, ecosystem and driver adapters share lives in
 * src/harness/isolation/ (namespace, hosts, run CA, impersonation) and src/harness/scenario/ (the
 * scenario model, runner, CODEX_HOME files). The driver protocol (src/harness/driver/) is how the
 * ecosystem's clients are driven, so the ecosystem adapter uses it; the driver code itself
 * imports neither the codex-cli nor the ecosystem adapter.
 */
const HARNESS = fileURLToPath(new URL('..', import.meta.url));
const ADAPTERS = ['codex-cli', 'ecosystem', 'driver'] as const;

function importsOf(dir: string): Array<{ file: string; target: string }> {
  return readdirSync(join(HARNESS, dir))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .flatMap((file) => [...readFileSync(join(HARNESS, dir, file), 'utf8').matchAll(/from '(\.\.?\/[^']+)'/g)].map((m) => ({ file: `${dir}/${file}`, target: m[1]! })));
}

describe('adapter boundaries', () => {
  const FORBIDDEN: Readonly<Record<(typeof ADAPTERS)[number], readonly string[]>> = { 'codex-cli': ['ecosystem', 'driver'], ecosystem: ['codex-cli'], driver: ['codex-cli', 'ecosystem'] };
  it.each(ADAPTERS)('%s imports no other adapter', (adapter) => {
    const crossing = importsOf(adapter).filter(({ target }) => FORBIDDEN[adapter].some((other) => target.startsWith(`../${other}/`)));
    expect(importsOf(adapter).length).toBeGreaterThan(0);
    expect(crossing).toEqual([]);
  });
});

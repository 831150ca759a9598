import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles a TypeScript driver (e.g. examples/drivers/reference-driver.ts) into one ES module that
 * plain `node` runs. The code is the same; only the loading differs: under `node --import tsx`
 * every module goes through tsx's loader thread and transform on each start (about 1 s of CPU per
 * process on this machine), the bundle starts in a fraction of that, which is what a driver run
 * with fresh processes pays per fresh process. Returns the bundle's path (in a new temp dir).
 */
export async function bundleDriver(entry: string, outDir?: string): Promise<string> {
  const dir = outDir ?? (await mkdtemp(join(tmpdir(), 'driver-bundle-')));
  const outfile = join(dir, `${basename(entry).replace(/\.[cm]?ts$/, '')}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    // Packages that load CommonJS with require() keep working inside an ES module bundle.
    banner: { js: "import { createRequire as __cacCreateRequire } from 'node:module'; const require = __cacCreateRequire(import.meta.url);" },
  });
  return outfile;
}

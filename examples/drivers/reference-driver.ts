/**
 * Serves the TypeScript reference implementation over driver protocol v1 (docs/driver-protocol.md):
 *   npx tsx examples/drivers/reference-driver.ts [--profile pr18811|codex-0.171]
 * The harness then judges it exactly like a foreign driver, which checks the protocol adapter
 * and the reference against each other. `--profile` selects the contract profile the reference
 * behaves as (default: the newest); pass the same one to `run --profile`.
 */
import { referenceImplementation } from '../../src/harness/reference-implementation.js';
import { serveImplementation } from '../../src/harness/driver/serve-implementation.js';
import { DEFAULT_PROFILE, profileById } from '../../src/rules/profiles.js';

const flag = process.argv.indexOf('--profile');
const profile = flag === -1 ? DEFAULT_PROFILE : profileById(process.argv[flag + 1] ?? '').id;

await serveImplementation(referenceImplementation({}, 'reference', profile), {
  input: process.stdin,
  output: process.stdout,
  log: (line) => process.stderr.write(`reference-driver: ${line}\n`),
});
process.exit(0);

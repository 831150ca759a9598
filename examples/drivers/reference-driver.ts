/**
 * Serves the TypeScript reference implementation over driver protocol v1 (docs/driver-protocol.md):
 *   npx tsx examples/drivers/reference-driver.ts
 * The harness then judges it exactly like a foreign driver, which checks the protocol adapter
 * and the reference against each other.
 */
import { referenceImplementation } from '../../src/harness/reference-implementation.js';
import { serveImplementation } from '../../src/harness/driver/serve-implementation.js';

await serveImplementation(referenceImplementation(), {
  input: process.stdin,
  output: process.stdout,
  log: (line) => process.stderr.write(`reference-driver: ${line}\n`),
});
process.exit(0);

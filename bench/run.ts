/**
 * Runs the benchmarks and prints one markdown table (measure | value | target | met). Figures
 * are written to bench/results/*.json. Not a test: numbers depend on the machine.
 *
 *   npm run bench                 # all (tests: the whole vitest suite, minutes)
 *   npm run bench -- port inprocess conformance drivers tests
 */
import { conformanceRun } from './conformance-run.js';
import { drivers } from './drivers.js';
import { inProcessCost } from './in-process-cost.js';
import { portThroughput } from './port-throughput.js';
import { testSuite } from './test-suite.js';

type Row = { measure: string; value: string; target: string; met: string };
const BENCHES: Record<string, () => Promise<Row[]>> = { port: portThroughput, inprocess: inProcessCost, conformance: conformanceRun, drivers, tests: testSuite };
const DEFAULT = Object.keys(BENCHES);

const names = process.argv.slice(2).filter((a) => a !== '--');
const selected = names.length === 0 ? DEFAULT : names;
for (const n of selected) {
  if (!(n in BENCHES)) {
    process.stderr.write(`unknown bench ${JSON.stringify(n)}; known: ${Object.keys(BENCHES).join(', ')} (mutants: npx tsx bench/mutants.ts)\n`);
    process.exit(2);
  }
}
const rows: Row[] = [];
for (const n of selected) {
  process.stderr.write(`… ${n}\n`);
  rows.push(...(await BENCHES[n]!()));
}
console.log(`Node ${process.version}, ${(await import('node:os')).cpus().length} cores\n`);
console.log('| measure | value | target | met |');
console.log('| --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.measure} | ${r.value} | ${r.target} | ${r.met} |`);

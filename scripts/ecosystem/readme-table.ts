/**
 * Puts an ecosystem table (the Markdown `run --impl ecosystem --reporter markdown --output FILE`
 * wrote) into README.md between the `ecosystem-table` markers, so the README carries exactly what
 * one recorded run produced.
 *   npx tsx scripts/ecosystem/readme-table.ts ecosystem.md
 */
import { readFile, writeFile } from 'node:fs/promises';

const BEGIN = '<!-- ecosystem-table:begin -->';
const END = '<!-- ecosystem-table:end -->';

const [source, readme = 'README.md'] = process.argv.slice(2);
if (source === undefined) {
  process.stderr.write('usage: npx tsx scripts/ecosystem/readme-table.ts <ecosystem.md> [README.md]\n');
  process.exit(2);
}
const table = (await readFile(source, 'utf8')).trim();
const text = await readFile(readme, 'utf8');
const a = text.indexOf(BEGIN);
const b = text.indexOf(END);
if (a < 0 || b < a) {
  process.stderr.write(`${readme} has no ${BEGIN} … ${END} section\n`);
  process.exit(2);
}
await writeFile(readme, `${text.slice(0, a + BEGIN.length)}\n${table}\n${text.slice(b)}`);
process.stdout.write(`updated ${readme} from ${source}\n`);

import { ConformanceInputError } from '../../errors.js';
import { RULES } from '../../rules/catalogue.js';
import { RULE_AREAS } from '../../rules/rule.js';
import type { Command } from '../command.js';
import { parseCommandArgs } from '../parse-args.js';

const usage = 'codex-auth-conformance rules [--json] [--area HDR|GATE|CACHE|URL|AGENT|REFRESH]';

export const rulesCommand: Command = {
  name: 'rules',
  summary: 'List the rule catalogue (id, level, title, source).',
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { json: { type: 'boolean' }, area: { type: 'string' } }, usage);
    const area = values.area;
    if (area !== undefined && !(RULE_AREAS as readonly string[]).includes(area)) {
      throw new ConformanceInputError(
        'USAGE',
        `unknown area ${JSON.stringify(area)}.`,
        `use one of ${RULE_AREAS.join(', ')}.`,
      );
    }
    const rules = RULES.filter((r) => area === undefined || r.area === area);
    if (values.json) {
      io.out(JSON.stringify(rules, null, 2));
      return 0;
    }
    const idWidth = Math.max(...rules.map((r) => r.id.length));
    for (const r of rules) {
      io.out(`${r.id.padEnd(idWidth)}  ${r.level.padEnd(6)}  ${r.title}`);
      io.out(`${' '.repeat(idWidth)}  ${''.padEnd(6)}  source: ${r.source}`);
    }
    io.out(`${rules.length} rules`);
    return 0;
  },
};

import { ConformanceInputError } from '../../errors.js';
import { RULES, rulesInProfile } from '../../rules/catalogue.js';
import { profileById } from '../../rules/profiles.js';
import { RULE_AREAS } from '../../rules/rule.js';
import type { Command } from '../command.js';
import { parseCommandArgs } from '../parse-args.js';

const usage = 'codex-auth-conformance rules [--profile pr18811|codex-0.171] [--withdrawn] [--json] [--area HDR|GATE|CACHE|URL|AGENT|REFRESH]';

export const rulesCommand: Command = {
  name: 'rules',
  summary: 'List the rule catalogue (id, level, profiles, title, pinned source); one profile with --profile, withdrawn ids with --withdrawn.',
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { json: { type: 'boolean' }, area: { type: 'string' }, profile: { type: 'string' }, withdrawn: { type: 'boolean' } }, usage);
    const area = values.area;
    if (area !== undefined && !(RULE_AREAS as readonly string[]).includes(area)) {
      throw new ConformanceInputError(
        'USAGE',
        `unknown area ${JSON.stringify(area)}.`,
        `use one of ${RULE_AREAS.join(', ')}.`,
      );
    }
    const profile = values.profile === undefined ? undefined : profileById(values.profile);
    const pool = profile !== undefined ? rulesInProfile(profile.id) : values.withdrawn === true ? RULES.filter((r) => r.withdrawn !== undefined) : RULES;
    const rules = pool.filter((r) => area === undefined || r.area === area);
    if (values.json) {
      io.out(JSON.stringify(rules, null, 2));
      return 0;
    }
    const idWidth = Math.max(...rules.map((r) => r.id.length));
    for (const r of rules) {
      io.out(`${r.id.padEnd(idWidth)}  ${r.level.padEnd(6)}  ${r.title}`);
      const pad = `${' '.repeat(idWidth)}  ${''.padEnd(6)}`;
      io.out(r.withdrawn !== undefined ? `${pad}  withdrawn: ${r.withdrawn.reason} Replaced by ${r.withdrawn.replacedBy.join(', ')}.` : `${pad}  profiles: ${r.profiles.join(', ')}`);
      io.out(`${pad}  source: ${r.source}`);
    }
    io.out(`${rules.length} rules${profile !== undefined ? ` in profile ${profile.id} (openai/codex@${profile.ref}, ${profile.date})` : ''}`);
    return 0;
  },
};

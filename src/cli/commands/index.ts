import type { Command } from '../command.js';
import { serveCommand } from './serve.js';
import { requestCommand } from './request.js';
import { checkCommand } from './check.js';
import { rulesCommand } from './rules.js';

/** Every command of the CLI, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [rulesCommand, checkCommand, requestCommand, serveCommand];

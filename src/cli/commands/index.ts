import type { Command } from '../command.js';
import { checkCommand } from './check.js';
import { reproCommand } from './repro.js';
import { requestCommand } from './request.js';
import { serveCommand } from './serve.js';
import { diffCommand } from './diff.js';
import { fixtureCommand } from './fixture.js';
import { matrixCommand } from './matrix.js';
import { rulesCommand } from './rules.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { smokeCommand } from './smoke.js';

/** Every command of the CLI, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [runCommand, reproCommand, reportCommand, rulesCommand, diffCommand, matrixCommand, smokeCommand, checkCommand, requestCommand, serveCommand, fixtureCommand];

import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { ConformanceInputError } from '../../errors.js';

/**
 * Checks, before anything starts, that a driver command names a program that exists: a path
 * (relative to `cwd`) to an executable file, or a name found on `PATH`. A typo ends in exit 2
 * with what is wrong, not in a protocol failure after a namespace was made.
 */
export function checkDriverCommand(command: readonly string[], cwd: string, env: Readonly<Record<string, string | undefined>>): void {
  const program = command[0];
  if (program === undefined || program === '') throw new ConformanceInputError('USAGE', 'the driver command is empty.', 'pass the driver command, e.g. -- python3 examples/drivers/python/codex_auth_driver.py.');
  const fix = 'pass the path of the driver program (or an interpreter on PATH and the script), e.g. python3 examples/drivers/python/codex_auth_driver.py.';
  if (program.includes('/')) {
    const path = isAbsolute(program) ? program : resolve(cwd, program);
    const info = (() => {
      try {
        return statSync(path);
      } catch {
        return undefined;
      }
    })();
    if (info === undefined) throw new ConformanceInputError('USAGE', `the driver program ${JSON.stringify(program.slice(0, 200))} does not exist.`, fix);
    if (!info.isFile() || !executable(path)) throw new ConformanceInputError('USAGE', `the driver program ${JSON.stringify(program.slice(0, 200))} is not an executable file.`, `${fix} (or chmod +x it)`);
    return;
  }
  // The driver is spawned with the harness's own PATH (driver-implementation.ts).
  const dirs = (env['PATH'] ?? process.env['PATH'] ?? '').split(delimiter).filter((d) => d !== '');
  if (!dirs.some((d) => executable(join(d, program)))) {
    throw new ConformanceInputError('USAGE', `the driver program ${JSON.stringify(program.slice(0, 200))} is not on PATH.`, fix);
  }
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

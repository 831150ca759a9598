import { randomBytes } from 'node:crypto';
import { access, constants, lstat, open, readlink, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { ConformanceInputError } from '../errors.js';

/**
 * Where a report file goes, decided before any work starts. A report never replaces what is at
 * its path:
 * - `replace`: a regular file (or nothing yet): written to a temporary file next to it and renamed
 *   over it, so a reader never sees half a report. A symlink is followed to its target, which is
 *   replaced; the link stays a link.
 * - `through`: a FIFO, a character device (`/dev/null`, a terminal) or anything reached through
 *   `/dev/` or `/proc/` (`/dev/stdout`, `/dev/fd/3`): opened and written in place, as a shell
 *   redirection would; never renamed over.
 */
export type ReportFile =
  | { readonly kind: 'replace'; readonly path: string; readonly requested: string }
  | { readonly kind: 'through'; readonly path: string; readonly requested: string; readonly what: string };

/** Symlink hops followed before giving up (as the kernel's ELOOP limit). */
const MAX_LINKS = 40;

/** The path a symlink chain ends at (which may not exist yet: a dangling link is written through to its target). */
async function followLinks(path: string): Promise<string> {
  let current = path;
  for (let hop = 0; hop < MAX_LINKS; hop += 1) {
    const info = await lstat(current).catch(() => undefined);
    if (info === undefined || !info.isSymbolicLink()) return current;
    const target = await readlink(current);
    current = isAbsolute(target) ? target : resolve(dirname(current), target);
  }
  throw new ConformanceInputError('USAGE', `cannot write a report to ${path}: too many symbolic links.`, 'pass a file that is not a symlink loop.');
}

function kindOf(info: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string | undefined {
  if (info.isFIFO()) return 'a FIFO';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return undefined;
}

/**
 * Classifies a report path and checks it can be written; throws a usage error (exit 2) that says
 * what is wrong otherwise. `reporter` names the report in the message.
 */
export async function reportFile(requested: string, reporter: string): Promise<ReportFile> {
  const fix = `pass a file in an existing, writable directory (--reporter ${reporter}=FILE).`;
  const cannot = (why: string) => new ConformanceInputError('USAGE', `cannot write the ${reporter} report to ${requested}: ${why}.`, fix);
  const info = await stat(requested).catch(() => undefined);
  if (info?.isDirectory() === true) throw cannot('it is a directory');
  const special = info === undefined ? undefined : kindOf(info);
  if (special === 'a socket' || special === 'a block device') throw cannot(`it is ${special}`);
  if (special !== undefined || /^\/(?:dev|proc)\//.test(requested)) {
    if (info === undefined) throw cannot('nothing is there to write through');
    if (!(await access(requested, constants.W_OK).then(() => true, () => false))) throw cannot(`${special ?? 'it'} is not writable`);
    return { kind: 'through', path: requested, requested, what: special ?? 'a file reached through /dev or /proc' };
  }
  const path = await followLinks(requested);
  const dir = dirname(path);
  const via = path === requested ? '' : ` (the symlink's target)`;
  const dirStat = await stat(dir).catch(() => undefined);
  if (dirStat === undefined) throw cannot(`the directory ${dir}${via} does not exist`);
  if (!dirStat.isDirectory()) throw cannot(`${dir}${via} is not a directory`);
  if (!(await access(dir, constants.W_OK).then(() => true, () => false))) throw cannot(`the directory ${dir}${via} is not writable`);
  if (info !== undefined && !(await access(path, constants.W_OK).then(() => true, () => false))) throw cannot('the file is not writable');
  return { kind: 'replace', path, requested };
}

/** Writes a whole report where `reportFile` decided. */
export async function writeReportFile(target: ReportFile, text: string): Promise<void> {
  try {
    if (target.kind === 'through') {
      const handle = await open(target.path, constants.O_WRONLY | constants.O_APPEND);
      try {
        await handle.writeFile(text, 'utf8');
      } finally {
        await handle.close();
      }
      return;
    }
    await replaceWhole(target.path, text);
  } catch (e) {
    if (e instanceof ConformanceInputError) throw e;
    throw new ConformanceInputError('USAGE', `cannot write ${target.requested} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`, 'pass a file in a writable directory.', { cause: e });
  }
}

async function replaceWhole(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(text, 'utf8');
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw e;
  }
}

import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-dirs.js';
import { main } from './main.js';
import { reportFile, writeReportFile } from './report-file.js';

const STREAM = [
  { type: 'header', formatVersion: 2, tool: { name: 'codex-auth-conformance', version: '0' }, implementation: { name: 'reference', version: '1' }, seed: 1, runs: 1, rulesSelected: ['HDR.AUTH.001'], startedAt: 'x' },
  { type: 'case', ruleId: 'HDR.AUTH.001', caseId: 'c1', verdict: 'pass', message: 'held on 1 of 1 case(s)', durationMs: 1 },
  { type: 'footer', casesRun: 1, durationMs: 1 },
].map((l) => JSON.stringify(l)).join('\n');

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: {}, cwd: process.cwd() }, out, err };
}

async function renderTo(dir: string, target: string): Promise<number> {
  const stream = join(dir, 'r.ndjson');
  await writeFile(stream, STREAM);
  return main(['report', stream, '--reporter', `junit=${target}`], capture().io);
}

describe('report targets never replace what is at the path', () => {
  it('a regular file is replaced whole (temp file + rename), no temporary file left', async () => {
    const dir = await tempDir('cac-report-file-');
    const file = join(dir, 'out.xml');
    await writeFile(file, 'old');
    const before = (await stat(file)).ino;
    expect(await renderTo(dir, file)).toBe(0);
    expect(await readFile(file, 'utf8')).toMatch(/^<\?xml[\s\S]*HDR\.AUTH\.001/);
    expect((await stat(file)).ino, 'renamed over, not written in place').not.toBe(before);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a symlink stays a symlink: its target gets the report (also a dangling one)', async () => {
    const dir = await tempDir('cac-report-file-');
    const target = join(dir, 'real.xml');
    await writeFile(target, 'old');
    const link = join(dir, 'link.xml');
    await symlink('real.xml', link);
    expect(await renderTo(dir, link)).toBe(0);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe('real.xml');
    expect(await readFile(target, 'utf8')).toMatch(/HDR\.AUTH\.001/);
    const dangling = join(dir, 'dangling.xml');
    await symlink(join(dir, 'later.xml'), dangling);
    expect(await renderTo(dir, dangling)).toBe(0);
    expect((await lstat(dangling)).isSymbolicLink()).toBe(true);
    expect(await readFile(join(dir, 'later.xml'), 'utf8')).toMatch(/HDR\.AUTH\.001/);
  });

  it('a FIFO stays a FIFO: the report is written through to its reader', async () => {
    const dir = await tempDir('cac-report-file-');
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const chunks: Buffer[] = [];
    const read = new Promise<string>((done, fail) => {
      const s = createReadStream(fifo);
      s.on('data', (c) => chunks.push(c as Buffer));
      s.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
      s.on('error', fail);
    });
    expect(await renderTo(dir, fifo)).toBe(0);
    expect(await read).toMatch(/^<\?xml[\s\S]*HDR\.AUTH\.001/);
    expect((await lstat(fifo)).isFIFO()).toBe(true);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a character device (/dev/null) is written through and stays a device', async () => {
    const target = await reportFile('/dev/null', 'junit');
    expect(target.kind).toBe('through');
    await writeReportFile(target, 'x\n');
    expect((await stat('/dev/null')).isCharacterDevice()).toBe(true);
  });

  it('a missing directory or nothing to write through is a usage error (exit 2) before any work', async () => {
    const dir = await tempDir('cac-report-file-');
    const c = capture();
    expect(await main(['report', join(dir, 'none.ndjson'), '--reporter', `junit=${join(dir, 'no', 'x.xml')}`], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/error \[USAGE\]: cannot write the junit report .* does not exist\. Fix: /);
    await expect(reportFile('/dev/does-not-exist-here', 'junit')).rejects.toThrow(/nothing is there to write through/);
  });
});

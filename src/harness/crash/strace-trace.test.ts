import { describe, expect, it } from 'vitest';
import { displayName, hitCall, injections, nextUnstableWhen, parseTrace, straceArgs, writePoints } from './strace-trace.js';

const H = '/tmp/h';
// strace -f -qq -y -s 0 as the campaign runs it: a read of auth.json on thread 11, an in-place
// rewrite on thread 12 (its write interrupted by a line of thread 11), a config read that is no auth file.
const TRACE = [
  `11 openat(AT_FDCWD</work>, "${H}/auth.json", O_RDONLY|O_CLOEXEC) = 5<${H}/auth.json>`,
  `11 close(5<${H}/auth.json>) = 0`,
  `12 openat(AT_FDCWD</work>, "${H}/auth.json", O_RDONLY|O_CLOEXEC) = 6<${H}/auth.json>`,
  `12 close(6<${H}/auth.json>) = 0`,
  `12 openat(AT_FDCWD</work>, "${H}/auth.json", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0600) = 7<${H}/auth.json>`,
  `12 write(7<${H}/auth.json>, ""..., 2526 <unfinished ...>`,
  `11 openat(AT_FDCWD</work>, "${H}/config.toml", O_RDONLY|O_CLOEXEC) = 8<${H}/config.toml>`,
  `12 <... write resumed>) = 2526`,
  `12 close(7<${H}/auth.json>) = 0`,
  `12 rename("${H}/.auth-credential.tmp", "${H}/auth.json") = 0`,
].join('\n');

describe('strace kill points', () => {
  it('SHARE.WRITE.004 parses an unfinished call and its resumption as one call', () => {
    const events = parseTrace(TRACE);
    expect(events.filter((e) => e.syscall === 'write')).toEqual([{ tid: 12, syscall: 'write', paths: [`${H}/auth.json`], flags: [], result: '2526' }]);
  });

  it('SHARE.WRITE.004 lists the write points on auth files with strace\'s per-thread index (reads counted)', () => {
    const { files, points } = writePoints(parseTrace(TRACE), H);
    expect(files).toEqual([`${H}/auth.json`, `${H}/.auth-credential.tmp`]);
    expect(points.find((p) => p.syscall === 'rename')).toMatchObject({ unstable: true, whenAll: 1 });
    expect(points.map((p) => `${p.syscall}:${p.when} ${p.label}`)).toEqual([
      'openat:2 openat auth.json O_WRONLY|O_CREAT|O_TRUNC',
      'write:1 write auth.json (2526 bytes)',
      'close:2 close auth.json',
      'rename:0 rename .auth-credential.tmp → auth.json',
    ]);
  });

  it('SHARE.WRITE.004 injects each write syscall at when=1 up to one past the largest per-thread index; a rename from a run-time temp name by its unfiltered index', () => {
    expect(injections(parseTrace(TRACE), H).map((i) => `${i.syscall}:${i.when}:${i.count}`)).toEqual(['openat:1:paths', 'openat:2:paths', 'openat:3:paths', 'write:1:paths', 'write:2:paths', 'close:1:paths', 'close:2:paths', 'close:3:paths', 'rename:1:all']);
  });

  it('SHARE.WRITE.004 the hit of a kill run is the auth-file call that never returned', () => {
    const killed = `${TRACE.split('\n').slice(0, 5).join('\n')}\n12 write(7<${H}/auth.json>, ""..., 2526 <unfinished ...>\n12 +++ killed by SIGKILL +++`;
    expect(hitCall(parseTrace(killed), H)).toEqual({ label: 'write auth.json', writes: true });
    expect(hitCall(parseTrace(TRACE), H)).toBeUndefined();
  });

  it('builds the strace argv with path filters and the SIGKILL injection', () => {
    const args = straceArgs({ logFile: '/o/t.log', paths: ['/h/auth.json'], inject: { syscall: 'write', when: 3, count: 'paths' } });
    expect(args).toEqual(expect.arrayContaining(['-f', '-y', '-o', '/o/t.log', '-P', '/h/auth.json', 'inject=write:signal=SIGKILL:when=3']));
  });
});

describe('strace kill points: names in the tables', () => {
  it('a temp name\'s random pid and UUID are shown as <pid> and <uuid>; other names unchanged', () => {
    expect(displayName('/h/.auth.json.tmp-20167-8abe5377-d4f7-4be2-8c8b-224a55206383')).toBe('.auth.json.tmp-<pid>-<uuid>');
    expect(displayName('/h/.auth-Fdez60')).toBe('.auth-Fdez60');
    expect(displayName('/h/auth.json.tmp')).toBe('auth.json.tmp');
  });
});

describe('strace kill points: a write point on a run-time name', () => {
  const tmp = `${H}/.auth.json.tmp-7-0b0e8c52-1111-4222-8333-944455556666`;
  // A kill run (write:when=13 counted on all files) that hit an eventfd's write before the temp file was written.
  const early = [
    `20 openat(AT_FDCWD</w>, "${tmp}", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0600) = 21<${tmp}>`,
    `20 write(13<anon_inode:[eventfd]>, ""..., 8) = ?`,
  ].join('\n');
  // One that hit a socket's write after the temp file was written.
  const late = [
    `20 openat(AT_FDCWD</w>, "${tmp}", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0600) = 21<${tmp}>`,
    `20 write(21<${tmp}>, ""..., 2521) = 2521`,
    `20 fsync(21<${tmp}>) = 0`,
    `20 write(19<socket:[5]>, ""..., 90) = ?`,
  ].join('\n');
  const injection = { syscall: 'write', when: 13, count: 'all' } as const;

  it('SHARE.WRITE.004 a kill before the temp file\'s write tries the next index, one after it the previous', () => {
    expect(hitCall(parseTrace(early), H)).toEqual({ label: 'write anon_inode:[eventfd] (not an auth file)', writes: false });
    expect(nextUnstableWhen(parseTrace(early), H, injection, new Set(['auth.json']), new Set([13]))).toBe(14);
    expect(nextUnstableWhen(parseTrace(late), H, injection, new Set(['auth.json']), new Set([13]))).toBe(12);
  });

  it('stops once the neighbour was tried or the index would fall below 1', () => {
    expect(nextUnstableWhen(parseTrace(early), H, injection, new Set(['auth.json']), new Set([13, 14]))).toBeUndefined();
    expect(nextUnstableWhen(parseTrace(late), H, { ...injection, when: 1 }, new Set(['auth.json']), new Set([1]))).toBeUndefined();
  });
});

describe('strace kill points: the call the kill hit', () => {
  it('SHARE.WRITE.004 of the calls other threads were in when the process died, the injected syscall\'s is the hit', () => {
    const log = [
      `31 openat(AT_FDCWD</w>, "${H}/.auth-Xy12ab", O_RDWR|O_CREAT|O_EXCL|O_CLOEXEC, 0600 <unfinished ...>`,
      `32 write(13<anon_inode:[eventfd]>, ""..., 8 <unfinished ...>`,
      `32 +++ killed by SIGKILL +++`,
    ].join('\n');
    expect(hitCall(parseTrace(log), H, 'openat')).toEqual({ label: 'openat .auth-Xy12ab O_RDWR|O_CREAT|O_EXCL', writes: true });
    expect(hitCall(parseTrace(log), H)?.label).toBe('write anon_inode:[eventfd] (not an auth file)');
  });
});

import { describe, expect, it } from 'vitest';
import { screenText, shellQuote, terminalReplies, tuiArgs, tuiEnv, tuiLaunch, TUI_COLS, TUI_ROWS } from './tui-session.js';

describe('codexTui actor: the pure parts (GATE.USAGE.001 needs the interactive TUI)', () => {
  it('GATE.USAGE.001 launches the TUI under util-linux script with a sized pty, the binary quoted as one word', () => {
    const l = tuiLaunch("/cache/it's here/codex", tuiArgs());
    expect(l.command).toBe('script');
    expect(l.args[0]).toBe('-qfec');
    expect(l.args[2]).toBe('/dev/null');
    expect(l.args[1]).toBe(`stty rows ${TUI_ROWS} cols ${TUI_COLS} 2>/dev/null; exec '/cache/it'\\''s here/codex'`);
    expect(tuiLaunch('/bin/codex', ['--flag', 'a b']).args[1]).toMatch(/exec '\/bin\/codex' '--flag' 'a b'$/);
    expect(() => tuiLaunch('/bin/codex', [], { rows: 5, cols: 20 })).toThrow(TypeError);
    expect(tuiArgs()).toEqual([]);
  });

  it('GATE.USAGE.001 quotes shell words literally (no expansion)', () => {
    expect(shellQuote('$HOME `x` "y"')).toBe(`'$HOME \`x\` "y"'`);
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`);
  });

  it('GATE.USAGE.001 gives the TUI a terminal environment under the harness env, which wins', () => {
    expect(tuiEnv({ CODEX_HOME: '/h' })).toEqual({ TERM: 'xterm-256color', SHELL: '/bin/sh', LANG: 'C.UTF-8', CODEX_HOME: '/h' });
    expect(tuiEnv({ TERM: 'dumb' })['TERM']).toBe('dumb');
  });

  it('GATE.USAGE.001 answers the start-up queries as an xterm would, in order, once each', () => {
    const q = '\x1b[?2004h\x1b[?u\x1b[c\x1b[6n\x1b]10;?\x1b\\\x1b]11;?\x07\x1b[18t';
    expect(terminalReplies('', q)).toEqual(['\x1b[?1;2c', '\x1b[1;1R', '\x1b]10;rgb:ffff/ffff/ffff\x1b\\', '\x1b]11;rgb:0000/0000/0000\x1b\\', `\x1b[8;${TUI_ROWS};${TUI_COLS}t`]);
    expect(terminalReplies('', 'plain text \x1b[1;1H\x1b[0m')).toEqual([]);
  });

  it('GATE.USAGE.001 answers a query split across two reads, and not again from the carried end', () => {
    expect(terminalReplies('', 'abc\x1b[')).toEqual([]);
    expect(terminalReplies('abc\x1b[', '6n')).toEqual(['\x1b[1;1R']);
    expect(terminalReplies('x\x1b[6n', 'more')).toEqual([]);
  });

  it('GATE.USAGE.001 keeps the screen as text only: escapes and control characters removed', () => {
    expect(screenText('\x1b[?2026h\x1b[1;2H› Ask\x1b[0m  Codex\r\n\x1b]0;title\x07ok')).toBe(' › Ask Codex\nok');
  });
});

describe('codexTui actor: the pty plumbing, with a stand-in for the TUI (no codex binary)', () => {
  it('GATE.USAGE.001 a program under the pty gets its cursor query answered, runs until stopped, and its screen comes back scrubbed', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { TuiSession } = await import('./tui-session.js');
    const dir = await mkdtemp(join(tmpdir(), 'tui-session-'));
    try {
      const fake = join(dir, 'fake-tui.sh');
      // Asks where the cursor is (as crossterm does), reads the 6-byte answer raw, shows it, shows a secret, waits.
      await writeFile(fake, `#!/bin/sh\nstty raw -echo\nprintf '\\033[6n'\nanswer=$(dd bs=1 count=6 2>/dev/null | od -An -c | tr -s ' ')\nprintf 'answer:%s size:%s token:SECRET-TOKEN-123 ready\\r\\n' "$answer" "$(stty size)"\nexec sleep 30\n`, { mode: 0o755 });
      const tui = new TuiSession({ binaryPath: fake, cwd: dir, env: {}, secrets: () => ['SECRET-TOKEN-123'] });
      const deadline = Date.now() + 8000;
      while (!tui.screen().includes('ready') && tui.running && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      const outcome = await tui.stop();
      expect(outcome.flow).toBe('tui');
      expect(outcome.tui?.runningAtStop).toBe(true);
      expect(outcome.tui?.terminalReplies).toBe(1);
      expect(outcome.tui?.screenTail).toMatch(/answer: 033 \[ 1 ; 1 R size:40 120/);
      expect(outcome.tui?.screenTail).not.toContain('SECRET-TOKEN-123');
      expect(outcome.tui?.screenTail).toContain('token:fp:');
      expect(tui.running).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 15_000);
});

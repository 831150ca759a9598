import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { fingerprint } from '../../redact/fingerprint.js';

/**
 * Watches a CODEX_HOME's auth.json while the binary runs (REFRESH.PERSIST.*): its state before,
 * every distinct content seen while polling, and its state after. A content that is not valid
 * JSON while the binary writes is a torn (half-written) read. The inode tells a write in place
 * (same inode: truncate and write) from write-then-rename (new inode). Only fingerprints of the
 * tokens are kept.
 */
export interface AuthJsonState {
  readonly exists: boolean;
  readonly inode?: number;
  /** Permission bits, e.g. 0o600. */
  readonly mode?: number;
  readonly accessToken?: string;
  readonly refreshToken?: string;
  readonly idToken?: string;
  readonly lastRefresh?: string;
  /** Not valid JSON when read (a torn write, or a corrupt file). */
  readonly torn: boolean;
}

export interface AuthJsonObservation {
  readonly before: AuthJsonState;
  readonly after: AuthJsonState;
  /** Distinct contents seen while the binary ran (before excluded), in order. */
  readonly seen: readonly AuthJsonState[];
  /** Polls made while the binary ran. */
  readonly polls: number;
  /** Polls that read invalid JSON (a half-written file was observable). */
  readonly tornReads: number;
  /** Names of other auth.json-like files left beside it after the run (a write-then-rename's leftover temp file); absent when not listed. */
  readonly strayFiles?: readonly string[];
}

/** Files beside auth.json whose name says they belong to it (`auth.json.tmp`, `.auth.json.xyz`, `auth.json~`), never auth.json itself. */
export async function strayAuthFiles(path: string): Promise<string[]> {
  const own = basename(path);
  try {
    return (await readdir(dirname(path))).filter((n) => n !== own && n.includes(own)).sort();
  } catch {
    return [];
  }
}

function tokenFp(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? fingerprint(value) : undefined;
}

export function parseAuthJsonState(text: string, inode?: number, mode?: number): AuthJsonState {
  const meta = { exists: true, ...(inode === undefined ? {} : { inode }), ...(mode === undefined ? {} : { mode }) };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ...meta, torn: true };
  }
  const o = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const tokens = (typeof o['tokens'] === 'object' && o['tokens'] !== null ? o['tokens'] : {}) as Record<string, unknown>;
  const access = tokenFp(tokens['access_token']);
  const refresh = tokenFp(tokens['refresh_token']);
  const id = tokenFp(tokens['id_token']);
  return {
    ...meta,
    torn: false,
    ...(access === undefined ? {} : { accessToken: access }),
    ...(refresh === undefined ? {} : { refreshToken: refresh }),
    ...(id === undefined ? {} : { idToken: id }),
    ...(typeof o['last_refresh'] === 'string' ? { lastRefresh: o['last_refresh'] } : {}),
  };
}

export async function readAuthJsonState(path: string): Promise<AuthJsonState> {
  try {
    const [info, text] = await Promise.all([stat(path), readFile(path, 'utf8')]);
    return parseAuthJsonState(text, info.ino, info.mode & 0o777);
  } catch {
    return { exists: false, torn: false };
  }
}

export interface AuthJsonWatcher {
  stop(): Promise<AuthJsonObservation>;
}

export async function watchAuthJson(path: string, intervalMs = 4): Promise<AuthJsonWatcher> {
  const before = await readAuthJsonState(path);
  const seen: AuthJsonState[] = [];
  let last = '';
  let polls = 0;
  let tornReads = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const text = await readFile(path, 'utf8');
        polls += 1;
        if (text !== last) {
          last = text;
          const state = parseAuthJsonState(text);
          if (state.torn) tornReads += 1;
          const prev = seen.at(-1) ?? before;
          if (state.torn || state.accessToken !== prev.accessToken || state.lastRefresh !== prev.lastRefresh) seen.push(state);
        }
      } catch {
        // missing for a moment (a rename in progress): not a torn read
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { before, after: await readAuthJsonState(path), seen: seen.filter((s) => s.torn || s.accessToken !== before.accessToken || s.lastRefresh !== before.lastRefresh), polls, tornReads, strayFiles: await strayAuthFiles(path) };
    },
  };
}

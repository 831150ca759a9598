import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * The Codex Apps tools cache the binary leaves in CODEX_HOME (`cache/codex_apps_tools/<sha1 of
 * the cache key>.json`, codex-rs/connectors/src/connector_runtime/persistence.rs `cache_path_in`):
 * per file, which of the given accounts' tool names it holds. Only names are read, never tokens.
 */
export interface CacheFile {
  readonly path: string;
  /** Account id -> the account's tool names found in the file. */
  readonly toolsOf: Readonly<Record<string, readonly string[]>>;
}

export async function scanCacheFiles(home: string, accounts: Readonly<Record<string, readonly string[]>>): Promise<CacheFile[]> {
  const root = join(home, 'cache');
  const out: CacheFile[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 3) return;
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const path = join(dir, name);
      let text: string | undefined;
      try {
        text = await readFile(path, 'utf8');
      } catch {
        await walk(path, depth + 1);
        continue;
      }
      const toolsOf: Record<string, readonly string[]> = {};
      for (const [account, tools] of Object.entries(accounts)) toolsOf[account] = tools.filter((t) => text.includes(t));
      out.push({ path: relative(home, path), toolsOf });
    }
  };
  await walk(root, 0);
  return out;
}

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConformanceInputError } from '../errors.js';
import { parseTomlSubset, type TomlTable, type TomlValue } from './toml-subset.js';

/**
 * The parts of `CODEX_HOME/config.toml` that decide where auth traffic goes, read the way Codex
 * reads them: top-level `chatgpt_base_url` and `openai_base_url`; an active profile
 * (`profile = "name"`, table `[profiles.name]`) overrides `chatgpt_base_url`
 * (codex-rs/core/src/config/profile.rs `ConfigProfile::chatgpt_base_url`, openai/codex@07ca8b3).
 * A missing file is an empty config; anything else wrong is a typed BAD_CONFIG error.
 */
export interface CodexConfig {
  /** The file read, or undefined when CODEX_HOME has no config.toml. */
  readonly file?: string;
  readonly chatgptBaseUrl?: string;
  readonly openaiBaseUrl?: string;
  /** The active profile, when one is selected. */
  readonly profile?: string;
}

export const CONFIG_TOML = 'config.toml';

export async function readCodexConfig(codexHome: string): Promise<CodexConfig> {
  const file = join(codexHome, CONFIG_TOML);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return {};
    throw new ConformanceInputError('BAD_CONFIG', `cannot read ${file} (${code ?? 'error'}).`, 'make config.toml readable, or remove it.', { cause: e });
  }
  return codexConfigOf(parseTomlSubset(text, file), file);
}

export function codexConfigOf(toml: TomlTable, file: string): CodexConfig {
  const str = (table: TomlTable, key: string, where: string): string | undefined => {
    const v: TomlValue | undefined = table[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new ConformanceInputError('BAD_CONFIG', `${file}: ${where}${key} must be a string.`, `write ${key} = "https://..." (quoted).`);
    return v;
  };
  const profile = str(toml, 'profile', '');
  let profileBase: string | undefined;
  if (profile !== undefined) {
    const profiles = toml['profiles'];
    const selected = typeof profiles === 'object' && profiles !== null && !Array.isArray(profiles) ? profiles[profile] : undefined;
    if (selected === undefined || typeof selected !== 'object' || Array.isArray(selected)) {
      throw new ConformanceInputError('BAD_CONFIG', `${file}: profile ${JSON.stringify(profile.slice(0, 80))} is selected but [profiles.${profile.slice(0, 80)}] is not defined.`, 'define the profile table or remove `profile = ...`.');
    }
    profileBase = str(selected, 'chatgpt_base_url', `[profiles.${profile}] `);
  }
  const chatgptBaseUrl = profileBase ?? str(toml, 'chatgpt_base_url', '');
  const openaiBaseUrl = str(toml, 'openai_base_url', '');
  return {
    file,
    ...(chatgptBaseUrl !== undefined ? { chatgptBaseUrl } : {}),
    ...(openaiBaseUrl !== undefined ? { openaiBaseUrl } : {}),
    ...(profile !== undefined ? { profile } : {}),
  };
}

import { ConformanceInputError } from '../errors.js';

/**
 * Splits a command line into words the way a POSIX shell does for plain words: whitespace
 * separates words; single quotes keep everything literally; double quotes keep everything but
 * `\"`, `\\`, `\$` and `` \` `` escapes; a backslash outside quotes escapes the next character.
 * No expansion of any kind (variables, globs, `~`) happens. Used for `--impl driver:<command>`.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const unterminated = (what: string): ConformanceInputError =>
    new ConformanceInputError('USAGE', `the command ${JSON.stringify(line.slice(0, 120))} has an unterminated ${what}.`, `close the ${what}, or quote the whole --impl value for your shell, e.g. --impl 'driver:python3 "my driver.py"'.`);
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i += 1;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) throw unterminated('single quote');
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      inWord = true;
      i += 1;
      let closed = false;
      while (i < line.length) {
        const d = line[i]!;
        if (d === '"') {
          closed = true;
          i += 1;
          break;
        }
        if (d === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) {
          word += line[i + 1]!;
          i += 2;
        } else {
          word += d;
          i += 1;
        }
      }
      if (!closed) throw unterminated('double quote');
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw unterminated('backslash escape');
      word += line[i + 1]!;
      inWord = true;
      i += 2;
    } else {
      word += c;
      inWord = true;
      i += 1;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Quotes one word so `shellWords` gives it back unchanged (single quotes, `'\''` for a quote). */
export function quoteShellWord(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_\-./:=@%+,]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

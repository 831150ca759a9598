import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The oracle is independent of the implementation it judges: no module of src/rules (tests
 * excepted) may load, directly or through another module, anything of the reference client's
 * src/urls, src/callsites or src/auth. `import type` is allowed (it is erased: a shared type says
 * nothing about behaviour).
 */
const here = dirname(fileURLToPath(import.meta.url));
const src = resolve(here, '..');
const FORBIDDEN = ['urls', 'callsites', 'auth'].map((d) => join(src, d));

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

export interface ValueImport {
  readonly specifier: string;
  readonly line: number;
}

/** The imports of a module that load code at run time (type-only imports and exports are erased). */
export function valueImports(fileName: string, text: string): ValueImport[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: ValueImport[] = [];
  const add = (node: ts.Node, spec: ts.Expression | undefined): void => {
    if (spec !== undefined && ts.isStringLiteralLike(spec)) out.push({ specifier: spec.text, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined && clause.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) add(node, node.moduleSpecifier);
    } else if (ts.isExportDeclaration(node)) {
      const typeOnly = node.isTypeOnly || (node.exportClause !== undefined && ts.isNamedExports(node.exportClause) && node.exportClause.elements.length > 0 && node.exportClause.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) add(node, node.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(node) && !node.isTypeOnly && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression);
    } else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      add(node, node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** A relative `.js` specifier resolved to the `.ts` file it names (undefined for packages). */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')]) if (existsSync(candidate)) return candidate;
  return undefined;
}

const isForbidden = (file: string): boolean => FORBIDDEN.some((d) => file.startsWith(`${d}/`));

/** Every forbidden module a file reaches through value imports, with the chain that reaches it. */
function violations(entry: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const walk = (file: string, chain: string[]): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imp of valueImports(file, readFileSync(file, 'utf8'))) {
      const target = resolveSpecifier(file, imp.specifier);
      if (target === undefined) continue;
      const step = `${relative(src, file)}:${imp.line} -> ${imp.specifier}`;
      if (isForbidden(target)) found.push([...chain, step].join(' => '));
      else walk(target, [...chain, step]);
    }
  };
  walk(entry, []);
  return found;
}

describe('import boundary: the rules never load the reference client', () => {
  it('no module of src/rules loads src/urls, src/callsites or src/auth, directly or transitively (import type excepted)', () => {
    const files = tsFiles(here);
    expect(files.length).toBeGreaterThan(15);
    const found = files.flatMap(violations);
    expect(found, `value imports crossing the boundary:\n${found.join('\n')}`).toEqual([]);
  });

  it('the import scanner tells value imports from type-only ones (it can fail)', () => {
    const text = [
      "import type { A } from '../auth/a.js';",
      "import { type B, type C } from '../auth/b.js';",
      "import { D } from '../auth/d.js';",
      "import { type E, F } from '../urls/f.js';",
      "export type { G } from '../callsites/g.js';",
      "export { H } from '../callsites/h.js';",
      "import '../auth/side-effect.js';",
      "const m = await import('../urls/dyn.js');",
      "import * as ns from '../auth/ns.js';",
      "import def from '../auth/def.js';",
    ].join('\n');
    expect(valueImports('x.ts', text).map((i) => i.specifier)).toEqual(['../auth/d.js', '../urls/f.js', '../callsites/h.js', '../auth/side-effect.js', '../urls/dyn.js', '../auth/ns.js', '../auth/def.js']);
  });

  it('a violation is reported with the chain that reaches it', () => {
    // src/harness reaches src/auth (it drives the reference): the walker must say so.
    const harnessSuite = join(src, 'harness', 'suites', 'agent-session-suite.ts');
    const found = violations(harnessSuite);
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((f) => f.includes('harness/suites/agent-session-suite.ts:') && /-> \.\.\/\.\.\/(auth|callsites)\//.test(f))).toBe(true);
  });
});

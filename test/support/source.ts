/**
 * Reading source files as syntax, not as text: the tests that check what the code says (which
 * modules import which, which catalogue keys the console uses, which messages carry three
 * languages) parse it with the TypeScript compiler, so they hold whatever the line layout and
 * quote style (Prettier, `npm run format`) and can neither break nor go blind when it changes.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';

/** The syntax tree of a .ts / .tsx file. */
export function parseSource(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
}

/** Every node of a tree, depth first. */
export function* nodes(root: ts.Node): Generator<ts.Node> {
  const stack: ts.Node[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    yield n;
    const children: ts.Node[] = [];
    n.forEachChild((c) => void children.push(c));
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

/** The module specifiers a file loads at run time: static imports and re-exports that are not type-only, and `import()` with a literal. */
export function runtimeSpecifiers(file: string): { static: string[]; dynamic: string[] } {
  const out = { static: [] as string[], dynamic: [] as string[] };
  for (const n of nodes(parseSource(file))) {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const c = n.importClause;
      // `import type …` and `import { type A, type B }` are erased; a bare `import './x'` is not.
      const erased = !!c && (c.isTypeOnly || (!c.name && !!c.namedBindings && ts.isNamedImports(c.namedBindings) && c.namedBindings.elements.length > 0 && c.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!erased) out.static.push(n.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier) && !n.isTypeOnly) {
      out.static.push(n.moduleSpecifier.text);
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const a = n.arguments[0];
      if (a && ts.isStringLiteralLike(a)) out.dynamic.push(a.text);
    }
  }
  return out;
}

/** The text of every string literal (quoted or a template without substitutions) in a file. */
export function stringLiterals(file: string): string[] {
  const out: string[] = [];
  for (const n of nodes(parseSource(file))) if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) out.push(n.text);
  return out;
}

/**
 * The first argument of every call of a function named `name` (`t(…)`, `i18n.t(…)`): `literal` for a
 * plain string, `prefix` for the text before the first `${…}` of a template.
 */
export function firstArguments(file: string, name: string): { literal: string[]; prefix: string[] } {
  const out = { literal: [] as string[], prefix: [] as string[] };
  for (const n of nodes(parseSource(file))) {
    if (!ts.isCallExpression(n)) continue;
    const callee = n.expression;
    const called = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : null;
    const a = n.arguments[0];
    if (called !== name || !a) continue;
    if (ts.isStringLiteralLike(a)) out.literal.push(a.text);
    else if (ts.isTemplateExpression(a)) out.prefix.push(a.head.text);
  }
  return out;
}

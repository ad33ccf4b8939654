/**
 * ESLint rule `kesu/layer-imports`: a layer must not import from the folders and packages its
 * options forbid (docs/architecture.md, "Layers and the direction of their imports"). Relative
 * specifiers are resolved against the importing file and compared as repository paths
 * (`src/store` forbids `src/store/…`); bare ones are package names (`fastify` forbids
 * `fastify/…` too), and a Node built-in is compared with its `node:` prefix (`fs` = `node:fs`).
 * Checks static imports (type-only ones too), `export … from`, `import()` with a literal and
 * `import('…').T` types.
 * The zones themselves are in eslint.config.mjs.
 */
import { isBuiltin } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The repository path (`src/store/x.js`) or package name (`node:fs`, `fastify/x`) a specifier names. */
export function importTarget(filename, specifier) {
  if (specifier.startsWith('.'))
    return relative(root, resolve(dirname(filename), specifier))
      .split(sep)
      .join('/');
  if (!specifier.startsWith('node:') && isBuiltin(specifier)) return `node:${specifier}`;
  return specifier;
}

const within = (target, prefix) => target === prefix || target.startsWith(`${prefix}/`);

export const layerImports = {
  meta: {
    type: 'problem',
    docs: { description: 'imports must follow the layer rules of docs/architecture.md' },
    schema: [
      {
        type: 'object',
        properties: {
          layer: { type: 'string' },
          forbidden: { type: 'array', items: { type: 'string' } },
        },
        required: ['layer', 'forbidden'],
        additionalProperties: false,
      },
    ],
    messages: { forbidden: "{{layer}} must not import '{{specifier}}' ({{prefix}} is outside what it may depend on; see docs/architecture.md)" },
  },
  create(context) {
    const { layer, forbidden } = context.options[0];
    const check = (source) => {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const target = importTarget(context.filename, source.value);
      const prefix = forbidden.find((f) => within(target, f));
      if (prefix) context.report({ node: source, messageId: 'forbidden', data: { layer, specifier: source.value, prefix } });
    };
    return {
      ImportDeclaration: (n) => check(n.source),
      ExportNamedDeclaration: (n) => check(n.source),
      ExportAllDeclaration: (n) => check(n.source),
      ImportExpression: (n) => check(n.source),
      TSImportType: (n) => check(n.argument?.literal),
    };
  },
};

export default { meta: { name: 'kesu' }, rules: { 'layer-imports': layerImports } };

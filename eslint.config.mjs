// ESLint (flat config), run by `npm run lint` before the tests in `npm test`. A small rule set
// that encodes the layer rules of docs/architecture.md; formatting is not linted.
import tseslint from 'typescript-eslint';
import kesu from './scripts/lint/layer-imports.mjs';

/** Every top-level folder of src/ except the domain, and the one reader of process.env. */
const OUTSIDE_DOMAIN = ['src/app', 'src/audit', 'src/channels', 'src/cli', 'src/http', 'src/jobs', 'src/knowledge', 'src/records', 'src/repeats', 'src/reports', 'src/search', 'src/services', 'src/storage', 'src/store', 'src/config.js'];
/** Frameworks and I/O the pure domain never touches (Node built-ins are named with `node:`). */
const IO = ['node:fs', 'node:net', 'node:http', 'node:https', 'node:http2', 'node:dgram', 'node:child_process', 'fastify', '@fastify', 'kysely', 'pg', 'better-sqlite3'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-output/**', 'web/dist/**'] },
  {
    files: ['src/**/*.ts', 'web/**/*.ts', 'web/**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { kesu },
    // Some files carry directives for rules this set does not enable (no-control-regex, …).
    linterOptions: { reportUnusedDisableDirectives: 'off' },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: { 'kesu/layer-imports': ['error', { layer: 'src/domain', forbidden: [...OUTSIDE_DOMAIN, ...IO] }] },
  },
  {
    files: ['src/store/**/*.ts'],
    rules: { 'kesu/layer-imports': ['error', { layer: 'src/store', forbidden: ['src/app', 'src/http', 'src/services', 'src/jobs', 'src/cli'] }] },
  },
  {
    // The console talks to the server over HTTP only (its types come from the generated client).
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    rules: { 'kesu/layer-imports': ['error', { layer: 'web', forbidden: ['src'] }] },
  },
  {
    // No promise left unawaited in the server: a rejected one would be lost, or crash the
    // process. Typed (reads tsconfig.json through the project service).
    files: ['src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: { '@typescript-eslint/no-floating-promises': 'error', 'no-console': 'error' },
  },
  {
    // One reader of the environment: config.ts validates it once at start-up and the composition
    // root (src/app/compose.ts) hands the result down; a service reading process.env would hide a
    // setting from that validation and from docs/operations.md.
    files: ['src/**/*.ts'],
    ignores: ['src/config.ts'],
    rules: { 'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read settings through src/config.ts (loadConfig), passed down by src/app/compose.ts' }] },
  },
  {
    // The command line prints to the terminal: src/cli and the commands other modules register.
    files: ['src/cli/**/*.ts', 'src/**/*-cli.ts', 'src/**/cli.ts'],
    rules: { 'no-console': 'off' },
  },
);

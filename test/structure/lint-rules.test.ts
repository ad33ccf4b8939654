/**
 * The lint rules of eslint.config.mjs (run by `npm run lint` in `npm test`) can fail: small
 * fixture files, linted as if they stood at a path in the tree, break each rule once and keep to
 * it once. The files are not on disk (but for one standing in for src/config.ts, read through the
 * real project); the typed rule reads the others through a default project.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Fixture {
  /** Where the file is linted as if it stood (repository path). */
  at: string;
  code: string;
}

const FIXTURES = {
  domainImportsStore: { at: 'src/domain/lint-fixture.ts', code: "import type { DB } from '../store/schema.js';\nexport type T = DB;\n" },
  domainImportsReports: { at: 'src/domain/accountability/lint-fixture.ts', code: "export { foldCaseFacts } from '../../reports/facts.js';\n" },
  domainImportsIo: {
    at: 'src/domain/lint-fixture.ts',
    code: "import { readFileSync } from 'fs';\nimport type { FastifyInstance } from 'fastify';\nexport const k = () => import('kysely');\nexport type F = FastifyInstance;\nexport const r = readFileSync;\n",
  },
  domainKeepsToDomain: {
    at: 'src/domain/lifecycle/lint-fixture.ts',
    code: "import { z } from 'zod';\nimport { DateTime } from 'luxon';\nimport type { Policy } from '../policy/index.js';\nexport type P = Policy;\nexport const s = z.string();\nexport const d = DateTime.utc;\n",
  },
  storeImportsServices: { at: 'src/store/lint-fixture.ts', code: "import { createApp } from '../services/app.js';\nexport const c = createApp;\n" },
  storeImportsDomain: { at: 'src/store/lint-fixture.ts', code: "import { AppError } from '../domain/errors.js';\nexport const e = AppError;\n" },
  webImportsServer: { at: 'web/src/lint-fixture.ts', code: "import type { Complaint } from '../../src/domain/complaint/types.js';\nexport type C = Complaint;\n" },
  consoleInService: { at: 'src/services/lint-fixture.ts', code: "export function f(): void {\n  console.log('x');\n}\n" },
  consoleInCli: { at: 'src/cli/lint-fixture.ts', code: "export function f(): void {\n  console.log('x');\n}\n" },
  envInService: { at: 'src/channels/lint-fixture.ts', code: "export const secret = process.env.KESU_SECRET;\nexport const port = process.env['PORT'];\n" },
  envInConfig: { at: 'src/config.ts', code: 'export const port = process.env.PORT;\n' },
  floatingPromise: { at: 'src/jobs/lint-fixture.ts', code: 'async function tick(): Promise<void> {}\nexport function start(): void {\n  tick();\n}\n' },
  awaitedPromise: { at: 'src/jobs/lint-fixture.ts', code: 'async function tick(): Promise<void> {}\nexport async function start(): Promise<void> {\n  await tick();\n  void tick();\n}\n' },
} satisfies Record<string, Fixture>;

const eslint = new ESLint({
  cwd: root,
  overrideConfig: {
    files: ['src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: [...new Set(Object.values(FIXTURES).map((f) => f.at))].filter((at) => !existsSync(join(root, at))) } } },
  },
});

/** `rule: line` for every problem ESLint reports on the fixture. */
async function problems(f: Fixture): Promise<string[]> {
  const [result] = await eslint.lintText(f.code, { filePath: join(root, f.at) });
  return result!.messages.map((m) => `${m.ruleId ?? m.message}: ${m.line}`);
}

describe('lint: layer imports (docs/architecture.md)', () => {
  it('src/domain imports nothing from src/store or src/reports', async () => {
    assert.deepEqual(await problems(FIXTURES.domainImportsStore), ['kesu/layer-imports: 1']);
    assert.deepEqual(await problems(FIXTURES.domainImportsReports), ['kesu/layer-imports: 1']);
  });

  it('src/domain imports no I/O or framework: a bare Node built-in, fastify (type only), kysely (dynamic)', async () => {
    assert.deepEqual(await problems(FIXTURES.domainImportsIo), ['kesu/layer-imports: 1', 'kesu/layer-imports: 2', 'kesu/layer-imports: 3']);
  });

  it('the domain may import the domain, zod and luxon', async () => {
    assert.deepEqual(await problems(FIXTURES.domainKeepsToDomain), []);
  });

  it('src/store imports no service; it may import the domain', async () => {
    assert.deepEqual(await problems(FIXTURES.storeImportsServices), ['kesu/layer-imports: 1']);
    assert.deepEqual(await problems(FIXTURES.storeImportsDomain), []);
  });

  it('the console imports nothing from src/', async () => {
    assert.deepEqual(await problems(FIXTURES.webImportsServer), ['kesu/layer-imports: 1']);
  });

  it('the message names the import and the rule it breaks', async () => {
    const [result] = await eslint.lintText(FIXTURES.domainImportsStore.code, { filePath: join(root, FIXTURES.domainImportsStore.at) });
    assert.equal(result!.messages[0]!.message, "src/domain must not import '../store/schema.js' (src/store is outside what it may depend on; see docs/architecture.md)");
  });
});

describe('lint: no console, no floating promise in src/', () => {
  it('console in a service is reported; the CLI may print', async () => {
    assert.deepEqual(await problems(FIXTURES.consoleInService), ['no-console: 2']);
    assert.deepEqual(await problems(FIXTURES.consoleInCli), []);
  });

  it('a promise neither awaited nor marked with void is reported', async () => {
    assert.deepEqual(await problems(FIXTURES.floatingPromise), ['@typescript-eslint/no-floating-promises: 3']);
    assert.deepEqual(await problems(FIXTURES.awaitedPromise), []);
  });
});

describe('lint: config.ts is the only reader of process.env', () => {
  it('process.env in a service is reported, with where to read settings instead', async () => {
    assert.deepEqual(await problems(FIXTURES.envInService), ['no-restricted-properties: 1', 'no-restricted-properties: 2']);
    const [result] = await eslint.lintText(FIXTURES.envInService.code, { filePath: join(root, FIXTURES.envInService.at) });
    assert.match(result!.messages[0]!.message, /src\/config\.ts \(loadConfig\)/);
  });

  it('config.ts may read it', async () => {
    assert.deepEqual(await problems(FIXTURES.envInConfig), []);
  });
});

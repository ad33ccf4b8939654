/**
 * One validated configuration, one composition root (issue 8 problem 5): a bad setting stops
 * `kesu` with the variable named and a non-zero exit; every variable the docs name is one
 * config.ts reads; config.ts sits in no import cycle; and the app the composition root builds
 * carries what the configuration says (the services read it from `app.settings`, nowhere else).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../src/config.js';
import { composeApp } from '../../src/app/compose.js';
import { resolveSealKey } from '../../src/channels/settings.js';
import { resolveContactKey, contactKeyOf } from '../../src/services/contact-keys.js';
import { telephonySecretOf } from '../../src/services/screen-pop.js';
import { idempotencyTtlMs } from '../../src/services/idempotent-requests.js';
import { sessionSettings } from '../../src/services/sessions.js';
import { fileStoreOf } from '../../src/storage/stores.js';
import { runtimeSpecifiers } from '../support/source.js';

const root = resolve(new URL('../..', import.meta.url).pathname);

function kesu(args: string[], env: Record<string, string>, dataDir: string) {
  // Only the variables given, so the runner's own environment cannot mask a bad value.
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/kesu.ts'), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', KESU_DATA_DIR: dataDir, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, err: r.stderr };
}

describe('configuration: validated once, at start-up', () => {
  it('a bad value stops kesu before it touches anything: exit 1, every bad variable named', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kesu-config-'));
    try {
      const bad = kesu(['migrate'], { PORT: '99999', KESU_SMS_PROVIDER: 'carrier-pigeon', KESU_WEBHOOKS: '[{"name":"x"}]' }, dataDir);
      assert.equal(bad.code, 1, bad.err);
      assert.match(bad.err, /^configuration: /m);
      for (const name of ['PORT', 'KESU_SMS_PROVIDER', 'KESU_WEBHOOKS']) assert.match(bad.err, new RegExp(`\\b${name}: `), `${name} in ${bad.err}`);
      assert.deepEqual(readdirSync(dataDir), [], 'no database, no key file made');
      const half = kesu(['migrate'], { KESU_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE' }, dataDir);
      assert.equal(half.code, 1);
      assert.match(half.err, /KESU_S3_ACCESS_KEY_ID and KESU_S3_SECRET_ACCESS_KEY go together/);
      // The same command with good values runs.
      const good = kesu(['migrate'], { PORT: '3000', KESU_SMS_PROVIDER: 'none' }, dataDir);
      assert.equal(good.code, 0, good.err);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('loadConfig throws a ConfigError naming each variable; a good environment gives the documented defaults', () => {
    assert.throws(
      () => loadConfig({ KESU_SESSION_IDLE_MIN: '0', KESU_OUTBOX_MAX_ATTEMPTS: 'many' }),
      (e: unknown) => e instanceof ConfigError && /KESU_SESSION_IDLE_MIN: /.test(e.message) && /KESU_OUTBOX_MAX_ATTEMPTS: /.test(e.message),
    );
    const cfg = loadConfig({});
    assert.equal(cfg.port, 3000);
    assert.equal(cfg.channels.portalRateLimit, 30);
    assert.equal(cfg.cliLang, null);
    assert.equal(cfg.sqlTimingsFile, null);
    assert.equal(loadConfig({ KESU_LANG: 'en' }).cliLang, 'en');
  });

  it('every KESU_ variable the docs and README name is one config.ts reads (or a test/dev-tool variable)', () => {
    const TOOLS = new Set(['KESU_TEST_JOBS', 'KESU_TEST_PG', 'KESU_REQUIRE_PG', 'KESU_REQUIRE_BROWSER', 'KESU_DEV_API']);
    const docs = [
      join(root, 'README.md'),
      ...readdirSync(join(root, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => join(root, 'docs', f)),
    ];
    const named = new Set(docs.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/\bKESU_[A-Z0-9_]*[A-Z0-9]\b/g)].map((m) => m[0])));
    const unknown = [...named].filter((v) => !CONFIG_VARIABLES.includes(v) && !TOOLS.has(v) && !CONFIG_VARIABLES.some((c) => c.startsWith(`${v}_`)));
    assert.deepEqual(unknown, []);
    for (const v of ['PORT', 'HOST', 'DATABASE_URL', 'LOG_LEVEL', 'KESU_DATA_DIR', 'KESU_SECRET', 'KESU_S3_BUCKET']) assert.ok(CONFIG_VARIABLES.includes(v), v);
  });
});

/** Static imports of a module that survive compilation (`import type` is erased; re-exports count). */
function runtimeImports(file: string): string[] {
  const found = runtimeSpecifiers(file);
  const specs = [...found.static, ...found.dynamic].filter((s) => s.startsWith('.'));
  return specs.map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts'))).filter((p) => existsSync(p));
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('configuration: no import cycle through config.ts', () => {
  it('nothing config.ts imports (directly or not) imports config.ts back, statically or with import()', () => {
    const config = join(root, 'src/config.ts');
    const seen = new Set<string>();
    const back: string[] = [];
    const walk = (file: string, path: string[]) => {
      for (const next of runtimeImports(file)) {
        if (next === config) back.push([...path, next].map((p) => relative(root, p)).join(' → '));
        else if (!seen.has(next)) {
          seen.add(next);
          walk(next, [...path, next]);
        }
      }
    };
    walk(config, [config]);
    assert.ok(seen.has(join(root, 'src/channels/settings.ts')), 'the walk reaches channels/settings.ts');
    assert.deepEqual(back, []);
  });

  it('no module of src/ imports config.ts dynamically', () => {
    const dynamic = sources(join(root, 'src')).filter((f) => runtimeSpecifiers(f).dynamic.some((s) => /^[./]*config\.js$/.test(s)));
    assert.deepEqual(
      dynamic.map((f) => relative(root, f)),
      [],
    );
  });
});

describe('composition root: the app carries the configuration', () => {
  it('composeApp builds the app from one Config: channels, keys, secrets, lifetimes and file store', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kesu-compose-'));
    const cfg = loadConfig({
      KESU_DATA_DIR: dataDir,
      PORT: '3456',
      KESU_SECRET: 'a seal secret of 16+ characters',
      KESU_CONTACT_KEY: 'a contact key of 16+ characters',
      KESU_TELEPHONY_SECRET: 'a telephony secret 16+ chars',
      KESU_IDEMPOTENCY_TTL_HOURS: '2',
      KESU_SESSION_IDLE_MIN: '5',
      KESU_SESSION_MAX_HOURS: '1',
      KESU_PORTAL_RATE_LIMIT: '7',
      KESU_ATTACHMENT_MAX_FILES: '3',
      KESU_SMS_PROVIDER: 'none',
    });
    const composed = await composeApp(cfg);
    try {
      const { app } = composed;
      const s = app.settings.channels;
      assert.equal(s.publicUrl, 'http://127.0.0.1:3456');
      assert.equal(s.portal.rateLimitPerMinute, 7);
      assert.equal(s.attachments.maxFiles, 3);
      assert.equal(s.sms.provider, 'none');
      assert.equal(s.dataDir, dataDir);
      assert.deepEqual(s.sealKey, resolveSealKey('a seal secret of 16+ characters', dataDir));
      assert.deepEqual(contactKeyOf(app), resolveContactKey('a contact key of 16+ characters', dataDir));
      assert.equal(telephonySecretOf(app), 'a telephony secret 16+ chars');
      assert.equal(idempotencyTtlMs(app), 2 * 3_600_000);
      assert.deepEqual(sessionSettings(app), { idleMs: 5 * 60_000, maxMs: 3_600_000 });
      const files = await fileStoreOf(app);
      assert.equal(files.kind, 'local');
      assert.equal(files, app.settings.files, 'the configured store, not a fallback');
      // Migrated: the database answers.
      assert.ok((await app.database.db.selectFrom('users').select('id').execute()).length >= 0);
    } finally {
      await composed.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

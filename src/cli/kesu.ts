#!/usr/bin/env node
/**
 * The `kesu` command: serve | migrate | seed-demo | policy check FILE | calendar add INSTANT
 * DURATION | calendar import FILE | audit verify | audit checkpoint | backup --out DIR |
 * backup verify DIR | restore --from DIR | purge [--dry-run] | hold set|lift|list. Settings come from the environment,
 * validated once (config.ts `loadConfig`); commands that need the database get an app from the
 * composition root (src/app/compose.ts).
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { migrateToLatest } from '../store/migrate.js';
import type { App } from '../services/app.js';
import { composeApp, openConfiguredDatabase } from '../app/compose.js';
import { seedDemo, DEMO_PASSWORD } from '../services/seed-demo.js';
import { readPolicyFile } from '../services/policies.js';
import { parsePolicyText, formatProblems, calendarSpec, calendarNames } from '../domain/policy/index.js';
import { WorkingCalendar, addDuration, builtInHolidayYears, formatDueExplanation, parseHolidayYear, parseLocalTime, CalendarError } from '../domain/calendar/index.js';
import { listHolidayYears, saveHolidayYear } from '../store/calendar.repository.js';
import { recalculateClocks } from '../services/recalculate-clocks.js';
import { verifyChains } from '../store/event.repository.js';
import { readCheckpoint, writeCheckpoint } from '../audit/checkpoint.js';
import { serve } from './serve.js';
import { createBackup, BackupError } from '../records/backup.js';
import { restoreBackup, RestoreError } from '../records/restore.js';
import { verifyBackup } from '../records/manifest.js';
import { resolveContactKey } from '../services/contact-keys.js';
import { reportCommand } from '../reports/runs-cli.js';
import { registerImportCommands } from '../records/import/cli.js';
import { openFileStore } from '../storage/stores.js';
import { holdCommand, purgeCommand } from '../records/retention-cli.js';

const program = new Command();
program.name('kesu').description('Kesu 客诉 — closed-loop complaint management');

let loaded: Config | undefined;
/** The configuration, validated once, when the first command needs it (a bad value stops here, named). */
const config = (): Config => (loaded ??= loadConfig());

async function withApp<T>(fn: (app: App) => Promise<T>): Promise<T> {
  const composed = await composeApp(config());
  try {
    return await fn(composed.app);
  } finally {
    await composed.close();
  }
}

program
  .command('serve')
  .description('migrate, seed the demo organisation on first start, run the API and the deadline sweeper')
  .action(async () => {
    await serve(config());
  });

program
  .command('migrate')
  .description('apply database migrations')
  .action(async () => {
    const cfg = config();
    const database = openConfiguredDatabase(cfg);
    const applied = await migrateToLatest(database.db, { contactKey: resolveContactKey(cfg.contactKey, cfg.dataDir) });
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    await database.close();
  });

program
  .command('seed-demo')
  .description('create the demo organisation (policy and one user per role) if the database has no users')
  .option('--policy <presetOrFile>', 'preset id or policy file', 'kesu-default')
  .action(async (opts: { policy: string }) => {
    await withApp(async (app) => {
      const r = await seedDemo(app, opts.policy);
      console.log(r.seeded ? `demo organisation created (policy ${r.policyKey})` : `users exist already; nothing changed (policy ${r.policyKey})`);
      if (r.seeded) for (const u of r.users) console.log(`  ${u.username.padEnd(12)} ${DEMO_PASSWORD}   ${u.note}`);
    });
  });

const policy = program.command('policy').description('policy documents (制度)');
policy
  .command('check <file>')
  .description('validate a policy file (YAML or JSON, or a preset id) and print every problem with its path')
  .option('--lang <locale>', 'zh-CN, zh-TW or en', 'zh-CN')
  .action((file: string, opts: { lang: string }) => {
    const f = readPolicyFile(file);
    const r = parsePolicyText(f.text, f.format);
    if (r.ok) {
      console.log(`${f.path}: OK — ${r.policy.id}@${r.policy.version}`);
      return;
    }
    console.log(`${f.path}: ${r.problems.length} problem(s)`);
    console.log(formatProblems(r.problems, opts.lang === 'en' ? 'en' : opts.lang === 'zh-TW' ? 'zh-TW' : 'zh-CN'));
    process.exitCode = 1;
  });

const calendar = program.command('calendar').description('working-time calendar');
calendar
  .command('add <instant> <duration>')
  .description("print the due instant of DURATION (30m, 2h, 3d, 1mo, 2wd, 8wh, eod, 2h@eod, 1m@09:00) from INSTANT, and what it skipped; an INSTANT without an offset ('2026-09-30 10:00') is read in the calendar's time zone")
  .option('--policy <presetOrFile>', 'policy whose calendar to use', 'kesu-default')
  .option('--calendar <name>', "one of the policy's named calendars (default: its calendar)")
  .option('--lang <locale>', 'zh-CN, zh-TW or en', 'zh-CN')
  .option('--db', 'include holiday years added by administrators (reads the database)')
  .action(async (instant: string, duration: string, opts: { policy: string; calendar?: string; lang: string; db?: boolean }) => {
    const f = readPolicyFile(opts.policy);
    const r = parsePolicyText(f.text, f.format);
    if (!r.ok) {
      console.error(formatProblems(r.problems, 'en'));
      process.exitCode = 1;
      return;
    }
    if (opts.calendar !== undefined && !calendarNames(r.policy).includes(opts.calendar)) {
      console.error(`calendar: the policy has no calendar ${opts.calendar} (calendars: ${calendarNames(r.policy).join(', ') || 'none'})`);
      process.exitCode = 2;
      return;
    }
    const spec = calendarSpec(r.policy, opts.calendar);
    let start: Date;
    try {
      start = parseLocalTime(instant, spec.timeZone);
    } catch (e) {
      console.error(`instant: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 2;
      return;
    }
    const added = opts.db ? await withApp((app) => listHolidayYears(app.database.db)) : [];
    const region = spec.holidays;
    const years = region === 'none' ? [] : [...(region === 'CN' ? builtInHolidayYears('CN') : []), ...added.filter((y) => y.region === region)];
    try {
      const due = addDuration(start, duration, new WorkingCalendar(spec, years));
      console.log(formatDueExplanation(due, opts.lang === 'en' ? 'en' : opts.lang === 'zh-TW' ? 'zh-TW' : 'zh-CN'));
      if (due.explanation.missingHolidayYears.length) process.exitCode = 3;
    } catch (e) {
      if (e instanceof CalendarError) {
        console.error(`duration: ${e.message}`);
        process.exitCode = 2;
        return;
      }
      throw e;
    }
  });
calendar
  .command('import <file>')
  .description("add or replace a year's holiday list in the database (holiday-cn JSON or {holidays, workdays}), for CN or any region (HK, GB, …)")
  .option('--year <year>', 'the year, when the file does not say')
  .option('--region <code>', 'the region, when the file does not say (a policy uses it with calendar.holidays)', 'CN')
  .action(async (file: string, opts: { year?: string; region: string }) => {
    try {
      const y = parseHolidayYear(JSON.parse(readFileSync(file, 'utf8')), { region: opts.region, year: opts.year ? Number(opts.year) : undefined });
      await withApp(async (app) => {
        await saveHolidayYear(app.database.db, y, 'cli', new Date().toISOString());
        console.log(`saved ${y.region} ${y.year}: ${y.days.length} days`);
        // After the write committed: the running clocks counted on the new list (a server's sweeper would do it too).
        const r = await recalculateClocks(app);
        console.log(`clocks recalculated: ${r.cases} cases with running clocks, ${r.moved.length} moved${r.failed ? `, ${r.failed} failed (the server's sweeper tries them again)` : ''}`);
        if (r.failed) process.exitCode = 1;
      });
    } catch (e) {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    }
  });

const audit = program.command('audit').description('audit trail tools (docs/audit.md)');
audit
  .command('verify')
  .description('verify every chain (case timelines, personal-data access log), their heads, the case rows and the latest checkpoint; exit 1 on any problem')
  .option('--checkpoint <file>', 'verify against this checkpoint file (e.g. a copy kept off the server) instead of the latest in the checkpoint folder')
  .action(async (opts: { checkpoint?: string }) => {
    await withApp(async (app) => {
      const keys = app.database.audit.keys();
      const r = await verifyChains(app.database.db, opts.checkpoint ? { checkpoint: readCheckpoint(opts.checkpoint, keys) } : {});
      for (const p of r.problems) {
        if (p.log === 'checkpoint') console.log(`TAMPERED checkpoint: ${p.problem}`);
        else if (p.log === 'purge') console.log(`TAMPERED purge record #${p.seq}${p.complaintId ? ` (complaint ${p.complaintId})` : ''}: ${p.problem}`);
        else console.log(`TAMPERED complaint ${p.complaintId} ${p.log === 'events' ? 'event' : 'access'} #${p.seq}: ${p.problem}`);
      }
      const against = r.checkpoint ? `; against the checkpoint of ${r.checkpoint}` : '; no checkpoint yet';
      console.log(`${r.checked} events in ${r.cases} cases and ${r.accessChecked} access-log rows checked${against}: ${r.problems.length ? `${r.problems.length} problem(s)` : 'chain intact'}`);
      if (r.problems.length) process.exitCode = 1;
    });
  });
audit
  .command('checkpoint')
  .description('write a signed checkpoint of every chain head (the first one also anchors chains from before migration 0009)')
  .action(async () => {
    await withApp(async (app) => {
      const r = await writeCheckpoint(app.database, new Date());
      console.log(`checkpoint ${r.file}: ${r.heads} heads${r.anchored ? `, ${r.anchored} older chains anchored` : ''}${r.skipped ? `, ${r.skipped} heads with a bad MAC left out (run kesu audit verify)` : ''}`);
      if (r.skipped) process.exitCode = 1;
    });
  });

const backup = program
  .command('backup')
  .description('write a consistent snapshot of the database and its attachments, with a hashed manifest, to a new folder (docs/operations.md)')
  .option('--out <dir>', 'the backup folder to create (absent or empty)')
  .action(async (opts: { out?: string }) => {
    if (!opts.out) {
      console.error('backup: --out DIR is required (or: kesu backup verify DIR)');
      process.exitCode = 2;
      return;
    }
    const cfg = config();
    try {
      const files = await openFileStore(cfg.storage, cfg.dataDir); // KESU_S3_*: the attachments are copied from the bucket
      const { dir, manifest: m } = await createBackup({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir, files, out: opts.out, pgBin: cfg.records.pgBin }).finally(() => files.close());
      const rows = Object.values(m.tables).reduce((a, b) => a + b, 0);
      console.log(`backup written to ${dir}: ${m.engine}, schema ${m.schema.latest}, ${Object.keys(m.tables).length} tables, ${rows} rows, ${m.files.length} files; manifest ${m.hash}`);
      if (m.missingFiles.length) {
        console.error(`WARNING: ${m.missingFiles.length} attachment file(s) named by the database were missing or damaged in ${files.where}: ${m.missingFiles.join(', ')}`);
        process.exitCode = 1;
      }
    } catch (e) {
      if (!(e instanceof BackupError)) throw e;
      console.error(`backup: ${e.message}`);
      process.exitCode = 1;
    }
  });
backup
  .command('verify <dir>')
  .description("check a backup folder against its manifest (the manifest's hash, every file's SHA-256) without restoring it")
  .action(async (dir: string) => {
    const v = await verifyBackup(dir);
    for (const p of v.problems) console.log(`BAD ${p}`);
    if (v.ok) console.log(`${dir}: OK — ${v.manifest!.engine} backup of ${v.manifest!.createdAt}, ${v.checked} files verified`);
    else {
      console.log(`${dir}: ${v.problems.length} problem(s)`);
      process.exitCode = 1;
    }
  });

program
  .command('restore')
  .description('restore a backup into an empty data folder (SQLite) or an empty database (DATABASE_URL), after verifying it; then check the row counts')
  .requiredOption('--from <dir>', 'the backup folder')
  .option('--force', 'replace what the target holds (stop every server on it first)')
  .action(async (opts: { from: string; force?: boolean }) => {
    const cfg = config();
    try {
      const files = await openFileStore(cfg.storage, cfg.dataDir); // KESU_S3_*: the attachments go back into the bucket
      const r = await restoreBackup({ from: opts.from, databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir, files, force: opts.force, pgBin: cfg.records.pgBin }).finally(() => files.close());
      console.log(`restored ${opts.from} (${r.manifest.engine}, ${r.manifest.createdAt}): ${r.tables} tables, ${r.rows} rows — the counts match the manifest; ${r.files} files`);
    } catch (e) {
      if (!(e instanceof RestoreError)) throw e;
      console.error(`restore: ${e.message}`);
      process.exitCode = 1;
    }
  });

reportCommand(program, withApp); // kesu report run | list (issue 11)
registerImportCommands(program, withApp, () => config().cliLang ?? undefined);
purgeCommand(program, withApp); // kesu purge [--dry-run] (records/retention-cli.ts)
holdCommand(program, withApp); // kesu hold set|lift|list

program.parseAsync().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

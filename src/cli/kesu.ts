#!/usr/bin/env node
/**
 * The `kesu` command: serve | migrate | seed-demo | policy check FILE | calendar add INSTANT
 * DURATION | calendar import FILE | audit verify. Settings come from the environment (config.ts).
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { openDatabase } from '../store/db.js';
import { migrateToLatest } from '../store/migrate.js';
import { createApp } from '../services/app.js';
import { seedDemo, DEMO_PASSWORD } from '../services/seed-demo.js';
import { readPolicyFile } from '../services/policies.js';
import { parsePolicyText, formatProblems } from '../domain/policy/index.js';
import { WorkingCalendar, addDuration, builtInHolidayYears, formatDueExplanation, parseHolidayYear, CalendarError } from '../domain/calendar/index.js';
import { listHolidayYears, saveHolidayYear } from '../store/calendar.repository.js';
import { verifyChains } from '../store/event.repository.js';
import { serve } from './serve.js';
import { resolveContactKey, setContactKey } from '../services/contact-keys.js';

const program = new Command();
program.name('kesu').description('Kesu 客诉 — closed-loop complaint management');

async function withApp<T>(fn: (app: ReturnType<typeof createApp>) => Promise<T>): Promise<T> {
  const cfg = loadConfig();
  const database = openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir });
  try {
    const contactKey = resolveContactKey(cfg.contactKey, cfg.dataDir);
    await migrateToLatest(database.db, { contactKey });
    const app = createApp(database);
    setContactKey(app, contactKey);
    return await fn(app);
  } finally {
    await database.close();
  }
}

program
  .command('serve')
  .description('migrate, seed the demo organisation on first start, run the API and the deadline sweeper')
  .action(async () => {
    await serve(loadConfig());
  });

program
  .command('migrate')
  .description('apply database migrations')
  .action(async () => {
    const cfg = loadConfig();
    const database = openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir });
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
  .option('--lang <locale>', 'zh-CN or en', 'zh-CN')
  .action((file: string, opts: { lang: string }) => {
    const f = readPolicyFile(file);
    const r = parsePolicyText(f.text, f.format);
    if (r.ok) {
      console.log(`${f.path}: OK — ${r.policy.id}@${r.policy.version}`);
      return;
    }
    console.log(`${f.path}: ${r.problems.length} problem(s)`);
    console.log(formatProblems(r.problems, opts.lang === 'en' ? 'en' : 'zh-CN'));
    process.exitCode = 1;
  });

const calendar = program.command('calendar').description('working-time calendar');
calendar
  .command('add <instant> <duration>')
  .description('print the due instant of DURATION (30m, 2h, 3d, 2wd, 8wh) from INSTANT, and what it skipped')
  .option('--policy <presetOrFile>', 'policy whose calendar to use', 'kesu-default')
  .option('--lang <locale>', 'zh-CN, zh-TW or en', 'zh-CN')
  .option('--db', 'include holiday years added by administrators (reads the database)')
  .action(async (instant: string, duration: string, opts: { policy: string; lang: string; db?: boolean }) => {
    const f = readPolicyFile(opts.policy);
    const r = parsePolicyText(f.text, f.format);
    if (!r.ok) {
      console.error(formatProblems(r.problems, 'en'));
      process.exitCode = 1;
      return;
    }
    const start = new Date(instant);
    if (Number.isNaN(start.getTime())) {
      console.error(`instant: not an ISO-8601 instant: ${instant}`);
      process.exitCode = 2;
      return;
    }
    const added = opts.db ? await withApp((app) => listHolidayYears(app.database.db)) : [];
    const years = r.policy.calendar.holidays === 'CN' ? [...builtInHolidayYears('CN'), ...added] : [];
    try {
      const due = addDuration(start, duration, new WorkingCalendar(r.policy.calendar, years));
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
  .description("add or replace a year's holiday list in the database (holiday-cn JSON or {holidays, workdays})")
  .option('--year <year>', 'the year, when the file does not say')
  .action(async (file: string, opts: { year?: string }) => {
    try {
      const y = parseHolidayYear(JSON.parse(readFileSync(file, 'utf8')), { region: 'CN', year: opts.year ? Number(opts.year) : undefined });
      await withApp(async (app) => saveHolidayYear(app.database.db, y, 'cli', new Date().toISOString()));
      console.log(`saved ${y.region} ${y.year}: ${y.days.length} days`);
    } catch (e) {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    }
  });

program
  .command('audit')
  .description('audit tools')
  .command('verify')
  .description('verify the hash chain of every case timeline; exit 1 if any event was altered')
  .action(async () => {
    await withApp(async (app) => {
      const r = await verifyChains(app.database.db);
      for (const p of r.problems) console.log(`TAMPERED complaint ${p.complaintId} event #${p.seq}: ${p.problem}`);
      console.log(`${r.checked} events in ${r.cases} cases checked: ${r.problems.length ? `${r.problems.length} problem(s)` : 'chain intact'}`);
      if (r.problems.length) process.exitCode = 1;
    });
  });

program.parseAsync().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

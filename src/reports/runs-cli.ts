/**
 * `kesu report run KIND --period P [--sections a,b]` (makes the report of an ended period now,
 * printing its progress; a period already made prints the stored run) and `kesu report list
 * [--kind K]` (the stored runs and the next scheduled ones). Bad input exits 2 naming the field.
 */
import type { Command } from 'commander';
import { AppError } from '../domain/errors.js';
import type { App } from '../services/app.js';
import { listRuns, type ReportRun } from '../store/report-run.repository.js';
import { checkKind, runReportNow } from './runs.js';
import { nextRuns } from './schedule.js';

type WithApp = <T>(fn: (app: App) => Promise<T>) => Promise<T>;

function line(r: ReportRun): string {
  const h = r.headline as { received?: number } | null;
  return [r.kind.padEnd(9), r.period.padEnd(9), `${r.periodFrom}…${r.periodTo}`, r.status.padEnd(7), `${r.progress}%`.padStart(4), r.trigger.padEnd(8), r.finishedAt ?? r.createdAt, h ? `received ${h.received}` : '', r.id].join('  ');
}

function refused(e: unknown): boolean {
  if (!(e instanceof AppError) || e.code !== 'invalid_input') return false;
  for (const f of e.fields) console.error(`${f.path}: ${f.message.en}`);
  process.exitCode = 2;
  return true;
}

export function reportCommand(program: Command, withApp: WithApp): void {
  const report = program.command('report').description('stored reports (weekly, monthly, quarterly, yearly; docs/reports.md)');
  report
    .command('run <kind>')
    .description("make the report of an ended period now (e.g. weekly --period 2026-W48, monthly --period 2026-11) and deliver it to the policy's recipients, printing its progress")
    .requiredOption('--period <period>', '2026-W48 (weekly), 2026-11 (monthly), 2026-Q4 (quarterly), 2026 (yearly)')
    .option('--sections <list>', "comma-separated sections instead of the policy's (intake, validity, handling, onTime, satisfaction, reopen, repeat, extensions, escalations)")
    .action(async (kind: string, opts: { period: string; sections?: string }) => {
      try {
        checkKind(kind);
        await withApp(async (app) => {
          const sections = opts.sections
            ?.split(',')
            .map((s) => s.trim())
            .filter(Boolean);
          const { run, generated } = await runReportNow(app, { kind, period: opts.period, sections, requestedBy: 'cli' }, { onProgress: (p) => console.log(`${p.run.kind} ${p.run.period}: ${String(p.progress).padStart(3)}% ${p.step}`) });
          if (!generated) console.log(run.status === 'done' ? `already made: ${line(run)}` : `being made elsewhere (${run.progress}% ${run.step ?? ''}): ${run.id}`);
          else console.log(`stored ${run.id} (sha256 ${run.contentHash}); ${run.deliveries} deliveries queued${run.deliveryNote ? ` (${run.deliveryNote})` : ''}`);
        });
      } catch (e) {
        if (!refused(e)) throw e;
      }
    });
  report
    .command('list')
    .description('the stored reports, newest period first, and the next scheduled run of each kind')
    .option('--kind <kind>', 'only this kind')
    .option('--limit <n>', 'at most this many', '50')
    .action(async (opts: { kind?: string; limit: string }) => {
      try {
        if (opts.kind) checkKind(opts.kind);
        await withApp(async (app) => {
          const policy = await app.activePolicy();
          const runs = await listRuns(app.database.db, { scope: policy.id, kind: opts.kind, limit: Math.max(1, Number(opts.limit) || 50) });
          if (!runs.length) console.log('no stored reports yet');
          for (const r of runs) console.log(line(r));
          for (const n of nextRuns(policy, await app.calendarFor(policy), app.now())) console.log(`next ${n.kind} ${n.period.label} at ${n.at.toISOString()}${n.moved ? ' (moved off a rest day)' : ''}`);
        });
      } catch (e) {
        if (!refused(e)) throw e;
      }
    });
}

/**
 * `kesu purge [--dry-run]` (issue 15 §2; docs/operations.md): one pass of the retention purge now —
 * or, with `--dry-run`, the list of what it would purge and why, and of the expired cases a legal
 * hold keeps, changing nothing. A pass that purged something writes an audit checkpoint.
 */
import type { Command } from 'commander';
import type { App } from '../services/app.js';
import { writeCheckpoint } from '../audit/checkpoint.js';
import { purgeReason, runPurge, type ExpiredCase } from './retention.js';

export function purgeCommand(program: Command, withApp: <T>(fn: (app: App) => Promise<T>) => Promise<T>): void {
  program
    .command('purge')
    .description('purge the archived cases whose retention expired and that no legal hold covers (the policy anonymises or removes); --dry-run lists them and changes nothing')
    .option('--dry-run', 'list what would be purged and why, change nothing')
    .option('--max <n>', 'most cases to purge in this pass', (v) => Number.parseInt(v, 10))
    .action(async (opts: { dryRun?: boolean; max?: number }) => {
      await withApp(async (app) => {
        const r = await runPurge(app, { dryRun: opts.dryRun, maxCases: opts.max });
        if (!r.policyKey) {
          console.log('the active policy has no retention section: cases are kept indefinitely');
          return;
        }
        const line = (verb: string, e: ExpiredCase) => console.log(`${verb} ${e.number} (${e.id}): ${purgeReason(e)}${e.heldBy.length ? `; held by ${e.heldBy.join(', ')}` : ''}`);
        for (const e of r.purged) line(opts.dryRun ? `WOULD ${r.mode?.toUpperCase()}` : r.mode === 'remove' ? 'REMOVED' : 'ANONYMISED', e);
        for (const e of r.held) line('HELD', e);
        console.log(`${opts.dryRun ? 'dry run: ' : ''}${r.purged.length} case(s) ${opts.dryRun ? 'to purge' : 'purged'} under ${r.policyKey} (${r.mode}), ${r.held.length} kept by a legal hold${opts.dryRun ? '' : `, ${r.filesDeleted} file(s) deleted`}${r.more ? '; more remain for the next pass' : ''}`);
        if (!opts.dryRun && r.purged.length && app.database.audit.checkpointDir) {
          const cp = await writeCheckpoint(app.database, app.now());
          console.log(`checkpoint ${cp.file}: ${cp.heads} heads`);
        }
      });
    });
}

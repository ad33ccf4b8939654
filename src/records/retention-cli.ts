/**
 * `kesu purge [--dry-run]` (issue 15 §2; docs/operations.md): one pass of the retention purge now —
 * or, with `--dry-run`, the list of what it would purge and why, and of the expired cases a legal
 * hold keeps, changing nothing. A pass that purged something writes an audit checkpoint.
 * `kesu hold set|lift|list --as USER`: legal holds from the command line, as that user (the
 * policy's `retention.holdRoles` apply, as in the API).
 */
import type { Command } from 'commander';
import type { App } from '../services/app.js';
import { writeCheckpoint } from '../audit/checkpoint.js';
import { purgeReason, runPurge, type ExpiredCase } from './retention.js';
import { AppError } from '../domain/errors.js';
import { parseInput } from '../domain/validation.js';
import { actorOf, findUserByUsername } from '../store/user.repository.js';
import { liftHold, listHolds, setHold, type HoldView } from './retention-holds.js';
import { Lift, NewHold } from './retention-hold-input.js';

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
        for (const f of r.failed) console.log(`FAILED ${f.id}: ${f.error}`);
        if (r.failed.length) process.exitCode = 1;
        console.log(
          `${opts.dryRun ? 'dry run: ' : ''}${r.purged.length} case(s) ${opts.dryRun ? 'to purge' : 'purged'} under ${r.policyKey} (${r.mode}), ${r.held.length} kept by a legal hold${opts.dryRun ? '' : `, ${r.filesDeleted} file(s) deleted`}${r.more ? '; more remain for the next pass' : ''}`,
        );
        if (!opts.dryRun && r.purged.length && app.database.audit.checkpointDir) {
          const cp = await writeCheckpoint(app.database, app.now());
          console.log(`checkpoint ${cp.file}: ${cp.heads} heads`);
        }
      });
    });
}

/** Runs `fn` as the user `username`; a refusal is printed field by field (in English) with exit code 1. */
async function asUser(app: App, username: string, fn: (actor: ReturnType<typeof actorOf>) => Promise<void>): Promise<void> {
  const u = await findUserByUsername(app.database.db, username);
  if (!u || !u.active) {
    console.error(`no active user ${username}`);
    process.exitCode = 1;
    return;
  }
  try {
    await fn(actorOf(u));
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    console.error(`refused (${e.code})${e.fields.length ? `: ${e.fields.map((f) => `${f.path}: ${f.message.en}`).join('; ')}` : ''}`);
    process.exitCode = 1;
  }
}

const holdLine = (h: HoldView) =>
  `${h.id} ${h.active ? 'ACTIVE' : 'lifted'} ${h.scope} ${h.complaintId ?? h.contactKind ?? `${h.receivedFrom} – ${h.receivedTo}`} set by ${h.setBy} at ${h.setAt}: ${h.reason}${h.liftedAt ? `; lifted by ${h.liftedBy} at ${h.liftedAt}: ${h.liftReason}` : ''}`;

export function holdCommand(program: Command, withApp: <T>(fn: (app: App) => Promise<T>) => Promise<T>): void {
  const hold = program.command('hold').description('legal holds: a held case is never purged (docs/operations.md)');
  hold
    .command('set')
    .description('set a legal hold on a case, a customer (one contact) or the cases received in a range')
    .requiredOption('--as <username>', 'the user setting it (policy retention.holdRoles)')
    .requiredOption('--reason <text>', 'why')
    .option('--case <id-or-number>', 'one case')
    .option('--phone <phone>', 'a customer by phone')
    .option('--email <email>', 'a customer by e-mail')
    .option('--id-number <id>', 'a customer by ID number')
    .option('--from <time>', 'received from (ISO 8601)')
    .option('--to <time>', 'received before (ISO 8601)')
    .action(async (o: { as: string; reason: string; case?: string; phone?: string; email?: string; idNumber?: string; from?: string; to?: string }) => {
      await withApp(async (app) =>
        asUser(app, o.as, async (actor) => {
          const body =
            o.case !== undefined
              ? { scope: 'case', complaint: o.case, reason: o.reason }
              : o.from !== undefined || o.to !== undefined
                ? { scope: 'received', from: o.from, to: o.to, reason: o.reason }
                : { scope: 'customer', phone: o.phone, email: o.email, idNumber: o.idNumber, reason: o.reason };
          console.log(holdLine(await setHold(app, actor, parseInput(NewHold, JSON.parse(JSON.stringify(body))))));
        }),
      );
    });
  hold
    .command('lift <id>')
    .description('lift a legal hold')
    .requiredOption('--as <username>', 'the user lifting it (policy retention.holdRoles)')
    .requiredOption('--reason <text>', 'why')
    .action(async (id: string, o: { as: string; reason: string }) => {
      await withApp(async (app) => asUser(app, o.as, async (actor) => console.log(holdLine(await liftHold(app, actor, id, parseInput(Lift, { reason: o.reason }).reason)))));
    });
  hold
    .command('list')
    .description('list legal holds, newest first')
    .requiredOption('--as <username>', 'the user reading them (holders and auditors)')
    .option('--active', 'only those in force')
    .action(async (o: { as: string; active?: boolean }) => {
      await withApp(async (app) =>
        asUser(app, o.as, async (actor) => {
          const items = await listHolds(app, actor, { active: o.active });
          for (const h of items) console.log(holdLine(h));
          console.log(`${items.length} hold(s)`);
        }),
      );
    });
}

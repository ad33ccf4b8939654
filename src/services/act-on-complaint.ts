/**
 * Performs one lifecycle action: lock the case, check the caller may see it, run the pure
 * machine, and persist the new case, its event, its clocks and its outbox messages in one
 * transaction. A refusal changes nothing.
 */
import type { Actor, Complaint } from '../domain/complaint/types.js';
import { apply } from '../domain/lifecycle/apply.js';
import { canSee } from '../domain/permissions/visibility.js';
import { AppError, fieldProblem } from '../domain/errors.js';
import { lockComplaint, saveComplaint } from '../store/complaint.repository.js';
import { appendEvents } from '../store/event.repository.js';
import { listClocks, upsertClocks } from '../store/clock.repository.js';
import { enqueueMessages } from '../store/outbox.repository.js';
import { getUsers } from '../store/user.repository.js';
import type { Executor } from '../store/db.js';
import type { Transaction } from 'kysely';
import type { DB } from '../store/schema.js';
import type { App } from './app.js';

/** Assignees must be existing, active users who can handle cases. */
async function checkAssignees(db: Executor, input: unknown): Promise<void> {
  const i = (input ?? {}) as { primaryHandlerId?: unknown; backupHandlerId?: unknown; coHandlerIds?: unknown };
  const wanted: [string, unknown][] = [
    ['primaryHandlerId', i.primaryHandlerId],
    ['backupHandlerId', i.backupHandlerId],
    ...(Array.isArray(i.coHandlerIds) ? i.coHandlerIds.map((v, n): [string, unknown] => [`coHandlerIds[${n}]`, v]) : []),
  ];
  const ids = wanted.map(([, v]) => v).filter((v): v is string => typeof v === 'string');
  const users = new Map((await getUsers(db, ids)).map((u) => [u.id, u]));
  for (const [path, v] of wanted) {
    if (typeof v !== 'string') continue;
    const u = users.get(v);
    if (!u || !u.active) throw new AppError('invalid_input', `${path}: unknown user`, [fieldProblem(path, '没有此用户', 'No such user')]);
    if (!u.roles.includes('handler') && !u.roles.includes('approver'))
      throw new AppError('invalid_input', `${path}: not a handler`, [fieldProblem(path, '该用户没有处理人角色', 'This user is not a handler')]);
  }
}

/**
 * Extra work of a channel that must commit or roll back with the transition (issue 4: a survey
 * link used up, attachment rows of a customer's supplement). Throwing rolls everything back.
 */
export interface ActHooks {
  inTransaction?: (trx: Transaction<DB>, saved: Complaint) => Promise<void>;
}

export async function actOnComplaint(app: App, actor: Actor, id: string, action: string, input: unknown, hooks: ActHooks = {}): Promise<Complaint> {
  const { db, dialect } = app.database;
  const saved = await db.transaction().execute(async (trx) => {
    const c = await lockComplaint(trx, dialect, id);
    // Avoidance and need-to-know: a case the caller may not see does not exist for them.
    if (!c || !canSee(c, actor)) throw new AppError('not_found', `complaint ${id}`);
    if (action === 'route' || action === 'reroute') await checkAssignees(trx, input);
    const policy = await app.policyByKey(c.policyKey, trx);
    const calendar = await app.calendarFor(policy, trx);
    const clocks = await listClocks(trx, id);
    const d = apply(c, clocks, action, input, { actor, now: app.now(), policy, calendar });
    if (d.kind === 'refused') throw new AppError(d.code, d.detail, d.fields);
    const merged = new Map(clocks.map((k) => [k.kind, k]));
    d.clocks.forEach((k) => merged.set(k.kind, k));
    await saveComplaint(trx, d.complaint, c.version, [...merged.values()]);
    await appendEvents(trx, id, d.events);
    await upsertClocks(trx, d.clocks);
    await enqueueMessages(trx, d.outbox);
    await hooks.inTransaction?.(trx, d.complaint);
    for (const k of d.clocks)
      if (k.missingHolidayYears.length && k.status !== 'stopped')
        app.log.warn({ complaint: c.number, clock: k.kind, years: k.missingHolidayYears }, 'deadline computed without holiday data for these years: add them (PUT /api/v1/calendar/years/{year})');
    return d.complaint;
  });
  app.events.emit('case_changed', { id: saved.id, number: saved.number, state: saved.state, action, at: saved.updatedAt });
  return saved;
}

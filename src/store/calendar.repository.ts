/** Holiday years added by administrators (they replace a built-in year of the same region). */
import type { HolidayYear } from '../domain/calendar/index.js';
import type { Executor } from './db.js';
import { bumpCacheStamp } from './cache-stamp.repository.js';
import { nextValue } from './counter.repository.js';

/**
 * Adds or replaces a year and bumps the calendars' cache stamp in the same transaction (its own
 * when given the root handle), so every instance — and a running server when the CLI imports a
 * year — rebuilds its calendars (services/app.ts). It also bumps the region's holiday revision,
 * which marks the running clocks of that region as due for a recalculation
 * (services/recalculate-clocks.ts): the work is recorded with the write, done after it.
 */
export async function saveHolidayYear(db: Executor, y: HolidayYear, by: string, at: string): Promise<void> {
  if (!db.isTransaction) return db.transaction().execute((trx) => saveHolidayYear(trx, y, by, at));
  const data = JSON.stringify(y);
  await db
    .insertInto('calendar_years')
    .values({ region: y.region, year: y.year, data, updated_at: at, updated_by: by })
    .onConflict((oc) => oc.columns(['region', 'year']).doUpdateSet({ data, updated_at: at, updated_by: by }))
    .execute();
  await bumpCacheStamp(db, 'calendars');
  await nextValue(db, `${REVISION}${y.region}`);
}

export async function listHolidayYears(db: Executor): Promise<HolidayYear[]> {
  const rows = await db.selectFrom('calendar_years').select('data').orderBy('year').execute();
  return rows.map((r) => JSON.parse(r.data) as HolidayYear);
}

/**
 * Holiday revisions (rows of `counters`): `holidays:<region>` counts the changes of a region's
 * holiday years; `holidays_recalculated:<region>` is the revision whose clock recalculation last
 * finished. A region whose revision is ahead has running clocks still counted on an older list.
 */
const REVISION = 'holidays:';
const RECALCULATED = 'holidays_recalculated:';

export interface PendingRecalculation {
  region: string;
  revision: number;
}

/** Regions whose clocks have not yet been recalculated after their latest holiday change. */
export async function pendingRecalculations(db: Executor): Promise<PendingRecalculation[]> {
  const rows = await db
    .selectFrom('counters')
    .select(['name', 'value'])
    .where((eb) => eb.or([eb('name', 'like', `${REVISION}%`), eb('name', 'like', `${RECALCULATED}%`)]))
    .execute();
  const done = new Map(rows.filter((r) => r.name.startsWith(RECALCULATED)).map((r) => [r.name.slice(RECALCULATED.length), Number(r.value)]));
  return rows
    .filter((r) => r.name.startsWith(REVISION))
    .map((r) => ({ region: r.name.slice(REVISION.length), revision: Number(r.value) }))
    .filter((p) => p.revision > (done.get(p.region) ?? 0))
    .sort((a, b) => (a.region < b.region ? -1 : a.region > b.region ? 1 : 0));
}

/** Records that the region's clocks were recalculated on `revision` (never moves the mark back). */
export async function markRecalculated(db: Executor, p: PendingRecalculation): Promise<void> {
  await db
    .insertInto('counters')
    .values({ name: `${RECALCULATED}${p.region}`, value: p.revision })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: p.revision }).where('counters.value', '<', p.revision))
    .execute();
}

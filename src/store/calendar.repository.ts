/** Holiday years added by administrators (they replace a built-in year of the same region). */
import type { HolidayYear } from '../domain/calendar/index.js';
import type { Executor } from './db.js';
import { bumpCacheStamp } from './cache-stamp.repository.js';

/**
 * Adds or replaces a year and bumps the calendars' cache stamp in the same transaction (its own
 * when given the root handle), so every instance — and a running server when the CLI imports a
 * year — rebuilds its calendars (services/app.ts).
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
}

export async function listHolidayYears(db: Executor): Promise<HolidayYear[]> {
  const rows = await db.selectFrom('calendar_years').select('data').orderBy('year').execute();
  return rows.map((r) => JSON.parse(r.data) as HolidayYear);
}

/**
 * The case ledger (台账) as an Excel workbook (issue 11 §5): one row per case received in the
 * period matching the statistics filters that the reader may open (need to know, avoidance),
 * oldest first, with the columns the active policy lists (`exports.ledgerColumns`), headers in
 * the reader's language; dates are Excel dates (local time of the policy's zone), counts and
 * amounts numbers. A second sheet says what the export holds (period, filters, who, when, rows).
 *
 * Streamed: pages of `PAGE` cases are read by keyset (received_at, id), written to an ExcelJS
 * streaming writer and let go, waiting for the reader of the output to drain between pages, so a
 * ledger of 100 k rows never sits in memory. No read runs in a transaction.
 *
 * Personal data follows the reader's masking (domain/permissions/pii.ts `complainantFor`), row
 * by row. Each case whose personal-data columns are shown unmasked gets one row in the
 * personal-data access log (route: the export's), written for the page in one short transaction
 * BEFORE the page's rows are written out: a ledger that cannot be logged is not disclosed.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import type { Actor, Complaint } from '../domain/complaint/types.js';
import type { Locale } from '../domain/errors.js';
import { complainantFor } from '../domain/permissions/pii.js';
import { ledgerColumnsOf, type LedgerColumn } from '../domain/policy/exports.js';
import { auditKeysOf } from '../audit/heads.js';
import { visibleTo } from '../store/complaint.repository.js';
import { recordPiiAccess, type PiiAccess } from '../store/pii-access.repository.js';
import type { App } from '../services/app.js';
import { uuidv7 } from '../services/ids.js';
import { requestContext } from '../services/request-context.js';
import { cohortOf, periodBounds, type StatisticsFilters } from './statistics.js';
import { LEDGER_COLUMN_SPECS, NUM_FMT, type CellValue, type ColumnSpec, type LedgerRow } from './ledger-columns.js';
import { T, type Text } from './pdf/labels.js';
import { policyNames, staffNames, type Names } from './pdf/names.js';

/** Cases read and written per step. */
export const PAGE = 500;

export const LEDGER_SHEETS = {
  ledger: T('台账', '台帳', 'Ledger'),
  about: T('说明', '說明', 'About'),
} as const;

const ABOUT = {
  item: T('项目', '項目', 'Item'),
  value: T('内容', '內容', 'Value'),
  from: T('开始日期', '開始日期', 'From'),
  to: T('结束日期', '結束日期', 'To'),
  zone: T('时区', '時區', 'Time zone'),
  filters: T('筛选条件', '篩選條件', 'Filters'),
  none: T('无', '無', 'None'),
  exportedAt: T('导出时间', '匯出時間', 'Exported at'),
  exportedBy: T('导出人', '匯出人', 'Exported by'),
  rows: T('案件数', '案件數', 'Cases'),
  masked: T('脱敏说明', '遮蔽說明', 'Masking'),
  maskedText: T(
    '个人信息按导出人的权限脱敏；未脱敏的导出已记入个人信息访问日志。',
    '個人資訊依匯出人的權限遮蔽；未遮蔽的匯出已記入個人資訊存取日誌。',
    "Personal data is masked as the exporter's part in each case requires; unmasked rows are recorded in the personal-data access log.",
  ),
} as const satisfies Record<string, Text>;

export interface LedgerQuery {
  from: string;
  to: string;
  filters: StatisticsFilters;
}

export interface PreparedLedger {
  fileName: string;
  /** Writes the workbook to `out` (ended when done); resolves with the number of cases. */
  write(out: Writable): Promise<number>;
}

/** A local wall-clock time as the Excel date showing it (Excel dates have no zone). */
function excelDate(iso: string, zone: string): Date {
  const d = DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone);
  return new Date(Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute, d.second));
}

/**
 * Checks the query and reads what every row needs (the policy's columns and time zone, staff
 * names), so bad input is answered 4xx before a byte of the workbook is sent.
 */
export async function prepareLedger(app: App, actor: Actor, q: LedgerQuery, lang: Locale): Promise<PreparedLedger> {
  const policy = await app.activePolicy();
  const zone = policy.calendar.timeZone;
  const { start, end } = periodBounds({ from: q.from, to: q.to, groupBy: 'month' }, zone);
  const fromI = start.toUTC().toISO()!;
  const toI = end.toUTC().toISO()!;
  const columns = ledgerColumnsOf(policy);
  const specs = columns.map((c) => LEDGER_COLUMN_SPECS[c]);
  const piiColumns = specs.filter((s): s is ColumnSpec & { pii: NonNullable<ColumnSpec['pii']> } => !!s.pii).map((s) => s.pii);
  const users = await staffNames(app);
  const namesByPolicy = new Map<string, Names>();
  const fallback = policyNames(policy, lang, users);
  const namesFor = async (key: string): Promise<Names> => {
    let n = namesByPolicy.get(key);
    if (!n) {
      n = await app.policyByKey(key).then(
        (p) => policyNames(p, lang, users),
        () => fallback,
      );
      namesByPolicy.set(key, n);
    }
    return n;
  };
  const route = requestContext()?.route ?? null;
  const now = app.now();
  const db = app.database.db;

  const page = async (after: { at: string; id: string } | null) => {
    let sel = cohortOf(app, actor, { from: q.from, to: q.to, groupBy: 'month', filters: q.filters, repeatWindowDays: 30 }, fromI, toI).where(visibleTo(actor) as never);
    if (after) sel = sel.where((eb) => eb.or([eb('complaints.received_at', '>', after.at), eb.and([eb('complaints.received_at', '=', after.at), eb('complaints.id', '>', after.id)])]));
    return sel
      .select([
        'complaints.id as id',
        'complaints.body as body',
        'complaints.received_at as receivedAt',
        // The promised time: the resolve clock's due time (kept once the clock stopped, as the case page shows it).
        sql<string | null>`(select k.due_at from clocks k where k.complaint_id = complaints.id and k.kind = 'resolve' limit 1)`.as('promisedAt'),
        'f.complaint_id as factsId',
        'f.first_answered_at as answeredAt',
        'f.closed_at as closedAt',
        'f.handling_mode as handlingMode',
        'f.handling_wms as handlingWms',
        'f.resolve_breached as resolveBreached',
        'f.reopen_count as reopens',
        'f.extensions as extensions',
        'f.final_satisfaction as finalSatisfaction',
        'f.satisfaction as satisfaction',
      ])
      .orderBy('complaints.received_at')
      .orderBy('complaints.id')
      .limit(PAGE)
      .execute();
  };

  const cell = (spec: ColumnSpec, v: CellValue): ExcelJS.CellValue => {
    if (v === null || v === '') return null;
    if (typeof v === 'object') return excelDate(v.instant, zone);
    return v;
  };

  return {
    fileName: `kesu-ledger-${q.from}-${q.to}.xlsx`,
    async write(out) {
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
      wb.creator = 'Kesu';
      wb.created = now;
      const ws = wb.addWorksheet(LEDGER_SHEETS.ledger[lang], { views: [{ state: 'frozen', ySplit: 1 }] });
      ws.columns = specs.map((s, i) => ({ header: s.header[lang], key: columns[i]!, width: s.width, ...(NUM_FMT[s.type] ? { style: { numFmt: NUM_FMT[s.type]! } } : {}) }));
      ws.getRow(1).font = { bold: true };
      const keys = auditKeysOf(db);
      let count = 0;
      let after: { at: string; id: string } | null = null;
      for (;;) {
        const rows = await page(after);
        if (!rows.length) break;
        const prepared: { values: ExcelJS.CellValue[] }[] = [];
        const accesses: PiiAccess[] = [];
        for (const r of rows) {
          const c = JSON.parse(r.body) as Complaint;
          const { complainant, masked } = complainantFor(c, actor);
          const shown: LedgerRow = {
            c: { ...c, complainant },
            promisedAt: r.promisedAt,
            facts:
              r.factsId === null
                ? null
                : {
                    answeredAt: r.answeredAt ?? null,
                    closedAt: r.closedAt ?? null,
                    handlingMode: r.handlingMode ?? null,
                    handlingWms: r.handlingWms === null || r.handlingWms === undefined ? null : Number(r.handlingWms),
                    resolveBreached: Number(r.resolveBreached) === 1,
                    reopens: Number(r.reopens ?? 0),
                    extensions: Number(r.extensions ?? 0),
                    finalSatisfaction: r.finalSatisfaction ?? null,
                    satisfaction: r.satisfaction ?? null,
                  },
          };
          const names = await namesFor(c.policyKey);
          prepared.push({ values: specs.map((s) => cell(s, s.value(shown, names, lang))) });
          const revealed = masked ? [] : piiColumns.filter((f) => !!c.complainant[f]);
          if (revealed.length) accesses.push({ id: uuidv7(now.getTime()), at: now.toISOString(), userId: actor.id, userName: actor.name, complaintId: c.id, complaintNumber: c.number, fields: revealed, route });
        }
        // Logged before it is disclosed; one short transaction per page.
        if (accesses.length)
          await db.transaction().execute(async (trx) => {
            for (const a of accesses) await recordPiiAccess(trx, a, keys);
          });
        for (const p of prepared) ws.addRow(p.values).commit();
        count += rows.length;
        const last = rows[rows.length - 1]!;
        after = { at: last.receivedAt, id: last.id };
        if (rows.length < PAGE) break;
        // Let the reader of the workbook catch up before reading the next page.
        if (out.writableNeedDrain) await once(out, 'drain');
      }
      ws.commit();

      const about = wb.addWorksheet(LEDGER_SHEETS.about[lang]);
      about.columns = [
        { header: ABOUT.item[lang], key: 'item', width: 14 },
        { header: ABOUT.value[lang], key: 'value', width: 60 },
      ];
      about.getRow(1).font = { bold: true };
      const day = (d: string) => new Date(`${d}T00:00:00Z`);
      const filters = Object.entries(q.filters)
        .filter(([, v]) => v?.length)
        .map(([k, v]) => `${k}=${(v as string[]).join(',')}`)
        .join('; ');
      const add = (item: Text, value: ExcelJS.CellValue, numFmt?: string) => {
        const row = about.addRow({ item: item[lang], value });
        if (numFmt) row.getCell('value').numFmt = numFmt;
        row.commit();
      };
      add(ABOUT.from, day(q.from), 'yyyy-mm-dd');
      add(ABOUT.to, day(q.to), 'yyyy-mm-dd');
      add(ABOUT.zone, zone);
      add(ABOUT.filters, filters || ABOUT.none[lang]);
      add(ABOUT.exportedAt, excelDate(now.toISOString(), zone), 'yyyy-mm-dd hh:mm');
      add(ABOUT.exportedBy, actor.name);
      add(ABOUT.rows, count, '0');
      add(ABOUT.masked, ABOUT.maskedText[lang]);
      about.commit();
      await wb.commit();
      return count;
    },
  };
}

export type { LedgerColumn };

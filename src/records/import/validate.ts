/**
 * The dry run's check of a ledger (pure): every row against the mapping and the active policy.
 * It returns every problem (row, column, what) and, for the rows without one, the facts the
 * import writes — each with its key: the ledger's own id when the mapping names that column,
 * else a SHA-256 of the row's mapped cells (computed here, before any transaction).
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Policy } from '../../domain/policy/index.js';
import type { ComplaintKind, Satisfaction } from '../../domain/complaint/types.js';
import { LEDGER_FIELDS, REQUIRED_FIELDS, type LedgerField, type LedgerMapping } from './mapping.js';
import { columnLetter, type Sheet } from './sheet.js';
import type { ImportProblem, ProblemCode } from './problems.js';
import { vocabularyOf, type ImportState } from './vocabulary.js';

export interface KnownUser {
  id: string;
  username: string;
  name: string;
}

/** One valid ledger row, as the import writes it. */
export interface LedgerRecord {
  row: number;
  key: string;
  externalId: string | null;
  receivedAt: Date;
  closedAt: Date | null;
  state: ImportState;
  kind: ComplaintKind;
  channel: string;
  category: string | null;
  grade: string | null;
  departmentCode: string | null;
  handler: { id: string | null; name: string } | null;
  customer: { name?: string; phone?: string; email?: string };
  title: string | null;
  description: string;
  demands: string | null;
  result: string | null;
  satisfaction: Satisfaction | null;
}

export interface CheckContext {
  policy: Policy;
  users: readonly KnownUser[];
  now: Date;
}

export interface CheckResult {
  records: LedgerRecord[];
  problems: ImportProblem[];
  /** Rows read (not counting the header). */
  rows: number;
}

const LIMITS: Partial<Record<LedgerField, number>> = {
  externalId: 100,
  customerName: 100,
  title: 200,
  description: 20000,
  demands: 2000,
  handler: 100,
  result: 20000,
};
const PHONE = /^[0-9+\-() ]{5,32}$/;
const EMAIL = z.email().max(200);

const LOCAL_FORMATS = [
  'yyyy-M-d H:mm:ss',
  'yyyy-M-d H:mm',
  'yyyy-M-d',
  'yyyy/M/d H:mm:ss',
  'yyyy/M/d H:mm',
  'yyyy/M/d',
  'yyyy.M.d H:mm',
  'yyyy.M.d',
  "yyyy'年'M'月'd'日' H:mm:ss",
  "yyyy'年'M'月'd'日' H:mm",
  "yyyy'年'M'月'd'日'H:mm",
  "yyyy'年'M'月'd'日'",
  'yyyyMMdd',
];

/**
 * The common LOCAL_FORMATS spellings (yyyy-M-d, yyyy/M/d, yyyy.M.d, 年月日, each with an
 * optional H:mm[:ss]) read without luxon's format parser, which costs more than the rest of a
 * row's check; anything else (and anything this rejects) goes through LOCAL_FORMATS.
 */
const FAST_LOCAL = /^(?<y>\d{4})(?:(?<sep>[-/.])(?<M>\d{1,2})\k<sep>(?<d>\d{1,2})|年(?<cM>\d{1,2})月(?<cd>\d{1,2})日)(?:(?<sp> ?)(?<time>(?<h>\d{1,2}):(?<m>\d{2})(?::(?<s>\d{2}))?))?$/;

/** UTC offsets (minutes) of local half-hours already read, by zone and local half-hour. */
const OFFSETS = new Map<string, number>();

/**
 * A local wall time in `zone` as an instant, or null when there is no such time (2025-02-30).
 * The zone's offset is looked up once per local half-hour (offsets change on the hour or the
 * half hour); a time luxon moves (one skipped by a clock change) is never cached.
 */
function localTime(y: number, M: number, d: number, h: number, m: number, s: number, zone: string): Date | null {
  if (M < 1 || M > 12 || d < 1 || d > 31 || h > 24 || m > 59 || s > 59) return null;
  const key = `${zone}|${y}-${M}-${d} ${h}:${m < 30 ? 0 : 30}`;
  const wall = Date.UTC(y, M - 1, d, h, m, s);
  const known = OFFSETS.get(key);
  if (known !== undefined) return new Date(wall - known * 60_000);
  const t = DateTime.fromObject({ year: y, month: M, day: d, hour: h, minute: m, second: s }, { zone });
  if (!t.isValid) return null;
  if (t.year === y && t.month === M && t.day === d && t.hour === h && t.minute === m) {
    if (OFFSETS.size >= 100_000) OFFSETS.clear();
    OFFSETS.set(key, t.offset);
  }
  return t.toJSDate();
}

/**
 * A ledger time: ISO 8601 with an offset, a local date or date-time in one of the usual
 * spellings (read in `zone`), or an Excel serial day number. Null when it is none of them.
 */
export function parseLedgerTime(text: string, zone: string): Date | null {
  const s = text.trim().replace(/\s+/g, ' ');
  if (!s) return null;
  if (/^\d{4}-\d{2}-\d{2}T/.test(s)) {
    const d = DateTime.fromISO(s, { zone, setZone: false });
    return d.isValid ? d.toJSDate() : null;
  }
  if (/^\d{5}(\.\d+)?$/.test(s)) {
    // An Excel serial date (days since 1899-12-30) from a cell not formatted as a date.
    const serial = Number(s);
    if (serial < 1 || serial > 2958465) return null;
    const ms = Math.round((serial - 25569) * 86_400_000);
    const w = new Date(ms);
    const d = DateTime.fromObject({ year: w.getUTCFullYear(), month: w.getUTCMonth() + 1, day: w.getUTCDate(), hour: w.getUTCHours(), minute: w.getUTCMinutes(), second: w.getUTCSeconds() }, { zone });
    return d.isValid ? d.toJSDate() : null;
  }
  const fast = FAST_LOCAL.exec(s);
  if (fast) {
    const g = fast.groups!;
    // Only the spellings LOCAL_FORMATS accepts: 'yyyy.M.d' has no seconds form, and only
    // 年月日 may run into a time without seconds with no space; the rest goes to luxon.
    const dotSeconds = g.sep === '.' && g.s !== undefined;
    const glued = g.time !== undefined && g.sp === '' && (g.sep !== undefined || g.s !== undefined);
    if (!dotSeconds && !glued) {
      return localTime(+g.y!, +(g.M ?? g.cM)!, +(g.d ?? g.cd)!, +(g.h ?? 0), +(g.m ?? 0), +(g.s ?? 0), zone);
    }
  }
  for (const f of LOCAL_FORMATS) {
    const d = DateTime.fromFormat(s, f, { zone });
    if (d.isValid) return d.toJSDate();
  }
  return null;
}

/** The key of a row: its ledger id, else the hash of its mapped cells. */
function rowKey(externalId: string | null, cells: Record<string, string>): string {
  if (externalId) return `id:${externalId}`;
  const canonical = JSON.stringify(LEDGER_FIELDS.map((f) => cells[f] ?? ''));
  return `row:${createHash('sha256').update(canonical).digest('hex')}`;
}

export function checkLedger(sheet: Sheet, mapping: LedgerMapping, ctx: CheckContext): CheckResult {
  const p = ctx.policy;
  const zone = mapping.timeZone ?? p.calendar.timeZone;
  const vocab = vocabularyOf(p);
  const problems: ImportProblem[] = [];
  const records: LedgerRecord[] = [];

  // --- the header: every mapped column must be there ------------------------------------------
  const index = new Map<string, number>();
  sheet.header.forEach((h, i) => {
    const k = h.trim();
    if (k && !index.has(k)) index.set(k, i);
  });
  const columnOf = new Map<LedgerField, number>();
  for (const f of LEDGER_FIELDS) {
    const h = mapping.columns[f];
    if (!h) continue;
    const i = index.get(h);
    if (i === undefined) problems.push({ row: 1, column: null, header: h, field: f, code: 'missing_column', value: null });
    else columnOf.set(f, i);
  }
  // A missing column is one problem (row 1), not one per row: its fact is left unchecked in the
  // rows, whose other columns are still checked so the dry run lists everything at once.
  const missing = new Set(problems.map((x) => x.field));

  const usersByName = new Map<string, KnownUser>();
  for (const u of ctx.users) {
    usersByName.set(u.username.toLowerCase(), u);
    if (!usersByName.has(u.name.toLowerCase())) usersByName.set(u.name.toLowerCase(), u);
  }
  const seen = new Map<string, number>();

  for (const { row, cells } of sheet.rows) {
    const before = problems.length;
    const text: Record<string, string> = {};
    for (const [f, i] of columnOf) text[f] = (cells[i] ?? '').trim();
    const add = (field: LedgerField, code: ProblemCode, value: string | null = text[field] ?? null) => {
      const i = columnOf.get(field);
      problems.push({ row, column: i === undefined ? null : columnLetter(i), header: mapping.columns[field] ?? null, field, code, value: value && value.length > 60 ? `${value.slice(0, 57)}…` : value });
    };
    const get = (f: LedgerField): string | null => (text[f] ? text[f]! : null);

    for (const f of REQUIRED_FIELDS) if (!missing.has(f) && !get(f)) add(f, 'required');
    for (const [f, max] of Object.entries(LIMITS) as [LedgerField, number][]) if ((get(f)?.length ?? 0) > max) add(f, 'too_long', String(max));

    const time = (f: 'receivedAt' | 'closedAt'): Date | null => {
      const s = get(f);
      if (!s) return null;
      const d = parseLedgerTime(s, zone);
      if (!d) add(f, 'bad_date');
      else if (d.getTime() > ctx.now.getTime()) add(f, 'future_date');
      return d && d.getTime() <= ctx.now.getTime() ? d : null;
    };
    const receivedAt = time('receivedAt');
    const closedAt = time('closedAt');
    if (receivedAt && closedAt && closedAt < receivedAt) add('closedAt', 'closed_before_received');

    const kindText = get('kind');
    const kind = kindText ? vocab.kind.get(kindText) : (mapping.defaults.kind ?? 'complaint');
    if (kindText && !kind) add('kind', 'unknown_kind');
    else if (kind && !p.kinds[kind].enabled) add('kind', 'kind_disabled', kindText ?? kind);

    const channelText = get('channel') ?? mapping.defaults.channel ?? null;
    const channel = channelText ? vocab.channel.get(channelText) : undefined;
    if (!channelText) {
      if (!missing.has('channel')) add('channel', 'required');
    } else if (!channel) add('channel', 'unknown_channel', channelText);

    const lookup = (f: LedgerField, l: { get(s: string): string | undefined }, code: ProblemCode): string | null => {
      const s = get(f);
      if (!s) return null;
      const v = l.get(s);
      if (!v) add(f, code);
      return v ?? null;
    };
    const category = lookup('category', vocab.category, 'unknown_category');
    const grade = lookup('grade', vocab.grade, 'unknown_grade');
    if (grade && kind && kind !== 'complaint') add('grade', 'grade_not_for_kind');
    const departmentCode = lookup('department', vocab.department, 'unknown_department');
    const satisfaction = (lookup('satisfaction', vocab.satisfaction, 'unknown_satisfaction') as Satisfaction | null) ?? null;

    const stateText = get('state');
    const state: ImportState | undefined = stateText ? vocab.state.get(stateText) : closedAt || get('closedAt') ? mapping.closedState : 'received';
    if (stateText && !state) add('state', 'unknown_state');
    const done = state === 'closed' || state === 'archived';
    if (done && !get('closedAt') && !missing.has('closedAt')) add('closedAt', 'required');

    const handlerText = get('handler');
    const handlerUser = handlerText ? usersByName.get(handlerText.toLowerCase()) : undefined;
    if (state === 'investigating') {
      if (!handlerText) add('handler', 'required');
      else if (!handlerUser) add('handler', 'unknown_handler');
      if (!departmentCode && !get('department')) add('department', 'required');
    }

    const phone = get('phone');
    if (phone && !PHONE.test(phone)) add('phone', 'bad_phone');
    const email = get('email');
    if (email && !EMAIL.safeParse(email).success) add('email', 'bad_email');

    const externalId = get('externalId');
    const key = rowKey(externalId, text);
    const first = seen.get(key);
    if (first !== undefined) add(externalId ? 'externalId' : 'description', externalId ? 'duplicate_id' : 'duplicate_row', String(first));
    else seen.set(key, row);

    if (missing.size || problems.length > before || !receivedAt || !kind || !channel || !state) continue;
    const name = get('customerName');
    records.push({
      row,
      key,
      externalId,
      receivedAt,
      closedAt: done ? closedAt : null,
      state,
      kind,
      channel,
      category,
      grade: kind === 'complaint' ? grade : null,
      departmentCode,
      handler: handlerText ? { id: handlerUser?.id ?? null, name: handlerText } : null,
      customer: { ...(name ? { name } : {}), ...(phone ? { phone } : {}), ...(email ? { email } : {}) },
      title: get('title'),
      description: get('description')!,
      demands: get('demands'),
      result: done ? get('result') : null,
      satisfaction: done ? satisfaction : null,
    });
  }
  return { records, problems, rows: sheet.rows.length };
}

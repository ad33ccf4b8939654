/**
 * Generating stored reports (issue 11 §3). One run = one report of one kind and period for the
 * organisation (the active policy's id), made in three steps, none inside a long transaction:
 *
 * 1. **claim** the run's row (store/report-run.repository.ts: UNIQUE (scope, kind, period), or
 *    a lapsed lease taken over) — an instance that cannot claim it does nothing, so two
 *    instances never generate one report twice;
 * 2. **generate** the statistics of the period (reports/statistics.ts) outside any
 *    transaction, recording progress (which also extends the lease) as it goes;
 * 3. **finish** in one short transaction: store the content, mark the run done and queue its
 *    deliveries in the outbox — so a report is never done without its messages, nor messages
 *    sent for a report that was not stored. A crash before this leaves the row `running`
 *    until its lease lapses, then the next pass (here or on another instance) makes it again:
 *    a restart never skips a run.
 *
 * The content is the statistics of the period as JSON, computed as the organisation (no
 * avoidance: a stored report is the organisation's record; it holds aggregates and codes, no
 * personal data). The workbook is made from it on download (`runWorkbook`), and once per
 * recipient language before the finishing transaction to be attached to the e-mails (stored in
 * the file store; the outbox row names it by its content address).
 */
import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { SYSTEM_ACTOR } from '../domain/complaint/types.js';
import { AppError, fieldProblem, type Locale } from '../domain/errors.js';
import { REPORT_KINDS, REPORT_SECTIONS, reportRule, reportsOf, type ReportKind, type ReportRecipients, type ReportSection } from '../domain/policy/reports.js';
import type { Policy } from '../domain/policy/index.js';
import type { App } from '../services/app.js';
import type { ChannelSettings } from '../channels/settings.js';
import { staffForRole } from '../channels/recipients.js';
import { activeStaff } from '../store/customer.repository.js';
import { fileStoreOf } from '../storage/stores.js';
import { activeUserIdsByName, claimRun, failRun, findRun, finishRun, firstPolicyStoredAt, lapsedRuns, queueReportDeliveries, recordProgress, type ReportDelivery, type ReportRun } from '../store/report-run.repository.js';
import { statistics, type GroupBy, type Statistics } from './statistics.js';
import { statisticsWorkbook, SHEETS } from './statistics-xlsx.js';
import { reportNames, type ReportNames } from './pdf/names.js';
import { PERIOD_FORMATS, dueRuns, parsePeriod, periodEnded, type ReportPeriod } from './schedule.js';

/** The staff template of a report's messages (channels/templates.ts). */
export const REPORT_TEMPLATE = 'report_ready';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface RunOptions {
  /** Lease holder (default host:pid:random, one per process). */
  owner?: string;
  /** How long a claim holds without progress (default 10 min). */
  leaseMs?: number;
  /** Attempts before a run is left failed (default 5). */
  maxAttempts?: number;
  settings?: ChannelSettings;
  /** Called at each step (the CLI prints it); awaited. */
  onProgress?: (p: { run: ReportRun; progress: number; step: string }) => void | Promise<void>;
}

const defaultOwner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
const DEFAULT_LEASE_MS = 10 * 60_000;
const DEFAULT_MAX_ATTEMPTS = 5;
/** Trend buckets of each kind's report. */
const GROUP_BY: Record<ReportKind, GroupBy> = { weekly: 'day', monthly: 'day', quarterly: 'week', yearly: 'month' };

type Text = Record<Locale, string>;
const T = (zhCN: string, zhTW: string, en: string): Text => ({ 'zh-CN': zhCN, 'zh-TW': zhTW, en });
export const KIND_NAMES: Record<ReportKind, Text> = {
  weekly: T('周报', '週報', 'Weekly report'),
  monthly: T('月报', '月報', 'Monthly report'),
  quarterly: T('季报', '季報', 'Quarterly report'),
  yearly: T('年报', '年報', 'Yearly report'),
};

class LeaseLost extends Error {}

// ---------------------------------------------------------------------------------------------
// Input: kind, period, sections (4xx naming the field)
// ---------------------------------------------------------------------------------------------

export function checkKind(kind: string): ReportKind {
  if ((REPORT_KINDS as readonly string[]).includes(kind)) return kind as ReportKind;
  throw new AppError('invalid_input', `kind: unknown ${kind}`, [
    fieldProblem('kind', `未知的报表类型“${kind}”，应为 ${REPORT_KINDS.join(' / ')}`, `unknown report kind "${kind}": use ${REPORT_KINDS.join(', ')}`, `未知的報表類型「${kind}」，應為 ${REPORT_KINDS.join(' / ')}`),
  ]);
}

export function checkPeriod(kind: ReportKind, text: string, zone: string, now: Date): ReportPeriod {
  const p = parsePeriod(kind, text);
  if (!p)
    throw new AppError('invalid_input', `period: not a ${kind} period`, [
      fieldProblem(
        'period',
        `期间“${text}”格式有误，${KIND_NAMES[kind]['zh-CN']}应写成 ${PERIOD_FORMATS[kind]}（如 2026-W48、2026-11）`,
        `period "${text}" is not a ${kind} period: write ${PERIOD_FORMATS[kind]} (e.g. 2026-W48, 2026-11)`,
        `期間「${text}」格式有誤，${KIND_NAMES[kind]['zh-TW']}應寫成 ${PERIOD_FORMATS[kind]}（如 2026-W48、2026-11）`,
      ),
    ]);
  if (!periodEnded(p, zone, now))
    throw new AppError('invalid_input', `period: ${p.label} has not ended`, [
      fieldProblem(
        'period',
        `期间 ${p.label}（${p.from} 至 ${p.to}）尚未结束，结束后才能生成报表`,
        `the period ${p.label} (${p.from} to ${p.to}) has not ended: a report is made once it has`,
        `期間 ${p.label}（${p.from} 至 ${p.to}）尚未結束，結束後才能產生報表`,
      ),
    ]);
  return p;
}

export function checkSections(list: string[]): ReportSection[] {
  const bad = list.filter((s) => !(REPORT_SECTIONS as readonly string[]).includes(s));
  if (bad.length || !list.length)
    throw new AppError('invalid_input', `sections: unknown ${bad.join(',')}`, [
      fieldProblem(
        'sections',
        `未知的报表部分：${bad.join('、') || '（空）'}；可选 ${REPORT_SECTIONS.join(', ')}`,
        `unknown report section(s): ${bad.join(', ') || '(none)'}; use ${REPORT_SECTIONS.join(', ')}`,
        `未知的報表部分：${bad.join('、') || '（空）'}；可選 ${REPORT_SECTIONS.join(', ')}`,
      ),
    ]);
  return list as ReportSection[];
}

// ---------------------------------------------------------------------------------------------
// The content: statistics, headline, workbook
// ---------------------------------------------------------------------------------------------

/** The figures a message shows (a bot group sees these and no more). */
export interface Headline {
  received: number;
  closed: number;
  validRate: number | null;
  onTimeRate: number | null;
  satisfiedRate: number | null;
  reopenRate: number | null;
  pendingNow: number;
}

export function headlineOf(s: Statistics): Headline {
  const met = s.onTime.byStage.reduce((a, x) => a + x.met, 0);
  const breached = s.onTime.byStage.reduce((a, x) => a + x.breached, 0);
  return {
    received: s.intake.total,
    closed: s.handling.closed,
    validRate: s.validity.valid.rate,
    onTimeRate: met + breached ? Math.round((met / (met + breached)) * 10_000) / 10_000 : null,
    satisfiedRate: s.satisfaction.satisfied.rate,
    reopenRate: s.reopen.reopened.rate,
    pendingNow: s.handling.pendingNow,
  };
}

const LINE_LABELS: Record<keyof Headline | 'period', Text> = {
  period: T('统计期间', '統計期間', 'Period'),
  received: T('受理量', '受理量', 'Cases received'),
  closed: T('已结案', '已結案', 'Closed'),
  validRate: T('有效投诉占比', '有效投訴佔比', 'Valid'),
  onTimeRate: T('按时完成率', '按時完成率', 'On time'),
  satisfiedRate: T('满意率', '滿意率', 'Satisfied'),
  reopenRate: T('重开率', '重開率', 'Reopened'),
  pendingNow: T('未了事宜', '未了事宜', 'Pending items'),
};
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

/** The message lines per language: the period and the headline figures of the report's sections. */
function messageLines(run: ReportRun, h: Headline, sections: ReportSection[]): Record<Locale, [string, string][]> {
  const has = (s: ReportSection) => sections.includes(s);
  const out = {} as Record<Locale, [string, string][]>;
  for (const l of ['zh-CN', 'zh-TW', 'en'] as const) {
    const lines: [string, string][] = [[LINE_LABELS.period[l], `${run.period}（${run.periodFrom} – ${run.periodTo}）`]];
    if (has('intake')) lines.push([LINE_LABELS.received[l], String(h.received)]);
    if (has('handling')) lines.push([LINE_LABELS.closed[l], String(h.closed)], [LINE_LABELS.pendingNow[l], String(h.pendingNow)]);
    if (has('validity')) lines.push([LINE_LABELS.validRate[l], pct(h.validRate)]);
    if (has('onTime')) lines.push([LINE_LABELS.onTimeRate[l], pct(h.onTimeRate)]);
    if (has('satisfaction')) lines.push([LINE_LABELS.satisfiedRate[l], pct(h.satisfiedRate)]);
    if (has('reopen')) lines.push([LINE_LABELS.reopenRate[l], pct(h.reopenRate)]);
    out[l] = lines;
  }
  return out;
}

/**
 * The parts of the statistics each report section presents (the period and the filters always
 * come along): a section is its own part, and the backlog by age (the pending ledger's ages)
 * belongs to handling, beside the pending count — as its workbook sheet does (SHEET_SECTIONS).
 * A report of every section thus presents every part of the live statistics.
 */
export const SECTION_PARTS: Record<ReportSection, readonly (keyof Statistics)[]> = {
  intake: ['intake'],
  validity: ['validity'],
  handling: ['handling', 'backlog'],
  onTime: ['onTime'],
  satisfaction: ['satisfaction'],
  reopen: ['reopen'],
  repeat: ['repeat'],
  extensions: ['extensions'],
  escalations: ['escalations'],
};

/** The stored statistics as the report presents them: the period, the filters and the parts of its sections (a run stored before a part existed lacks it). */
export function presentedContent(content: Statistics, sections: string[]): Partial<Statistics> {
  const out: Record<string, unknown> = { period: content.period, filters: content.filters };
  for (const s of sections) for (const part of SECTION_PARTS[s as ReportSection] ?? []) if (part in content) out[part] = (content as unknown as Record<string, unknown>)[part];
  return out as Partial<Statistics>;
}

/** The section a part of the statistics is presented with (SECTION_PARTS read the other way). */
const sectionOfPart = (part: keyof Statistics): ReportSection => REPORT_SECTIONS.find((s) => SECTION_PARTS[s].includes(part))!;

/** Sheets of the statistics workbook by the part they show, and so by section (the summary always stays). */
const SHEET_SECTIONS: [keyof typeof SHEETS, ReportSection][] = (
  [
    ['trend', 'intake'],
    ['breakdown', 'intake'],
    ['validity', 'validity'],
    ['onTime', 'onTime'],
    ['backlog', 'backlog'],
    ['satisfaction', 'satisfaction'],
  ] as const
).map(([sheet, part]) => [sheet, sectionOfPart(part)]);

/** The workbook of a stored run: the statistics workbook, without the sheets of sections the report leaves out; `names` names duty codes and clock kinds. */
export async function runWorkbook(content: Statistics, sections: string[], lang: Locale, names: ReportNames): Promise<Buffer> {
  const full = await statisticsWorkbook(content, lang, names);
  const drop = SHEET_SECTIONS.filter(([, s]) => !sections.includes(s)).map(([sheet]) => SHEETS[sheet][lang]);
  if (!drop.length) return full;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(full as unknown as ArrayBuffer);
  for (const name of drop) {
    const ws = wb.getWorksheet(name);
    if (ws) wb.removeWorksheet(ws.id);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------------------------
// Recipients
// ---------------------------------------------------------------------------------------------

/** The outbox rows a report goes out as: staff e-mail (users, roles, addresses) and the named bots. */
async function deliveriesFor(app: App, policy: Policy, to: ReportRecipients, s: ChannelSettings, payload: Record<string, unknown>): Promise<{ deliveries: ReportDelivery[]; notes: string[] }> {
  const notes: string[] = [];
  const deliveries: ReportDelivery[] = [];
  const staff = await activeStaff(app.database.db);
  const ids = new Set(await activeUserIdsByName(app.database.db, to.users));
  const people = new Map(staff.filter((u) => ids.has(u.id)).map((u) => [u.id, u]));
  for (const role of to.roles) for (const u of staffForRole(staff, role, undefined, policy)) people.set(u.id, u);
  const mails = new Map<string, { address: string; name?: string; userId?: string; locale: Locale }>();
  for (const u of people.values()) if (u.email) mails.set(u.email.toLowerCase(), { address: u.email, name: u.name, userId: u.id, locale: u.locale });
  for (const a of to.emails) if (!mails.has(a.toLowerCase())) mails.set(a.toLowerCase(), { address: a, locale: s.defaultLocale });
  if (mails.size && !s.smtpUrl) notes.push('e-mail not configured (KESU_SMTP_URL)');
  else for (const m of mails.values()) deliveries.push({ channel: 'email', recipient: { audience: 'staff', ...m }, payload });
  if (people.size && ![...people.values()].some((u) => u.email)) notes.push('no e-mail address for these staff');
  if (to.users.length > ids.size) notes.push('some users named by the policy are unknown or inactive');
  for (const name of to.bots) {
    const bot = s.bots.find((b) => b.name === name);
    if (!bot) notes.push(`bot ${name} is not configured (KESU_STAFF_BOTS)`);
    else deliveries.push({ channel: 'bot', recipient: { audience: 'staff', bot: bot.name, locale: bot.locale }, payload });
  }
  if (!deliveries.length && !notes.length) notes.push('no recipient');
  return { deliveries, notes };
}

// ---------------------------------------------------------------------------------------------
// Claim, generate, finish
// ---------------------------------------------------------------------------------------------

interface Request {
  kind: ReportKind;
  period: ReportPeriod;
  sections?: ReportSection[];
  trigger: 'schedule' | 'manual';
  requestedBy?: string | null;
  scheduledAt?: Date | null;
}

/**
 * Claims and, when this caller holds the claim, generates the run. Returns the run as it
 * stands: done (by this caller or before), or still running elsewhere.
 */
export async function claimAndGenerate(app: App, policy: Policy, req: Request, opts: RunOptions = {}): Promise<{ run: ReportRun; generated: boolean }> {
  const owner = opts.owner ?? defaultOwner;
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const rule = reportRule(reportsOf(policy), req.kind);
  const now = app.now();
  const { run, claimed } = await claimRun(
    app.database.db,
    {
      scope: policy.id,
      kind: req.kind,
      period: req.period.label,
      periodFrom: req.period.from,
      periodTo: req.period.to,
      timeZone: policy.calendar.timeZone,
      policyKey: `${policy.id}@${policy.version}`,
      trigger: req.trigger,
      requestedBy: req.requestedBy ?? null,
      scheduledAt: req.scheduledAt ? req.scheduledAt.toISOString() : null,
      sections: req.sections ?? rule.sections,
    },
    { owner, now: now.toISOString(), leaseUntil: new Date(now.getTime() + leaseMs).toISOString(), maxAttempts },
  );
  if (!claimed) return { run, generated: false };
  // Not finished here when the lease was lost midway (taken over by another instance, which makes it).
  const { run: made, finished } = await generate(app, policy, run, rule.recipients, { ...opts, owner, leaseMs, maxAttempts });
  return { run: made, generated: finished };
}

async function generate(app: App, policy: Policy, run: ReportRun, to: ReportRecipients, opts: RunOptions & { owner: string; leaseMs: number; maxAttempts: number }): Promise<{ run: ReportRun; finished: boolean }> {
  const { db } = app.database;
  const step = async (progress: number, name: string) => {
    const ok = await recordProgress(db, run.id, opts.owner, { progress, step: name, leaseUntil: new Date(app.now().getTime() + opts.leaseMs).toISOString() });
    if (!ok) throw new LeaseLost();
    await opts.onProgress?.({ run, progress, step: name });
  };
  try {
    await opts.onProgress?.({ run, progress: 0, step: 'claimed' });
    await step(10, 'statistics');
    const stats = await statistics(app, SYSTEM_ACTOR, { from: run.periodFrom, to: run.periodTo, groupBy: GROUP_BY[run.kind as ReportKind], filters: {}, repeatWindowDays: 30 });
    await step(60, 'recipients');
    const sections = run.sections as ReportSection[];
    const headline = headlineOf(stats);
    const s = opts.settings ?? app.settings.channels;
    const kind = run.kind as ReportKind;
    const payload = {
      reportRunId: run.id,
      kind,
      period: run.period,
      title: Object.fromEntries((['zh-CN', 'zh-TW', 'en'] as const).map((l) => [l, `${KIND_NAMES[kind][l]} ${run.period}`])),
      lines: messageLines(run, headline, sections),
      link: `${s.publicUrl}/reports?run=${encodeURIComponent(run.id)}`,
    };
    const { deliveries, notes } = await deliveriesFor(app, policy, to, s, payload);
    const mails = deliveries.filter((d) => d.channel === 'email');
    if (mails.length) {
      // The workbook each e-mail carries, in its reader's language: rendered and stored in the
      // file store now, before the transaction that queues the messages (which only names it).
      await step(75, 'workbook');
      const store = await fileStoreOf(app);
      const files = new Map<Locale, Record<string, unknown>>();
      for (const d of mails) {
        const l = (d.recipient.locale as Locale | undefined) ?? s.defaultLocale;
        if (!files.has(l)) {
          const put = await store.put(Readable.from([await runWorkbook(stats, sections, l, reportNames(policy, l))]));
          files.set(l, { key: put.key, name: `${KIND_NAMES[kind][l]} ${run.period}.xlsx`, contentType: XLSX_TYPE, size: put.size });
        }
        d.payload = { ...payload, attachments: [files.get(l)!] };
      }
    }
    await step(90, 'storing');
    const content = JSON.stringify(stats);
    const contentHash = createHash('sha256').update(content).digest('hex');
    const now = app.now().toISOString();
    // One short transaction: the report and its messages together, or neither.
    await db.transaction().execute(async (trx) => {
      if (!(await finishRun(trx, run.id, opts.owner, { content, contentHash, headline: { ...headline }, deliveries: deliveries.length, deliveryNote: notes.join('; ') || null, now }))) throw new LeaseLost();
      await queueReportDeliveries(trx, REPORT_TEMPLATE, deliveries, now);
    });
    if (deliveries.length) app.events.emit('outbox_changed');
    const done = (await findRun(db, run.scope, run.kind, run.period))!;
    await opts.onProgress?.({ run: done, progress: 100, step: 'done' });
    app.log.info({ reportRun: run.id, kind: run.kind, period: run.period, deliveries: deliveries.length }, 'report generated');
    return { run: done, finished: true };
  } catch (e) {
    if (e instanceof LeaseLost) {
      app.log.warn({ reportRun: run.id }, 'report run: lease lost to another instance');
      return { run: (await findRun(db, run.scope, run.kind, run.period))!, finished: false };
    }
    const message = e instanceof Error ? e.message : String(e);
    // Retried after a pause that grows with the attempts (1, 2, 4 … min).
    const retryAt = new Date(app.now().getTime() + 60_000 * 2 ** Math.max(0, run.attempts - 1)).toISOString();
    await failRun(db, run.id, opts.owner, message, retryAt);
    app.log.error({ reportRun: run.id, err: message }, 'report run failed; will retry');
    throw e;
  }
}

/** A run asked for by a person (console, API, CLI): the period must have ended. */
export async function runReportNow(app: App, input: { kind: string; period: string; sections?: string[]; requestedBy?: string | null }, opts: RunOptions = {}): Promise<{ run: ReportRun; generated: boolean }> {
  const policy = await app.activePolicy();
  const kind = checkKind(input.kind);
  const period = checkPeriod(kind, input.period, policy.calendar.timeZone, app.now());
  const sections = input.sections ? checkSections(input.sections) : undefined;
  return claimAndGenerate(app, policy, { kind, period, sections, trigger: 'manual', requestedBy: input.requestedBy ?? null }, opts);
}

export interface PassResult {
  generated: string[];
  failed: string[];
}

/**
 * One pass of the scheduler: every run the active policy's schedule says is due (and not yet
 * made), then every lapsed claim (a run whose generator died). Runs one at a time.
 */
export async function runDueReports(app: App, opts: RunOptions & { stopped?: () => boolean } = {}): Promise<PassResult> {
  const policy = await app.activePolicy();
  const calendar = await app.calendarFor(policy);
  const now = app.now();
  const first = await firstPolicyStoredAt(app.database.db, policy.id);
  const due = dueRuns(policy, calendar, now, { notBefore: first ? new Date(first) : undefined });
  const result: PassResult = { generated: [], failed: [] };
  const requests: Request[] = due.map((d) => ({ kind: d.kind, period: d.period, trigger: 'schedule', scheduledAt: d.at }));
  for (const r of await lapsedRuns(app.database.db, policy.id, now.toISOString(), opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
    const period = parsePeriod(r.kind as ReportKind, r.period);
    if (period && !requests.some((q) => q.kind === r.kind && q.period.label === r.period))
      requests.push({ kind: r.kind as ReportKind, period, sections: r.sections as ReportSection[], trigger: r.trigger as Request['trigger'], requestedBy: r.requestedBy, scheduledAt: r.scheduledAt ? new Date(r.scheduledAt) : null });
  }
  for (const req of requests) {
    if (opts.stopped?.()) break;
    const existing = await findRun(app.database.db, policy.id, req.kind, req.period.label);
    if (existing?.status === 'done') continue;
    try {
      const { generated } = await claimAndGenerate(app, policy, req, opts);
      if (generated) result.generated.push(`${req.kind} ${req.period.label}`);
    } catch {
      result.failed.push(`${req.kind} ${req.period.label}`);
    }
  }
  return result;
}

/**
 * The statistics of a period (reports/statistics.ts, definitions in docs/reports.md) as an A4
 * PDF report in the reader's language: the summary figures, the intake trend and breakdowns,
 * validity by reason, on-time rates by stage, grade and duty, the backlog by age, satisfaction
 * per case with the mean score per dimension, and escalations — the same figures as the Excel
 * workbook (statistics-xlsx.ts, whose labels it shares).
 */
import type { Locale } from '../../domain/errors.js';
import { AGE_BUCKETS, type Statistics, type Rate } from '../statistics.js';
import { DIMENSIONS, L as X } from '../statistics-xlsx.js';
import { renderPdf, tableBlock, tableSection, type Section } from './document.js';
import { T, localTime, word, type Text } from './labels.js';
import type { Names } from './names.js';

const P = {
  title: T('客户投诉统计报表', '客戶投訴統計報表', 'Complaint statistics'),
  period: T('统计期间', '統計期間', 'Period'),
  filters: T('筛选条件', '篩選條件', 'Filters'),
  none: T('无', '無', 'None'),
  generated: T('生成', '產生', 'Generated'),
  by: T('生成人', '產生人', 'by'),
  summary: T('概览', '概覽', 'Summary'),
  trend: T('受理趋势', '受理趨勢', 'Intake trend'),
  breakdown: T('受理分布', '受理分佈', 'Intake breakdown'),
  validity: T('有效性（按无效原因）', '有效性（依無效原因）', 'Validity (by invalid reason)'),
  onTimeStage: T('时效（按环节）', '時效（依環節）', 'On time (by stage)'),
  onTimeGrade: T('时效（按等级）', '時效（依等級）', 'On time (by grade)'),
  onTimeDuty: T('时效（按职责）', '時效（依職責）', 'On time (by duty)'),
  backlog: T('积压账龄（未结案件与未了事宜）', '積壓帳齡（未結案件與未了事宜）', 'Backlog by age (open cases and pending items)'),
  backlogNote: T(
    '统计时点 {at}：未结案件按受理以来、未了事宜按挂起以来的自然日计。',
    '統計時點 {at}：未結案件自受理起、未了事宜自擱置起，按自然日計。',
    'As of {at}: open cases by the calendar days since receipt, pending items since they were pended.',
  ),
  satisfaction: T('满意度（按案件最终结果）', '滿意度（依案件最終結果）', 'Satisfaction (final result per case)'),
  escalations: T('升级（按最高层级）', '升級（依最高層級）', 'Escalations (by highest tier)'),
  tier: T('层级', '層級', 'Tier'),
  page: T('第 {p} 页 / 共 {n} 页', '第 {p} 頁 / 共 {n} 頁', 'Page {p} of {n}'),
  none2: T('（无数据）', '（無資料）', '(no data)'),
} as const satisfies Record<string, Text>;

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
const num = (v: number | null) => (v === null ? '—' : String(v));
/** A mean 1–5 score with two decimals, as the console shows it. */
const score = (v: number | null) => (v === null ? '—' : v.toFixed(2));

export interface StatisticsPdfInput {
  s: Statistics;
  lang: Locale;
  names: Names;
  reader: string;
  now: Date;
}

export function statisticsPdf({ s, lang, names, reader, now }: StatisticsPdfInput): Promise<Buffer> {
  const t = (x: Text) => x[lang];
  const rateRow = (label: Text, r: Rate) => [t(label), String(r.count), String(r.of), pct(r.rate)];
  const plainRow = (label: Text, v: number | null) => [t(label), num(v), '', ''];
  const summary = [
    plainRow(X.total, s.intake.total),
    rateRow(X.valid, s.validity.valid),
    rateRow(X.invalid, s.validity.invalid),
    rateRow(X.malicious, s.validity.malicious),
    plainRow(X.closed, s.handling.closed),
    ...(['immediate', 'within_limit', 'overdue', 'repeated'] as const).map((m) => rateRow(X[m], s.handling.modes[m])),
    rateRow(X.firstContact, s.handling.firstContactResolution),
    plainRow(X.avgHours, s.handling.time.averageHours),
    plainRow(X.p90Hours, s.handling.time.p90Hours),
    plainRow(X.pending, s.handling.pendingNow),
    rateRow(X.satisfied, s.satisfaction.satisfied),
    rateRow(X.reopened, s.reopen.reopened),
    rateRow(X.repeat, s.repeat.repeated),
    rateRow(X.extended, s.extensions.extended),
    rateRow(X.escalated, s.escalations.escalated),
  ];
  const dims: [Text, { key: string | null; count: number }[], (k: string | null) => string][] = [
    [X.kind, s.intake.byKind, (k) => word('kind', k, lang)],
    [X.channel, s.intake.byChannel, (k) => word('channel', k, lang)],
    [X.category, s.intake.byCategory, (k) => names.category(k)],
    [X.department, s.intake.byDepartment, (k) => names.department(k)],
    [X.grade, s.intake.byGrade, (k) => names.grade(k)],
    [X.customerClass, s.intake.byCustomerClass, (k) => k ?? ''],
  ];
  const onTimeCols = (first: Text): [string, number][] => [
    [t(first), 2],
    [t(X.met), 1],
    [t(X.breached), 1],
    [t(X.rate), 1],
  ];
  const filters = Object.entries(s.filters)
    .filter(([, v]) => (v as string[] | undefined)?.length)
    .map(([k, v]) => `${k}=${(v as string[]).join(',')}`)
    .join('; ');

  const none = t(P.none2);
  const sections: Section[] = [
    tableSection(
      t(P.summary),
      [
        [t(X.figure), 4],
        [t(X.value), 1.2],
        [t(X.of), 1.2],
        [t(X.share), 1.2],
      ],
      summary,
    ),
    tableSection(
      t(P.trend),
      [
        [t(X.bucket), 1.5],
        [t(X.start), 1.5],
        [t(X.received), 1],
        [t(X.closedN), 1],
      ],
      s.intake.trend.map((b) => [b.bucket, b.start, String(b.received), String(b.closed)]),
      none,
    ),
    tableSection(
      t(P.breakdown),
      [
        [t(X.dimension), 1.5],
        [t(X.key), 3],
        [t(X.count), 1],
      ],
      dims.flatMap(([label, rows, name]) => rows.map((r) => [t(label), name(r.key) || '—', String(r.count)])),
      none,
    ),
    tableSection(
      t(P.validity),
      [
        [t(X.reason), 3],
        [t(X.count), 1],
        [t(X.maliciousN), 1],
      ],
      s.validity.byReason.map((r) => [names.reason(r.reason) || '—', String(r.count), String(r.malicious)]),
      none,
    ),
    tableSection(
      t(P.onTimeStage),
      onTimeCols(X.stage),
      s.onTime.byStage.map((r) => [names.clock(r.stage), String(r.met), String(r.breached), pct(r.rate)]),
      none,
    ),
    tableSection(
      t(P.onTimeGrade),
      onTimeCols(X.grade),
      s.onTime.byGrade.map((r) => [names.grade(r.grade) || '—', String(r.met), String(r.breached), pct(r.rate)]),
      none,
    ),
    tableSection(
      t(P.onTimeDuty),
      onTimeCols(X.duty),
      s.onTime.byDuty.map((r) => [names.duty(r.code), String(r.met), String(r.breached), pct(r.rate)]),
      none,
    ),
    {
      title: t(P.backlog),
      blocks: [
        tableBlock(
          [
            [t(X.age), 2],
            [t(X.openCases), 1],
            [t(X.pendingItems), 1],
          ],
          AGE_BUCKETS.map((b) => [t(X[b]), String(s.backlog.open[b]), String(s.backlog.pending[b])]),
        ),
        { kind: 'note', text: t(P.backlogNote).replace('{at}', localTime(s.backlog.asOf, s.period.timeZone)) },
      ],
    },
    {
      title: t(P.satisfaction),
      blocks: [
        tableBlock(
          [
            [t(X.level), 3],
            [t(X.count), 1],
          ],
          Object.entries(s.satisfaction.byLevel).map(([l, n]) => [word('satisfaction', l, lang), String(n)]),
        ),
        tableBlock(
          [
            [t(X.dimension), 3],
            [t(X.score), 1],
          ],
          DIMENSIONS.map((d) => [t(X[d]), score(s.satisfaction.scores[d])]),
        ),
      ],
    },
    tableSection(
      t(P.escalations),
      [
        [t(P.tier), 3],
        [t(X.count), 1],
      ],
      s.escalations.byMaxTier.map((r) => [`${r.tier} · ${names.tier(r.tier)}`, String(r.count)]),
      none,
    ),
  ];
  const title = t(P.title);
  return renderPdf({
    title: lang === 'en' ? title : `《${title}》`,
    subtitle: [
      names.organisation,
      `${t(P.period)} ${s.period.from} — ${s.period.to}（${s.period.timeZone}）· ${t(P.filters)} ${filters || t(P.none)}`,
      `${t(P.generated)} ${localTime(now.toISOString(), s.period.timeZone)} · ${t(P.by)} ${reader}`,
    ],
    sections,
    footer: `${title} ${s.period.from} — ${s.period.to} · ${names.organisation}`,
    pageLabel: (p, n) => t(P.page).replace('{p}', String(p)).replace('{n}', String(n)),
    meta: { title: `${title} ${s.period.from} — ${s.period.to}`, subject: title, lang, created: now },
  });
}

/**
 * The statistics of a period (reports/statistics.ts, definitions in docs/reports.md) as an A4
 * PDF report in the reader's language: the summary figures, the intake trend and breakdowns,
 * validity by reason, on-time rates by stage and grade, satisfaction per case and escalations —
 * the same figures as the Excel workbook (statistics-xlsx.ts, whose labels it shares).
 */
import type { Locale } from '../../domain/errors.js';
import type { Statistics, Rate } from '../statistics.js';
import { L as X } from '../statistics-xlsx.js';
import { renderPdf, type Section } from './document.js';
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
  satisfaction: T('满意度（按案件最终结果）', '滿意度（依案件最終結果）', 'Satisfaction (final result per case)'),
  level: T('满意程度', '滿意程度', 'Level'),
  score: T('平均评分', '平均評分', 'Average score'),
  attitude: T('态度', '態度', 'Attitude'),
  efficiency: T('效率', '效率', 'Efficiency'),
  result: T('结果', '結果', 'Result'),
  escalations: T('升级（按最高层级）', '升級（依最高層級）', 'Escalations (by highest tier)'),
  tier: T('层级', '層級', 'Tier'),
  page: T('第 {p} 页 / 共 {n} 页', '第 {p} 頁 / 共 {n} 頁', 'Page {p} of {n}'),
  none2: T('（无数据）', '（無資料）', '(no data)'),
} as const satisfies Record<string, Text>;

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
const num = (v: number | null) => (v === null ? '—' : String(v));

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
  const onTimeCols = (first: Text) => [
    { label: t(first), width: 2 },
    { label: t(X.met), width: 1 },
    { label: t(X.breached), width: 1 },
    { label: t(X.rate), width: 1 },
  ];
  const filters = Object.entries(s.filters)
    .filter(([, v]) => (v as string[] | undefined)?.length)
    .map(([k, v]) => `${k}=${(v as string[]).join(',')}`)
    .join('; ');

  const sections: Section[] = [
    {
      title: t(P.summary),
      blocks: [{ kind: 'table', columns: [{ label: t(X.figure), width: 4 }, { label: t(X.value), width: 1.2 }, { label: t(X.of), width: 1.2 }, { label: t(X.share), width: 1.2 }], rows: summary }],
    },
    {
      title: t(P.trend),
      blocks: [{ kind: 'table', columns: [{ label: t(X.bucket), width: 1.5 }, { label: t(X.start), width: 1.5 }, { label: t(X.received), width: 1 }, { label: t(X.closedN), width: 1 }], rows: s.intake.trend.map((b) => [b.bucket, b.start, String(b.received), String(b.closed)]), empty: t(P.none2) }],
    },
    {
      title: t(P.breakdown),
      blocks: [
        {
          kind: 'table',
          columns: [{ label: t(X.dimension), width: 1.5 }, { label: t(X.key), width: 3 }, { label: t(X.count), width: 1 }],
          rows: dims.flatMap(([label, rows, name]) => rows.map((r) => [t(label), name(r.key) || '—', String(r.count)])),
          empty: t(P.none2),
        },
      ],
    },
    {
      title: t(P.validity),
      blocks: [{ kind: 'table', columns: [{ label: t(X.reason), width: 3 }, { label: t(X.count), width: 1 }, { label: t(X.maliciousN), width: 1 }], rows: s.validity.byReason.map((r) => [names.reason(r.reason) || '—', String(r.count), String(r.malicious)]), empty: t(P.none2) }],
    },
    {
      title: t(P.onTimeStage),
      blocks: [{ kind: 'table', columns: onTimeCols(X.stage), rows: s.onTime.byStage.map((r) => [word('clockKind', r.stage, lang), String(r.met), String(r.breached), pct(r.rate)]), empty: t(P.none2) }],
    },
    {
      title: t(P.onTimeGrade),
      blocks: [{ kind: 'table', columns: onTimeCols(X.grade), rows: s.onTime.byGrade.map((r) => [names.grade(r.grade) || '—', String(r.met), String(r.breached), pct(r.rate)]), empty: t(P.none2) }],
    },
    {
      title: t(P.satisfaction),
      blocks: [
        { kind: 'table', columns: [{ label: t(P.level), width: 3 }, { label: t(X.count), width: 1 }], rows: Object.entries(s.satisfaction.byLevel).map(([l, n]) => [word('satisfaction', l, lang), String(n)]) },
        {
          kind: 'table',
          columns: [{ label: t(P.score), width: 3 }, { label: t(X.value), width: 1 }],
          rows: [
            [t(P.attitude), num(s.satisfaction.scores.attitude)],
            [t(P.efficiency), num(s.satisfaction.scores.efficiency)],
            [t(P.result), num(s.satisfaction.scores.result)],
          ],
        },
      ],
    },
    {
      title: t(P.escalations),
      blocks: [{ kind: 'table', columns: [{ label: t(P.tier), width: 3 }, { label: t(X.count), width: 1 }], rows: s.escalations.byMaxTier.map((r) => [`${r.tier} · ${names.tier(r.tier)}`, String(r.count)]), empty: t(P.none2) }],
    },
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

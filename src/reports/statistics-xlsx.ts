/**
 * The statistics as an Excel workbook (`.xlsx`, exceljs): one sheet per section, sheet names and
 * headers in the caller's language (zh-CN default, zh-TW, en); counts, hours and scores are
 * numbers, shares are numbers formatted as percentages, period and bucket starts are dates.
 *
 * A stored report (reports/runs.ts) is rendered from the statistics JSON kept when it was made:
 * runs made before the duties' on-time figures and the backlog existed have neither, and their
 * workbook leaves those rows (and the backlog sheet) out rather than showing zeros.
 */
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import type { Locale } from '../domain/errors.js';
import { AGE_BUCKETS, SATISFACTION_LEVELS, type Statistics } from './statistics.js';
import { word } from './pdf/labels.js';
import type { ReportNames } from './pdf/names.js';

type Text = Record<Locale, string>;
const T = (zhCN: string, zhTW: string, en: string): Text => ({ 'zh-CN': zhCN, 'zh-TW': zhTW, en });

export const SHEETS = {
  summary: T('概览', '概覽', 'Summary'),
  trend: T('受理趋势', '受理趨勢', 'Intake trend'),
  breakdown: T('受理分布', '受理分佈', 'Intake breakdown'),
  validity: T('有效性', '有效性', 'Validity'),
  onTime: T('时效', '時效', 'On time'),
  backlog: T('积压账龄', '積壓帳齡', 'Backlog by age'),
  satisfaction: T('满意度', '滿意度', 'Satisfaction'),
} as const;

/** Figure labels, also used by the statistics PDF (reports/pdf/statistics-pdf.ts). */
export const L = {
  figure: T('指标', '指標', 'Figure'),
  value: T('数值', '數值', 'Value'),
  of: T('基数', '基數', 'Out of'),
  share: T('占比', '佔比', 'Share'),
  from: T('开始日期', '開始日期', 'From'),
  to: T('结束日期', '結束日期', 'To'),
  total: T('受理总数', '受理總數', 'Cases received'),
  valid: T('有效投诉', '有效投訴', 'Valid'),
  invalid: T('无效投诉', '無效投訴', 'Invalid'),
  malicious: T('恶意投诉', '惡意投訴', 'Malicious'),
  closed: T('已结案', '已結案', 'Closed'),
  immediate: T('当即处理', '當即處理', 'Handled at first contact'),
  within_limit: T('期限内处理', '期限內處理', 'Handled within the limit'),
  overdue: T('超期处理', '超期處理', 'Handled after the limit'),
  repeated: T('循环往复处理', '循環往復處理', 'Handled in repeated cycles'),
  firstContact: T('首次接触解决率', '首次接觸解決率', 'First-contact resolution'),
  avgHours: T('平均处理时长（工作小时）', '平均處理時長（工作小時）', 'Average handling time (working hours)'),
  p90Hours: T('处理时长 P90（工作小时）', '處理時長 P90（工作小時）', 'Handling time p90 (working hours)'),
  pending: T('未了事宜（当前）', '未了事宜（目前）', 'Pending items now'),
  satisfied: T('满意（按案件）', '滿意（按案件）', 'Satisfied (per case)'),
  reopened: T('重新处理', '重新處理', 'Reopened'),
  repeat: T('重复投诉', '重複投訴', 'Repeat complaints'),
  extended: T('延期案件', '延期案件', 'Extended cases'),
  escalated: T('超时升级案件', '逾時升級案件', 'Escalated cases'),
  bucket: T('期间', '期間', 'Period'),
  start: T('起始日', '起始日', 'Starts'),
  received: T('受理', '受理', 'Received'),
  closedN: T('结案', '結案', 'Closed'),
  dimension: T('维度', '維度', 'Dimension'),
  key: T('取值', '取值', 'Value'),
  count: T('数量', '數量', 'Count'),
  reason: T('无效原因', '無效原因', 'Invalid reason'),
  maliciousN: T('其中恶意', '其中惡意', 'Of which malicious'),
  stage: T('环节', '環節', 'Stage'),
  grade: T('等级', '等級', 'Grade'),
  met: T('按时', '按時', 'On time'),
  breached: T('超时', '逾時', 'Breached'),
  rate: T('按时率', '按時率', 'On-time rate'),
  kind: T('类型', '類型', 'Kind'),
  channel: T('渠道', '渠道', 'Channel'),
  category: T('类别', '類別', 'Category'),
  department: T('部门', '部門', 'Department'),
  customerClass: T('客户类别', '客戶類別', 'Customer class'),
  duty: T('职责', '職責', 'Duty'),
  age: T('账龄', '帳齡', 'Age'),
  openCases: T('未结案件', '未結案件', 'Open cases'),
  pendingItems: T('未了事宜', '未了事宜', 'Pending items'),
  asOf: T('统计时点', '統計時點', 'As of'),
  lt1d: T('不足1天', '不足1天', 'Under 1 day'),
  d1to3: T('1–3天', '1–3天', '1–3 days'),
  d3to7: T('3–7天', '3–7天', '3–7 days'),
  ge7d: T('7天及以上', '7天以上', '7 days or more'),
  level: T('满意程度', '滿意程度', 'Level'),
  score: T('平均分（1–5）', '平均分（1–5）', 'Mean score (1–5)'),
  attitude: T('服务态度', '服務態度', 'Attitude'),
  efficiency: T('处理效率', '處理效率', 'Efficiency'),
  result: T('处理结果', '處理結果', 'Result'),
} as const;

/** The satisfaction dimensions scored 1–5, in the console's order. */
export const DIMENSIONS = ['attitude', 'efficiency', 'result'] as const;

/** A local date (YYYY-MM-DD) as the Excel date of that day. */
function day(d: string): Date {
  const [y, m, dd] = d.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, dd));
}

/** An instant as the Excel date-time of its wall-clock time in the zone. */
function localDateTime(iso: string, zone: string): Date {
  const d = DateTime.fromISO(iso, { zone });
  return new Date(Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute, d.second));
}

/**
 * The workbook in `lang`; `names` names duty codes and clock kinds (reports/pdf/names.ts
 * `reportNames`, from the active policy, as the console and the statistics PDF do).
 */
export async function statisticsWorkbook(s: Statistics, lang: Locale, names: ReportNames): Promise<Buffer> {
  const t = (x: Text) => x[lang];
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Kesu';
  wb.created = new Date(s.period.fromInstant);

  const summary = wb.addWorksheet(t(SHEETS.summary));
  summary.columns = [
    { header: t(L.figure), key: 'figure', width: 36 },
    { header: t(L.value), key: 'value', width: 14 },
    { header: t(L.of), key: 'of', width: 10 },
    { header: t(L.share), key: 'share', width: 10, style: { numFmt: '0.00%' } },
  ];
  summary.addRow({ figure: t(L.from), value: day(s.period.from) }).getCell('value').numFmt = 'yyyy-mm-dd';
  summary.addRow({ figure: t(L.to), value: day(s.period.to) }).getCell('value').numFmt = 'yyyy-mm-dd';
  const plain = (label: Text, value: number | null) => summary.addRow({ figure: t(label), value });
  const share = (label: Text, r: { count: number; of: number; rate: number | null }) => summary.addRow({ figure: t(label), value: r.count, of: r.of, share: r.rate });
  plain(L.total, s.intake.total);
  share(L.valid, s.validity.valid);
  share(L.invalid, s.validity.invalid);
  share(L.malicious, s.validity.malicious);
  plain(L.closed, s.handling.closed);
  for (const m of ['immediate', 'within_limit', 'overdue', 'repeated'] as const) share(L[m], s.handling.modes[m]);
  share(L.firstContact, s.handling.firstContactResolution);
  plain(L.avgHours, s.handling.time.averageHours);
  plain(L.p90Hours, s.handling.time.p90Hours);
  plain(L.pending, s.handling.pendingNow);
  share(L.satisfied, s.satisfaction.satisfied);
  share(L.reopened, s.reopen.reopened);
  share(L.repeat, s.repeat.repeated);
  share(L.extended, s.extensions.extended);
  share(L.escalated, s.escalations.escalated);

  const trend = wb.addWorksheet(t(SHEETS.trend));
  trend.columns = [
    { header: t(L.bucket), key: 'bucket', width: 12 },
    { header: t(L.start), key: 'start', width: 12, style: { numFmt: 'yyyy-mm-dd' } },
    { header: t(L.received), key: 'received', width: 10 },
    { header: t(L.closedN), key: 'closed', width: 10 },
  ];
  for (const b of s.intake.trend) trend.addRow({ bucket: b.bucket, start: day(b.start), received: b.received, closed: b.closed });

  const breakdown = wb.addWorksheet(t(SHEETS.breakdown));
  breakdown.columns = [
    { header: t(L.dimension), key: 'dimension', width: 14 },
    { header: t(L.key), key: 'key', width: 24 },
    { header: t(L.count), key: 'count', width: 10 },
  ];
  const dims: [Text, { key: string | null; count: number }[]][] = [
    [L.kind, s.intake.byKind],
    [L.channel, s.intake.byChannel],
    [L.category, s.intake.byCategory],
    [L.department, s.intake.byDepartment],
    [L.grade, s.intake.byGrade],
    [L.customerClass, s.intake.byCustomerClass],
  ];
  for (const [label, rows] of dims) for (const r of rows) breakdown.addRow({ dimension: t(label), key: r.key ?? '', count: r.count });

  const validity = wb.addWorksheet(t(SHEETS.validity));
  validity.columns = [
    { header: t(L.reason), key: 'reason', width: 24 },
    { header: t(L.count), key: 'count', width: 10 },
    { header: t(L.maliciousN), key: 'malicious', width: 12 },
  ];
  for (const r of s.validity.byReason) validity.addRow({ reason: r.reason ?? '', count: r.count, malicious: r.malicious });

  const onTime = wb.addWorksheet(t(SHEETS.onTime));
  onTime.columns = [
    { header: t(L.stage), key: 'stage', width: 16 },
    { header: t(L.met), key: 'met', width: 10 },
    { header: t(L.breached), key: 'breached', width: 10 },
    { header: t(L.rate), key: 'rate', width: 10, style: { numFmt: '0.00%' } },
  ];
  for (const r of s.onTime.byStage) onTime.addRow({ stage: names.clock(r.stage), met: r.met, breached: r.breached, rate: r.rate });
  onTime.addRow({});
  onTime.addRow({ stage: t(L.grade), met: t(L.met), breached: t(L.breached), rate: t(L.rate) }).font = { bold: true };
  for (const r of s.onTime.byGrade) onTime.addRow({ stage: r.grade ?? '', met: r.met, breached: r.breached, rate: r.rate });
  if (s.onTime.byDuty) {
    onTime.addRow({});
    onTime.addRow({ stage: t(L.duty), met: t(L.met), breached: t(L.breached), rate: t(L.rate) }).font = { bold: true };
    for (const r of s.onTime.byDuty) onTime.addRow({ stage: names.duty(r.code), met: r.met, breached: r.breached, rate: r.rate });
  }

  if (s.backlog) {
    const backlog = wb.addWorksheet(t(SHEETS.backlog));
    backlog.columns = [
      { header: t(L.age), key: 'age', width: 16 },
      { header: t(L.openCases), key: 'open', width: 12 },
      { header: t(L.pendingItems), key: 'pending', width: 12 },
    ];
    for (const b of AGE_BUCKETS) backlog.addRow({ age: t(L[b]), open: s.backlog.open[b], pending: s.backlog.pending[b] });
    backlog.addRow({});
    backlog.addRow({ age: t(L.asOf), open: localDateTime(s.backlog.asOf, s.period.timeZone) }).getCell('open').numFmt = 'yyyy-mm-dd hh:mm';
  }

  const satisfaction = wb.addWorksheet(t(SHEETS.satisfaction));
  satisfaction.columns = [
    { header: t(L.level), key: 'label', width: 20 },
    { header: t(L.count), key: 'value', width: 16 },
  ];
  for (const l of SATISFACTION_LEVELS) satisfaction.addRow({ label: word('satisfaction', l, lang), value: s.satisfaction.byLevel[l] });
  satisfaction.addRow({});
  satisfaction.addRow({ label: t(L.dimension), value: t(L.score) }).font = { bold: true };
  for (const d of DIMENSIONS) satisfaction.addRow({ label: t(L[d]), value: s.satisfaction.scores[d] }).getCell('value').numFmt = '0.00';

  for (const ws of wb.worksheets) ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

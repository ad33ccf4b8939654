/**
 * The columns the case ledger (台账) can have (policy `exports.ledgerColumns`, domain/policy/
 * exports.ts): each column's header in the reader's language, its cell type (text, a date, a
 * number, an amount) and how its value is read from a case and its analysis facts. Personal-data
 * columns name the field they reveal, for the masking and the access log (reports/ledger.ts).
 */
import type { Complaint } from '../domain/complaint/types.js';
import type { Locale } from '../domain/errors.js';
import type { LedgerColumn } from '../domain/policy/exports.js';
import type { PiiField } from '../domain/permissions/pii.js';
import { T, joinList, word, type Text } from './pdf/labels.js';
import type { Names } from './pdf/names.js';

/** The facts a ledger row reads (case_facts), null for a case never acted on. */
export interface LedgerFacts {
  answeredAt: string | null;
  closedAt: string | null;
  handlingMode: string | null;
  handlingWms: number | null;
  resolveBreached: boolean;
  reopens: number;
  extensions: number;
  finalSatisfaction: string | null;
  satisfaction: string | null;
}

export interface LedgerRow {
  /** The case, its complainant already masked for the reader where they may not see it. */
  c: Complaint;
  facts: LedgerFacts | null;
  /** The promised time (the resolve clock's due time). */
  promisedAt: string | null;
}

export type CellType = 'text' | 'date' | 'number' | 'hours' | 'money';
export type CellValue = string | number | { instant: string } | null;

export interface ColumnSpec {
  header: Text;
  type: CellType;
  width: number;
  /** The personal-data field the column shows (masked unless the reader may see it). */
  pii?: PiiField;
  value(r: LedgerRow, names: Names, lang: Locale): CellValue;
}

const HOUR = 3_600_000;
const instant = (iso: string | null | undefined): CellValue => (iso ? { instant: iso } : null);
const yesNo = (b: boolean, lang: Locale) => ({ 'zh-CN': b ? '是' : '否', 'zh-TW': b ? '是' : '否', en: b ? 'Yes' : 'No' })[lang];

export const HANDLING_MODE_WORDS: Record<string, Text> = {
  immediate: T('当即处理', '當即處理', 'At first contact'),
  within_limit: T('期限内处理', '期限內處理', 'Within the limit'),
  overdue: T('超期处理', '超期處理', 'After the limit'),
  repeated: T('循环往复处理', '循環往復處理', 'Repeated cycles'),
};

export const LEDGER_COLUMN_SPECS: Record<LedgerColumn, ColumnSpec> = {
  number: { header: T('编号', '編號', 'Number'), type: 'text', width: 17, value: (r) => r.c.number },
  receivedAt: { header: T('受理时间', '受理時間', 'Received'), type: 'date', width: 17, value: (r) => instant(r.c.receivedAt) },
  channel: { header: T('受理渠道', '受理管道', 'Channel'), type: 'text', width: 10, value: (r, _n, l) => word('channel', r.c.channel, l) },
  kind: { header: T('类型', '類型', 'Kind'), type: 'text', width: 8, value: (r, _n, l) => word('kind', r.c.kind, l) },
  title: { header: T('摘要', '摘要', 'Summary'), type: 'text', width: 30, value: (r) => r.c.title },
  description: { header: T('投诉内容', '投訴內容', 'Description'), type: 'text', width: 50, value: (r) => r.c.description },
  complainantName: { header: T('投诉人', '投訴人', 'Complainant'), type: 'text', width: 12, value: (r, _n, l) => (r.c.complainant.anonymous ? { 'zh-CN': '匿名', 'zh-TW': '匿名', en: 'Anonymous' }[l] : (r.c.complainant.name ?? null)) },
  phone: { header: T('联系电话', '聯絡電話', 'Phone'), type: 'text', width: 15, pii: 'phone', value: (r) => r.c.complainant.phone ?? null },
  email: { header: T('电子邮箱', '電子郵件', 'Email'), type: 'text', width: 22, pii: 'email', value: (r) => r.c.complainant.email ?? null },
  address: { header: T('地址', '地址', 'Address'), type: 'text', width: 28, pii: 'address', value: (r) => r.c.complainant.address ?? null },
  idNumber: { header: T('证件号码', '證件號碼', 'ID number'), type: 'text', width: 20, pii: 'idNumber', value: (r) => r.c.complainant.idNumber ?? null },
  customerClass: { header: T('客户类别', '客戶類別', 'Customer class'), type: 'text', width: 9, value: (r) => r.c.complainant.customerClass ?? null },
  category: { header: T('类别', '類別', 'Category'), type: 'text', width: 12, value: (r, n) => n.category(r.c.category) || null },
  grade: { header: T('等级', '等級', 'Grade'), type: 'text', width: 8, value: (r, n) => n.grade(r.c.grade) || null },
  department: { header: T('责任部门', '責任部門', 'Department'), type: 'text', width: 14, value: (r, n) => n.department(r.c.departmentCode) || null },
  handler: { header: T('处理人', '處理人', 'Handler'), type: 'text', width: 10, value: (r, n) => n.user(r.c.primaryHandlerId) || null },
  firstResponder: { header: T('首问责任人', '首問責任人', 'First responder'), type: 'text', width: 10, value: (r, n) => n.user(r.c.firstResponderId) || null },
  state: { header: T('状态', '狀態', 'State'), type: 'text', width: 9, value: (r, _n, l) => word('state', r.c.state, l) },
  validity: {
    header: T('是否成立', '是否成立', 'Valid'),
    type: 'text',
    width: 8,
    value: (r, _n, l) => (r.c.validity ? (r.c.validity.valid ? yesNo(true, l) : r.c.validity.malicious ? { 'zh-CN': '恶意', 'zh-TW': '惡意', en: 'Malicious' }[l] : yesNo(false, l)) : null),
  },
  invalidReason: { header: T('不成立原因', '不成立原因', 'Invalid reason'), type: 'text', width: 14, value: (r, n) => (r.c.validity && !r.c.validity.valid ? n.reason(r.c.validity.reason) || null : null) },
  demands: {
    header: T('客户诉求', '客戶訴求', 'Demands'),
    type: 'text',
    width: 16,
    value: (r, _n, l) =>
      joinList(
        r.c.demands.types.map((d) => word('demand', d, l)),
        l,
      ) || null,
  },
  demandAmount: { header: T('诉求金额（元）', '訴求金額（元）', 'Demanded (CNY)'), type: 'money', width: 12, value: (r) => r.c.demands.amount ?? null },
  promisedAt: { header: T('承诺时限', '承諾時限', 'Promised by'), type: 'date', width: 17, value: (r) => instant(r.promisedAt) },
  answeredAt: { header: T('答复时间', '答覆時間', 'Answered'), type: 'date', width: 17, value: (r) => instant(r.facts?.answeredAt ?? r.c.answer?.answeredAt) },
  answer: { header: T('答复内容', '答覆內容', 'Answer'), type: 'text', width: 36, value: (r) => r.c.answer?.text ?? null },
  closedAt: { header: T('结案时间', '結案時間', 'Closed'), type: 'date', width: 17, value: (r) => instant(r.facts?.closedAt ?? r.c.closedAt) },
  handlingMode: { header: T('处理方式', '處理方式', 'Handling mode'), type: 'text', width: 13, value: (r, _n, l) => (r.facts?.handlingMode ? (HANDLING_MODE_WORDS[r.facts.handlingMode]?.[l] ?? r.facts.handlingMode) : null) },
  handlingHours: {
    header: T('处理时长（工作小时）', '處理時長（工作小時）', 'Handling time (working hours)'),
    type: 'hours',
    width: 12,
    value: (r) => (r.facts?.handlingWms === null || r.facts?.handlingWms === undefined ? null : Math.round((r.facts.handlingWms / HOUR) * 100) / 100),
  },
  resolveBreached: { header: T('是否超时', '是否逾時', 'Overdue'), type: 'text', width: 8, value: (r, _n, l) => (r.facts ? yesNo(r.facts.resolveBreached, l) : null) },
  extensions: { header: T('延期次数', '延期次數', 'Extensions'), type: 'number', width: 8, value: (r) => r.facts?.extensions ?? r.c.extensions.length },
  reopens: { header: T('重新处理次数', '重新處理次數', 'Reopens'), type: 'number', width: 10, value: (r) => r.facts?.reopens ?? Math.max(0, r.c.cycle - 1) },
  tier: { header: T('层级', '層級', 'Tier'), type: 'number', width: 6, value: (r) => r.c.tier },
  satisfaction: {
    header: T('满意度', '滿意度', 'Satisfaction'),
    type: 'text',
    width: 10,
    value: (r, _n, l) => word('satisfaction', r.facts?.finalSatisfaction ?? r.facts?.satisfaction ?? r.c.followUp.satisfaction, l) || null,
  },
  responsibility: {
    header: T('责任认定', '責任認定', 'Responsibility'),
    type: 'text',
    width: 16,
    value: (r, n, l) => {
      const f = r.c.findings?.responsibility;
      if (!f) return null;
      return joinList([word('responsibility', f.type, l), f.departmentCode ? n.department(f.departmentCode) : null, f.employeeId ? n.user(f.employeeId) : null], l);
    },
  },
  compensation: { header: T('处理金额（元）', '處理金額（元）', 'Solution amount (CNY)'), type: 'money', width: 12, value: (r) => r.c.proposal?.amount ?? null },
};

/** Excel number formats of the typed cells. */
export const NUM_FMT: Record<CellType, string | undefined> = {
  text: undefined,
  date: 'yyyy-mm-dd hh:mm',
  number: '0',
  hours: '0.00',
  money: '#,##0.00',
};

/**
 * A ledger row's problems, with row and column, in the reader's language (zh-CN, zh-TW, en).
 * The dry run lists them all; the real import refuses to start while there is one.
 */
import type { Locale } from '../../domain/errors.js';
import type { LedgerField } from './mapping.js';

export type ProblemCode =
  | 'missing_column' // the mapping names a column the file's header lacks
  | 'required' // a required fact is empty
  | 'bad_date'
  | 'future_date'
  | 'closed_before_received'
  | 'unknown_category'
  | 'unknown_grade'
  | 'grade_not_for_kind'
  | 'unknown_channel'
  | 'unknown_kind'
  | 'kind_disabled'
  | 'unknown_department'
  | 'unknown_handler'
  | 'unknown_state'
  | 'unknown_satisfaction'
  | 'bad_phone'
  | 'bad_email'
  | 'too_long'
  | 'duplicate_row'
  | 'duplicate_id';

export interface ImportProblem {
  /** The spreadsheet row (the header is row 1). */
  row: number;
  /** The column's letter (A, B, …), null when the column is missing from the file. */
  column: string | null;
  /** The column's header text as the mapping names it. */
  header: string | null;
  field: LedgerField;
  code: ProblemCode;
  /** The cell's text (shortened), or what the problem is about. */
  value: string | null;
}

type Texts = Record<Locale, (p: ImportProblem) => string>;

const v = (p: ImportProblem) => p.value ?? '';

const TEXTS: Record<ProblemCode, Texts> = {
  missing_column: { 'zh-CN': (p) => `表头中没有映射的列“${p.header}”`, 'zh-TW': (p) => `表頭中沒有對應的欄「${p.header}」`, en: (p) => `the header has no column "${p.header}" (named by the mapping)` },
  required: { 'zh-CN': () => '必填项为空', 'zh-TW': () => '必填項為空', en: () => 'required, but empty' },
  bad_date: { 'zh-CN': (p) => `日期时间无法识别：${v(p)}`, 'zh-TW': (p) => `日期時間無法識別：${v(p)}`, en: (p) => `not a date and time: ${v(p)}` },
  future_date: { 'zh-CN': (p) => `时间晚于当前时间：${v(p)}`, 'zh-TW': (p) => `時間晚於目前時間：${v(p)}`, en: (p) => `in the future: ${v(p)}` },
  closed_before_received: { 'zh-CN': (p) => `结案时间早于受理时间：${v(p)}`, 'zh-TW': (p) => `結案時間早於受理時間：${v(p)}`, en: (p) => `closed before it was received: ${v(p)}` },
  unknown_category: { 'zh-CN': (p) => `制度中没有此投诉类别：${v(p)}`, 'zh-TW': (p) => `制度中沒有此投訴類別：${v(p)}`, en: (p) => `no such category in the active policy: ${v(p)}` },
  unknown_grade: { 'zh-CN': (p) => `制度中没有此等级：${v(p)}`, 'zh-TW': (p) => `制度中沒有此等級：${v(p)}`, en: (p) => `no such grade in the active policy: ${v(p)}` },
  grade_not_for_kind: { 'zh-CN': () => '只有投诉可以分级', 'zh-TW': () => '只有投訴可以分級', en: () => 'only a complaint has a grade' },
  unknown_channel: { 'zh-CN': (p) => `制度中没有此受理渠道：${v(p)}`, 'zh-TW': (p) => `制度中沒有此受理管道：${v(p)}`, en: (p) => `no such channel in the active policy: ${v(p)}` },
  unknown_kind: { 'zh-CN': (p) => `类型应为投诉、咨询或建议：${v(p)}`, 'zh-TW': (p) => `類型應為投訴、諮詢或建議：${v(p)}`, en: (p) => `the kind is complaint, inquiry or suggestion: ${v(p)}` },
  kind_disabled: { 'zh-CN': (p) => `本制度不受理此类型：${v(p)}`, 'zh-TW': (p) => `本制度不受理此類型：${v(p)}`, en: (p) => `the active policy does not accept this kind: ${v(p)}` },
  unknown_department: { 'zh-CN': (p) => `制度中没有此部门：${v(p)}`, 'zh-TW': (p) => `制度中沒有此部門：${v(p)}`, en: (p) => `no such department in the active policy: ${v(p)}` },
  unknown_handler: { 'zh-CN': (p) => `未结案件的处理人须是系统用户：${v(p)}`, 'zh-TW': (p) => `未結案件的處理人須是系統使用者：${v(p)}`, en: (p) => `an open case's handler must be a Kesu user: ${v(p)}` },
  unknown_state: { 'zh-CN': (p) => `状态应为已受理、处理中、已结案或已归档：${v(p)}`, 'zh-TW': (p) => `狀態應為已受理、處理中、已結案或已歸檔：${v(p)}`, en: (p) => `the state is received, investigating, closed or archived: ${v(p)}` },
  unknown_satisfaction: {
    'zh-CN': (p) => `满意度应为非常满意、满意、一般或不满意：${v(p)}`,
    'zh-TW': (p) => `滿意度應為非常滿意、滿意、一般或不滿意：${v(p)}`,
    en: (p) => `satisfaction is very satisfied, satisfied, neutral or unsatisfied: ${v(p)}`,
  },
  bad_phone: { 'zh-CN': (p) => `电话号码格式不正确：${v(p)}`, 'zh-TW': (p) => `電話號碼格式不正確：${v(p)}`, en: (p) => `invalid phone number: ${v(p)}` },
  bad_email: { 'zh-CN': (p) => `电子邮箱格式不正确：${v(p)}`, 'zh-TW': (p) => `電子郵件格式不正確：${v(p)}`, en: (p) => `invalid e-mail address: ${v(p)}` },
  too_long: { 'zh-CN': (p) => `内容过长（最多 ${v(p)} 字）`, 'zh-TW': (p) => `內容過長（最多 ${v(p)} 字）`, en: (p) => `too long (at most ${v(p)} characters)` },
  duplicate_row: { 'zh-CN': (p) => `与第 ${v(p)} 行完全相同`, 'zh-TW': (p) => `與第 ${v(p)} 列完全相同`, en: (p) => `the same as row ${v(p)}` },
  duplicate_id: { 'zh-CN': (p) => `台账编号与第 ${v(p)} 行重复`, 'zh-TW': (p) => `台帳編號與第 ${v(p)} 列重複`, en: (p) => `the same ledger id as row ${v(p)}` },
};

/** One problem as a line: where, then what. */
export function problemText(p: ImportProblem, locale: Locale): string {
  const what = TEXTS[p.code][locale](p);
  const col = p.column ? `${p.column}${p.header ? ` (${p.header})` : ''}` : (p.header ?? '');
  if (locale === 'en') return `row ${p.row}, column ${col}: ${what}`;
  const colZh = p.column ? `${p.column} ${locale === 'zh-TW' ? '欄' : '列'}${p.header ? (locale === 'zh-TW' ? `「${p.header}」` : `“${p.header}”`) : ''}` : (p.header ?? '');
  return locale === 'zh-TW' ? `第 ${p.row} 列 ${colZh}：${what}` : `第 ${p.row} 行 ${colZh}：${what}`;
}

/** A locale name from the CLI (--lang, KESU_LANG); zh-CN unless en or zh-TW. */
export function cliLocale(given: string | undefined): Locale {
  const s = (given ?? '').trim();
  if (/^en/i.test(s)) return 'en';
  if (/^zh[-_](TW|HK|Hant)/i.test(s)) return 'zh-TW';
  return 'zh-CN';
}

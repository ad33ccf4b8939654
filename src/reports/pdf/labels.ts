/**
 * Words of the exports (dossier PDF, ledger, statistics PDF) in the reader's language: the
 * console's wording (web/src/i18n/locales) for states, channels, kinds, demands, solutions,
 * answer methods, satisfaction levels, clocks and responsibility, kept here because the server
 * renders the documents. A code with no word (a channel the policy added) shows as itself.
 */
import type { Locale } from '../../domain/errors.js';

export type Text = Record<Locale, string>;
export const T = (zhCN: string, zhTW: string, en: string): Text => ({ 'zh-CN': zhCN, 'zh-TW': zhTW, en });

/** An i18n text of the policy (zh-CN required, others optional) in the reader's language. */
export function pickText(t: { 'zh-CN': string; 'zh-TW'?: string; en?: string } | undefined | null, lang: Locale): string {
  if (!t) return '';
  return t[lang] ?? t['zh-CN'];
}

export const WORDS = {
  state: {
    received: T('已受理', '已受理', 'Received'),
    invalid: T('不成立', '不成立', 'Invalid'),
    valid: T('成立', '成立', 'Valid'),
    classified: T('已分级', '已分級', 'Graded'),
    assigned: T('已分派', '已分派', 'Assigned'),
    investigating: T('调查中', '調查中', 'Investigating'),
    investigated: T('已核实', '已核實', 'Investigated'),
    awaiting_approval: T('待审批', '待審批', 'Awaiting approval'),
    implementing: T('实施中', '實施中', 'Implementing'),
    pending: T('未了事宜', '未了事宜', 'Pending'),
    answered: T('已答复', '已答覆', 'Answered'),
    followed_up: T('已回访', '已回訪', 'Followed up'),
    closed: T('已结案', '已結案', 'Closed'),
    archived: T('已归档', '已歸檔', 'Archived'),
  },
  channel: {
    phone: T('电话', '電話', 'Phone'),
    walk_in: T('来访', '來訪', 'Walk-in'),
    letter: T('信函', '信函', 'Letter'),
    email: T('电子邮件', '電子郵件', 'Email'),
    web: T('网络', '網路', 'Web'),
    chat: T('在线客服', '線上客服', 'Chat'),
    transfer: T('部门转来', '部門轉來', 'Transfer'),
    regulator: T('监管机关转来', '監管機關轉來', 'Regulator'),
    portal: T('客户门户', '客戶入口', 'Portal'),
  },
  kind: {
    complaint: T('投诉', '投訴', 'Complaint'),
    inquiry: T('咨询', '諮詢', 'Inquiry'),
    suggestion: T('建议', '建議', 'Suggestion'),
  },
  demand: {
    return_exchange: T('退货换货', '退貨換貨', 'Return / exchange'),
    compensation: T('补偿', '補償', 'Compensation'),
    apology: T('道歉', '道歉', 'Apology'),
    improve_service: T('改进服务', '改進服務', 'Improve service'),
    other: T('其他', '其他', 'Other'),
  },
  solution: {
    refund: T('退款', '退款', 'Refund'),
    exchange: T('换货', '換貨', 'Exchange'),
    compensation: T('补偿', '補償', 'Compensation'),
    apology: T('道歉', '道歉', 'Apology'),
    repair: T('维修', '維修', 'Repair'),
    training: T('员工培训', '員工培訓', 'Staff training'),
    improvement: T('整改', '整改', 'Improvement'),
    other: T('其他', '其他', 'Other'),
  },
  method: {
    phone: T('电话', '電話', 'Phone'),
    sms: T('短信', '簡訊', 'SMS'),
    email: T('电子邮件', '電子郵件', 'Email'),
    letter: T('书面信函', '書面信函', 'Letter'),
    in_person: T('当面', '當面', 'In person'),
    portal: T('客户门户', '客戶入口', 'Portal'),
    survey: T('问卷', '問卷', 'Survey'),
    visit: T('上门', '上門', 'Visit'),
  },
  satisfaction: {
    very_satisfied: T('非常满意', '非常滿意', 'Very satisfied'),
    satisfied: T('满意', '滿意', 'Satisfied'),
    neutral: T('一般', '一般', 'Neutral'),
    unsatisfied: T('不满意', '不滿意', 'Unsatisfied'),
    unreachable: T('未联系上', '未聯繫上', 'Unreachable'),
  },
  clockKind: {
    triage: T('判定分级', '判定分級', 'Triage'),
    dispatch: T('分派', '分派', 'Dispatch'),
    first_response: T('签收', '簽收', 'First response'),
    resolve: T('处理完毕（承诺时限）', '處理完畢（承諾時限）', 'Resolve (promised)'),
    approval: T('审批', '審批', 'Approval'),
    follow_up: T('回访', '回訪', 'Follow-up'),
    escalation: T('再次升级', '再次升級', 'Re-escalation'),
    regulator: T('机关时限', '機關時限', 'Regulator'),
    grade_rise: T('等级上升', '等級上升', 'Grade rise'),
  },
  responsibility: {
    department: T('部门责任', '部門責任', 'Department'),
    employee: T('员工责任', '員工責任', 'Employee'),
    customer: T('客户自身原因', '客戶自身原因', 'The customer'),
    misunderstanding: T('误解', '誤解', 'Misunderstanding'),
    none: T('无责任', '無責任', 'No one'),
  },
} as const satisfies Record<string, Record<string, Text>>;

/** The word for a code in one of the groups, or the code itself. */
export function word(group: keyof typeof WORDS, code: string | null | undefined, lang: Locale): string {
  if (code === null || code === undefined || code === '') return '';
  const w = (WORDS[group] as Record<string, Text>)[code.replace(/\.\d+$/, '')];
  return w ? w[lang] : code;
}

/** Local date and time of an instant in the policy's time zone, e.g. 2026-03-02 09:00. */
export function localTime(iso: string | null | undefined, zone: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d);
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** Money in yuan with two decimals. */
export function money(v: number | null | undefined, lang: Locale): string {
  if (v === null || v === undefined) return '';
  const s = v.toFixed(2);
  return lang === 'en' ? `CNY ${s}` : `¥${s}`;
}

/** A list joined the way the language joins it. */
export function joinList(items: (string | null | undefined)[], lang: Locale): string {
  return items.filter((x): x is string => !!x).join(lang === 'en' ? ', ' : '、');
}

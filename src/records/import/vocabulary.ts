/**
 * The words a ledger uses for Kesu's codes: a policy's categories, grades and departments by
 * code or by name in any of its languages; channels, kinds, states and satisfaction by code or
 * by their usual Chinese and English names. Matching ignores case and surrounding spaces.
 */
import type { Policy } from '../../domain/policy/index.js';
import type { ComplaintKind, Satisfaction } from '../../domain/complaint/types.js';

/** The states an imported case can go straight to. */
export type ImportState = 'received' | 'investigating' | 'closed' | 'archived';

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');

class Lookup<T> {
  private readonly map = new Map<string, T>();
  add(value: T, ...names: (string | undefined)[]): this {
    for (const n of names) if (n) this.map.set(norm(n), value);
    return this;
  }
  get(text: string): T | undefined {
    return this.map.get(norm(text));
  }
}

function named(items: readonly { code: string; name: Record<string, string | undefined> }[]): Lookup<string> {
  const l = new Lookup<string>();
  for (const i of items) l.add(i.code, i.code, ...Object.values(i.name));
  return l;
}

/** Usual names of the built-in channels (web/src/i18n, and the words paper ledgers use). */
const CHANNEL_NAMES: Record<string, string[]> = {
  phone: ['电话', '電話', '热线', '熱線', 'telephone'],
  walk_in: ['来访', '來訪', '上门', '现场', 'visit'],
  letter: ['信函', '来信', '來信', 'mail'],
  email: ['电子邮件', '電子郵件', '邮件', '郵件', 'e-mail'],
  web: ['网络', '網路', '网站', '網站', '网上', 'online'],
  chat: ['在线客服', '線上客服', '在线', '微信'],
  transfer: ['部门转来', '部門轉來', '转办', '轉辦'],
  regulator: ['监管机关转来', '監管機關轉來', '监管', '12315'],
  portal: ['客户门户', '客戶入口'],
};

export interface Vocabulary {
  category: Lookup<string>;
  grade: Lookup<string>;
  department: Lookup<string>;
  channel: Lookup<string>;
  kind: Lookup<ComplaintKind>;
  state: Lookup<ImportState>;
  satisfaction: Lookup<Satisfaction>;
}

export function vocabularyOf(p: Policy): Vocabulary {
  const channel = new Lookup<string>();
  for (const c of p.channels) channel.add(c, c, ...(CHANNEL_NAMES[c] ?? []));
  return {
    category: named(p.categories),
    grade: named(p.grades),
    department: named(p.departments),
    channel,
    kind: new Lookup<ComplaintKind>().add('complaint', 'complaint', '投诉', '投訴').add('inquiry', 'inquiry', '咨询', '諮詢', '查询', '查詢').add('suggestion', 'suggestion', '建议', '建議'),
    state: new Lookup<ImportState>()
      .add('received', 'received', '已受理', '受理', '待处理', '待處理')
      .add('investigating', 'investigating', '处理中', '處理中', '调查中', '調查中')
      .add('closed', 'closed', '已结案', '已結案', '结案', '結案', '办结', '辦結', '已关闭', '已關閉')
      .add('archived', 'archived', '已归档', '已歸檔', '归档', '歸檔'),
    satisfaction: new Lookup<Satisfaction>()
      .add('very_satisfied', 'very_satisfied', 'very satisfied', '非常满意', '非常滿意', '很满意', '很滿意')
      .add('satisfied', 'satisfied', '满意', '滿意', '基本满意', '基本滿意')
      .add('neutral', 'neutral', '一般', '尚可')
      .add('unsatisfied', 'unsatisfied', 'dissatisfied', '不满意', '不滿意'),
  };
}

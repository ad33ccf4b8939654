/**
 * Key information in a complaint text (issue 13 §5; seed 002 篇3: staff read less because the key
 * facts are marked): phone numbers, order / waybill numbers, plate numbers, amounts, dates and
 * times, the policy's product names, and the signal words that suggest a grade or the 恶性 flag.
 * Each mark explains itself; the suggestion is only shown to the specialist, never applied.
 *
 * Pure: the server computes the marks (POST /api/v1/text/key-information) and the console only
 * draws them, so the rules live here once.
 */
import type { Policy } from '../policy/index.js';
import { highlights as highlightsSchema, type HighlightSignal } from '../policy/highlights.js';

export type KeyKind = 'phone' | 'order' | 'plate' | 'amount' | 'datetime' | 'product' | 'signal';

type Text3 = { 'zh-CN': string; 'zh-TW': string; en: string };

export interface KeyMark {
  /** UTF-16 offsets into the text, `end` exclusive (what String.prototype.slice takes). */
  start: number;
  end: number;
  kind: KeyKind;
  text: string;
  /** Why this is marked, in the three UI languages. */
  why: Text3;
}

export interface GradeSuggestion {
  /** The grade suggested (a grade code of the policy), or null when only the flag is suggested. */
  grade: string | null;
  vicious: boolean;
  /** The signal words that led to it, in text order. */
  because: string[];
}

export interface KeyInformation {
  marks: KeyMark[];
  suggestion: GradeSuggestion | null;
}

const WHY: Record<Exclude<KeyKind, 'signal' | 'product'>, Text3> = {
  phone: { 'zh-CN': '电话号码', 'zh-TW': '電話號碼', en: 'Phone number' },
  order: { 'zh-CN': '订单号 / 运单号', 'zh-TW': '訂單號 / 運單號', en: 'Order or waybill number' },
  plate: { 'zh-CN': '车牌号', 'zh-TW': '車牌號', en: 'Licence plate' },
  amount: { 'zh-CN': '金额', 'zh-TW': '金額', en: 'Amount' },
  datetime: { 'zh-CN': '日期 / 时间', 'zh-TW': '日期 / 時間', en: 'Date or time' },
};

/** Mainland mobile (optionally +86, with spaces or dashes) and landline numbers (区号-号码). */
const PHONE = /(?<![\d])(?:(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}|0\d{2,3}-\d{7,8})(?![\d])/g;
/** A number after 订单/运单/单号/快递单, or a courier-style code (2–4 capitals then ≥ 8 digits). */
const ORDER = /(?:(?<=(?:订单|運單|运单|單號|单号|快递单|快遞單|工单|工單)(?:号|號)?\s*[:：]?\s*)[A-Za-z0-9-]{6,30})|(?<![A-Za-z0-9])[A-Z]{2,4}\d{8,20}(?![A-Za-z0-9])/g;
/** A Chinese plate: province character, a letter, 5 or 6 letters/digits (new-energy plates have 6). */
const PLATE = /[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·•\s]?[A-HJ-NP-Z0-9]{5,6}(?![A-Za-z0-9])/g;
/** ¥ / ￥ / RMB before, or 元 / 块 / 万元 after a number. */
const AMOUNT = /(?:[¥￥]|RMB\s?)\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:\.\d+)?\s?(?:万元|元|块钱|块|圓|圆)/g;
/** 2026年3月5日, 3月5号, 2026-03-05, 2026/3/5, 15:30, 下午3点(半). */
const DATETIME =
  /\d{4}\s?年\s?\d{1,2}\s?月(?:\s?\d{1,2}\s?[日号號])?|\d{1,2}\s?月\s?\d{1,2}\s?[日号號]|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?|(?:上午|下午|晚上|中午|凌晨|早上)?\d{1,2}\s?[点點](?:半|\d{1,2}\s?分)?|(?<![\d:])\d{1,2}:\d{2}(?![\d:])/g;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function regexMarks(text: string, re: RegExp, kind: Exclude<KeyKind, 'signal' | 'product'>): KeyMark[] {
  return [...text.matchAll(re)].map((m) => ({ start: m.index, end: m.index + m[0].length, kind, text: m[0], why: WHY[kind] }));
}

function wordMarks(text: string, words: string[], kind: 'product' | 'signal', why: (w: string) => Text3): KeyMark[] {
  const out: KeyMark[] = [];
  const lower = text.toLowerCase();
  for (const w of words) {
    const needle = w.toLowerCase();
    for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, i + needle.length)) out.push({ start: i, end: i + w.length, kind, text: text.slice(i, i + w.length), why: why(w) });
  }
  return out;
}

/**
 * Overlapping marks: the longer one wins, then the earlier; a phone number inside a longer order
 * number is not marked twice. The kinds are tried in this order of trust for equal lengths.
 */
const PRIORITY: KeyKind[] = ['signal', 'product', 'phone', 'plate', 'order', 'amount', 'datetime'];

function withoutOverlaps(marks: KeyMark[]): KeyMark[] {
  const ranked = [...marks].sort((a, b) => b.end - b.start - (a.end - a.start) || PRIORITY.indexOf(a.kind) - PRIORITY.indexOf(b.kind) || a.start - b.start);
  const kept: KeyMark[] = [];
  for (const m of ranked) if (!kept.some((k) => m.start < k.end && k.start < m.end)) kept.push(m);
  return kept.sort((a, b) => a.start - b.start);
}

function signalWhy(sig: HighlightSignal, gradeName: (code: string) => Text3 | null): Text3 {
  const g = sig.suggests.grade ? gradeName(sig.suggests.grade) : null;
  const parts: Text3[] = [];
  if (g) parts.push({ 'zh-CN': `建议等级：${g['zh-CN']}`, 'zh-TW': `建議等級：${g['zh-TW']}`, en: `suggests grade ${g.en}` });
  if (sig.suggests.vicious) parts.push({ 'zh-CN': '可能属恶性投诉', 'zh-TW': '可能屬惡性投訴', en: 'may be a vicious complaint' });
  const head: Text3 = { 'zh-CN': '升级信号', 'zh-TW': '升級信號', en: 'Escalation signal' };
  if (!parts.length) return head;
  return {
    'zh-CN': `${head['zh-CN']}（${parts.map((p) => p['zh-CN']).join('，')}）`,
    'zh-TW': `${head['zh-TW']}（${parts.map((p) => p['zh-TW']).join('，')}）`,
    en: `${head.en} (${parts.map((p) => p.en).join('; ')})`,
  };
}

/** The marks of `text` under `policy`'s catalogue and signals, and the suggestion they add up to. */
export function findKeyInformation(text: string, policy: Pick<Policy, 'grades' | 'defaultGrade'> & { highlights?: Policy['highlights'] }): KeyInformation {
  // A policy stored before the section existed has none: the defaults apply.
  const h = policy.highlights ?? highlightsSchema.parse({});
  const codes = policy.grades.map((g) => g.code);
  const resolve = (g: string): string | null => {
    if (g !== 'higher') return codes.includes(g) ? g : null;
    const i = Math.max(0, codes.indexOf(policy.defaultGrade));
    return codes[Math.min(codes.length - 1, i + 1)] ?? null;
  };
  const gradeName = (g: string): Text3 | null => {
    const code = resolve(g);
    const grade = policy.grades.find((x) => x.code === code);
    if (!grade) return null;
    const n = grade.name as Partial<Text3> & { 'zh-CN': string };
    return { 'zh-CN': n['zh-CN'], 'zh-TW': n['zh-TW'] ?? n['zh-CN'], en: n.en ?? n['zh-CN'] };
  };
  const signals = h.signals;
  const signalMarks = signals.flatMap((sig) => wordMarks(text, sig.words, 'signal', () => signalWhy(sig, gradeName)));
  const productMarks = wordMarks(text, h.products, 'product', (w) => ({ 'zh-CN': `产品：${w}`, 'zh-TW': `產品：${w}`, en: `Product: ${w}` }));
  const marks = withoutOverlaps([
    ...signalMarks,
    ...productMarks,
    ...regexMarks(text, PHONE, 'phone'),
    ...regexMarks(text, PLATE, 'plate'),
    ...regexMarks(text, ORDER, 'order'),
    ...regexMarks(text, AMOUNT, 'amount'),
    ...regexMarks(text, DATETIME, 'datetime'),
  ]);

  // The suggestion: the most severe grade any signal in the text suggests, and 恶性 if any says so.
  const found = marks.filter((m) => m.kind === 'signal');
  if (!found.length) return { marks, suggestion: null };
  let grade: string | null = null;
  let vicious = false;
  for (const m of found) {
    const sig = signals.find((s) => s.words.some((w) => w.toLowerCase() === m.text.toLowerCase()));
    if (!sig) continue;
    vicious ||= sig.suggests.vicious;
    const g = sig.suggests.grade ? resolve(sig.suggests.grade) : null;
    if (g && (grade === null || codes.indexOf(g) > codes.indexOf(grade))) grade = g;
  }
  if (grade === null && !vicious) return { marks, suggestion: null };
  return { marks, suggestion: { grade, vicious, because: [...new Set(found.map((m) => m.text))] } };
}

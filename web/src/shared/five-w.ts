/**
 * The 5W1H parts of a complaint's description, as the intake screen writes them:
 * `what【人员】who【时间】when…`, each 【label】 in the language of the agent who registered it.
 * To read any case in any language the labels of all three languages are needed; they are
 * kept here instead of read from the three catalogues, so a page that splits a description (the
 * print form) does not load the two catalogues its reader does not use (issue 14). They are the
 * catalogues' `intake.w.*` words and the server's dossier labels (src/reports/pdf/dossier.ts):
 * test/web/five-w.test.ts keeps the three in step.
 */
export const FIVE_W = ['what', 'who', 'when', 'where', 'why', 'how'] as const;
export type FiveWPart = (typeof FIVE_W)[number];

/** Each part's label in zh-CN, zh-TW and en. */
export const FIVE_W_LABELS: Record<FiveWPart, { 'zh-CN': string; 'zh-TW': string; en: string }> = {
  what: { 'zh-CN': '事件', 'zh-TW': '事件', en: 'What' },
  who: { 'zh-CN': '人员', 'zh-TW': '人員', en: 'Who' },
  when: { 'zh-CN': '时间', 'zh-TW': '時間', en: 'When' },
  where: { 'zh-CN': '地点', 'zh-TW': '地點', en: 'Where' },
  why: { 'zh-CN': '原因诉求', 'zh-TW': '原因訴求', en: 'Why' },
  how: { 'zh-CN': '影响', 'zh-TW': '影響', en: 'How' },
};

const BY_LABEL = new Map<string, FiveWPart>(FIVE_W.flatMap((k) => Object.values(FIVE_W_LABELS[k]).map((l) => [l, k] as [string, FiveWPart])));

/**
 * The description's 5W1H parts. The text before the first 【label】 is "what"; a part whose label
 * is not one of the six stays in "what" with its label, so nothing is lost.
 */
export function fiveW(description: string): Partial<Record<FiveWPart, string>> {
  const out: Partial<Record<FiveWPart, string>> = {};
  let last = 0;
  let label = '';
  const push = (text: string) => {
    const v = text.trim();
    const known = BY_LABEL.get(label);
    const piece = label && !known ? `【${label}】${v}` : v;
    if (!piece) return;
    const k = known ?? 'what';
    out[k] = out[k] ? `${out[k]}\n${piece}` : piece;
  };
  for (const m of description.matchAll(/【([^】]{1,20})】/g)) {
    push(description.slice(last, m.index));
    label = m[1]!;
    last = m.index! + m[0].length;
  }
  push(description.slice(last));
  return out;
}

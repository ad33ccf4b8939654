/**
 * The width a small select needs to show its longest option whole ("working hours", "工作小時"):
 * a fixed width fits one language and cuts another. Estimated from the text, in em of the
 * select's own font: a CJK character is about 1 em, a Latin one about 0.6 em (a narrow font's
 * capitals and wide letters average out below that); the arrow and padding add 40 px.
 */
const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;

export function textEm(text: string): number {
  let em = 0;
  for (const ch of text) em += CJK.test(ch) ? 1 : 0.6;
  return em;
}

/** A CSS width for a select whose options are `labels`, never below `minPx`. */
export function selectWidth(labels: readonly string[], minPx: number): string {
  const em = Math.max(0, ...labels.map(textEm));
  return `max(${minPx}px, calc(${em.toFixed(1)}em + 40px))`;
}

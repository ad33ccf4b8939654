/**
 * Who called in the seeded history (the caller-lookup scenario of bench/http.ts): of every 50
 * cases, 1 is from one of a few heavy callers with ~100 cases each, 5 from callers with 10 cases
 * each, and 44 from callers with one case; numbers that were never seeded stand for a new
 * customer. Cases of one caller are spread over the whole history (the seed spreads case i over
 * time by i).
 */
export interface CallerLayout {
  phoneOf(i: number): string;
  /** Sample numbers by how many seeded cases each has (`cases` counted, not assumed), and unknown ones. */
  samples: { label: string; cases: number; phones: string[] }[];
}

const pad8 = (n: number) => String(n).padStart(8, '0');

export function callerLayout(count: number): CallerLayout {
  const heavy = Math.max(1, Math.floor(count / 5000));
  const tens = Math.max(1, Math.floor(count / 100));
  const phoneOf = (i: number): string => {
    const r = i % 50;
    if (r === 0) return `139${pad8(Math.floor(i / 50) % heavy)}`;
    if (r <= 5) return `137${pad8((Math.floor(i / 50) * 5 + r - 1) % tens)}`;
    return `136${pad8(i)}`;
  };
  const counts = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const p = phoneOf(i);
    if (!p.startsWith('136')) counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  const pick = (prefix: string, n: number) => [...counts.keys()].filter((p) => p.startsWith(prefix)).slice(0, n);
  const singles = Array.from({ length: 20 }, (_, k) => phoneOf(Math.floor((k * count) / 20) + 6 - (Math.floor((k * count) / 20) % 50)));
  const groups = [
    { label: '1 case', phones: singles.filter((p) => p.startsWith('136')) },
    { label: '10 cases', phones: pick('137', 20) },
    { label: '100 cases', phones: pick('139', 20) },
  ];
  return {
    phoneOf,
    samples: [
      ...groups.map((g) => ({ label: g.label, cases: g.phones.length ? Math.round(g.phones.reduce((a, p) => a + (counts.get(p) ?? 1), 0) / g.phones.length) : 0, phones: g.phones })),
      { label: 'unknown number', cases: 0, phones: Array.from({ length: 20 }, (_, k) => `135${pad8(k)}`) },
    ],
  };
}

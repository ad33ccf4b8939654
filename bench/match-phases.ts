/**
 * Where a match request's time goes (issue 13 §6), in-process on a kept bench place: the CPU
 * milliseconds per match (process.cpuUsage, the load-robust measure on a shared machine) beside
 * the wall-clock time, and each of the service's database reads timed on its own.
 *
 *   npx tsx bench/match-phases.ts --reuse DIR [--runs 3]
 *
 * DIR is a data dir kept by `npm run bench:http -- --engine sqlite --bulk --keep …` (SQLite only).
 * The texts are the bench's matching texts (every 97th of the real sample, 16 of them); each is
 * matched as the specialist (sees all but their avoidance) and as the agent (sees their own
 * cases). Nothing is written.
 */
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { openDatabase } from '../src/store/db.js';
import { createApp } from '../src/services/app.js';
import { matchText, matchTokens } from '../src/services/knowledge-match.js';
import { articleCandidates, articleCorpus, articleFacts, similarCaseCandidates } from '../src/store/knowledge.repository.js';
import { actorOf, findUserByUsername } from '../src/store/user.repository.js';
import { readSampleTexts } from './http/bulk-seed.js';
import { option } from './http/options.js';

const dir = option('--reuse');
if (!dir) throw new Error('--reuse DIR (a data dir kept by bench:http --keep)');
const runs = Number(option('--runs') ?? 3);

const database = openDatabase({ dataDir: dir });
const app = createApp(database);
const db = database.db;
const texts = readSampleTexts()
  .filter((_, k) => k % 97 === 5)
  .slice(0, 16)
  .map((x) => x.text);

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} p95 ${pct(xs, 95).toFixed(1)} mean ${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1)}`;

async function timed<T>(into: { wall: number[]; cpu: number[] }, f: () => Promise<T>): Promise<T> {
  const c = process.cpuUsage();
  const t = performance.now();
  const r = await f();
  into.wall.push(performance.now() - t);
  into.cpu.push(cpuMs(process.cpuUsage(c)));
  return r;
}

console.log(
  `# match phases on ${dir}; load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}; ${runs} runs × ${texts.length} texts × 2 people`,
);
for (const username of ['specialist', 'agent']) {
  const u = await findUserByUsername(db, username);
  if (!u) throw new Error(`no user ${username}`);
  const actor = actorOf(u);
  const phases: Record<string, { wall: number[]; cpu: number[] }> = {};
  const ph = (name: string) => (phases[name] ??= { wall: [], cpu: [] });
  await matchText(app, actor, { text: texts[0]! }); // warm
  for (let run = 0; run < runs; run++)
    for (const text of texts) {
      await timed(ph('matchText (whole)'), () => matchText(app, actor, { text }));
      const tokens = matchTokens(text);
      const hits = await timed(ph('articleCandidates'), () => articleCandidates(db, tokens, 500));
      const ids = [...new Set(hits.map((h) => h.article_id))];
      await timed(ph('articleFacts'), () => articleFacts(db, database.dialect, ids, false));
      await timed(ph('articleCorpus'), () => articleCorpus(db, tokens));
      await timed(ph('similarCaseCandidates'), () => similarCaseCandidates(db, database.dialect, actor, tokens, 200));
    }
  console.log(`# ${username}:`);
  for (const [name, p] of Object.entries(phases)) console.log(`#   ${name.padEnd(28)} CPU ms ${fmt(p.cpu)} · wall ms ${fmt(p.wall)}`);
}
await database.close();

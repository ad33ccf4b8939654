/**
 * Benchmarks through the real server (issue 9, item 3): `npm run bench:http`.
 *
 * Starts Kesu as `npm start` runs it — `node dist/cli/kesu.js serve` (compiled first when dist
 * is missing or older than src; `--server tsx` runs src through tsx instead), a fresh data dir or
 * a throwaway PostgreSQL database, a free port, the deadline sweeper and the outbox dispatcher at
 * their defaults, e-mail to an SMTP sink in this process and SMS through the generic HTTP gateway
 * to a receiver in this process. Seeds history (cases cloned from the server's own first
 * intakes), then drives real HTTP with 1, 8 and 64 clients: sign-in, intake, queue pages, search,
 * case detail, two actions (note, judge) and the caller lookup of the intake screen (beside the
 * same lookup as raw SQL), with throughput and p50/p95/p99; a burst of intakes
 * while other clients read queues; idle RSS of the server after start and after the run. In the
 * same run it stops the server and measures the physical limit: the same rows inserted into a
 * fresh database of the same engine, one durable transaction per case (bench/http/rows.ts), and
 * prints Kesu/raw.
 *
 *   npm run bench:http -- --engine both --seconds 10 --clients 1,8,64
 *   npm run bench:http -- --smoke            # small counts, seconds per engine (CI)
 *
 * Options: --engine sqlite|postgres|both (default both; PostgreSQL is skipped with a notice when
 * it does not answer, unless KESU_REQUIRE_PG=1), --seconds N per measurement (default 10),
 * --clients 1,8,64, --seed N cases of history (default 20000), --burst N intakes (default 1000),
 * --server dist|tsx, --profile (server CPU profile under bench/results/, summarised), --only
 * "intake,queue page" (a subset of the scenarios; "caller lookup" and "matching" also run their raw-SQL
 * limits), --out FILE. For the read paths at scale (issue 13): --bulk seeds with bench/http/bulk-seed.ts
 * (only the rows the reads read, in big batches: 1 M cases in minutes) and --articles N published
 * experience articles (default 10000 with --bulk); --reads-only skips intake, the burst and the raw
 * insert (which would seed a second history of the same size); --keep leaves the seeded place (data dir,
 * PostgreSQL database) behind and prints it, --reuse DIR[,DATABASE_URL] measures on such a place again
 * without seeding (give the same --seed, so the callers' layout is the seeded one; one engine).
 * --server-env KESU_X=v,… sets server settings the bench otherwise leaves at their defaults.
 * Writes bench/results/http-<date>.json and prints a table. Bounded: it stops by itself.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname, cpus, totalmem, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/store/db.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { HttpClient, drive, type Stats } from './http/driver.js';
import { ROOT, Sinks, cpuOf, ensureBuilt, freshPlace, fsyncLatency, postgresAvailable, rssOf, startKesu, PG_ADMIN_URL, type Engine } from './http/server.js';
import { cloneCase, openRows, seedHistory, type CaseRows, type RowStore } from './http/rows.js';
import { summariseProfile } from './http/profile.js';
import { intakeBody } from './http/intake-body.js';
import { flag, option } from './http/options.js';
import { callerLayout } from './http/callers.js';
import { hashTerm, resolveContactKey } from '../src/services/contact-keys.js';
import { bulkSeed, readSampleTexts } from './http/bulk-seed.js';
import { matchTokens } from '../src/services/knowledge-match.js';
import { RESOLVED_STATES, SIMILAR_WALK } from '../src/store/knowledge.repository.js';

// --- options -------------------------------------------------------------------------------------

const has = flag;
const opt = option;
const smoke = has('--smoke');
const engineArg = opt('--engine') ?? 'both';
if (!['sqlite', 'postgres', 'both'].includes(engineArg)) throw new Error('--engine sqlite|postgres|both');
const seconds = Number(opt('--seconds') ?? (smoke ? 0.3 : 10));
const clientLevels = (opt('--clients') ?? (smoke ? '1,8' : '1,8,64'))
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const seedCount = Number(opt('--seed') ?? (smoke ? 300 : 20_000));
const burstCount = Number(opt('--burst') ?? (smoke ? 24 : 1000));
const serverMode = (opt('--server') ?? 'dist') as 'dist' | 'tsx';
const profile = has('--profile');
/** Only these scenarios (comma list of names, e.g. `intake,queue page`); intake always runs, for the ratios. */
const only = opt('--only')
  ?.split(',')
  .map((x) => x.trim());
const bulk = has('--bulk');
const articleCount = Number(opt('--articles') ?? (bulk ? 10_000 : 0));
const readsOnly = has('--reads-only');
const keep = has('--keep');
const reuse = opt('--reuse');
/** Server settings to vary, e.g. `--server-env KESU_WRITE_CONCURRENCY=1` (comma list of KESU_* assignments). */
const serverEnv = Object.fromEntries(
  (opt('--server-env') ?? '')
    .split(',')
    .filter(Boolean)
    .map((kv) => {
      const [k, ...v] = kv.split('=');
      if (!k?.startsWith('KESU_') || !v.length) throw new Error(`--server-env: KESU_NAME=value expected, got ${kv}`);
      return [k, v.join('=')];
    }),
);
/** How long to wait for the outbox to drain before each measurement. */
const settleSeconds = smoke ? 0 : 45;
const TEMPLATES = smoke ? 3 : 20;
const BURST_CLIENTS = 8;
const BURST_READERS = 4;

const resultsDir = join(ROOT, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const out = opt('--out') ?? join(resultsDir, `http-${smoke ? 'smoke-' : ''}${stamp}.json`);
const log = (s: string) => console.log(`# ${s}`);

// --- the workload --------------------------------------------------------------------------------

interface EngineResult {
  engine: Engine;
  server: { mode: string; rssAfterStartMiB: number; rssAfterRunMiB: number; peakRssMiB: number; logFile: string; stopSeconds: number; exitCode: number | null };
  seeded: number;
  rowsPerCase: Record<string, number>;
  scenarios: { name: string; clients: number; backlogAtStart: number; stats: Stats; cpu: CpuPerOp }[];
  burst: { intakes: Stats; queue: Stats; backlogAfter: number; cpu: CpuPerOp };
  /** `counter: false`: without drawing a case number (PostgreSQL, several connections; since issue 9 the number is a sequence value there, not the counter row). */
  raw: { clients: number; connections: number; counter: boolean; stats: Stats; cpuMsPerCase: number }[];
  ratios: { clients: number; kesuPerSecond: number; rawPerSecond: number; ratio: number; rawClients: number }[];
  delivered: { mails: number; sms: number; outbox: Record<string, number> };
  profile?: string[];
}

/**
 * The server's CPU per successful operation of a phase (ms; /proc, so a loaded machine stretches
 * the wall time but not these): the whole process and its main thread (the event loop), over the
 * phase, and for intake also until the outbox drained after it (the delivery of its messages).
 */
interface CpuPerOp {
  processMs: number;
  mainMs: number;
  withDelivery?: { processMs: number; mainMs: number; drained: boolean };
}

function cpuPerOp(a: { processMs: number; mainMs: number }, b: { processMs: number; mainMs: number }, ops: number) {
  return { processMs: ops ? (b.processMs - a.processMs) / ops : NaN, mainMs: ops ? (b.mainMs - a.mainMs) / ops : NaN };
}

/** Outbox rows by status, leaving out the seeded history (delivered before the run). */
async function outboxCounts(store: RowStore): Promise<Record<string, number>> {
  const rows = await store.query(`select status, count(*) as n from outbox where complaint_id is null or complaint_id not in (select id from complaints where number like 'KS-____-5%') group by status`);
  return Object.fromEntries(rows.map((r) => [String(r.status), Number(r.n)]));
}

async function backlog(store: RowStore): Promise<number> {
  const c = await outboxCounts(store);
  return (c.pending ?? 0) + (c.sending ?? 0);
}

/** Waits (bounded) until the dispatcher has nothing due, so each measurement starts from a quiet server. */
async function settle(store: RowStore): Promise<number> {
  const deadline = performance.now() + settleSeconds * 1000;
  let n = await backlog(store);
  while (n > 0 && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    n = await backlog(store);
  }
  return n;
}

async function runEngine(engine: Engine): Promise<EngineResult> {
  log(`${engine}: starting Kesu (${serverMode}) on a fresh ${engine === 'sqlite' ? 'data dir' : 'database'}`);
  const fresh = reuse ? null : await freshPlace(engine, 'http');
  const [reuseDir, reuseUrl] = (reuse ?? '').split(',');
  const kept = { engine, dataDir: reuseDir!, databaseUrl: reuseUrl || undefined, drop: async () => {} };
  if (reuse && engine === 'postgres' && !reuseUrl) throw new Error('--reuse DIR,DATABASE_URL on PostgreSQL');
  const place = fresh && !keep ? fresh : { ...(fresh ?? kept), drop: async () => log(`${engine}: kept the seeded place: --reuse ${[fresh?.dataDir ?? kept.dataDir, fresh?.databaseUrl ?? kept.databaseUrl].filter(Boolean).join(',')}`) };
  const sinks = await Sinks.start();
  const profDir = profile ? join(resultsDir, `prof-${engine}-${stamp}`) : undefined;
  if (profDir) mkdirSync(profDir, { recursive: true });
  // The smoke does not wait long for a clean stop (a backlog keeps the dispatcher going; see docs/performance.md).
  const kesu = await startKesu({ place, sinks, mode: serverMode, logFile: join(resultsDir, `server-${engine}-${stamp}.log`), cpuProfDir: profDir, graceSeconds: smoke ? 3 : 20, serverEnv, log });
  const http = new HttpClient(kesu.base, Math.max(...clientLevels, BURST_CLIENTS + BURST_READERS) + 8);
  let store: RowStore | null = null;
  try {
    await new Promise((r) => setTimeout(r, smoke ? 500 : 3000));
    const rssAfterStart = rssOf(kesu.pid).rssMiB;
    log(`${engine}: idle RSS after start ${rssAfterStart.toFixed(0)} MiB`);

    const tokens: Record<string, string> = {};
    for (const u of ['agent', 'agent2', 'specialist', 'handler', 'deptmanager', 'followup']) tokens[u] = (await http.json<{ token: string }>('POST', '/api/v1/auth/login', { body: { username: u, password: 'kesu-demo' } })).token;

    // Templates: the server's own first intakes (never touched again), whose rows seed history and the raw insert.
    const templateIds: string[] = [];
    for (let i = 0; i < TEMPLATES; i++) {
      const v = await http.json<{ complaint: { id: string } }>('POST', '/api/v1/complaints', { token: tokens.agent, body: intakeBody(i), headers: { 'idempotency-key': `bench-template-${i}` } });
      templateIds.push(v.complaint.id);
    }
    store = openRows(engine, place, 2);
    const templates = await store.readCases(templateIds);
    const t = templates[0]!;
    const rowsPerCase = {
      complaints: 1,
      complaint_search: 1,
      ...(engine === 'postgres' ? { case_number_sequence: 1 } : { counters: 1 }),
      complaint_participants: t.participants.length,
      complaint_events: t.events.length,
      clocks: t.clocks.length,
      outbox: t.outbox.length,
      pii_access_log: t.pii.length,
      idempotency_keys: t.idempotency.length,
      ...Object.fromEntries(Object.entries(t.rest).map(([table, rows]) => [table, rows.length])),
    };
    log(
      `${engine}: rows one intake request writes (the raw insert's unit): ${Object.entries(rowsPerCase)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    const t0 = performance.now();
    // The server's contact key (created in its data dir at start), so seeded cases are found by their callers' numbers.
    const contactKey = resolveContactKey(null, place.dataDir);
    const callers = callerLayout(seedCount);
    if (reuse) log(`${engine}: reusing the history seeded before (${reuse})`);
    else if (bulk) await bulkSeed(engine, place, templates, seedCount, { key: contactKey, phoneOf: callers.phoneOf, articles: articleCount, log });
    else await seedHistory(store, templates, seedCount, { prefix: '5', callers: { key: contactKey, phoneOf: callers.phoneOf } });
    if (!reuse) await store.analyze();
    // Sign in again: a long seed (1 M cases: an hour on a loaded machine) outlives the sessions.
    for (const u of Object.keys(tokens)) tokens[u] = (await http.json<{ token: string }>('POST', '/api/v1/auth/login', { body: { username: u, password: 'kesu-demo' } })).token;
    log(`${engine}: seeded ${seedCount} cases of history${bulk ? ` and ${articleCount} articles (bulk)` : ''} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // The agent reads and notes its own cases (1 in 20 of the history); the specialist judges any other.
    const agentId = String(templates[0]!.complaint.first_responder_id);
    const seeded = await store.query(`select id, first_responder_id from complaints where number like 'KS-____-5%'`);
    const shuffle = <T>(xs: T[]) =>
      xs
        .map((x) => [Math.random(), x] as const)
        .sort((a, b) => a[0] - b[0])
        .map(([, x]) => x);
    const detailPool = shuffle(seeded.filter((r) => r.first_responder_id === agentId).map((r) => String(r.id)));
    const judgePool = shuffle(seeded.filter((r) => r.first_responder_id !== agentId).map((r) => String(r.id)));
    log(`${engine}: the agent is first responder of ${detailPool.length} of them`);
    let judged = 0;
    const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;

    const expect = async (p: Promise<{ status: number; text: string }>, ok: number[], what: string, tag?: string): Promise<string | void> => {
      const r = await p;
      if (!ok.includes(r.status)) throw new Error(`${what}: ${r.status} ${r.text.slice(0, 200)}`);
      return tag;
    };
    const queues: [string, string][] = [
      ['specialist', '/api/v1/complaints?limit=50'],
      ['specialist', '/api/v1/complaints?limit=50&state=received'],
      ['specialist', '/api/v1/complaints?limit=50&order=due'],
      ['agent', '/api/v1/complaints?limit=50&mine=first_responder'],
      ['agent2', '/api/v1/complaints?limit=50'],
      ['deptmanager', '/api/v1/complaints?limit=50'],
    ];
    const queueOp = (n: number) => {
      const [u, path] = queues[n % queues.length]!;
      return expect(http.send('GET', path, { token: tokens[u] }), [200], `queue ${path}`, `${u} ${path.replace('/api/v1/complaints?limit=50', '') || 'first page'}`);
    };
    let intakeN = 1000;
    const intakeOp = (client: number) => {
      const n = intakeN++;
      return expect(http.send('POST', '/api/v1/complaints', { token: client % 2 ? tokens.agent2 : tokens.agent, body: intakeBody(n), headers: { 'idempotency-key': `bench-${stamp}-${n}` } }), [201], 'intake');
    };
    // Matching texts: real complaints of the sample (those the bulk seed also drew its cases from, so similar cases exist).
    const matchTexts = readSampleTexts()
      .filter((_, k) => k % 97 === 5)
      .slice(0, 16)
      .map((x) => x.text);
    const searches = ['漏水', '退款', '洗发水 编号 7', 'KS-2026-5000042', '屏幕 划痕'];
    const scenarios: { name: string; op: (client: number, n: number) => Promise<string | void>; stop?: () => boolean }[] = [
      { name: 'sign-in', op: () => expect(http.send('POST', '/api/v1/auth/login', { body: { username: 'agent', password: 'kesu-demo' } }), [200], 'sign-in') },
      { name: 'queue page', op: (_c, n) => queueOp(n) },
      {
        name: 'search',
        op: (_c, n) => {
          const q = searches[n % searches.length]!;
          return expect(http.send('GET', `/api/v1/complaints?limit=50&text=${encodeURIComponent(q)}`, { token: tokens.specialist }), [200], 'search', `specialist text=${q}`);
        },
      },
      { name: 'case detail', op: () => expect(http.send('GET', `/api/v1/complaints/${pick(detailPool)}`, { token: tokens.agent }), [200], 'detail') },
      { name: 'action: note', op: (_c, n) => expect(http.send('POST', `/api/v1/complaints/${pick(detailPool)}/actions/note`, { token: tokens.agent, body: { text: `回访记录 ${n}` } }), [200], 'note') },
      {
        name: 'action: judge',
        op: () => expect(http.send('POST', `/api/v1/complaints/${judgePool[judged++]}/actions/judge`, { token: tokens.specialist, body: { valid: true } }), [200], 'judge'),
        stop: () => judged >= judgePool.length,
      },
      {
        // What the intake screen sends for a typed number (web/src/modules/intake/CallerHistoryPanel.tsx), as the agent and as the specialist.
        name: 'caller lookup',
        op: async (_c, n) => {
          const g = callers.samples[n % callers.samples.length]!;
          const user = Math.floor(n / callers.samples.length) % 2 ? 'agent' : 'specialist';
          const phone = g.phones[Math.floor(n / (2 * callers.samples.length)) % g.phones.length]!;
          const r = await http.send('GET', `/api/v1/callers/history?phone=${encodeURIComponent(phone)}`, { token: tokens[user] });
          if (r.status !== 200) throw new Error(`caller lookup: ${r.status} ${r.text.slice(0, 200)}`);
          const total = (JSON.parse(r.text) as { counts: { total: number } }).counts.total;
          if (user === 'specialist' && total !== Math.min(g.cases, 1000)) throw new Error(`caller lookup ${g.label}: the specialist found ${total} cases`);
          return `${user} ${g.label}`;
        },
      },
      {
        // The physical limit beside it, through the same driver: the key's index probe alone, and the probe joined to the 50 newest bodies.
        name: 'caller lookup (raw SQL)',
        op: async (_c, n) => {
          const g = callers.samples[n % callers.samples.length]!;
          const phone = g.phones[Math.floor(n / (2 * callers.samples.length)) % g.phones.length]!;
          const key = hashTerm(contactKey, { kind: 'phone', value: phone }).key;
          const p = engine === 'sqlite' ? '?' : '$1';
          if (Math.floor(n / callers.samples.length) % 2) {
            await store!.query(`select complaint_id from contact_keys where key = ${p}`, [key]);
            return `contact_keys probe: ${g.label}`;
          }
          await store!.query(`select c.body from contact_keys k join complaints c on c.id = k.complaint_id where k.key = ${p} order by c.received_at desc, c.id desc limit 50`, [key]);
          return `probe + 50 newest bodies: ${g.label}`;
        },
      },
      {
        // What the intake screen sends as the description is typed (相似经验与案例), as the agent and as the specialist.
        name: 'matching',
        op: async (_c, n) => {
          const text = matchTexts[n % matchTexts.length]!;
          const user = Math.floor(n / matchTexts.length) % 2 ? 'agent' : 'specialist';
          const r = await http.send('POST', '/api/v1/knowledge/match', { token: tokens[user], body: { text } });
          if (r.status !== 200) throw new Error(`matching: ${r.status} ${r.text.slice(0, 200)}`);
          const m = JSON.parse(r.text) as { articles: unknown[]; cases: unknown[] };
          if (user === 'specialist' && articleCount && !m.articles.length) throw new Error(`matching: no article for ${text}`);
          return `${user} matching`;
        },
      },
      {
        // Its physical limit through the same driver: the candidate queries alone (articles sharing a word; the newest 200 resolved cases sharing one, read
        // as the server reads them — SQLite's bounded walk of the index, PostgreSQL's dense walk — with their stored match tokens), no visibility, no ranking.
        name: 'matching (raw SQL)',
        op: async (_c, n) => {
          const toks = matchTokens(matchTexts[n % matchTexts.length]!);
          if (!toks.length) return 'no tokens';
          const ph = (k: number) => (engine === 'sqlite' ? '?' : `$${k}`);
          const list = toks.map((_, k) => ph(k + 1)).join(', ');
          await store!.query(`select article_id, token, tf from knowledge_tokens where token in (${list})`, toks);
          const states = RESOLVED_STATES.map((s) => `'${s}'`).join(', ');
          if (engine === 'sqlite')
            await store!.query(
              `select c.id, c.category, c.body, t.terms from (select rowid as r, complaint_id from complaint_search where complaint_search match ? order by rowid desc limit ${SIMILAR_WALK}) m cross join complaints c left join complaint_terms t on t.complaint_id = c.id where c.id = m.complaint_id and c.state in (${states}) order by m.r desc limit 200`,
              [toks.map((t) => `"${t}"`).join(' OR ')],
            );
          else
            await store!.query(
              `select id, category, body, (select t.terms from complaint_terms t where t.complaint_id = complaints.id) as terms from complaints where state in (${states}) and (select to_tsvector('simple', s.tokens) from complaint_search s where s.complaint_id = complaints.id) @@ to_tsquery('simple', $1) order by received_at desc, id desc limit 200`,
              [toks.map((t) => `'${t}'`).join(' | ')],
            );
          return 'article tokens + 200 newest resolved cases sharing a word, with their stored tokens';
        },
      },
      { name: 'intake', op: (c) => intakeOp(c) },
    ];
    const results: EngineResult['scenarios'] = [];
    for (const s of scenarios.filter((x) => (x.name === 'intake' ? !readsOnly : !only || only.includes(x.name.replace(' (raw SQL)', '')))))
      for (const clients of clientLevels) {
        const backlogAtStart = await settle(store);
        const cpu0 = cpuOf(kesu.pid);
        const stats = await drive({ clients, seconds, op: s.op, stop: s.stop });
        const cpu: CpuPerOp = cpuPerOp(cpu0, cpuOf(kesu.pid), stats.ok);
        if (s.name === 'intake') {
          const left = await settle(store);
          cpu.withDelivery = { ...cpuPerOp(cpu0, cpuOf(kesu.pid), stats.ok), drained: left === 0 };
        }
        results.push({ name: s.name, clients, backlogAtStart, stats, cpu });
        log(`${engine}: ${s.name.padEnd(14)} ${String(clients).padStart(3)} clients  ${fmtStats(stats)}  ${fmtCpu(cpu)}${backlogAtStart ? `  (outbox backlog at start: ${backlogAtStart})` : ''}`);
        if (s.name.startsWith('caller lookup') || s.name.startsWith('matching')) for (const [tag, t] of Object.entries(stats.byTag ?? {})) log(`${engine}:   ${tag}: p50 ${ms(t.p50)} p95 ${ms(t.p95)} p99 ${ms(t.p99)} ms (${t.ok})`);
      }

    // The burst: intakes from 8 clients while 4 others read queues (none with --reads-only).
    await settle(store);
    const burstCpu0 = cpuOf(kesu.pid);
    let burstDone = false;
    const readers = drive({ clients: BURST_READERS, seconds: 3600, op: (_c, n) => queueOp(n), stop: () => burstDone || readsOnly });
    const intakes = await drive({ clients: BURST_CLIENTS, seconds: 3600, maxOps: readsOnly ? 0 : burstCount, op: (c) => intakeOp(c) });
    burstDone = true;
    const queue = await readers;
    const burstCpu = cpuPerOp(burstCpu0, cpuOf(kesu.pid), intakes.ok);
    const backlogAfter = await backlog(store);
    log(`${engine}: burst of ${burstCount} intakes (${BURST_CLIENTS} clients): ${fmtStats(intakes)}  ${fmtCpu(burstCpu)} (queue pages included)`);
    log(`${engine}: queue pages meanwhile (${BURST_READERS} clients): ${fmtStats(queue)}; outbox backlog after: ${backlogAfter}`);

    await new Promise((r) => setTimeout(r, smoke ? 500 : 5000));
    const rss = rssOf(kesu.pid);
    log(`${engine}: RSS after the run ${rss.rssMiB.toFixed(0)} MiB (peak ${rss.peakMiB.toFixed(0)} MiB)`);
    const delivered = { mails: sinks.mails, sms: sinks.sms, outbox: await outboxCounts(store) };
    await store.close();
    store = null;
    http.close();
    const stopAt = performance.now();
    const code = await kesu.stop();
    const stopSeconds = (performance.now() - stopAt) / 1000;
    log(`${engine}: SIGTERM → exit in ${stopSeconds.toFixed(1)} s${code === 0 ? '' : ` (exit ${code}: killed after the grace period; see ${kesu.logFile})`}`);
    await sinks.close();
    await place.drop();

    // The physical limit: the same rows into a fresh database of the same engine, no HTTP.
    const raw = readsOnly ? [] : await measureRaw(engine, templates);
    const ratios = (readsOnly ? [] : clientLevels).map((clients) => {
      const k = results.find((r) => r.name === 'intake' && r.clients === clients)!.stats;
      const r = raw.find((x) => x.clients === clients && x.counter) ?? raw[0]!;
      return { clients, kesuPerSecond: k.perSecond, rawPerSecond: r.stats.perSecond, ratio: k.perSecond / r.stats.perSecond, rawClients: r.connections };
    });
    const profileLines = profDir ? summariseProfile(profDir, 30) : undefined;
    return {
      engine,
      server: { mode: serverMode, rssAfterStartMiB: rssAfterStart, rssAfterRunMiB: rss.rssMiB, peakRssMiB: rss.peakMiB, logFile: kesu.logFile, stopSeconds, exitCode: code },
      seeded: seedCount,
      rowsPerCase,
      scenarios: results,
      burst: { intakes, queue, backlogAfter, cpu: burstCpu },
      raw,
      ratios,
      delivered,
      profile: profileLines,
    };
  } finally {
    if (store) await store.close().catch(() => {});
    http.close();
    await kesu.stop().catch(() => {});
    await sinks.close().catch(() => {});
    await place.drop().catch(() => {});
  }
}

async function measureRaw(engine: Engine, templates: CaseRows[]): Promise<EngineResult['raw']> {
  const place = await freshPlace(engine, 'raw');
  try {
    const database = openDatabase({ databaseUrl: place.databaseUrl, dataDir: place.dataDir });
    await migrateToLatest(database.db);
    await database.close();
    // SQLite has one writer: more clients only queue, so the raw limit is measured with one.
    const levels = engine === 'sqlite' ? [1] : clientLevels;
    const seedStore = openRows(engine, place, 2);
    await seedHistory(seedStore, templates, seedCount, { prefix: '5' });
    await seedStore.analyze();
    await seedStore.close();
    const out: EngineResult['raw'] = [];
    let n = 0;
    const variants = levels.flatMap((clients) =>
      clients > 1
        ? [
            { clients, counter: true },
            { clients, counter: false },
          ]
        : [{ clients, counter: true }],
    );
    for (const { clients, counter } of variants) {
      const store = openRows(engine, place, clients);
      // The bench's own CPU (it runs the raw insert in-process; on PostgreSQL the server's CPU is not in it).
      const cpu0 = process.cpuUsage();
      const stats = await drive({ clients, seconds, op: () => store.insertCase(cloneCase(templates[n % templates.length]!, n++, { prefix: '7' }), { counter }) });
      const used = process.cpuUsage(cpu0);
      const cpuMsPerCase = stats.ok ? (used.user + used.system) / 1000 / stats.ok : NaN;
      await store.close();
      out.push({ clients, connections: clients, counter, stats, cpuMsPerCase });
      log(`${engine}: raw insert    ${String(clients).padStart(3)} ${engine === 'sqlite' ? 'writer ' : 'conns  '}  ${fmtStats(stats)}  CPU ${ms(cpuMsPerCase)} ms/case${counter ? '' : '  (without the case number)'}`);
    }
    return out;
  } finally {
    await place.drop();
  }
}

// --- output --------------------------------------------------------------------------------------

const ms = (x: number) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(2) : x.toFixed(1)) : '–');
function fmtStats(s: Stats): string {
  return `${s.ok} ok${s.errors ? ` ${s.errors} errors (${s.firstError})` : ''} in ${s.seconds.toFixed(1)} s = ${s.perSecond.toFixed(1)}/s  p50 ${ms(s.p50)} p95 ${ms(s.p95)} p99 ${ms(s.p99)} ms`;
}

function fmtCpu(c: CpuPerOp): string {
  const d = c.withDelivery;
  return `server CPU ${ms(c.processMs)} ms/op (main thread ${ms(c.mainMs)})${d ? `, with the delivery of its messages ${ms(d.processMs)} (main ${ms(d.mainMs)})${d.drained ? '' : ' [outbox not drained]'}` : ''}`;
}

function table(results: EngineResult[]): string {
  const lines: string[] = [];
  lines.push('| engine | measure | clients | ops/s | p50 ms | p95 ms | p99 ms | errors |', '|---|---|---|---|---|---|---|---|');
  for (const e of results) {
    for (const s of e.scenarios) lines.push(`| ${e.engine} | ${s.name} | ${s.clients} | ${s.stats.perSecond.toFixed(1)} | ${ms(s.stats.p50)} | ${ms(s.stats.p95)} | ${ms(s.stats.p99)} | ${s.stats.errors} |`);
    for (const r of e.raw)
      lines.push(
        `| ${e.engine} | raw insert of the same rows${r.counter ? '' : ', without the case number'} | ${r.clients} | ${r.stats.perSecond.toFixed(1)} | ${ms(r.stats.p50)} | ${ms(r.stats.p95)} | ${ms(r.stats.p99)} | ${r.stats.errors} |`,
      );
    lines.push(
      `| ${e.engine} | burst: ${e.burst.intakes.ok} intakes | ${BURST_CLIENTS} | ${e.burst.intakes.perSecond.toFixed(1)} | ${ms(e.burst.intakes.p50)} | ${ms(e.burst.intakes.p95)} | ${ms(e.burst.intakes.p99)} | ${e.burst.intakes.errors} |`,
    );
    lines.push(`| ${e.engine} | queue pages during the burst | ${BURST_READERS} | ${e.burst.queue.perSecond.toFixed(1)} | ${ms(e.burst.queue.p50)} | ${ms(e.burst.queue.p95)} | ${ms(e.burst.queue.p99)} | ${e.burst.queue.errors} |`);
  }
  lines.push('', '| engine | request (1 client; and during the burst) | n | p50 ms | p95 ms | p99 ms | during the burst: p50 / p99 ms |', '|---|---|---|---|---|---|---|');
  for (const e of results)
    for (const name of ['queue page', 'search', 'caller lookup', 'caller lookup (raw SQL)', 'matching', 'matching (raw SQL)']) {
      const s = e.scenarios.find((x) => x.name === name && x.clients === Math.min(...clientLevels));
      for (const [tag, t] of Object.entries(s?.stats.byTag ?? {})) {
        const b = e.burst.queue.byTag?.[tag];
        lines.push(`| ${e.engine} | ${tag} | ${t.ok} | ${ms(t.p50)} | ${ms(t.p95)} | ${ms(t.p99)} | ${b ? `${ms(b.p50)} / ${ms(b.p99)}` : ''} |`);
      }
    }
  lines.push('', '| engine | intake clients | Kesu intake/s | raw insert/s | ratio Kesu/raw | server CPU ms per intake: process / main thread | with the delivery of its messages |', '|---|---|---|---|---|---|---|');
  for (const e of results)
    for (const r of e.ratios) {
      const c = e.scenarios.find((x) => x.name === 'intake' && x.clients === r.clients)!.cpu;
      const d = c.withDelivery;
      lines.push(
        `| ${e.engine} | ${r.clients} | ${r.kesuPerSecond.toFixed(1)} | ${r.rawPerSecond.toFixed(1)}${r.rawClients !== r.clients ? ` (${r.rawClients} writer)` : ''} | ${r.ratio.toFixed(3)} | ${ms(c.processMs)} / ${ms(c.mainMs)} | ${d ? `${ms(d.processMs)} / ${ms(d.mainMs)}${d.drained ? '' : ' (not drained)'}` : ''} |`,
      );
    }
  lines.push('', '| engine | idle RSS after start | idle RSS after the run | peak RSS | queue p99 during the burst | mails / SMS delivered | outbox at the end |', '|---|---|---|---|---|---|---|');
  for (const e of results)
    lines.push(
      `| ${e.engine} | ${e.server.rssAfterStartMiB.toFixed(0)} MiB | ${e.server.rssAfterRunMiB.toFixed(0)} MiB | ${e.server.peakRssMiB.toFixed(0)} MiB | ${ms(e.burst.queue.p99)} ms | ${e.delivered.mails} / ${e.delivered.sms} | ${Object.entries(
        e.delivered.outbox,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')} |`,
    );
  return lines.join('\n');
}

// --- main ----------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const engines: Engine[] = engineArg === 'both' ? ['sqlite', 'postgres'] : [engineArg as Engine];
  if (engines.includes('postgres') && !(await postgresAvailable())) {
    if (process.env.KESU_REQUIRE_PG === '1') throw new Error(`KESU_REQUIRE_PG=1 but PostgreSQL does not answer at ${PG_ADMIN_URL}`);
    console.log(`# SKIPPED PostgreSQL: no PostgreSQL at ${PG_ADMIN_URL} (set KESU_REQUIRE_PG=1 to make this an error)`);
    engines.splice(engines.indexOf('postgres'), 1);
  }
  if (serverMode === 'dist') ensureBuilt(log);
  const fsync = fsyncLatency(smoke ? 50 : 200);
  const machine = { host: hostname(), cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverage: loadavg(), fdatasyncMs: fsync };
  const settings = { smoke, seconds, clients: clientLevels, seed: seedCount, burst: burstCount, burstClients: BURST_CLIENTS, burstReaders: BURST_READERS, server: serverMode, serverEnv };
  log(
    `bench:http ${JSON.stringify(settings)} on ${machine.host} (${machine.cpus} cores, load average ${machine.loadAverage.map((x) => x.toFixed(1)).join(' ')}; 4 KiB write+fdatasync p50 ${fsync.p50.toFixed(2)} ms, p95 ${fsync.p95.toFixed(2)} ms)`,
  );
  const results: EngineResult[] = [];
  for (const e of engines) results.push(await runEngine(e));
  const report = { date: new Date().toISOString(), machine: { ...machine, loadAverageAtEnd: loadavg() }, settings, results };
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\n${table(results)}\n`);
  for (const e of results) if (e.profile) console.log(`# ${e.engine}: server CPU profile, top self time\n${e.profile.join('\n')}\n`);
  for (const e of results) for (const r of e.ratios) console.log(`ratio ${e.engine} intake ${r.clients} client(s): ${r.ratio.toFixed(3)}`);
  console.log(`RESULT ${out}`);
}

await main();

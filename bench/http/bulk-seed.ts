/**
 * A bulk seed of history for the read scenarios of bench/http.ts at 1 M cases (issue 13: caller
 * lookup and matching at scale). bench/http/rows.ts clones a template's every row case by case
 * (20 000 cases in ~16 s, 200 000 in 6–8 min); this writes only what the read paths read, in
 * big multi-row inserts, so `--seed 1000000 --bulk` takes minutes:
 *
 * - `complaints` — built by the server's own `newComplaintRow` from a template case's body with
 *   a new id, number, time, caller, first responder, text and (for most cases) a resolved state;
 * - `complaint_participants` — the domain's `participantsOf` of that body (the need-to-know rows);
 * - `complaint_search` — `searchTokens(searchText(case))`, what intake indexes;
 * - `complaint_terms` — `caseMatchTerms(case)` (title and description), what intake stores;
 * - `contact_keys` — `contactTermsOf(case)` hashed under the server's key (`hashTerm`);
 * - `case_facts` — the template's row with the clone's id, number, state, times and people.
 *
 * Not written: events, clocks, outbox, access log, idempotency keys, audit heads (the lookups
 * and matching read none of them; the write scenarios keep the cloning seed). So a bulk-seeded
 * database is for read measurements only, and the audit chain of these cases is absent.
 *
 * The descriptions are real complaint texts (../shared/data/zh-consumer-complaints-sample.csv,
 * 1 743 texts, case i gets text i mod n; its title carries its number), so the full-text index has the word
 * distribution of real complaints instead of the eight sentences of intake-body.ts.
 *
 * Durability is off while seeding (SQLite `synchronous = OFF`, PostgreSQL `synchronous_commit =
 * off`): a crash only loses the seed; the measurements run on the server's own settings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { uuidv7 } from '../../src/services/ids.js';
import { hashTerm } from '../../src/services/contact-keys.js';
import { contactTermsOf } from '../../src/domain/complaint/contact.js';
import { participantsOf } from '../../src/domain/permissions/relations.js';
import { newComplaintRow, searchText } from '../../src/store/complaint.repository.js';
import { caseTermsRow } from '../../src/store/case-terms.repository.js';
import { searchTokens } from '../../src/search/tokenize.js';
import { caseMatchTerms, caseMatchText, storeTerms } from '../../src/knowledge/case-terms.js';
import { articleText, type ArticleContent } from '../../src/services/knowledge.js';
import type { Complaint, State } from '../../src/domain/complaint/types.js';
import type { Engine } from './server.js';
import type { CaseRows, Row } from './rows.js';

export const SAMPLE_CSV = join(new URL('../../..', import.meta.url).pathname, 'shared', 'data', 'zh-consumer-complaints-sample.csv');

/** The texts (and their source categories) of a small CSV with a header and RFC 4180 quoting. */
export function readSampleTexts(path = SAMPLE_CSV): { category: string; text: string }[] {
  const src = readFileSync(path, 'utf8');
  const records: string[][] = [];
  let field = '';
  let rec: string[] = [];
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') ((field += '"'), i++);
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') (rec.push(field), (field = ''));
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      (rec.push(field), records.push(rec), (rec = []), (field = ''));
    } else field += ch;
  }
  if (field || rec.length) (rec.push(field), records.push(rec));
  const [header, ...rows] = records;
  const ti = header!.indexOf('text');
  const ci = header!.indexOf('category');
  return rows.filter((r) => r[ti]).map((r) => ({ category: r[ci] ?? '', text: r[ti]! }));
}

/**
 * Of every 10 cases: 2 still open (the template's state), 1 answered, 1 followed up, 6 closed —
 * counted on i / 3, so the demo agent's share (every 20th case) gets resolved cases too.
 */
function stateOf(i: number): State | null {
  const r = Math.floor(i / 3) % 10;
  return r < 2 ? null : r === 2 ? 'answered' : r === 3 ? 'followed_up' : 'closed';
}

/** Tokens of the real texts, cut once each (jieba is most of a case's build time). */
const textTokens = new Map<string, string[]>();

/** The tokens of one line of a case's text, cut once per sample text. */
function lineTokens(line: string, description: string): string[] {
  let ts = line === description ? textTokens.get(line) : undefined;
  if (!ts) {
    ts = searchTokens(line);
    if (line === description) textTokens.set(line, ts);
  }
  return ts;
}

/** The tokens of these lines in order, deduplicated: what jieba gives for them joined by line breaks. */
function linesTokens(lines: readonly string[], description: string): string[] {
  const out = new Set<string>();
  for (const line of lines) for (const t of lineTokens(line, description)) out.add(t);
  return [...out];
}

/**
 * `searchTokens(searchText(c))` with the description's tokens cut once per text: the parts of
 * `searchText` are lines, and jieba never joins words across a line break, so the tokens of the
 * whole are those of the lines in order, deduplicated (`bulkSeed` checks this on its first cases).
 */
export function caseTokens(c: Complaint): string[] {
  return linesTokens(searchText(c).split('\n'), c.description);
}

/** `caseMatchTerms(c)` (title and description, the stored match tokens) the same way. */
export function caseTerms(c: Complaint): string[] {
  return linesTokens(caseMatchText(c).split('\n'), c.description);
}

export interface BulkCase {
  complaint: Row;
  participants: Row[];
  tokens: string;
  terms: { complaint_id: string; terms: string };
  contactKeys: Row[];
  facts: Row[];
}

/** Case i of the bulk history, built from template `t` (a case the server created). */
export function bulkCase(t: CaseRows, i: number, opts: { receivedAt: Date; firstResponder?: string; phone: string; key: Buffer; text: string }): BulkCase {
  const tb = JSON.parse(t.complaint.body as string) as Complaint;
  const at = opts.receivedAt.toISOString();
  const id = uuidv7(opts.receivedAt.getTime());
  const year = /^KS-(\d{4})-/.exec(tb.number)?.[1] ?? '2026';
  const state = stateOf(i);
  const handler = `bench-handler-${i % 100}`;
  const c: Complaint = {
    ...tb,
    id,
    number: `KS-${year}-5${String(i).padStart(6, '0')}`,
    title: `历史投诉 ${i}`,
    description: opts.text,
    complainant: { ...tb.complainant, name: `客户${i}`, phone: opts.phone, email: `h${i}@example.com` },
    references: { ...tb.references, order: `OD-H${i}` },
    firstResponderId: opts.firstResponder ?? tb.firstResponderId,
    receivedAt: at,
    updatedAt: at,
    ...(state
      ? {
          state,
          primaryHandlerId: handler,
          validity: { valid: true, malicious: false },
          answer: { text: '已联系客户说明情况并按规定处理，客户认可处理结果', method: 'phone', written: false, answeredBy: handler, answeredAt: at },
        }
      : {}),
  };
  const keys = new Map<string, string>();
  for (const term of contactTermsOf(c)) {
    const k = hashTerm(opts.key, term);
    keys.set(k.key, k.kind);
  }
  const facts = (t.rest.case_facts ?? []).map((r) => ({
    ...r,
    complaint_id: id,
    number: c.number,
    state: c.state,
    received_at: at,
    first_responder_id: c.firstResponderId,
    handler_id: c.primaryHandlerId,
    ...(state ? { answered_at: at, first_answered_at: at, valid: 1, closed_at: state === 'closed' ? at : null } : {}),
  }));
  return {
    complaint: newComplaintRow(c, []) as unknown as Row,
    terms: caseTermsRow(c, caseTerms(c)),
    participants: participantsOf(c).map((p) => ({ complaint_id: id, user_id: p.userId, relation: p.row })),
    tokens: caseTokens(c).join(' '),
    contactKeys: [...keys].map(([key, kind]) => ({ key, complaint_id: id, kind })),
    facts,
  };
}

/** Article k of a synthetic library: a real text as its symptom, steps and a script line. */
export function bulkArticle(k: number, sample: { category: string; text: string }, at: string, editor: string): { article: Row; version: Row; tokens: Row[] } {
  const content: ArticleContent = {
    title: `${sample.category || '消费'}问题处理 ${k}`,
    symptom: sample.text,
    cause: '商家或物流环节未按约定履行',
    steps: ['核实订单与凭证', '联系商家或承运方说明情况', '按规定办理退换货或补偿并回访客户'],
    scripts: ['您好，您反映的情况我们已经记录，会尽快核实并给您答复。'],
    category: null,
    products: [],
    policyId: null,
    status: 'published',
  };
  const tokens = searchTokens(articleText(content));
  const tf = new Map<string, number>();
  for (const tok of tokens) tf.set(tok, (tf.get(tok) ?? 0) + 1);
  const id = uuidv7(Date.parse(at) + k);
  return {
    article: { id, current_version: 1, status: 'published', category: null, title: content.title, token_count: tokens.length, source_complaint_id: null, created_by: editor, created_at: at, updated_at: at },
    version: { article_id: id, version: 1, document: JSON.stringify(content), edited_by: editor, edited_by_name: 'bench', edited_at: at, note: null },
    tokens: [...tf].map(([token, n]) => ({ token, article_id: id, tf: n })),
  };
}

interface BulkWriter {
  insert(table: string, rows: Row[]): Promise<void>;
  /** The FTS rows; SQLite answers the rowid of each (for `complaints.search_rowid`). */
  search(rows: { complaint_id: string; tokens: string }[]): Promise<number[] | null>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  close(): Promise<void>;
}

function sqliteWriter(dataDir: string): BulkWriter {
  const db = new SQLite(join(dataDir, 'kesu.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('busy_timeout = 30000');
  db.pragma('cache_size = -200000');
  const stmts = new Map<string, SQLite.Statement>();
  const prep = (text: string) => stmts.get(text) ?? stmts.set(text, db.prepare(text)).get(text)!;
  let nextRowid = Number((db.prepare('select max(rowid) as m from complaint_search').get() as { m: number | null }).m ?? 0);
  const insertChunk = (table: string, cols: string[], rows: Row[]) => {
    const text = `insert into ${table} (${cols.join(', ')}) values ${rows.map(() => `(${cols.map(() => '?').join(', ')})`).join(', ')}`;
    prep(text).run(...rows.flatMap((r) => cols.map((c) => r[c] ?? null)));
  };
  const insertAll = (table: string, rows: Row[]) => {
    if (!rows.length) return;
    const cols = Object.keys(rows[0]!);
    const per = Math.max(1, Math.min(500, Math.floor(30000 / cols.length)));
    for (let i = 0; i < rows.length; i += per) insertChunk(table, cols, rows.slice(i, i + per));
  };
  return {
    async insert(table, rows) {
      insertAll(table, rows);
    },
    async search(rows) {
      const ids = rows.map(() => ++nextRowid);
      insertAll(
        'complaint_search',
        rows.map((r, k) => ({ rowid: ids[k]!, complaint_id: r.complaint_id, tokens: r.tokens })),
      );
      return ids;
    },
    async begin() {
      db.exec('begin immediate');
    },
    async commit() {
      db.exec('commit');
    },
    async close() {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}

async function postgresWriter(databaseUrl: string): Promise<BulkWriter> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('set synchronous_commit = off');
  const insertAll = async (table: string, rows: Row[]) => {
    if (!rows.length) return;
    const cols = Object.keys(rows[0]!);
    const per = Math.max(1, Math.min(2000, Math.floor(60000 / cols.length)));
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per);
      let n = 0;
      const text = `insert into ${table} (${cols.join(', ')}) values ${chunk.map(() => `(${cols.map(() => `$${++n}`).join(', ')})`).join(', ')}`;
      await client.query(
        text,
        chunk.flatMap((r) => cols.map((c) => r[c] ?? null)),
      );
    }
  };
  return {
    insert: insertAll,
    async search(rows) {
      await insertAll('complaint_search', rows);
      return null;
    },
    begin: async () => void (await client.query('begin')),
    commit: async () => void (await client.query('commit')),
    close: () => client.end(),
  };
}

/**
 * Seeds `count` cases (and `articles` published articles) as described above; case i is from
 * `phoneOf(i)`, received over the past `days` days in order of i, one in `agentShare` with the
 * template's agent as first responder and the others with one of `agents` synthetic agents (as
 * `seedHistory`). Answers the seconds spent.
 */
export async function bulkSeed(
  engine: Engine,
  place: { dataDir: string; databaseUrl?: string },
  templates: CaseRows[],
  count: number,
  opts: { key: Buffer; phoneOf: (i: number) => string; articles?: number; days?: number; now?: Date; agentShare?: number; agents?: number; batch?: number; log?: (s: string) => void },
): Promise<void> {
  const texts = readSampleTexts();
  const share = opts.agentShare ?? 20;
  const agents = opts.agents ?? 300;
  const now = (opts.now ?? new Date()).getTime();
  const span = (opts.days ?? 60) * 86400_000;
  const batch = opts.batch ?? 5000;
  const w = engine === 'sqlite' ? sqliteWriter(place.dataDir) : await postgresWriter(place.databaseUrl!);
  const started = performance.now();
  try {
    for (let start = 0; start < count; start += batch) {
      const cs: BulkCase[] = [];
      for (let i = start; i < Math.min(count, start + batch); i++)
        cs.push(
          bulkCase(templates[i % templates.length]!, i, {
            receivedAt: new Date(now - span + Math.floor((i / count) * (span - 3600_000))),
            firstResponder: i % share === 0 ? undefined : `bench-agent-${i % agents}`,
            phone: opts.phoneOf(i),
            key: opts.key,
            text: texts[i % texts.length]!.text,
          }),
        );
      // The cached cut must be the server's: compare with searchTokens(searchText(case)) on the first batch.
      if (start === 0)
        for (const c of cs.slice(0, 200)) {
          const full = searchTokens(searchText(JSON.parse(c.complaint.body as string) as Complaint)).join(' ');
          if (full !== c.tokens) throw new Error(`bulk seed: cached tokens differ for ${c.complaint.number}: ${c.tokens} / ${full}`);
          const terms = storeTerms(caseMatchTerms(JSON.parse(c.complaint.body as string) as Complaint));
          if (terms !== c.terms.terms) throw new Error(`bulk seed: cached match terms differ for ${c.complaint.number}: ${c.terms.terms} / ${terms}`);
        }
      await w.begin();
      const rowids = await w.search(cs.map((c) => ({ complaint_id: c.complaint.id as string, tokens: c.tokens })));
      await w.insert(
        'complaints',
        cs.map((c, k) => (rowids ? { ...c.complaint, search_rowid: rowids[k]! } : c.complaint)),
      );
      await w.insert(
        'complaint_participants',
        cs.flatMap((c) => c.participants),
      );
      await w.insert(
        'complaint_terms',
        cs.map((c) => c.terms),
      );
      await w.insert(
        'contact_keys',
        cs.flatMap((c) => c.contactKeys),
      );
      await w.insert(
        'case_facts',
        cs.flatMap((c) => c.facts),
      );
      await w.commit();
      if (opts.log && (start / batch) % 20 === 19) opts.log(`${engine}: bulk seed ${start + cs.length} cases in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    const articles = opts.articles ?? 0;
    const at = new Date(now - span).toISOString();
    for (let start = 0; start < articles; start += 1000) {
      const as = Array.from({ length: Math.min(1000, articles - start) }, (_, k) => bulkArticle(start + k, texts[(start + k) % texts.length]!, at, 'bench-editor'));
      await w.begin();
      await w.insert(
        'knowledge_articles',
        as.map((a) => a.article),
      );
      await w.insert(
        'knowledge_versions',
        as.map((a) => a.version),
      );
      await w.insert(
        'knowledge_tokens',
        as.flatMap((a) => a.tokens),
      );
      await w.commit();
    }
  } finally {
    await w.close();
  }
}

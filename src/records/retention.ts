/**
 * Retention (issue 15 §2; docs/operations.md "Retention and legal hold"): which archived cases
 * have outlived the retention of the **active** policy (a lengthened retention protects existing
 * cases at once; `retentionDaysOf` in domain/policy/retention.ts is the one rule: the grade's
 * days, else the kind's, else the default), counted from archiving, and that no legal hold
 * covers — and the pass that purges them, a small batch at a time, a group of cases per short
 * transaction (records/retention-purge.ts). The dry run lists the same, changes nothing, and
 * also names the expired cases a hold keeps. The cases are purged in groups per transaction
 * (sized to a time budget, records/purge-group-size.ts, or of `group` cases), set-based
 * (records/retention-purge.ts `purgeCases`: one statement per table for the group); a failing
 * group is redone case by case.
 *
 * The clock starts at the case's `archivedAt`, which decides exactly. For a case handled in Kesu
 * that is the archive transition, its last write (`updated_at`); for a case imported from a
 * ledger it is the ledger's closing date (records/import/build.ts), years before the import that
 * wrote its row. The SQL selects the candidates on the closing time the facts keep
 * (`case_facts.closed_at`, the ledger's for an imported case) — never later than the archiving,
 * so a superset — or, without one, on `updated_at`; it walks the `(state, id)` index and reads
 * each case's facts row by its key. A case imported before this rule is found at once: its
 * facts row has held the ledger's closing time since the import.
 */
import { sql } from 'kysely';
import type { App } from '../services/app.js';
import type { Complaint } from '../domain/complaint/types.js';
import { retentionDaysOf, type Retention, type RetentionMode } from '../domain/policy/retention.js';
import { heldIds, holdsCovering } from '../store/legal-hold.repository.js';
import { deleteStagedFiles, purgeCases } from './retention-purge.js';
import type { PurgeRow } from '../audit/purge.js';
import { GroupSize, PURGE_GROUPS } from './purge-group-size.js';

const DAY = 86_400_000;

export interface ExpiredCase {
  id: string;
  number: string;
  kind: string;
  grade: string | null;
  archivedAt: string;
  /** The retention that applied, in days, and which rule gave it. */
  days: number;
  rule: 'grade' | 'kind' | 'default';
  expiredAt: string;
  mode: RetentionMode;
  /** Holds in force that keep it (dry run only; a held case is never purged). */
  heldBy: string[];
}

export interface PurgeOptions {
  /** Cases read per batch (default 200, the largest group). */
  batch?: number;
  /**
   * Cases purged per transaction: one commit for the group; a failure retries its cases one by
   * one. Default: sized to a time budget per group (records/purge-group-size.ts, 50–200 cases).
   */
  group?: number;
  /** Most cases purged per pass (default 5000); the rest waits for the next pass. */
  maxCases?: number;
  /** List only: change nothing. */
  dryRun?: boolean;
  /** Stop between cases when this says so (shutdown). */
  stopped?: () => boolean;
  /** Called after each committed purge, before its files are deleted (tests inject a crash here). */
  afterCase?: (id: string) => void | Promise<void>;
}

export interface PurgeResult {
  policyKey: string | null;
  mode: RetentionMode | null;
  /** Purged (or, in a dry run, to be purged). */
  purged: ExpiredCase[];
  /** Expired but kept by a legal hold. */
  held: ExpiredCase[];
  /** Cases whose purge failed (rolled back; retried by the next pass), so one bad case never blocks the rest. */
  failed: { id: string; error: string }[];
  /** Files deleted from the disk. */
  filesDeleted: number;
  /** The pass stopped at `maxCases` or was stopped with cases still to look at. */
  more: boolean;
}

/** The case's archiving time from its body; null when the body cannot be read (its purge then fails alone, reported). */
function archivedAtOf(body: string): string | null {
  try {
    return (JSON.parse(body) as Complaint).archivedAt;
  } catch {
    return null;
  }
}

/** No later than the case's archiving (see the top of this file): what the candidates are selected on. */
const closedBy = sql<string>`coalesce(f.closed_at, complaints.updated_at)`;

function ruleOf(r: Retention, c: { grade: string | null; kind: string }): ExpiredCase['rule'] {
  if (c.grade && r.byGrade[c.grade] !== undefined) return 'grade';
  return r.byKind[c.kind as keyof Retention['byKind']] !== undefined ? 'kind' : 'default';
}

/** The purge record's reason: the rule, the days and the dates. */
export function purgeReason(e: ExpiredCase): string {
  const what = e.rule === 'grade' ? `grade ${e.grade}` : e.rule === 'kind' ? `kind ${e.kind}` : 'default';
  return `retention expired: ${what}, ${e.days} days after archiving on ${e.archivedAt} (expired ${e.expiredAt})`;
}

export async function runPurge(app: App, opts: PurgeOptions = {}): Promise<PurgeResult> {
  const policy = await app.activePolicy();
  const retention = policy.retention;
  const policyKey = `${policy.id}@${policy.version}`;
  const result: PurgeResult = { policyKey: retention ? policyKey : null, mode: retention?.mode ?? null, purged: [], held: [], failed: [], filesDeleted: 0, more: false };
  const dataDir = app.settings.channels.dataDir;
  // Files a crashed run staged go first.
  if (!opts.dryRun) result.filesDeleted += await deleteStagedFiles(app, dataDir);
  if (!retention) return result;
  const now = app.now();
  const shortest = Math.min(retention.defaultDays, ...Object.values(retention.byGrade), ...Object.values(retention.byKind).filter((d): d is number => d !== undefined));
  const cutoff = new Date(now.getTime() - shortest * DAY).toISOString();
  const batch = opts.batch ?? PURGE_GROUPS.max;
  const sizer = opts.group ? null : new GroupSize();
  const maxCases = opts.maxCases ?? 5000;
  let after = '';
  for (;;) {
    const a = after;
    const rows = await app.database.db
      .selectFrom('complaints')
      .leftJoin('case_facts as f', 'f.complaint_id', 'complaints.id')
      .select(['complaints.id', 'complaints.number', 'complaints.kind', 'complaints.grade', 'complaints.updated_at', 'complaints.body'])
      .where('complaints.state', '=', 'archived')
      .where(closedBy, '<=', cutoff)
      .where('complaints.id', '>', a)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('purge_records as p').select('p.seq').whereRef('p.complaint_id', '=', 'complaints.id'))))
      .orderBy('complaints.id')
      .limit(batch)
      .execute();
    if (!rows.length) return result;
    after = rows[rows.length - 1]!.id;
    const expired: ExpiredCase[] = [];
    for (const r of rows) {
      const archivedAt = archivedAtOf(r.body) ?? r.updated_at;
      const days = retentionDaysOf(retention, r)!;
      const expiredAt = new Date(new Date(archivedAt).getTime() + days * DAY).toISOString();
      if (expiredAt <= now.toISOString()) expired.push({ id: r.id, number: r.number, kind: r.kind, grade: r.grade, archivedAt, days, rule: ruleOf(retention, r), expiredAt, mode: retention.mode, heldBy: [] });
    }
    const held = await heldIds(
      app.database.db,
      expired.map((e) => e.id),
    );
    const todo: ExpiredCase[] = [];
    let stop = false;
    for (const e of expired) {
      if (held.has(e.id)) {
        if (opts.dryRun) e.heldBy = await holdsCovering(app.database.db, e.id);
        result.held.push(e);
        continue;
      }
      if (opts.stopped?.() || result.purged.length + todo.length >= maxCases) {
        result.more = true;
        stop = true;
        break;
      }
      if (opts.dryRun) result.purged.push(e);
      else todo.push(e);
    }
    for (let i = 0; i < todo.length;) {
      if (i > 0 && opts.stopped?.()) {
        result.more = true;
        return result;
      }
      const cases = todo.slice(i, i + (sizer?.next() ?? Math.max(1, opts.group!)));
      const started = performance.now();
      await purgeGroup(app, cases, policyKey, dataDir, result, opts);
      sizer?.took(cases.length, performance.now() - started);
      i += cases.length;
      // A turn of the event loop between groups: requests waiting (an intake on SQLite's one
      // connection) run before the next group's transaction, not after the whole pass.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (stop) return result;
  }
}

/**
 * Purges `cases` in one transaction (records/retention-purge.ts `purgeCases`); when that fails,
 * one case at a time, so a case whose purge fails is rolled back and reported alone. After the
 * commit, case by case: `afterCase`, then the files its purge staged are deleted.
 */
async function purgeGroup(app: App, cases: ExpiredCase[], policyKey: string, dataDir: string, result: PurgeResult, opts: PurgeOptions): Promise<void> {
  const order = (e: ExpiredCase) => ({ complaintId: e.id, mode: e.mode, reason: purgeReason(e), policyKey });
  let done: (PurgeRow | null)[];
  try {
    done = await purgeCases(app, cases.map(order));
  } catch (groupError) {
    if (cases.length === 1) {
      result.failed.push({ id: cases[0]!.id, error: groupError instanceof Error ? groupError.message : String(groupError) });
      app.log.error({ err: groupError, complaintId: cases[0]!.id }, 'retention purge of a case failed; retried next pass');
      return;
    }
    for (const e of cases) await purgeGroup(app, [e], policyKey, dataDir, result, opts);
    return;
  }
  for (let i = 0; i < cases.length; i++) {
    const row = done[i];
    if (!row) continue; // another instance has it, or a hold came in meanwhile
    const e = cases[i]!;
    result.purged.push(e);
    await opts.afterCase?.(e.id);
    if ((JSON.parse(row.counts) as { files?: number }).files) result.filesDeleted += await deleteStagedFiles(app, dataDir);
  }
}

/** Policy versions. Cases keep the key of the version they started under; versions are never edited. */
import { AppError, fieldProblem } from '../domain/errors.js';
import type { Policy } from '../domain/policy/index.js';
import { policyKey } from '../domain/policy/index.js';
import type { Executor } from './db.js';

export async function savePolicyVersion(db: Executor, p: Policy, sourceText: string, at: string, activate: boolean): Promise<{ key: string; created: boolean }> {
  const key = policyKey(p);
  const existing = await db.selectFrom('policies').select(['key', 'document', 'source_text']).where('key', '=', key).executeTakeFirst();
  // A stored version is never replaced: the same id@version with other rules would otherwise
  // activate the stored document while the caller believes theirs is in force. The same rules
  // again (a roll-back, a re-upload) activate the stored version — the same text counts as the
  // same rules even if a later release reads it with more defaults.
  if (existing && existing.document !== JSON.stringify(p) && existing.source_text !== sourceText)
    throw new AppError('conflict', 'policy version stored with other content', [
      fieldProblem(
        'version',
        `版本“${key}”已存在且内容不同：请为修改后的制度另起一个版本号`,
        `Version "${key}" is already stored with other rules: give the changed policy a new version label`,
        `版本「${key}」已存在且內容不同：請為修改後的制度另起一個版本號`,
      ),
    ]);
  if (!existing)
    await db
      .insertInto('policies')
      .values({ key, policy_id: p.id, version: p.version, document: JSON.stringify(p), source_text: sourceText, active: 0, created_at: at })
      .execute();
  if (activate) {
    await db.updateTable('policies').set({ active: 0 }).where('active', '=', 1).execute();
    await db.updateTable('policies').set({ active: 1 }).where('key', '=', key).execute();
  }
  return { key, created: !existing };
}

export async function getPolicy(db: Executor, key: string): Promise<Policy | null> {
  const r = await db.selectFrom('policies').select('document').where('key', '=', key).executeTakeFirst();
  return r ? (JSON.parse(r.document) as Policy) : null;
}

export async function getActivePolicy(db: Executor): Promise<Policy | null> {
  const r = await db.selectFrom('policies').select('document').where('active', '=', 1).executeTakeFirst();
  return r ? (JSON.parse(r.document) as Policy) : null;
}

export async function listPolicies(db: Executor): Promise<{ key: string; active: boolean; createdAt: string }[]> {
  const rows = await db.selectFrom('policies').select(['key', 'active', 'created_at']).orderBy('created_at').execute();
  return rows.map((r) => ({ key: r.key, active: Number(r.active) === 1, createdAt: r.created_at }));
}

/**
 * The active version's key, or null when none is stored. `lock` on PostgreSQL: the row is locked
 * for the transaction, so a concurrent activation waits and then finds another key (SQLite
 * serialises writers).
 */
export async function getActivePolicyKey(db: Executor, opts: { lock?: 'postgres' | 'sqlite' } = {}): Promise<string | null> {
  let q = db.selectFrom('policies').select('key').where('active', '=', 1);
  if (opts.lock === 'postgres') q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r?.key ?? null;
}

/** The active version's key and the text it was uploaded as (what a console edit starts from). */
export async function getActivePolicySource(db: Executor): Promise<{ key: string; text: string } | null> {
  const r = await db.selectFrom('policies').select(['key', 'source_text']).where('active', '=', 1).executeTakeFirst();
  return r ? { key: r.key, text: r.source_text } : null;
}

/** Whether a version with this key is stored. */
export async function hasPolicyVersion(db: Executor, key: string): Promise<boolean> {
  return !!(await db.selectFrom('policies').select('key').where('key', '=', key).executeTakeFirst());
}

/**
 * Policy files: presets shipped in policies/, files given on the command line, and uploads.
 * A new version is stored beside the old ones; cases keep the version they started under.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRESET_FILES, parsePolicyText, type Policy, type PolicyProblem } from '../domain/policy/index.js';
import { AppError, fieldProblem } from '../domain/errors.js';
import { getActivePolicy, getActivePolicyKey, savePolicyVersion } from '../store/policy.repository.js';
import { bumpCacheStamp, readCacheStamp } from '../store/cache-stamp.repository.js';
import type { Executor } from '../store/db.js';
import { upsertDepartment } from '../store/user.repository.js';
import type { App } from './app.js';

/** The repository root (works from src/ under tsx and from dist/ when built). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function resolvePolicyPath(idOrFile: string): string {
  const preset = PRESET_FILES[idOrFile];
  if (preset) return join(PACKAGE_ROOT, preset);
  return resolve(idOrFile);
}

export function readPolicyFile(idOrFile: string): { text: string; format: 'yaml' | 'json'; path: string } {
  const path = resolvePolicyPath(idOrFile);
  if (!existsSync(path)) throw new AppError('not_found', `policy file ${idOrFile} (looked for ${path})`);
  return { text: readFileSync(path, 'utf8'), format: path.endsWith('.json') ? 'json' : 'yaml', path };
}

export function parseOrThrow(text: string, format?: 'yaml' | 'json'): Policy {
  const r = parsePolicyText(text, format);
  if (!r.ok) throw new AppError('policy_invalid', `${r.problems.length} problem(s)`, r.problems.map(toField), { problems: r.problems });
  return r.policy;
}

function toField(p: PolicyProblem) {
  return { path: p.path || '(document)', message: { 'zh-CN': p.message['zh-CN'], 'zh-TW': p.message['zh-TW'] ?? p.message['zh-CN'], en: p.message.en } };
}

/**
 * Validates, stores and activates a policy version; its departments become known departments.
 * Bumps the policies' cache stamp in the same transaction, so every instance of the database
 * switches to the new version (within its stamp check interval; this one at once).
 */
export async function activatePolicy(
  app: App,
  text: string,
  format?: 'yaml' | 'json',
  opts: {
    /** Refuse (conflict) unless this version is still the active one: an edit derived from it (services/departments.ts). */
    basedOn?: string;
    /** More writes in the same transaction (an audit event), given the stored version's key. */
    within?: (trx: Executor, key: string) => Promise<void>;
  } = {},
): Promise<{ key: string; created: boolean; policy: Policy }> {
  const policy = parseOrThrow(text, format);
  const at = app.now().toISOString();
  const r = await app.database.db.transaction().execute(async (trx) => {
    if (opts.basedOn !== undefined && (await getActivePolicyKey(trx, { lock: app.database.dialect })) !== opts.basedOn)
      throw new AppError('conflict', 'the active policy changed meanwhile', [fieldProblem('policy', '制度已被他人更新，请刷新后重试', 'The policy was changed meanwhile: reload and try again', '制度已被他人更新，請重新整理後再試')]);
    const saved = await savePolicyVersion(trx, policy, text, at, true);
    await opts.within?.(trx, saved.key);
    for (const d of policy.departments) await upsertDepartment(trx, d.code, d.name['zh-CN'], at);
    await bumpCacheStamp(trx, 'policies');
    return saved;
  });
  app.invalidateActivePolicy();
  return { ...r, policy };
}

/** What `app.activePolicy` keeps between requests (services/app.ts). */
export interface ActivePolicyCache {
  /** The active policy, or null when none is stored. */
  get(db: Executor): Promise<Policy | null>;
  /** Forget it at once (this instance activated another version). */
  invalidate(): void;
}

/**
 * The active policy, parsed once per version instead of read and parsed on every intake
 * (issue 9). Whether another version became active — through another instance or `kesu` on the
 * command line — is learnt from the policies' cache stamp, read at most once per
 * `cacheCheckMs`; the stamp is read before the policy, so the copy kept is never older than the
 * stamp it is kept at.
 */
export function activePolicyCache(cacheCheckMs: number): ActivePolicyCache {
  let cached: Policy | null = null;
  let stamp: number | null = null;
  let stampReadAt = -Infinity;
  // A load started before an invalidation must not be kept.
  let generation = 0;
  return {
    async get(db) {
      if (stamp === null || performance.now() - stampReadAt >= cacheCheckMs) {
        const readAt = performance.now();
        const current = await readCacheStamp(db, 'policies');
        stampReadAt = Math.max(stampReadAt, readAt);
        if (current !== stamp) {
          stamp = current;
          cached = null;
          generation += 1;
        }
      }
      if (cached) return cached;
      const built = generation;
      const p = await getActivePolicy(db);
      if (p && built === generation) cached = p;
      return p;
    },
    invalidate() {
      cached = null;
      stampReadAt = -Infinity;
      generation += 1;
    },
  };
}

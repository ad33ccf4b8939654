/**
 * Publishing a policy edited in the console's forms (issue 14 §10), and the version history.
 *
 * The console sends the whole draft document and the key of the version it was derived from; the
 * draft is validated by the same reader as an upload and `kesu policy check` (`parsePolicyText`),
 * stored as YAML text and activated through `activatePolicy` — so departments, the cache stamp and
 * the cases' policy keys follow as for any version. Who published is an audit event
 * (`policy_published`) written in the same transaction; uploads write one too.
 *
 * A draft must carry a version label of its own: an existing `id@version` would otherwise
 * re-activate the stored document under that key instead of the draft.
 */
import { stringify } from 'yaml';
import { AppError, fieldProblem } from '../domain/errors.js';
import { policyKey, type Policy } from '../domain/policy/index.js';
import { getActivePolicyKey, getPolicy, hasPolicyVersion, listPolicies } from '../store/policy.repository.js';
import { insertAuthEvent, type AuthEventKind } from '../store/login-throttle.repository.js';
import type { Executor } from '../store/db.js';
import { activatePolicy, parseOrThrow } from './policies.js';
import type { App } from './app.js';
import { uuidv7 } from './ids.js';

/** How a version came to be published: a file upload, the console's policy editor, a department edit. */
export type PublishedVia = 'upload' | 'editor' | 'department';

/** The audit event of a publication, in the activating transaction. */
export async function recordPublication(app: App, trx: Executor, actorId: string, key: string, from: string | null, via: PublishedVia): Promise<void> {
  const now = app.now();
  await insertAuthEvent(trx, { id: uuidv7(now.getTime()), at: now.toISOString(), kind: 'policy_published', username: null, address: null, actorId, detail: { policy: key, from, via } });
}

/** The document without its version label, for "did anything change". */
function withoutVersion(p: Policy): string {
  const { version: _v, ...rest } = p;
  return JSON.stringify(rest);
}

/** The draft as the checker reads it; its problems are refused under `document.<path>` (the body's field). */
function checked(text: string): Policy {
  try {
    return parseOrThrow(text, 'yaml');
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'policy_invalid') throw e;
    throw new AppError(
      e.code,
      e.detail,
      e.fields.map((f) => ({ ...f, path: f.path === '(document)' ? 'document' : `document.${f.path}` })),
      e.extra,
    );
  }
}

/**
 * Validates and activates a draft derived from the active version `basedOn`. Refuses (nothing
 * written): problems of the checker (422, each under its path), a version label already stored,
 * a draft that changes nothing, or an active version other than `basedOn` (409).
 */
export async function publishDraft(app: App, actorId: string, draft: Record<string, unknown>, basedOn: string): Promise<{ key: string; created: boolean }> {
  const text = stringify(draft, { lineWidth: 0 });
  const policy = checked(text);
  const db = app.database.db;
  const activeKey = await getActivePolicyKey(db);
  if (activeKey !== basedOn)
    throw new AppError('conflict', 'the active policy changed meanwhile', [
      fieldProblem('basedOn', `当前启用的版本已不是 ${basedOn}：请重新载入后再编辑`, `The active version is no longer ${basedOn}: reload and edit again`, `目前啟用的版本已不是 ${basedOn}：請重新載入後再編輯`),
    ]);
  const key = policyKey(policy);
  if (await hasPolicyVersion(db, key))
    throw new AppError('conflict', 'version label taken', [
      fieldProblem('document.version', `版本号“${policy.version}”已经用过：请另起一个`, `Version "${policy.version}" is already stored: choose another label`, `版本號「${policy.version}」已經用過：請另起一個`),
    ]);
  const active = activeKey ? await getPolicy(db, activeKey) : null;
  if (active && withoutVersion(active) === withoutVersion(policy))
    throw new AppError('invalid_input', 'nothing changed', [fieldProblem('document', '草稿与启用的版本相同：没有要发布的修改', 'The draft is the same as the active version: nothing to publish', '草稿與啟用的版本相同：沒有要發佈的修改')]);
  const r = await activatePolicy(app, text, 'yaml', { basedOn, within: (trx, k) => recordPublication(app, trx, actorId, k, basedOn, 'editor') });
  app.log.info({ audit: 'auth.policy_published', actorId, policy: r.key, from: basedOn }, 'policy published from the editor');
  return { key: r.key, created: r.created };
}

export interface PolicyVersionEntry {
  key: string;
  version: string;
  active: boolean;
  createdAt: string;
  /** The last time this version was made active by someone, with who and how; null before history was recorded (or by `kesu`/the first start). */
  publishedAt: string | null;
  publishedBy: { id: string; username: string; name: string } | null;
  via: PublishedVia | null;
}

const DEPARTMENT_KINDS: AuthEventKind[] = ['department_created', 'department_changed', 'department_deactivated', 'department_reactivated', 'department_deleted'];

/** Every stored version, newest first, with its last publication. */
export async function policyHistory(app: App): Promise<PolicyVersionEntry[]> {
  const db = app.database.db;
  const versions = await listPolicies(db);
  const events = await db
    .selectFrom('auth_events')
    .select(['at', 'kind', 'actor_id', 'detail'])
    .where('kind', 'in', ['policy_published', ...DEPARTMENT_KINDS])
    .orderBy('at')
    .orderBy('id')
    .execute();
  const last = new Map<string, { at: string; actorId: string | null; via: PublishedVia }>();
  for (const e of events) {
    const detail = JSON.parse(e.detail) as { policy?: unknown; via?: unknown };
    if (typeof detail.policy !== 'string') continue;
    const via: PublishedVia = e.kind === 'policy_published' ? (detail.via === 'editor' ? 'editor' : 'upload') : 'department';
    last.set(detail.policy, { at: e.at, actorId: e.actor_id, via });
  }
  const actorIds = [...new Set([...last.values()].flatMap((p) => (p.actorId ? [p.actorId] : [])))];
  const users = actorIds.length ? await db.selectFrom('users').select(['id', 'username', 'name']).where('id', 'in', actorIds).execute() : [];
  const byId = new Map(users.map((u) => [u.id, u]));
  return versions
    .map((v) => {
      const p = last.get(v.key);
      const u = p?.actorId ? byId.get(p.actorId) : undefined;
      return {
        key: v.key,
        version: v.key.slice(v.key.indexOf('@') + 1),
        active: v.active,
        createdAt: v.createdAt,
        publishedAt: p?.at ?? null,
        publishedBy: u ? { id: u.id, username: u.username, name: u.name } : null,
        via: p?.via ?? null,
      };
    })
    .sort((a, b) => (b.publishedAt ?? b.createdAt).localeCompare(a.publishedAt ?? a.createdAt) || Number(b.active) - Number(a.active));
}

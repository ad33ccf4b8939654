/**
 * Departments edited in the console (issue 12 §2): an administrator creates one, renames it, sets
 * its head, deactivates or reactivates it, and deletes one nothing refers to.
 *
 * The policy stays the one source of truth: every edit is a new policy version, derived from the
 * text of the active one (YAML keeps its comments: only the edited nodes change), numbered
 * `<version>-dept<n>`, validated and activated through `activatePolicy` like an upload — so the
 * `departments` table, the cache stamp and the cases' policy keys follow as they always do. The
 * audit event is written in the same transaction. Open cases keep the version they started under.
 */
import { isMap, isSeq, parseDocument } from 'yaml';
import { AppError, fieldProblem } from '../domain/errors.js';
import type { I18nText, Policy } from '../domain/policy/index.js';
import { getActivePolicySource, hasPolicyVersion } from '../store/policy.repository.js';
import { insertAuthEvent, type AuthEventKind } from '../store/login-throttle.repository.js';
import { findUserByUsername } from '../store/user.repository.js';
import { activatePolicy, parseOrThrow } from './policies.js';
import type { App } from './app.js';
import { uuidv7 } from './ids.js';

export type PolicyDepartment = Policy['departments'][number];

export interface DepartmentChange {
  name?: I18nText;
  /** A username, or null to clear. */
  head?: string | null;
  active?: boolean;
}

/** One edit of the list: the department as it ends up (null when deleted) and the audit kind. */
interface Edit {
  kind: AuthEventKind;
  code: string;
  /** The department's fields to write (undefined: remove that field), or null to delete it. */
  set: Partial<Record<'name' | 'head' | 'active', unknown>> | 'create' | 'delete';
  department: PolicyDepartment | null;
  detail: Record<string, unknown>;
}

const noPolicy = () => new AppError('conflict', 'no active policy', [fieldProblem('policy', '尚未启用制度', 'No policy is active yet', '尚未啟用制度')]);
const unknownDepartment = (code: string) => new AppError('not_found', `no department ${code}`, [fieldProblem('code', `没有部门“${code}”`, `No department "${code}"`, `沒有部門「${code}」`)]);

/** `2026.1` → `2026.1-dept1` → `2026.1-dept2` …, skipping versions already stored. */
async function nextVersion(app: App, p: Policy): Promise<string> {
  const m = /^(.*)-dept(\d+)$/.exec(p.version);
  const base = m ? m[1]! : p.version;
  for (let n = m ? Number(m[2]) + 1 : 1; ; n++) {
    const v = `${base}-dept${n}`;
    if (!(await hasPolicyVersion(app.database.db, `${p.id}@${v}`))) return v;
  }
}

/** The policy text with the edit applied and the new version; YAML comments and layout elsewhere kept. */
function rewrite(text: string, version: string, edit: Edit, index: number): string {
  const isJson = text.trimStart().startsWith('{');
  const full = edit.set === 'create' || edit.set === 'delete' ? null : edit.set;
  if (isJson) {
    const doc = JSON.parse(text) as { version: string; departments: Record<string, unknown>[] };
    doc.version = version;
    if (edit.set === 'create') doc.departments.push({ ...edit.department });
    else if (edit.set === 'delete') doc.departments.splice(index, 1);
    else
      for (const [k, v] of Object.entries(full!)) {
        if (v === undefined) delete doc.departments[index]![k];
        else doc.departments[index]![k] = v;
      }
    return `${JSON.stringify(doc, null, 2)}\n`;
  }
  const doc = parseDocument(text);
  doc.set('version', version);
  const list = doc.get('departments', true);
  if (!isSeq(list)) throw new AppError('policy_invalid', 'departments is not a list');
  if (edit.set === 'create') {
    const node = doc.createNode({ ...edit.department });
    const name = isMap(node) ? node.get('name', true) : undefined;
    if (isMap(name)) name.flow = true; // `name: { zh-CN: …, en: … }` as the presets write it
    list.add(node);
  } else if (edit.set === 'delete') list.delete(index);
  else {
    const item = list.get(index, true);
    if (!isMap(item)) throw new AppError('policy_invalid', 'a department is not a map');
    for (const [k, v] of Object.entries(full!)) {
      if (v === undefined) item.delete(k);
      else {
        const node = doc.createNode(v);
        if (isMap(node)) node.flow = true;
        item.set(k, node);
      }
    }
  }
  return doc.toString({ lineWidth: 0 });
}

async function applyEdit(app: App, actorId: string, make: (p: Policy) => Promise<Edit> | Edit): Promise<{ policyKey: string; department: PolicyDepartment | null }> {
  const source = await getActivePolicySource(app.database.db);
  if (!source) throw noPolicy();
  const current = parseOrThrow(source.text);
  const edit = await make(current);
  const index = current.departments.findIndex((d) => d.code === edit.code);
  const version = await nextVersion(app, current);
  const text = rewrite(source.text, version, edit, index);
  const r = await activatePolicy(app, text, undefined, {
    basedOn: source.key,
    within: async (trx, key) => {
      const now = app.now();
      await insertAuthEvent(trx, { id: uuidv7(now.getTime()), at: now.toISOString(), kind: edit.kind, username: null, address: null, actorId, detail: { code: edit.code, policy: key, from: source.key, ...edit.detail } });
    },
  });
  app.log.info({ audit: `auth.${edit.kind}`, actorId, code: edit.code, policy: r.key }, `department: ${edit.kind.replaceAll('_', ' ')}`);
  return { policyKey: r.key, department: r.policy.departments.find((d) => d.code === edit.code) ?? null };
}

async function assertHead(app: App, head: string | null | undefined): Promise<void> {
  if (head === undefined || head === null) return;
  const u = await findUserByUsername(app.database.db, head);
  if (!u || !u.active) throw new AppError('invalid_input', 'no such active user', [fieldProblem('head', `没有在用的用户“${head}”`, `No active user "${head}"`, `沒有在用的使用者「${head}」`)]);
}

/** What in the policy routes work to the department (a deactivated or deleted department must not receive new cases). */
function routedBy(p: Policy, code: string): string[] {
  const paths = p.categories.flatMap((c, i) => (c.department === code ? [`categories[${i}].department`] : []));
  if (p.routing.majorDepartment === code) paths.push('routing.majorDepartment');
  return paths;
}

function assertNotRouted(p: Policy, code: string, field: string): void {
  const paths = routedBy(p, code);
  if (paths.length)
    throw new AppError('conflict', 'department still routed to', [
      fieldProblem(
        field,
        `制度仍把工作分派到这个部门（${paths.join('、')}），请先修改制度`,
        `The policy still routes work to this department (${paths.join(', ')}): change the policy first`,
        `制度仍把工作分派到這個部門（${paths.join('、')}），請先修改制度`,
      ),
    ]);
}

export async function createDepartment(app: App, actorId: string, d: { code: string; name: I18nText; head?: string }) {
  await assertHead(app, d.head);
  return applyEdit(app, actorId, (p) => {
    if (p.departments.some((x) => x.code === d.code)) throw new AppError('invalid_input', 'code taken', [fieldProblem('code', `部门代码“${d.code}”已存在`, `Department code "${d.code}" already exists`, `部門代碼「${d.code}」已存在`)]);
    const department: PolicyDepartment = { code: d.code, name: d.name, ...(d.head ? { head: d.head } : {}) };
    return { kind: 'department_created', code: d.code, set: 'create', department, detail: { name: d.name, head: d.head ?? null } };
  });
}

export async function changeDepartment(app: App, actorId: string, code: string, c: DepartmentChange) {
  await assertHead(app, c.head);
  return applyEdit(app, actorId, (p) => {
    const before = p.departments.find((d) => d.code === code);
    if (!before) throw unknownDepartment(code);
    const wasActive = before.active !== false;
    if (c.active === false && wasActive) assertNotRouted(p, code, 'active');
    const set: Partial<Record<'name' | 'head' | 'active', unknown>> = {};
    const detail: Record<string, unknown> = {};
    if (c.name !== undefined && JSON.stringify(c.name) !== JSON.stringify(before.name)) {
      set.name = c.name;
      detail.name = { from: before.name, to: c.name };
    }
    if (c.head !== undefined && (c.head ?? undefined) !== before.head) {
      set.head = c.head ?? undefined;
      detail.head = { from: before.head ?? null, to: c.head };
    }
    if (c.active !== undefined && c.active !== wasActive) {
      // Active is the default: reactivating removes the field rather than writing `active: true`.
      set.active = c.active ? undefined : false;
      detail.active = { from: wasActive, to: c.active };
    }
    if (Object.keys(detail).length === 0) throw new AppError('invalid_input', 'nothing to change', [fieldProblem('name', '没有要修改的内容', 'Nothing to change', '沒有要修改的內容')]);
    const kind: AuthEventKind = detail.active ? (c.active ? 'department_reactivated' : 'department_deactivated') : 'department_changed';
    return { kind, code, set, department: null, detail };
  });
}

/** Deletes a department nothing refers to: no case, no user, no routing in the policy. Else deactivate it. */
export async function deleteDepartment(app: App, actorId: string, code: string) {
  const db = app.database.db;
  const cases = Number(
    (
      await db
        .selectFrom('complaints')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('department_code', '=', code)
        .executeTakeFirstOrThrow()
    ).n,
  );
  const users = (await db.selectFrom('users').select(['department_code', 'manager_of']).execute()).filter((u) => u.department_code === code || (JSON.parse(u.manager_of) as string[]).includes(code)).length;
  if (cases > 0 || users > 0)
    throw new AppError('conflict', 'department in use', [
      fieldProblem(
        'code',
        `有 ${cases} 件投诉和 ${users} 个用户属于这个部门：不能删除，可以停用`,
        `${cases} case(s) and ${users} user(s) belong to this department: it cannot be deleted, deactivate it instead`,
        `有 ${cases} 件投訴和 ${users} 個使用者屬於這個部門：不能刪除，可以停用`,
      ),
    ]);
  return applyEdit(app, actorId, (p) => {
    const before = p.departments.find((d) => d.code === code);
    if (!before) throw unknownDepartment(code);
    assertNotRouted(p, code, 'code');
    if (p.departments.length === 1) throw new AppError('conflict', 'last department', [fieldProblem('code', '制度至少要有一个部门', 'A policy needs at least one department', '制度至少要有一個部門')]);
    return { kind: 'department_deleted', code, set: 'delete', department: null, detail: { name: before.name } };
  });
}

/**
 * The demo organisation: the active policy (default preset unless one is active already) and
 * one user per role, all with the demo password. Idempotent: seeding twice changes nothing.
 */
import type { Role } from '../domain/complaint/types.js';
import { countUsers, insertUser } from '../store/user.repository.js';
import { getActivePolicy } from '../store/policy.repository.js';
import { activatePolicy, readPolicyFile } from './policies.js';
import { hashPassword } from './sessions.js';
import { uuidv7 } from './ids.js';
import type { App } from './app.js';

export const DEMO_PASSWORD = 'kesu-demo';

// One argon2 hash of the demo password per process (every demo user shares it): a process that
// seeds many databases — the test suite does, once per test database — hashes once. Sign-in
// still verifies it with argon2 like any other password.
let demoHash: Promise<string> | null = null;
function demoPasswordHash(): Promise<string> {
  demoHash ??= hashPassword(DEMO_PASSWORD);
  demoHash.catch(() => (demoHash = null));
  return demoHash;
}

export interface DemoUser {
  username: string;
  name: string;
  roles: Role[];
  note: string;
}

export async function seedDemo(app: App, policyIdOrFile = 'kesu-default'): Promise<{ seeded: boolean; users: DemoUser[]; policyKey: string }> {
  let policy = await getActivePolicy(app.database.db);
  let policyKey = policy ? `${policy.id}@${policy.version}` : '';
  if (!policy) {
    const f = readPolicyFile(policyIdOrFile);
    const r = await activatePolicy(app, f.text, f.format);
    policy = r.policy;
    policyKey = r.key;
  }
  const levels = policy.approval.levels.map((l) => l.code);
  // A policy without approval levels (approval is optional) gives the approvers none.
  const lowest = levels[0];
  const middle = levels[Math.min(1, levels.length - 1)];
  const highest = levels[levels.length - 1];
  const dept = policy.categories.find((c) => c.department)?.department ?? policy.departments[0]!.code;
  const users: (DemoUser & { departmentCode: string | null; managerOf: string[]; approvalLevels: string[] })[] = [
    { username: 'agent', name: '张敏', roles: ['agent'], note: '客服代表 agent (首问责任人)', departmentCode: null, managerOf: [], approvalLevels: [] },
    { username: 'agent2', name: '周洁', roles: ['agent'], note: '客服代表 agent', departmentCode: null, managerOf: [], approvalLevels: [] },
    { username: 'specialist', name: '李静', roles: ['specialist'], note: '客服中心专员 specialist', departmentCode: null, managerOf: [], approvalLevels: [] },
    { username: 'handler', name: '王强', roles: ['handler'], note: `责任部门处理人 handler (${dept})`, departmentCode: dept, managerOf: [], approvalLevels: [] },
    { username: 'handler2', name: '吴磊', roles: ['handler'], note: `次要责任人 backup handler (${dept})`, departmentCode: dept, managerOf: [], approvalLevels: [] },
    { username: 'deptmanager', name: '赵伟', roles: ['handler', 'approver'], note: `部门经理 department manager (${dept}, approves ${lowest})`, departmentCode: dept, managerOf: [dept], approvalLevels: lowest ? [lowest] : [] },
    { username: 'csmanager', name: '陈芳', roles: ['approver'], note: `客服经理 customer service manager (approves ${middle})`, departmentCode: null, managerOf: [], approvalLevels: middle ? [middle] : [] },
    { username: 'gm', name: '刘洋', roles: ['approver'], note: `总经理 general manager (approves ${highest})`, departmentCode: null, managerOf: [], approvalLevels: highest ? [highest] : [] },
    { username: 'followup', name: '孙丽', roles: ['followup'], note: '回访员 follow-up caller', departmentCode: null, managerOf: [], approvalLevels: [] },
    { username: 'admin', name: '管理员', roles: ['admin'], note: '系统管理员 admin', departmentCode: null, managerOf: [], approvalLevels: [] },
    { username: 'auditor', name: '审计员', roles: ['auditor'], note: '审计 auditor', departmentCode: null, managerOf: [], approvalLevels: [] },
  ];
  if ((await countUsers(app.database.db)) > 0) return { seeded: false, users, policyKey };
  const passwordHash = await demoPasswordHash();
  const at = app.now().toISOString();
  await app.database.db.transaction().execute(async (trx) => {
    for (const u of users)
      await insertUser(trx, {
        id: uuidv7(),
        username: u.username,
        name: u.name,
        roles: u.roles,
        departmentCode: u.departmentCode,
        managerOf: u.managerOf,
        approvalLevels: u.approvalLevels,
        locale: 'zh-CN',
        active: true,
        passwordHash,
        createdAt: at,
      });
  });
  return { seeded: true, users, policyKey };
}

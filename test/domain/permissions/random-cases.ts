/**
 * Random cases and actors for the relation tests: a small organisation (few users, few
 * departments) so that people often hold several relations to one case — handler and
 * complained-about, specialist and complained-about, manager of the department and co-handler.
 * Seeded, so a failure can be replayed with its seed.
 */
import { readFileSync } from 'node:fs';
import { STATES, ROLES, type Actor, type Complaint, type ComplaintKind, type Role } from '../../../src/domain/complaint/types.js';
import { parsePolicyText } from '../../../src/domain/policy/index.js';
import { WorkingCalendar, builtInHolidayYears } from '../../../src/domain/calendar/index.js';
import { receive } from '../../../src/domain/lifecycle/intake.js';

export type Random = () => number;

/** mulberry32: a small seeded generator, good enough for test data. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const DEPARTMENTS = ['logistics', 'after_sales', 'billing', 'stores', 'quality'];
const KINDS: ComplaintKind[] = ['complaint', 'inquiry', 'suggestion'];

export function pick<T>(r: Random, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function some<T>(r: Random, xs: readonly T[], max: number, p: number): T[] {
  if (r() >= p) return [];
  const n = 1 + Math.floor(r() * max);
  return [...new Set(Array.from({ length: n }, () => pick(r, xs)))];
}

export function userIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `u${String(i).padStart(2, '0')}`);
}

/** An actor with random roles (often none or several) and sometimes managed departments. */
export function randomActor(r: Random, id: string): Actor {
  const roles = ROLES.filter(() => r() < 0.22) as Role[];
  return { id, kind: 'user', name: id, roles, managerOf: some(r, DEPARTMENTS, 2, 0.3), approvalLevels: [] };
}

const parsed = parsePolicyText(readFileSync(new URL('../../../policies/kesu-default.yaml', import.meta.url), 'utf8'));
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const policy = parsed.policy;
const calendar = new WorkingCalendar(policy.calendar, builtInHolidayYears('CN'));

/** A case received by a random agent, with random people around it, in a random state. */
export function randomCase(r: Random, i: number, users: readonly string[]): Complaint {
  const now = new Date(Date.UTC(2026, 0, 1) + Math.floor(r() * 300 * 86_400_000));
  const agent: Actor = { id: pick(r, users), kind: 'user', name: 'agent', roles: ['agent'], managerOf: [], approvalLevels: [] };
  const { complaint } = receive(
    { channel: 'phone', kind: pick(r, KINDS), description: `case ${i}`, complainant: { anonymous: true } },
    { id: `case-${String(i).padStart(4, '0')}`, number: `KS-2026-${String(i + 1).padStart(6, '0')}` },
    { actor: agent, now, policy, calendar },
  );
  return reshuffle(r, complaint, users);
}

/** The same case with its people, department and state drawn again (a later version of it). */
export function reshuffle(r: Random, c: Complaint, users: readonly string[]): Complaint {
  const maybe = (p: number) => (r() < p ? pick(r, users) : null);
  return {
    ...c,
    state: pick(r, STATES),
    departmentCode: r() < 0.8 ? pick(r, DEPARTMENTS) : null,
    primaryHandlerId: maybe(0.7),
    backupHandlerId: maybe(0.4),
    coHandlerIds: some(r, users, 2, 0.35),
    approverIds: some(r, users, 2, 0.3),
    followUp: { ...c.followUp, callerIds: some(r, users, 2, 0.3) },
    subject: { ...c.subject, employeeIds: some(r, users, 2, 0.35) },
    extensionRequest: r() < 0.2 ? { reason: 'parts', duration: '2wd', special: false, requestedBy: c.firstResponderId, requestedAt: c.receivedAt } : null,
    version: c.version + 1,
  };
}

/**
 * Randomized cases for the roll-up tests (test/reports/rollups*.test.ts): `complaints` rows cloned
 * from one real intake with random states and dimensions, and the `case_facts`, `clock_facts`,
 * `contact_keys` and avoidance rows a history could leave — each column drawn from the values
 * the statistics tell apart, so every figure (and its edge: ties, nulls, day and window bounds)
 * has cases. Written with the columns of migration 0031 (no `rolled_day`), so the same rows serve
 * a database made before 0032.
 */
import type { Kysely } from 'kysely';
import { uuidv7 } from '../../src/store/ids.js';

/** A small deterministic generator (mulberry32). */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface Seeded {
  ids: string[];
  /** Cases a user must avoid (participant `subject`). */
  avoidedBy: { userId: string; ids: string[] };
}

/**
 * `n` cases received between `from` and `from + days`, cloned from `template` (a complaints row).
 * A case in 8 is received exactly on a local midnight (Asia/Shanghai) or a millisecond before it.
 */
export async function seedRandomCases(db: Kysely<any>, template: Record<string, unknown>, opts: { n: number; seed: number; from: string; days: number; avoider: string; firstResponder: string }): Promise<Seeded> {
  const r = rng(opts.seed);
  const start = Date.parse(opts.from);
  const body = JSON.parse(String(template.body)) as Record<string, unknown>;
  const ids: string[] = [];
  const avoided: string[] = [];
  const keys = Math.max(3, Math.floor(opts.n / 3));
  for (let i = 0; i < opts.n; i += 100) {
    const cases: Record<string, unknown>[] = [];
    const facts: Record<string, unknown>[] = [];
    const clocks: Record<string, unknown>[] = [];
    const contact: Record<string, unknown>[] = [];
    const parts: Record<string, unknown>[] = [];
    for (let j = i; j < Math.min(opts.n, i + 100); j++) {
      let t = start + r.int(opts.days * DAY);
      if (r.chance(1 / 8)) t = Math.floor((t + 8 * HOUR) / DAY) * DAY - 8 * HOUR - (r.chance(0.5) ? 1 : 0);
      const at = new Date(t).toISOString();
      const iso = (h: number) => new Date(t + h).toISOString();
      const id = uuidv7(t);
      ids.push(id);
      const number = `KS-R-${opts.seed}-${j}`;
      const kind = r.pick(['complaint', 'complaint', 'complaint', 'inquiry', 'suggestion']);
      const state = r.pick(['closed', 'closed', 'closed', 'archived', 'investigating', 'pending', 'received']);
      const settled = state === 'closed' || state === 'archived';
      const valid = r.pick([1, 1, 1, 0, null]);
      const malicious = valid === 0 && r.chance(0.4) ? 1 : 0;
      const grade = r.pick(['general', 'important', 'major', null]);
      const dept = r.pick(['customer_service', 'sales', 'operations', null]);
      const category = r.pick(['attitude', 'quality', null]);
      const channel = r.pick(['phone', 'web', 'email']);
      const closedAt = settled || r.chance(0.1) ? iso(r.int(20 * DAY)) : null;
      const answered = closedAt || r.chance(0.3) ? iso(r.int(3 * HOUR)) : null;
      const reopen = r.pick([0, 0, 0, 1, 2]);
      const firstContact = answered && reopen === 0 && r.chance(0.3) ? 1 : 0;
      const moded = closedAt && valid !== 0 && answered;
      const mode = moded ? (firstContact ? 'immediate' : reopen ? 'repeated' : r.pick(['within_limit', 'overdue'])) : null;
      // Handling times with ties, and some on the p90's rounding edges (a multiple of 18 s).
      const wms = closedAt && r.chance(0.9) ? (r.chance(0.3) ? 18_000 * r.int(400) : r.int(60) * 600_000 + r.int(3)) : null;
      const level = closedAt && r.chance(0.7) ? r.pick(['very_satisfied', 'satisfied', 'neutral', 'unsatisfied']) : null;
      const score = () => (level && r.chance(0.8) ? 1 + r.int(5) : null);
      const tier = 1 + r.int(3);
      cases.push({ ...template, id, number, kind, channel, received_at: at, state, grade, category, department_code: dept, tier, search_rowid: null, body: JSON.stringify({ ...body, id, number, kind, receivedAt: at, state }) });
      facts.push({
        complaint_id: id,
        number,
        kind,
        channel,
        policy_key: template.policy_key,
        category,
        grade,
        department_code: dept,
        customer_class: r.pick(['A', 'B', 'C', 'D', null]),
        handler_id: null,
        first_responder_id: opts.firstResponder,
        state,
        received_at: at,
        first_answered_at: answered,
        answered_at: answered,
        closed_at: closedAt,
        valid,
        invalid_reason: valid === 0 ? r.pick(['facts_contradict', 'provocation', null]) : null,
        malicious,
        routed: 1,
        first_answer_by_responder: firstContact,
        first_contact: firstContact,
        handling_mode: mode,
        handling_cycles: 1 + reopen,
        reopen_count: reopen,
        tier,
        max_tier: r.chance(0.1) ? tier : Math.max(tier, 1 + r.int(4)),
        escalations: r.int(3),
        breaches: r.int(3),
        resolve_breached: r.int(2),
        extensions: r.pick([0, 0, 1, 2]),
        special_extensions: r.pick([0, 0, 1]),
        pend_count: state === 'pending' ? 1 : 0,
        pending_since: state === 'pending' ? iso(r.int(10 * DAY)) : null,
        paused_wms: 0,
        handling_wms: wms,
        satisfaction: level,
        final_satisfaction: level && r.chance(0.9) ? level : null,
        followup_outcome: level ? (level === 'unsatisfied' ? 'unsatisfied' : 'satisfied') : null,
        score_attitude: score(),
        score_efficiency: score(),
        score_result: score(),
        updated_at: at,
      });
      for (const k of ['triage', 'resolve', 'follow_up', 'duty:report_back', 'rule:propose_30m', 'escalation']) {
        if (r.chance(0.35)) continue;
        const outcome = r.pick(['met', 'met', 'breached', 'running']);
        for (let again = 0; again < (k === 'resolve' && reopen ? 2 : 1); again++)
          clocks.push({
            complaint_id: id,
            kind: k,
            started_at: iso(again * DAY),
            cycle: 1 + again,
            status: outcome === 'running' ? 'running' : 'stopped',
            due_at: iso(DAY),
            warned_at: null,
            breached_at: outcome === 'breached' ? iso(DAY) : null,
            stopped_at: outcome === 'running' ? null : iso(HOUR),
            outcome,
            extensions: 0,
            pauses: 0,
            elapsed_wms: null,
            updated_at: at,
          });
      }
      if (r.chance(0.85)) contact.push({ key: `rk-${opts.seed}-${r.int(keys)}`, complaint_id: id, kind: r.pick(['phone', 'phone', 'email', 'order']) });
      if (r.chance(0.2)) contact.push({ key: `rk-${opts.seed}-${r.int(keys)}`, complaint_id: id, kind: 'email' });
      if (r.chance(0.05)) {
        avoided.push(id);
        parts.push({ complaint_id: id, user_id: opts.avoider, relation: 'subject' });
      } else if (r.chance(0.05)) parts.push({ complaint_id: id, user_id: opts.avoider, relation: 'handler' });
    }
    await db.insertInto('complaints').values(cases).execute();
    await db.insertInto('case_facts').values(facts).execute();
    for (let k = 0; k < clocks.length; k += 100)
      await db
        .insertInto('clock_facts')
        .values(clocks.slice(k, k + 100))
        .execute();
    if (contact.length)
      await db
        .insertInto('contact_keys')
        .values(contact)
        .onConflict((oc) => oc.doNothing())
        .execute();
    if (parts.length) await db.insertInto('complaint_participants').values(parts).execute();
  }
  return { ids, avoidedBy: { userId: opts.avoider, ids: avoided } };
}

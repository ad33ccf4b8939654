/**
 * The statistics' roll-ups (reports/rollups.ts, migration 0032) change no figure, on every engine:
 * randomized cases (rollups-fixture.ts) over October–November 2026, their figures computed from
 * the facts alone and again with the days rolled up — for the organisation, with filters, per
 * week and month, with short and long repeat windows, and as a user who must avoid some cases.
 * Then rolled-up cases change (a transition's facts, an open case closed, a duty's clock fact, a
 * case removed) and the figures follow them before and after the job's next pass. And on a
 * database made before 0032, its cases count the same once rolled up.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines, emptyDatabase, migratedFrom } from '../support/engines.js';
import { MIGRATION_NAMES, migrateToLatest } from '../../src/store/migrate.js';
import { createApp, type App } from '../../src/services/app.js';
import { activatePolicy, readPolicyFile } from '../../src/services/policies.js';
import { seedDemo } from '../../src/services/seed-demo.js';
import { receiveComplaint } from '../../src/services/receive-complaint.js';
import { actOnComplaint } from '../../src/services/act-on-complaint.js';
import { actorOf, findUserByUsername } from '../../src/store/user.repository.js';
import { statistics, type StatisticsQuery } from '../../src/reports/statistics.js';
import { rollUpReports } from '../../src/reports/rollups.js';
import { markRollupsStale, reach, recordFacts, touchRolledUp } from '../../src/store/facts.repository.js';
import { receive } from '../../src/domain/lifecycle/intake.js';
import { SYSTEM_ACTOR, type Actor, type Complaint } from '../../src/domain/complaint/types.js';
import type { Database } from '../../src/store/db.js';
import { seedRandomCases } from './rollups-fixture.js';
import { localDay } from '../../src/reports/facts.js';

const QUERIES: (Omit<StatisticsQuery, 'filters'> & { filters?: StatisticsQuery['filters']; as?: 'avoider' })[] = [
  { from: '2026-11-01', to: '2026-11-30', groupBy: 'day', repeatWindowDays: 30 },
  { from: '2026-11-01', to: '2026-11-30', groupBy: 'week', repeatWindowDays: 7, filters: { departmentCode: ['sales', 'operations'], customerClass: ['A', 'B'] } },
  { from: '2026-10-20', to: '2026-12-02', groupBy: 'month', repeatWindowDays: 400 },
  { from: '2026-11-03', to: '2026-11-17', groupBy: 'day', repeatWindowDays: 1, filters: { kind: ['complaint'], grade: ['general', 'major'], channel: ['phone'] } },
  { from: '2026-11-01', to: '2026-11-30', groupBy: 'week', repeatWindowDays: 30, as: 'avoider' },
  { from: '2026-11-01', to: '2026-11-30', groupBy: 'day', repeatWindowDays: 30, filters: { category: ['attitude'], policyKey: ['none', 'x'] } },
];

/** Every query's figures: as they come, and read from the facts alone (the roll-ups' zone taken away for the run). */
async function both(app: App, avoider: Actor) {
  const run = () => Promise.all(QUERIES.map(({ as, filters, ...q }) => statistics(app, as ? avoider : SYSTEM_ACTOR, { ...q, filters: filters ?? {} })));
  const fast = await run();
  const db = app.database.db;
  const meta = await db.selectFrom('report_rollup_meta').selectAll().execute();
  await db.deleteFrom('report_rollup_meta').execute();
  const plain = await run();
  if (meta.length) await db.insertInto('report_rollup_meta').values(meta).execute();
  return { fast, plain };
}

function assertSame(fast: unknown[], plain: unknown[], what: string) {
  fast.forEach((f, i) => assert.deepEqual(f, plain[i], `${what}: query ${i}`));
}

for (const { dialect, skip } of await engines()) {
  describe(`report roll-ups (${dialect})`, { skip }, () => {
    let database: Database;
    let drop: () => Promise<void>;
    let app: App;
    let avoider: Actor;
    let ids: string[] = [];
    before(async () => {
      ({ database, drop } = await emptyDatabase(dialect));
      await migrateToLatest(database.db);
      app = createApp(database, { now: () => new Date('2026-12-02T09:00:00+08:00') });
      const f = readPolicyFile('kesu-default');
      await activatePolicy(app, f.text, f.format);
      await seedDemo(app);
      const agent = actorOf((await findUserByUsername(database.db, 'agent'))!);
      avoider = actorOf((await findUserByUsername(database.db, 'csmanager'))!);
      await receiveComplaint(app, agent, { channel: 'phone', description: '模板', complainant: { name: '客户', phone: '13800000000' } });
      const template = await database.db.selectFrom('complaints').selectAll().executeTakeFirstOrThrow();
      ({ ids } = await seedRandomCases(database.db, template, { n: 900, seed: 11, from: '2026-10-15T00:00:00Z', days: 48, avoider: avoider.id, firstResponder: agent.id }));
    });
    after(async () => drop());

    it('gives the same figures with the days rolled up as from the facts alone', async () => {
      const before = await both(app, avoider);
      assertSame(before.fast, before.plain, 'no roll-ups yet');
      const pass = await rollUpReports(app);
      assert.ok(pass.rebuilt.length >= 40, `days rolled up: ${pass.rebuilt.length}`);
      assert.ok(!pass.rebuilt.includes('2026-12-02'), 'today is not rolled up');
      const rolled = Number(
        (
          await database.db
            .selectFrom('case_facts')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('rolled_day', 'is not', null)
            .executeTakeFirstOrThrow()
        ).n,
      );
      assert.ok(rolled > 300, `cases rolled up: ${rolled}`);
      const after = await both(app, avoider);
      assertSame(after.fast, before.plain, 'rolled up');
      assertSame(after.plain, before.plain, 'facts alone, after');
      // A second pass has nothing to do.
      assert.deepEqual((await rollUpReports(app)).rebuilt, []);
    });

    it("keeps a settled case's day rolled up when none of its figures changes (a note, closed → archived); one that changes re-rolls its day", async () => {
      const db = database.db;
      const marks = async () => (await db.selectFrom('report_rollup_marks').select('id').execute()).length;
      assert.equal(await marks(), 0);
      // A real case through the decision writer on a past day: an inquiry answered and closed on 20 November, rolled up settled.
      let now = new Date('2026-11-20T10:00:00+08:00');
      const past = createApp(database, { now: () => now });
      const agent = actorOf((await findUserByUsername(db, 'agent'))!);
      const specialist = actorOf((await findUserByUsername(db, 'specialist'))!);
      const made = await receiveComplaint(past, agent, { channel: 'phone', kind: 'inquiry', description: '咨询营业时间', complainant: { name: '客户', phone: '13800000999' } });
      const id = made.complaint.id;
      await actOnComplaint(past, agent, id, 'answer', { text: '周一至周五', method: 'phone' });
      await actOnComplaint(past, specialist, id, 'close', {});
      assert.deepEqual((await rollUpReports(app)).rebuilt, ['2026-11-20']);
      const rolledOf = () => db.selectFrom('case_facts').select(['state', 'rolled_day', 'rolled_part']).where('complaint_id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual({ ...(await rolledOf()), rolled_part: Number((await rolledOf()).rolled_part) }, { state: 'closed', rolled_day: '2026-11-20', rolled_part: 0 });
      // Later, a note and the archive: the facts row changes its state and time, no figure.
      now = new Date('2026-12-02T08:30:00+08:00');
      await actOnComplaint(past, specialist, id, 'note', { text: '客户来电致谢', internal: true });
      await actOnComplaint(past, specialist, id, 'archive', {});
      assert.deepEqual([(await rolledOf()).state, (await rolledOf()).rolled_day], ['archived', '2026-11-20']);
      assert.equal(await marks(), 0, 'no day marked');
      const kept = await both(app, avoider);
      assertSame(kept.fast, kept.plain, 'noted and archived, its day still rolled up');
      assert.deepEqual((await rollUpReports(app)).rebuilt, [], 'nothing to re-roll');

      // A figure that changes (the grade of a settled case) marks its day: read from the facts, then re-rolled.
      const settled = await db
        .selectFrom('case_facts')
        .innerJoin('complaints', 'complaints.id', 'case_facts.complaint_id')
        .select(['case_facts.complaint_id as id', 'case_facts.rolled_day as day', 'complaints.body as body'])
        .where('case_facts.rolled_day', 'is not', null)
        .where('case_facts.rolled_part', '=', 0)
        .where('complaints.state', '=', 'closed')
        .orderBy('case_facts.complaint_id', 'desc')
        .executeTakeFirstOrThrow();
      const d = JSON.parse(settled.body) as Complaint;
      const regraded = { ...d, grade: d.grade === 'important' ? 'general' : 'important', updatedAt: '2026-12-02T00:42:00.000Z' } as Complaint;
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('complaints').set({ grade: regraded.grade }).where('id', '=', d.id).execute();
        await recordFacts(trx, regraded, [{ action: 'classify', at: regraded.updatedAt, actorId: 'x', data: {} }], [], null);
      });
      assert.equal(await marks(), 1);
      const stale = await both(app, avoider);
      assertSame(stale.fast, stale.plain, 'regraded: its day read from the facts');
      assert.deepEqual((await rollUpReports(app)).rebuilt, [settled.day]);
      assert.equal(await marks(), 0);
      const again = await both(app, avoider);
      assertSame(again.fast, again.plain, 'regraded, re-rolled');
    });

    it('follows rolled-up cases that change, before and after the next pass', async () => {
      const db = database.db;
      const rolled = await db.selectFrom('case_facts').select(['complaint_id', 'rolled_day']).where('rolled_day', 'is not', null).orderBy('complaint_id').limit(6).execute();
      assert.equal(rolled.length, 6);
      const bodyOf = async (id: string) => JSON.parse((await db.selectFrom('complaints').select('body').where('id', '=', id).executeTakeFirstOrThrow()).body) as Complaint;
      // 1. A transition's facts: the case reopened and graded major (the decision writer's fold).
      const c1 = { ...(await bodyOf(rolled[0]!.complaint_id)), cycle: 3, grade: 'major', updatedAt: '2026-12-02T00:30:00.000Z' } as Complaint;
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('complaints').set({ grade: 'major' }).where('id', '=', c1.id).execute();
        await recordFacts(trx, c1, [{ action: 'reopen', at: c1.updatedAt, actorId: 'x', data: {} }], [], null);
      });
      // 2. A duty's clock fact of a rolled-up case (the duty store).
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('clock_facts')
          .values({
            complaint_id: rolled[1]!.complaint_id,
            kind: 'duty:late',
            started_at: '2026-12-01T00:00:00.000Z',
            cycle: 1,
            status: 'stopped',
            due_at: null,
            warned_at: null,
            breached_at: '2026-12-01T01:00:00.000Z',
            stopped_at: null,
            outcome: 'breached',
            extensions: 0,
            pauses: 0,
            elapsed_wms: null,
            updated_at: '2026-12-01T00:00:00.000Z',
          })
          .execute();
        await touchRolledUp(trx, rolled[1]!.complaint_id, '2026-12-02T00:00:00.000Z');
      });
      // 3. A case removed (retention purge), which also takes its contact keys out of later cases' repeat figure.
      const gone = await db.selectFrom('complaints').select(['id', 'received_at']).where('id', '=', rolled[2]!.complaint_id).executeTakeFirstOrThrow();
      await db.transaction().execute(async (trx) => {
        await markRollupsStale(trx, gone.received_at, reach(gone.received_at), '2026-12-02T00:00:00.000Z');
        await trx.deleteFrom('contact_keys').where('complaint_id', '=', gone.id).execute();
        await trx.deleteFrom('complaint_participants').where('complaint_id', '=', gone.id).execute();
        await trx.deleteFrom('complaints').where('id', '=', gone.id).execute();
      });
      assert.ok(
        Number(
          (
            await db
              .selectFrom('report_rollup_marks')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ) >= 3,
        'marks left',
      );

      const stale = await both(app, avoider);
      assertSame(stale.fast, stale.plain, 'stale days read from the facts');
      const pass = await rollUpReports(app);
      assert.ok(pass.rebuilt.length > 3, `rebuilt: ${pass.rebuilt.join(', ')}`);
      assert.deepEqual(await db.selectFrom('report_rollup_marks').selectAll().execute(), []);
      assert.deepEqual(await db.selectFrom('report_rollup_case_marks').selectAll().execute(), []);
      const again = await both(app, avoider);
      assertSame(again.fast, stale.plain, 'rebuilt');
      assert.ok(ids.length > 0);
    });

    it('takes changed open cases off their day and reads them from the facts (migration 0036)', async () => {
      const db = database.db;
      const bodyOf = async (id: string) => JSON.parse((await db.selectFrom('complaints').select('body').where('id', '=', id).executeTakeFirstOrThrow()).body) as Complaint;
      assert.deepEqual(await db.selectFrom('report_rollup_marks').selectAll().execute(), [], 'every day clean');
      const before = await both(app, avoider);
      assertSame(before.fast, before.plain, 'open cases rolled up');
      // Rolled-up open cases change (migration 0036: each marks itself, not its day): one is
      // settled, one regraded and moved to another department, one closed and then reopened, one
      // the avoider must avoid is closed, and a pending one resumed.
      const openRolled = (state: string, avoided = false) => {
        let q = db
          .selectFrom('complaints')
          .innerJoin('case_facts', 'case_facts.complaint_id', 'complaints.id')
          .select(['complaints.id'])
          .where('complaints.state', '=', state)
          .where('case_facts.rolled_part', '=', 1)
          .where('complaints.received_at', '<', '2026-11-28T00:00:00Z')
          .where('complaints.received_at', '>=', '2026-11-02T00:00:00Z')
          .where('complaints.id', avoided ? 'in' : 'not in', db.selectFrom('complaint_participants').select('complaint_id').where('user_id', '=', avoider.id).where('relation', '=', 'subject'))
          .orderBy('complaints.id');
        return q.limit(4).execute();
      };
      const investigating = await openRolled('investigating');
      const [avoidedOpen] = await openRolled('investigating', true);
      const [pending] = await openRolled('pending');
      assert.ok(investigating.length === 4 && avoidedOpen && pending, 'rolled-up open cases to change');
      const change = async (id: string, patch: Partial<Complaint>, action: string, row: Record<string, unknown>) => {
        const c = { ...(await bodyOf(id)), ...patch } as Complaint;
        await db.transaction().execute(async (trx) => {
          await trx
            .updateTable('complaints')
            .set({ ...row, body: JSON.stringify(c) })
            .where('id', '=', id)
            .execute();
          await recordFacts(trx, c, [{ action, at: c.updatedAt, actorId: 'x', data: {} }], [], null);
        });
      };
      const closing = (at: string) => ({ state: 'closed', closedAt: at, updatedAt: at }) as Partial<Complaint>;
      await change(investigating[0]!.id, closing('2026-12-01T03:00:00.000Z'), 'close', { state: 'closed' });
      await change(investigating[1]!.id, { grade: 'major', departmentCode: 'quality', updatedAt: '2026-12-01T04:00:00.000Z' } as Partial<Complaint>, 'regrade', { grade: 'major', department_code: 'quality' });
      await change(investigating[2]!.id, closing('2026-11-30T05:00:00.000Z'), 'close', { state: 'closed' });
      await change(investigating[2]!.id, { state: 'investigating', cycle: 2, updatedAt: '2026-12-01T06:00:00.000Z' } as Partial<Complaint>, 'reopen', { state: 'investigating' });
      await change(avoidedOpen!.id, closing('2026-12-01T07:00:00.000Z'), 'close', { state: 'closed' });
      await change(pending!.id, { state: 'investigating', updatedAt: '2026-12-01T08:00:00.000Z' } as Partial<Complaint>, 'resume', { state: 'investigating' });
      const caseMarks = await db.selectFrom('report_rollup_case_marks').select('complaint_id').execute();
      assert.deepEqual(caseMarks.map((m) => m.complaint_id).sort(), [investigating[0]!.id, investigating[1]!.id, investigating[2]!.id, avoidedOpen!.id, pending!.id].sort(), 'one mark per changed open case');
      const marked = await both(app, avoider);
      assertSame(marked.fast, marked.plain, 'changed open cases taken off and read from the facts');
      assert.notDeepEqual(marked.plain[0], before.plain[0], 'the changes change the figures');
      const { open, pending: pend } = marked.fast[0]!.backlog;
      assert.ok(open.ge7d > 0 && open.d3to7 > 0 && open.d1to3 > 0 && pend.ge7d + pend.d3to7 + pend.d1to3 > 0, `open cases in the backlog: ${JSON.stringify(marked.fast[0]!.backlog)}`);
      // A pass with the default threshold leaves days with a few changed cases as they are: the
      // statistics go on reading those cases from the facts, with the same figures.
      const cheap = await rollUpReports(app);
      assert.deepEqual(cheap.rebuilt, [], 'a few changed open cases rebuild no day');
      assert.equal((await db.selectFrom('report_rollup_case_marks').select('complaint_id').execute()).length, 5, 'their marks stay');
      const kept = await both(app, avoider);
      assertSame(kept.fast, marked.plain, 'marks kept, read from the facts');
      assertSame(kept.plain, marked.plain, 'facts alone, unchanged');
      // Two more open cases of one day change; with a threshold of two, the days with at least two
      // changed cases are rebuilt, and only those.
      const marks0 = new Set((await db.selectFrom('report_rollup_case_marks').select('complaint_id').execute()).map((m) => m.complaint_id));
      const unmarked = await db
        .selectFrom('complaints')
        .innerJoin('case_facts', 'case_facts.complaint_id', 'complaints.id')
        .select(['complaints.id', 'complaints.received_at'])
        .where('complaints.state', '=', 'investigating')
        .where('case_facts.rolled_part', '=', 1)
        .where('complaints.received_at', '>=', '2026-11-02T00:00:00Z')
        .where('complaints.received_at', '<', '2026-11-28T00:00:00Z')
        .orderBy('complaints.id')
        .execute();
      const byDay = new Map<string, string[]>();
      const dayOf = (at: string) => localDay(at, 'Asia/Shanghai');
      for (const r of unmarked) if (!marks0.has(r.id)) byDay.set(dayOf(r.received_at), [...(byDay.get(dayOf(r.received_at)) ?? []), r.id]);
      const [busyDay, busy] = [...byDay].find(([, xs]) => xs.length >= 2)!;
      assert.ok(busy, 'a day with two rolled-up open cases');
      await change(busy[0]!, { grade: 'important', updatedAt: '2026-12-01T09:00:00.000Z' } as Partial<Complaint>, 'regrade', { grade: 'important' });
      await change(busy[1]!, closing('2026-12-01T09:30:00.000Z'), 'close', { state: 'closed' });
      const perDay = new Map<string, number>();
      for (const m of await db.selectFrom('report_rollup_case_marks').select('received_at').execute()) perDay.set(dayOf(m.received_at), (perDay.get(dayOf(m.received_at)) ?? 0) + 1);
      const busyDays = [...perDay]
        .filter(([, n]) => n >= 2)
        .map(([d]) => d)
        .sort();
      const quietDays = [...perDay]
        .filter(([, n]) => n < 2)
        .map(([d]) => d)
        .sort();
      assert.ok(busyDays.includes(busyDay), `${busyDay} among ${busyDays.join(', ')}`);
      const changed = await both(app, avoider);
      assertSame(changed.fast, changed.plain, 'two more changed');
      const some = await rollUpReports(app, { caseMarks: { min: 2, share: 0 } });
      assert.deepEqual(some.rebuilt, busyDays, 'only the days where enough changed');
      const left = (await db.selectFrom('report_rollup_case_marks').select('received_at').execute()).map((m) => dayOf(m.received_at)).sort();
      assert.deepEqual(left, quietDays, 'the other days keep their marks');
      const partly = await both(app, avoider);
      assertSame(partly.fast, changed.plain, 'some days rebuilt, the rest read from the facts');
      const pass = await rollUpReports(app, { caseMarks: { min: 1, share: 0 } });
      assert.deepEqual(pass.rebuilt, quietDays);
      assert.deepEqual(await db.selectFrom('report_rollup_case_marks').selectAll().execute(), []);
      const again = await both(app, avoider);
      assertSame(again.fast, changed.plain, 'rebuilt');
      assertSame(again.plain, changed.plain, 'facts alone, after');
    });

    it('starts over under another time zone', async () => {
      const db = app.database.db;
      await db.updateTable('report_rollup_meta').set({ zone: 'Europe/Berlin' }).execute();
      const pass = await rollUpReports(app);
      assert.equal(pass.zone, 'Asia/Shanghai');
      assert.ok(pass.rebuilt.length >= 40);
      const after = await both(app, avoider);
      assertSame(after.fast, after.plain, 'after starting over');
    });
  });

  describe(`migration 0032 report roll-ups (${dialect})`, { skip }, () => {
    it('rolls up the cases of a database made before it, with the same figures', async () => {
      const old = await migratedFrom(dialect, '0032-report-rollups', async (o) => {
        const agent: Actor = { id: 'old-agent', kind: 'user', name: '张敏', roles: ['agent'], managerOf: [], approvalLevels: [] };
        const r = receive(
          { channel: 'phone', description: '升级前', complainant: { name: '客户' } },
          { id: '00000000-0000-7000-8000-000000000001', number: 'KS-2026-00000001' },
          { actor: agent, now: o.now, policy: o.policy, calendar: o.calendar },
        );
        await o.insertReceived(r);
        const template = await o.database.db.selectFrom('complaints').selectAll().executeTakeFirstOrThrow();
        return seedRandomCases(o.database.db, template, { n: 300, seed: 7, from: '2026-01-20T00:00:00Z', days: 40, avoider: 'old-manager', firstResponder: agent.id });
      });
      try {
        assert.deepEqual(old.ran, MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf('0032-report-rollups')));
        const avoider: Actor = { id: 'old-manager', kind: 'user', name: '陈芳', roles: ['approver'], managerOf: [], approvalLevels: [] };
        const q = { from: '2026-02-01', to: '2026-02-28', groupBy: 'week' as const, filters: {}, repeatWindowDays: 30 };
        const plain = [await statistics(old.app, SYSTEM_ACTOR, q), await statistics(old.app, avoider, q)];
        assert.equal(plain[0]!.intake.total > 100, true);
        const pass = await rollUpReports(old.app);
        assert.ok(pass.rebuilt.length >= 25, `days: ${pass.rebuilt.length}`);
        const fast = [await statistics(old.app, SYSTEM_ACTOR, q), await statistics(old.app, avoider, q)];
        assertSame(fast, plain, 'after the upgrade');
      } finally {
        await old.drop();
      }
    });
  });
}

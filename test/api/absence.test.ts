/**
 * Absences and stand-ins through the API on every engine (issue 10 item 3; 002 篇7 §三, 001 篇1
 * 二(二)), on the 2026 calendar with the test clock: the primary handler away → the backup takes
 * the case at the absence's start (an event on the timeline, a notification row); routing skips
 * the absent; a decision waiting for an absent approver goes to a stand-in of the same level; an
 * absence that ends sends the case back when the policy says so (and leaves it otherwise); bad
 * input is refused on its field in the caller's language and changes nothing; the
 * complained-about person never gets the case as a stand-in.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { sweepDeadlines } from '../../src/jobs/deadline-sweeper.js';

const HOUR = 3600_000;

/** Seed 000 with `absence.returnToPrimary: true`. */
function returningPolicyFile(): string {
  const p = parse(readFileSync(new URL('../../policies/kesu-default.yaml', import.meta.url), 'utf8'));
  p.version = '2026.1-absence-returns';
  p.absence = { returnToPrimary: true };
  const file = join(mkdtempSync(join(tmpdir(), 'kesu-policy-')), 'absence-returns.yaml');
  writeFileSync(file, stringify(p));
  return file;
}

async function intake(k: Kesu, more: Record<string, unknown> = {}): Promise<string> {
  const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '营业厅服务态度差', complainant: { name: '陈女士', phone: '13900001111' }, ...more });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.complaint.id;
}

/** A case judged, graded and routed to `primary` (and `backup`) in customer_service. */
async function routedCase(k: Kesu, primary: string, backup?: string, more: Record<string, unknown> = {}): Promise<string> {
  const id = await intake(k, more);
  const s = k.as('specialist');
  assert.equal((await s.act(id, 'judge', { valid: true })).status, 200);
  assert.equal((await s.act(id, 'classify', { category: 'attitude', grade: 'general' })).status, 200);
  const r = await s.act(id, 'route', { departmentCode: 'customer_service', primaryHandlerId: k.userIds.get(primary), ...(backup ? { backupHandlerId: k.userIds.get(backup) } : {}) });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return id;
}

async function outbox(k: Kesu, id: string, template: string): Promise<{ recipient: any; payload: any }[]> {
  const rows = await k.app.database.db.selectFrom('outbox').select(['recipient', 'payload']).where('complaint_id', '=', id).where('template', '=', template).execute();
  return rows.map((r) => ({ recipient: JSON.parse(r.recipient), payload: JSON.parse(r.payload) }));
}

/** DELETE /api/v1/absences/{id} as `user` (the test client has no DELETE; it signs in again as the client does). */
async function cancel(k: Kesu, user: string, absenceId: string, lang = 'zh-CN') {
  const send = async () => {
    // Reading /me signs in (again, after the test clock outran the session).
    assert.equal((await k.as(user).get('/api/v1/me')).status, 200);
    return k.server.inject({ method: 'DELETE', url: `/api/v1/absences/${absenceId}`, headers: { authorization: `Bearer ${k.tokens.get(user)}`, 'accept-language': lang } });
  };
  const r = await send();
  return { status: r.statusCode, body: r.json() };
}

const count = async (k: Kesu, table: 'absences' | 'absence_handovers' | 'complaint_events' | 'outbox') =>
  Number(
    (
      await k.app.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

for (const { dialect, skip } of await engines()) {
  describe(`absences and stand-ins (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      // Monday 2026-09-28 09:00 in Shanghai.
      k = await startKesu(dialect, { start: '2026-09-28T09:00:00+08:00' });
    });
    after(async () => k?.close());

    it('the primary handler away: the backup takes the case when the absence starts; routing skips the absent; the case stays after', async () => {
      const ids = Object.fromEntries(k.userIds);
      const id = await routedCase(k, 'handler', 'handler2');
      // Recorded ahead: Tuesday and Wednesday (a date alone is the whole day, in the policy's zone).
      const rec = await k.as('handler').post('/api/v1/absences', { from: '2026-09-29', to: '2026-09-30', reason: '年假' });
      assert.equal(rec.status, 201, JSON.stringify(rec.body));
      assert.deepEqual([rec.body.status, rec.body.startsAt, rec.body.endsAt, rec.body.userId], ['upcoming', '2026-09-28T16:00:00.000Z', '2026-09-30T16:00:00.000Z', ids.handler]);
      await sweepDeadlines(k.app);
      assert.equal((await k.as('specialist').get(`/api/v1/complaints/${id}`)).body.complaint.primaryHandlerId, ids.handler, 'not yet');

      k.clock.set('2026-09-29T00:00:30+08:00');
      const s = await sweepDeadlines(k.app);
      assert.ok(
        s.absences?.handedOver.some((h) => h.complaintId === id && h.duty === 'primary_handler' && h.standInId === ids.handler2),
        JSON.stringify(s.absences),
      );
      const v = (await k.as('handler2').get(`/api/v1/complaints/${id}`)).body;
      assert.equal(v.complaint.primaryHandlerId, ids.handler2);
      assert.ok(v.complaint.coHandlerIds.includes(ids.handler), 'the absent handler still sees the case');
      const e = v.timeline.find((x: any) => x.action === 'stand_in');
      assert.equal(e.actorId, 'system');
      assert.deepEqual([e.data.standIn.to, e.data.standIn.by, e.data.standIn.absence.userId], [ids.handler2, 'backup', ids.handler]);
      assert.deepEqual(
        (await outbox(k, id, 'stand_in_assigned')).map((m) => m.recipient),
        [{ userIds: [ids.handler2] }],
      );
      assert.equal((await k.as('handler2').act(id, 'accept', {})).status, 200, 'the stand-in does the handler’s work');
      const again = await sweepDeadlines(k.app);
      assert.equal(again.absences?.handedOver.length, 0, 'handed over once');

      // Who is away and who stands in; the reason only for the person (and their manager, admins).
      const away = await k.as('specialist').get('/api/v1/absences?active=1');
      assert.equal(away.status, 200, JSON.stringify(away.body));
      const listed = away.body.find((a: any) => a.id === rec.body.id);
      assert.deepEqual([listed.status, listed.reason, listed.userName], ['active', null, '王强']);
      assert.deepEqual(
        listed.handovers.map((h: any) => [h.complaintId, h.duty, h.standInId, h.standInName]),
        [[id, 'primary_handler', ids.handler2, '吴磊']],
      );
      assert.equal((await k.as('handler').get(`/api/v1/absences/${rec.body.id}`)).body.reason, '年假');

      // Routing while he is away: refused on its field (in the caller's language) while someone present could take it.
      const other = await intake(k);
      await k.as('specialist').act(other, 'judge', { valid: true });
      await k.as('specialist').act(other, 'classify', { category: 'attitude', grade: 'general' });
      const refused = await k.as('specialist').post(`/api/v1/complaints/${other}/actions/route?lang=en`, { departmentCode: 'customer_service', primaryHandlerId: ids.handler });
      assert.equal(refused.status, 400, JSON.stringify(refused.body));
      assert.deepEqual(refused.body.fields, [{ path: 'primaryHandlerId', message: 'This person is away: assign someone present' }]);
      const routed = await k.as('specialist').act(other, 'route', { departmentCode: 'customer_service', primaryHandlerId: ids.handler2, backupHandlerId: ids.deptmanager });
      assert.equal(routed.status, 200, JSON.stringify(routed.body));

      // The absence ends: under the default policy the case stays with the stand-in.
      k.clock.set('2026-10-01T00:00:30+08:00');
      const end = await sweepDeadlines(k.app);
      assert.deepEqual(end.absences?.returned, []);
      assert.equal((await k.as('handler2').get(`/api/v1/complaints/${id}`)).body.complaint.primaryHandlerId, ids.handler2);
      const over = (await k.as('handler').get(`/api/v1/absences/${rec.body.id}`)).body;
      assert.deepEqual([over.status, over.handovers[0].outcome], ['over', 'stayed']);
    });

    it('a decision waiting for an absent approver goes to a stand-in of the same level, on the timeline', async () => {
      const ids = Object.fromEntries(k.userIds);
      const created = await k.as('admin').post('/api/v1/users', { username: 'csdeputy', name: '郑敏', password: 'deputy-pass-2026', roles: ['approver'], approvalLevels: ['manager'] });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const deputy = created.body.id as string;
      // The test client signs in with the demo password: give the new approver the same hash.
      const demo = await k.app.database.db.selectFrom('users').select('password_hash').where('username', '=', 'csmanager').executeTakeFirstOrThrow();
      await k.app.database.db.updateTable('users').set({ password_hash: demo.password_hash }).where('id', '=', deputy).execute();
      const id = await routedCase(k, 'handler', 'handler2');
      const h = k.as('handler');
      await h.act(id, 'accept', {});
      await h.act(id, 'investigate', { facts: '录音属实', cause: '培训不足', responsibility: { type: 'department', departmentCode: 'customer_service' } });
      const p = await h.act(id, 'propose', { solutions: ['compensation'], amount: 1200, description: '补偿 1200 元' });
      assert.deepEqual([p.body.complaint.state, p.body.complaint.proposal.requiredLevel], ['awaiting_approval', 'manager']);

      // The customer service manager is away from now: the decision goes to the other holder of her level at once.
      const rec = await k.as('csmanager').post('/api/v1/absences', { from: k.clock.now().toISOString(), to: '2026-10-05', reason: '出差' });
      assert.equal(rec.status, 201, JSON.stringify(rec.body));
      const v = (await k.as('specialist').get(`/api/v1/complaints/${id}`)).body;
      assert.equal(v.complaint.primaryHandlerId, ids.handler, 'the case keeps its handler');
      const e = v.timeline.find((x: any) => x.action === 'stand_in');
      assert.deepEqual([e.data.standIn.duty, e.data.standIn.level, e.data.standIn.to, e.data.standIn.by], ['approval', 'manager', deputy, 'same_level']);
      assert.deepEqual(
        (await outbox(k, id, 'stand_in_approval')).map((m) => m.recipient),
        [{ userIds: [deputy] }],
      );
      const a = await k.as('csdeputy').act(id, 'approve', { comment: '同意' });
      assert.equal(a.status, 200, JSON.stringify(a.body));
      assert.equal(a.body.complaint.state, 'implementing');
    });

    it('a stand-in never gets a case they are the subject of (回避): it goes to the department head', async () => {
      const ids = Object.fromEntries(k.userIds);
      const id = await routedCase(k, 'handler', undefined, { subject: { employeeIds: [ids.handler2], description: '营业员吴磊' } });
      const rec = await k.as('handler').post('/api/v1/absences', { from: k.clock.now().toISOString(), to: '2026-10-10', reason: '病假', standInId: ids.handler2 });
      assert.equal(rec.status, 201, JSON.stringify(rec.body));
      const v = (await k.as('deptmanager').get(`/api/v1/complaints/${id}`)).body;
      assert.equal(v.complaint.primaryHandlerId, ids.deptmanager);
      const e = v.timeline.find((x: any) => x.action === 'stand_in');
      assert.deepEqual([e.data.standIn.to, e.data.standIn.by], [ids.deptmanager, 'department_manager']);
      assert.equal((await k.as('handler2').get(`/api/v1/complaints/${id}`)).status, 404, 'the subject never sees it');
      const told = (await k.app.database.db.selectFrom('outbox').select('recipient').where('complaint_id', '=', id).execute()).map((r) => r.recipient);
      assert.ok(
        told.every((r) => !r.includes(ids.handler2!)),
        'nor is told of it',
      );
      assert.equal((await cancel(k, 'handler', rec.body.id)).status, 200);
    });

    it('bad input is refused on its field in the caller’s language and changes nothing', async () => {
      const ids = Object.fromEntries(k.userIds);
      // A real absence of handler2 far ahead, to name him as an absent stand-in.
      const ahead = await k.as('handler2').post('/api/v1/absences', { from: '2026-12-01', to: '2026-12-03', reason: '婚假' });
      assert.equal(ahead.status, 201, JSON.stringify(ahead.body));
      const before = await Promise.all([count(k, 'absences'), count(k, 'absence_handovers'), count(k, 'complaint_events'), count(k, 'outbox')]);
      const refused = async (user: string, body: unknown, status: number, path: string | null, lang = 'en') => {
        const r = await k.as(user).post(`/api/v1/absences?lang=${lang}`, body);
        assert.equal(r.status, status, `${JSON.stringify(body)} → ${JSON.stringify(r.body)}`);
        if (path) assert.equal(r.body.fields[0].path, path, JSON.stringify(r.body));
        return r.body;
      };
      const en = await refused('handler', { from: '2026-10-20', to: '2026-10-19', reason: '年假' }, 400, 'to');
      assert.equal(en.fields[0].message, 'The end must be after the start');
      assert.doesNotMatch(JSON.stringify(en), /[\u4e00-\u9fff]/, 'English only');
      const zh = await refused('handler', { from: '2026-10-20', to: '2026-10-19', reason: '年假' }, 400, 'to', 'zh-CN');
      assert.equal(zh.fields[0].message, '结束时间须晚于开始时间');
      await refused('handler', { from: '下周一', to: '2026-10-19', reason: '年假' }, 400, 'from');
      await refused('handler', { from: '2026-09-01', to: '2026-09-02', reason: '年假' }, 400, 'to');
      await refused('handler', { from: '2026-10-20', to: '2026-10-21' }, 400, 'reason');
      await refused('admin', { userId: 'nobody', from: '2026-10-20', to: '2026-10-21', reason: '年假' }, 400, 'userId');
      await refused('agent', { userId: ids.handler, from: '2026-10-20', to: '2026-10-21', reason: '年假' }, 403, null);
      const absent = await refused('handler', { from: '2026-12-02', to: '2026-12-05', reason: '年假', standInId: ids.handler2 }, 400, 'standInId');
      assert.equal(absent.fields[0].message, 'The stand-in is away during this absence too');
      const dept = await refused('handler', { from: '2026-10-20', to: '2026-10-21', reason: '年假', standInId: ids.csmanager }, 400, 'standInId');
      assert.equal(dept.fields[0].message, 'The stand-in must belong to the same department');
      const level = await refused('gm', { from: '2026-10-20', to: '2026-10-21', reason: '出差', standInId: ids.csmanager }, 400, 'standInId');
      assert.equal(level.fields[0].message, "The stand-in must approve at the absent person's level (general_manager) or above");
      await refused('handler2', { from: '2026-12-02', to: '2026-12-04', reason: '重复' }, 400, 'from');
      const after = await Promise.all([count(k, 'absences'), count(k, 'absence_handovers'), count(k, 'complaint_events'), count(k, 'outbox')]);
      assert.deepEqual(after, before);

      // The department manager records for his handler; a colleague may not cancel it; the person may.
      const byManager = await k.as('deptmanager').post('/api/v1/absences', { userId: ids.handler, from: '2026-11-02', to: '2026-11-03', reason: '培训' });
      assert.equal(byManager.status, 201, JSON.stringify(byManager.body));
      assert.equal((await cancel(k, 'handler2', byManager.body.id)).status, 403);
      const c = await cancel(k, 'handler', byManager.body.id);
      assert.deepEqual([c.status, c.body.status], [200, 'cancelled']);
      assert.equal((await cancel(k, 'handler2', ahead.body.id)).body.status, 'cancelled');

      // A retry with the same Idempotency-Key records once and replays the first answer.
      const body = { from: '2026-11-09', to: '2026-11-10', reason: '体检' };
      const first = await k.as('handler2').post('/api/v1/absences', body, { 'idempotency-key': 'absence-1' });
      const again = await k.as('handler2').post('/api/v1/absences', body, { 'idempotency-key': 'absence-1' });
      assert.deepEqual([first.status, again.status, again.body.id, again.headers['idempotent-replayed']], [201, 201, first.body.id, 'true']);
      assert.equal((await k.app.database.db.selectFrom('absences').select('id').where('reason', '=', '体检').execute()).length, 1);
    });
  });

  describe(`absences under a policy that returns cases (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      k = await startKesu(dialect, { start: '2026-10-12T09:00:00+08:00', policy: returningPolicyFile() });
    });
    after(async () => k?.close());

    it('the absence ends: the case goes back to the primary handler, the stand-in is told', async () => {
      const ids = Object.fromEntries(k.userIds);
      const id = await routedCase(k, 'handler', 'handler2');
      const rec = await k.as('deptmanager').post('/api/v1/absences', { userId: ids.handler, from: '2026-10-13 09:00', to: '2026-10-13 18:00', reason: '外出培训' });
      assert.equal(rec.status, 201, JSON.stringify(rec.body));
      k.clock.set('2026-10-13T09:00:00+08:00');
      await sweepDeadlines(k.app);
      assert.equal((await k.as('handler2').get(`/api/v1/complaints/${id}`)).body.complaint.primaryHandlerId, ids.handler2);
      k.clock.set('2026-10-13T18:00:00+08:00');
      const s = await sweepDeadlines(k.app);
      assert.deepEqual(s.absences?.returned, [{ absenceId: rec.body.id, complaintId: id }]);
      const v = (await k.as('handler').get(`/api/v1/complaints/${id}`)).body;
      assert.deepEqual([v.complaint.primaryHandlerId, v.complaint.backupHandlerId], [ids.handler, ids.handler2]);
      const e = v.timeline.find((x: any) => x.action === 'return_from_absence');
      assert.deepEqual([e.data.returned.to, e.data.returned.from], [ids.handler, ids.handler2]);
      assert.ok((await outbox(k, id, 'case_assigned')).some((m) => m.recipient.userIds?.[0] === ids.handler && m.payload.returned === true));
      assert.deepEqual(
        (await outbox(k, id, 'stand_in_ended')).map((m) => m.recipient),
        [{ userIds: [ids.handler2] }],
      );
      const done = (await k.as('handler').get(`/api/v1/absences/${rec.body.id}`)).body;
      assert.deepEqual([done.status, done.handovers[0].outcome], ['over', 'returned']);
      assert.equal((await sweepDeadlines(k.app)).absences?.returned.length, 0, 'returned once');
    });

    it('cancelling a running absence ends it now: the case comes back at once', async () => {
      const ids = Object.fromEntries(k.userIds);
      const id = await routedCase(k, 'handler', 'handler2');
      const rec = await k.as('handler').post('/api/v1/absences', { from: k.clock.now().toISOString(), to: '2026-10-20', reason: '事假' });
      assert.equal(rec.status, 201, JSON.stringify(rec.body));
      assert.equal((await k.as('handler2').get(`/api/v1/complaints/${id}`)).body.complaint.primaryHandlerId, ids.handler2, 'handed over at once');
      k.clock.advance(2 * HOUR);
      const c = await cancel(k, 'handler', rec.body.id);
      assert.equal(c.status, 200, JSON.stringify(c.body));
      assert.equal(c.body.status, 'cancelled');
      // Every case of his went over (the earlier test's too) and comes back.
      assert.ok(
        c.body.handovers.some((h: any) => h.complaintId === id),
        JSON.stringify(c.body.handovers),
      );
      assert.ok(
        c.body.handovers.every((h: any) => h.outcome === 'returned'),
        JSON.stringify(c.body.handovers),
      );
      assert.equal((await k.as('handler').get(`/api/v1/complaints/${id}`)).body.complaint.primaryHandlerId, ids.handler);
      const late = await cancel(k, 'handler', rec.body.id);
      assert.equal(late.body.status, 'cancelled', 'cancelling twice answers the cancelled absence');
    });
  });
}

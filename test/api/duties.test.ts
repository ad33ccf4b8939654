/**
 * Duties through the API on every engine (issue 10 §2), on the official 2026 calendar with the
 * test clock: a duty created by `answer` is due in working time (across the National Day
 * holiday), reminded, breached and escalated when late; a report duty refuses completion without
 * its file or text (400 naming the field, nothing changes) and completes with its record as an
 * audited transition of the case; the monthly duty of the 4th is created once (moved off the
 * holiday) even with two instances; 我的待办 lists the open duties the caller owns; the on-time
 * facts count duties; the policy check names a bad duty's field.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { engines } from '../support/engines.js';
import { proposedCase, startKesu, type Kesu } from '../support/kesu.js';
import { sweepDeadlines } from '../../src/jobs/deadline-sweeper.js';
import { parsePolicyText } from '../../src/domain/policy/index.js';

const DUTIES = [
  { code: 'report_back', name: { 'zh-CN': '处理完毕反馈客户中心', 'zh-TW': '處理完畢回饋客戶中心', en: 'Report back' }, on: 'answer', owner: 'primary_handler', due: '2wh', record: 'note', remind: ['1wh'], escalateTo: 'department_manager' },
  { code: 'written_report', name: { 'zh-CN': '书面报告', 'zh-TW': '書面報告', en: 'Written report' }, on: 'answer', owner: 'primary_handler', due: '3wd', record: 'report' },
  { code: 'ledger_reminder', name: { 'zh-CN': '未了事宜提醒', 'zh-TW': '未了事宜提醒', en: 'Open matters reminder' }, schedule: { monthDay: 4, at: '09:00' }, owner: 'role:followup', due: 'eod', record: 'note' },
];

function dutiesPolicyText(extra: Record<string, unknown>[] = DUTIES): string {
  const p = parse(readFileSync(new URL('../../policies/kesu-default.yaml', import.meta.url), 'utf8'));
  p.version = '2026.1-duties';
  p.duties = extra;
  return stringify(p);
}

function dutiesPolicyFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kesu-policy-')), 'duties.yaml');
  writeFileSync(file, dutiesPolicyText());
  return file;
}

const count = async (k: Kesu, table: 'duties' | 'duty_history' | 'complaint_events' | 'outbox') =>
  Number(
    (
      await k.app.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** A case answered by `handler` at the test clock's time. */
async function answeredCase(k: Kesu): Promise<string> {
  const id = await proposedCase(k);
  const h = k.as('handler');
  assert.equal(await count(k, 'duties'), 0, 'no duty before the answer');
  const r = await h.act(id, 'answer', { text: '已致歉', method: 'phone' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return id;
}

for (const { dialect, skip } of await engines()) {
  describe(`duties (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      // Wednesday 2026-09-30 17:00 in Shanghai, the last working hour before the National Day holiday (10-01…10-07).
      k = await startKesu(dialect, { start: '2026-09-30T17:00:00+08:00', policy: dutiesPolicyFile() });
    });
    after(async () => k?.close());

    it('answer creates its duties in working time; reminded, breached and escalated; a report refuses without its file; completion is a transition', async () => {
      const ids = Object.fromEntries(k.userIds);
      const id = await answeredCase(k);
      const duties = (await k.as('handler').get(`/api/v1/complaints/${id}/duties`)).body;
      const back = duties.find((d: any) => d.code === 'report_back');
      const report = duties.find((d: any) => d.code === 'written_report');
      // 2 working hours from 17:00: 30 min on 09-30, then 08:30–10:00 on 10-08 (the holiday skipped).
      assert.deepEqual([back.dueAt, back.status, back.owner.userId, back.createdBy, back.record], ['2026-10-08T02:00:00.000Z', 'open', ids.handler, 'answer', 'note']);
      // 3 working days from 17:00 on 09-30: 10-08, 10-09 and the 调休 Saturday 10-10, at 17:00.
      assert.equal(report.dueAt, '2026-10-10T09:00:00.000Z');
      const created = await k.app.database.db.selectFrom('outbox').select(['recipient', 'template']).where('complaint_id', '=', id).where('template', '=', 'duty_assigned').execute();
      assert.deepEqual(
        created.map((m) => JSON.parse(m.recipient)),
        [{ userIds: [ids.handler] }, { userIds: [ids.handler] }],
      );

      // 我的待办: the handler owns both; the specialist none of them.
      const mine = (await k.as('handler').get('/api/v1/duties?mine=1')).body;
      assert.deepEqual(
        mine.map((d: any) => [d.code, d.number !== null]),
        [
          ['report_back', true],
          ['written_report', true],
        ],
      );
      assert.deepEqual((await k.as('specialist').get('/api/v1/duties?mine=1')).body, []);

      // The reminder 1 working hour before: 10-08 09:00.
      k.clock.set('2026-10-08T08:59:00+08:00');
      assert.deepEqual((await sweepDeadlines(k.app)).duties?.reminded, []);
      k.clock.set('2026-10-08T09:00:30+08:00');
      assert.deepEqual((await sweepDeadlines(k.app)).duties?.reminded, [back.id]);
      assert.deepEqual((await sweepDeadlines(k.app)).duties?.reminded, [], 'reminded once');
      // Late at 10:00: breached, the owner and the department manager told.
      k.clock.set('2026-10-08T10:00:30+08:00');
      assert.deepEqual((await sweepDeadlines(k.app)).duties?.breached, [back.id]);
      const overdue = await k.app.database.db.selectFrom('outbox').select(['recipient', 'payload']).where('template', '=', 'duty_overdue').execute();
      assert.deepEqual(
        overdue.map((m) => JSON.parse(m.recipient)),
        [{ userIds: [ids.handler] }, { role: 'department_manager' }],
      );
      const late = (await k.as('handler').get('/api/v1/duties?mine=1')).body.find((d: any) => d.id === back.id);
      assert.deepEqual([late.overdue, late.breachedAt !== null], [true, true]);
      const fact = await k.app.database.db.selectFrom('clock_facts').selectAll().where('complaint_id', '=', id).where('kind', '=', 'duty:report_back').executeTakeFirstOrThrow();
      assert.equal(fact.outcome, 'breached');

      // A report without its file (and without text): 400 naming the fields, in the caller's language; nothing changes.
      const before = [await count(k, 'complaint_events'), await count(k, 'duty_history'), await count(k, 'outbox')];
      const bad = await k.as('handler').post(`/api/v1/complaints/${id}/duties/${report.id}/complete?lang=en`, {});
      assert.equal(bad.status, 400, JSON.stringify(bad.body));
      assert.deepEqual(bad.body.fields, [
        { path: 'text', message: 'A written report needs its text' },
        { path: 'attachmentIds', message: 'A written report needs a file of the case' },
      ]);
      const bad2 = await k.as('handler').post(`/api/v1/complaints/${id}/duties/${report.id}/complete`, { text: '书面报告见附件' });
      assert.deepEqual([bad2.status, bad2.body.fields?.map((f: any) => [f.path, f.message])], [400, [['attachmentIds', '书面报告须附上本案的文件']]]);
      assert.deepEqual([await count(k, 'complaint_events'), await count(k, 'duty_history'), await count(k, 'outbox')], before);
      assert.equal((await k.as('handler').get(`/api/v1/complaints/${id}/duties`)).body.find((d: any) => d.id === report.id).status, 'open');

      // With a file of the case (a row as the upload endpoint writes it) the report completes, on the timeline.
      await k.app.database.db
        .insertInto('attachments')
        .values({ id: 'att-duty-1', complaint_id: id, sha256: 'a'.repeat(64), name: '书面报告.pdf', content_type: 'application/pdf', size: 1200, source: 'staff', created_at: k.app.now().toISOString() })
        .execute();
      const ok = await k.as('handler').post(`/api/v1/complaints/${id}/duties/${report.id}/complete`, { text: '书面报告见附件', attachmentIds: ['att-duty-1'] });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.deepEqual([ok.body.status, ok.body.completedBy, ok.body.result.text, ok.body.result.attachments], ['done', ids.handler, '书面报告见附件', [{ name: '书面报告.pdf', sha256: 'a'.repeat(64) }]]);
      const view = (await k.as('handler').get(`/api/v1/complaints/${id}`)).body;
      const ev = view.timeline.find((e: any) => e.action === 'complete_duty');
      assert.deepEqual([ev.actorId, ev.data.duty], [ids.handler, { id: report.id, code: 'written_report' }]);
      assert.equal(view.complaint.state, 'answered', 'no state change');
      const again = await k.as('handler').post(`/api/v1/complaints/${id}/duties/${report.id}/complete`, { text: '再次', attachmentIds: ['att-duty-1'] });
      assert.equal(again.status, 409);
      const met = await k.app.database.db.selectFrom('clock_facts').selectAll().where('complaint_id', '=', id).where('kind', '=', 'duty:written_report').executeTakeFirstOrThrow();
      assert.equal(met.outcome, 'met');
      // The late note completes too (the fact stays breached); then 我的待办 is empty.
      // Sent twice at once under one Idempotency-Key (issue 12 §5): one completion, the other replayed.
      const notes = await Promise.all([1, 2].map(() => k.as('handler').post(`/api/v1/complaints/${id}/duties/${back.id}/complete`, { text: '已电话反馈客户中心' }, { 'idempotency-key': 'duty-note-1' })));
      const note = notes.find((r) => r.headers['idempotent-replayed'] === undefined)!;
      assert.equal(note.status, 200, JSON.stringify(notes.map((r) => r.body)));
      assert.deepEqual(notes.map((r) => [r.status, r.headers['idempotent-replayed'] ?? 'ran']).sort(), [
        [200, 'ran'],
        [200, 'true'],
      ]);
      assert.deepEqual(notes[0]!.body, notes[1]!.body, 'the same answer');
      assert.deepEqual((await k.as('handler').get('/api/v1/duties?mine=1')).body, []);
      const history = await k.app.database.db.selectFrom('duty_history').select(['step']).where('duty_id', '=', back.id).orderBy('seq').execute();
      assert.deepEqual(
        history.map((h) => h.step),
        ['created', 'reminded', 'breached', 'completed'],
      );
    });

    it('the policy check names a bad duty by its path', () => {
      const bad = dutiesPolicyText([
        { ...DUTIES[0], on: 'answr', owner: 'role:boss', remind: ['3h'] },
        { ...DUTIES[2], owner: 'primary_handler' },
        { ...DUTIES[2], code: 'from_receipt', from: 'receive' },
      ]);
      const r = parsePolicyText(bad, 'yaml');
      assert.equal(r.ok, false);
      const paths = r.ok ? [] : r.problems.map((p) => p.path);
      for (const path of ['duties[0].on', 'duties[0].owner', 'duties[0].remind[0]', 'duties[1].owner', 'duties[2].from']) assert.ok(paths.includes(path), `${path} in ${paths.join(', ')}`);
    });
  });
  describe(`scheduled duties (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      // Sunday 2026-10-04 09:30 in Shanghai, inside the National Day holiday.
      k = await startKesu(dialect, { start: '2026-10-04T09:30:00+08:00', policy: dutiesPolicyFile() });
    });
    after(async () => k?.close());

    it('the monthly duty of the 4th: moved off the holiday, created once with two instances, completed on its own endpoint', async () => {
      // 2026-10-04 is in the National Day holiday: nothing yet.
      await sweepDeadlines(k.app);
      assert.equal(
        Number(
          (
            await k.app.database.db
              .selectFrom('duties')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('code', '=', 'ledger_reminder')
              .executeTakeFirstOrThrow()
          ).n,
        ),
        0,
      );
      // The next working day, 10-08 09:00 (after the tick above's October period was looked at), two instances at once.
      k.clock.set('2026-10-08T10:30:00+08:00');
      const other = await k.instance();
      try {
        // PostgreSQL: at the same time; SQLite (one writer, a synchronous driver): one after the other.
        const [a, b] = dialect === 'postgres' ? await Promise.all([sweepDeadlines(k.app), sweepDeadlines(other.app)]) : [await sweepDeadlines(k.app), await sweepDeadlines(other.app)];
        assert.equal([...(a.duties?.created ?? []), ...(b.duties?.created ?? [])].length, 1, 'created once');
      } finally {
        await other.close();
      }
      await sweepDeadlines(k.app);
      const rows = await k.app.database.db.selectFrom('duties').selectAll().where('code', '=', 'ledger_reminder').execute();
      assert.deepEqual(
        rows.map((r) => [r.period, r.created_at, r.due_at, r.owner_role, r.complaint_id]),
        [['2026-10', '2026-10-08T01:00:00.000Z', '2026-10-08T09:30:00.000Z', 'followup', null]],
      );
      const mine = (await k.as('followup').get('/api/v1/duties?mine=1')).body;
      assert.deepEqual(
        mine.map((d: any) => [d.code, d.period, d.number]),
        [['ledger_reminder', '2026-10', null]],
      );
      assert.deepEqual((await k.as('handler').get('/api/v1/duties?mine=1')).body, []);
      const refused = await k.as('followup').post(`/api/v1/duties/${rows[0]!.id}/complete?lang=en`, {});
      assert.deepEqual([refused.status, refused.body.fields], [400, [{ path: 'text', message: 'A note needs its text' }]]);
      assert.equal((await k.as('handler').post(`/api/v1/duties/${rows[0]!.id}/complete`, { text: 'x' })).status, 403, 'only its owner');
      const done = await k.as('followup').post(`/api/v1/duties/${rows[0]!.id}/complete`, { text: '已逐一电话提醒' }, { 'idempotency-key': 'ledger-reminder-1' });
      assert.equal(done.status, 200, JSON.stringify(done.body));
      // Retried under its Idempotency-Key (issue 12 §5): the first answer replayed, nothing run again.
      const retried = await k.as('followup').post(`/api/v1/duties/${rows[0]!.id}/complete`, { text: '已逐一电话提醒' }, { 'idempotency-key': 'ledger-reminder-1' });
      assert.deepEqual([retried.status, retried.headers['idempotent-replayed'], retried.body], [200, 'true', done.body]);
      const history = await k.app.database.db.selectFrom('duty_history').select(['step', 'actor_id']).where('duty_id', '=', rows[0]!.id).orderBy('seq').execute();
      assert.deepEqual(
        history.map((h) => h.step),
        ['created', 'completed'],
      );
      // November's: the 4th is a Wednesday, at 09:00.
      k.clock.set('2026-11-04T09:00:10+08:00');
      await sweepDeadlines(k.app);
      const nov = await k.app.database.db.selectFrom('duties').select(['period', 'created_at']).where('code', '=', 'ledger_reminder').where('period', '=', '2026-11').execute();
      assert.deepEqual(nov, [{ period: '2026-11', created_at: '2026-11-04T01:00:00.000Z' }]);
    });
  });
}

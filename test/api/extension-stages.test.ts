/**
 * Staged extensions through the API on every engine (issue 10 §5): a case started under a version
 * with the single extension form keeps it after a staged version is activated; a new case takes
 * the stages in order, granted at the stage's level, with the delay notice to the customer; a
 * stage for other grades and a promise already passed are refused with 422 naming `duration` in
 * the caller's language, writing nothing.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { presetText } from '../domain/policy/fixtures.js';
import { activatePolicy } from '../../src/services/policies.js';

/** kesu-default as a new version whose extensions come in two stages, the second for major cases only. */
const STAGED = presetText('kesu-default')
  .replace("version: '2026.1'", "version: '2026.1-staged'")
  .replace(
    /^extension:\n(?:  .*\n)+/m,
    `extension:
  stages:
    - { max: 2wd, approvalLevel: department_manager }
    - { max: 5wd, approvalLevel: manager, grades: [major] }
`,
  );

for (const { dialect, skip } of await engines()) {
  describe(`staged extensions (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      // Monday 2026-11-02 09:00 in Shanghai: no holiday in the weeks ahead.
      k = await startKesu(dialect, { start: '2026-11-02T09:00:00+08:00' });
    });
    after(async () => k?.close());

    const count = async (id: string) =>
      (
        await k.app.database.db
          .selectFrom('complaint_events')
          .select((e) => e.fn.countAll<number>().as('n'))
          .where('complaint_id', '=', id)
          .executeTakeFirstOrThrow()
      ).n;
    const resolveDue = async (id: string) => ((await k.as('specialist').get(`/api/v1/complaints/${id}`)).body.clocks as any[]).find((c) => c.kind === 'resolve').dueAt as string;
    const step = async (who: string, id: string, action: string, input: unknown = {}) => {
      const r = await k.as(who).act(id, action, input);
      assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
      return r.body;
    };
    /** A general attitude complaint accepted by `handler`. */
    const accepted = async (): Promise<string> => {
      const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '客服态度恶劣，挂断电话。', complainant: { name: '陈女士', phone: '13900001111' } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const id: string = r.body.complaint.id;
      await step('specialist', id, 'judge', { valid: true });
      await step('specialist', id, 'classify', { category: 'attitude', grade: 'general' });
      await step('specialist', id, 'route', { departmentCode: 'customer_service', primaryHandlerId: k.userIds.get('handler') });
      await step('handler', id, 'accept');
      return id;
    };
    const delayNotices = async (id: string) =>
      (await k.app.database.db.selectFrom('outbox').select(['payload']).where('complaint_id', '=', id).where('template', '=', 'delay_notice').execute()).map((m) => JSON.parse(m.payload).dueAt as string).sort();

    it('a case started under the single form keeps it after a staged version is activated', async () => {
      const old = await accepted();
      await activatePolicy(k.app, STAGED, 'yaml');
      // The single form: any number of extensions up to 3wd, each granted by the manager.
      await step('handler', old, 'request_extension', { reason: '配件未到', duration: '2wd' });
      const low = await k.as('deptmanager').act(old, 'grant_extension', {});
      assert.equal(low.status, 403, JSON.stringify(low.body));
      await step('csmanager', old, 'grant_extension');
      await step('handler', old, 'request_extension', { reason: '仍未到', duration: '1wd' });
      await step('csmanager', old, 'grant_extension');
      const due = await resolveDue(old);
      // 2d from Mon 09:00 = Wed 11-04 09:00, + 2wd = Fri 11-06 09:00, + 1wd = Mon 11-09 09:00.
      assert.equal(due, '2026-11-09T01:00:00.000Z');
      assert.deepEqual(await delayNotices(old), ['2026-11-06T01:00:00.000Z', '2026-11-09T01:00:00.000Z']);
    });

    it('a new case takes the stages in order; a stage for other grades is refused in the caller’s language', async () => {
      const id = await accepted();
      const events = await count(id);
      const over = await k.as('handler').post(`/api/v1/complaints/${id}/actions/request_extension`, { reason: '配件未到', duration: '3wd' }, { 'accept-language': 'en' });
      assert.equal(over.status, 422, JSON.stringify(over.body));
      assert.deepEqual([over.body.code, over.body.fields[0].path, over.body.fields[0].message], ['extension_over_limit', 'duration', 'Through stage 1, extensions may not exceed 2wd in total']);
      assert.equal(await count(id), events, 'a refusal writes nothing');
      await step('handler', id, 'request_extension', { reason: '配件未到', duration: '2wd' });
      // Stage 1 is the department manager's.
      await step('deptmanager', id, 'grant_extension');
      assert.deepEqual(await delayNotices(id), ['2026-11-06T01:00:00.000Z']);
      const second = await k.as('handler').post(`/api/v1/complaints/${id}/actions/request_extension`, { reason: '再延', duration: '1wd' }, { 'accept-language': 'zh-TW' });
      assert.equal(second.status, 422, JSON.stringify(second.body));
      assert.deepEqual([second.body.fields[0].path, second.body.fields[0].message], ['duration', '第 2 階段延期只適用於等級 major']);
    });

    it('once the promised time has passed, no extension is requested', async () => {
      k.clock.set('2026-11-02T09:00:00+08:00');
      const id = await accepted();
      assert.equal(await resolveDue(id), '2026-11-04T01:00:00.000Z');
      k.clock.set('2026-11-04T09:00:01+08:00');
      const events = await count(id);
      const late = await k.as('handler').post(`/api/v1/complaints/${id}/actions/request_extension`, { reason: '来不及了', duration: '1wd' }, { 'accept-language': 'zh-CN' });
      assert.equal(late.status, 422, JSON.stringify(late.body));
      assert.deepEqual([late.body.fields[0].path, late.body.fields[0].message], ['duration', '承诺时限已过，不能再延期']);
      assert.equal(await count(id), events);
    });
  });
}

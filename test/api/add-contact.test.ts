/**
 * "Add this call to that case" (issue 13 §1) on both engines: the same customer calls again while
 * their case is open; the agent adds the call to it instead of creating a duplicate. It is the
 * lifecycle action add_contact: one hash-chained event with the text, channel and call id, the
 * handlers told through the outbox, in one transaction; no new case. Bad input names the field
 * in the caller's language and writes nothing; a closed case refuses it; a repeated request
 * with the same Idempotency-Key is answered once.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';

for (const { dialect, skip } of await engines()) {
  describe(`add a contact to an open case (${dialect})`, { skip }, () => {
    let k: Kesu;
    let id = '';
    before(async () => {
      k = await startKesu(dialect);
      const created = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '快递延误五天还没有送达，请尽快处理。', complainant: { name: '林先生', phone: '13812345678' } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      id = created.body.complaint.id;
    });
    after(async () => k?.close());

    const db = () => k.app.database.db;
    const count = async (table: 'complaints' | 'complaint_events' | 'outbox') =>
      Number(
        (
          await db()
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('the caller history offers the open case and the agent may add the call to it', async () => {
      const h = await k.as('agent').get('/api/v1/callers/history?phone=138-1234-5678');
      assert.equal(h.status, 200);
      assert.deepEqual(
        h.body.open.map((c: any) => c.id),
        [id],
      );
      const view = await k.as('agent').get(`/api/v1/complaints/${id}`);
      assert.ok(view.body.allowedActions.includes('add_contact'), JSON.stringify(view.body.allowedActions));
    });

    it('records one event with text, channel and call id, tells the handlers, creates no case', async () => {
      const [cases, events, outbox] = [await count('complaints'), await count('complaint_events'), await count('outbox')];
      const body = { text: '客户再次来电催促，说明天必须送到。', channel: 'phone', callId: 'call-42' };
      const r = await k.as('agent').post(`/api/v1/complaints/${id}/actions/add_contact`, body, { 'idempotency-key': 'add-contact-1' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const again = await k.as('agent').post(`/api/v1/complaints/${id}/actions/add_contact`, body, { 'idempotency-key': 'add-contact-1' });
      assert.equal(again.status, 200);
      assert.equal(await count('complaints'), cases);
      assert.equal(await count('complaint_events'), events + 1, 'one event, the replay wrote nothing');
      assert.ok((await count('outbox')) > outbox, 'someone is told');
      const ev = await db().selectFrom('complaint_events').selectAll().where('complaint_id', '=', id).orderBy('seq', 'desc').executeTakeFirstOrThrow();
      assert.equal(ev.action, 'add_contact');
      assert.equal(ev.from_state, ev.to_state, 'the state does not change');
      assert.equal(ev.actor_id, k.userIds.get('agent'));
      const data = JSON.parse(ev.data);
      assert.equal(data.text, body.text);
      assert.equal(data.channel, 'phone');
      assert.equal(data.callId, 'call-42');
      const last = r.body.timeline[r.body.timeline.length - 1];
      assert.equal(last.action, 'add_contact');
    });

    it('bad input names the field in the caller’s language and writes nothing', async () => {
      const events = await count('complaint_events');
      const noText = await k.as('agent').post(`/api/v1/complaints/${id}/actions/add_contact`, { text: ' ', channel: 'phone' }, { 'idempotency-key': 'add-contact-2', 'accept-language': 'en' });
      assert.equal(noText.status, 400, JSON.stringify(noText.body));
      assert.equal(noText.body.fields[0].path, 'text');
      const badChannel = await k.as('agent').post(`/api/v1/complaints/${id}/actions/add_contact`, { text: '又来电', channel: 'pigeon' }, { 'idempotency-key': 'add-contact-3', 'accept-language': 'zh-TW' });
      assert.ok(badChannel.status >= 400 && badChannel.status < 500, JSON.stringify(badChannel.body));
      assert.equal(badChannel.body.fields[0].path, 'channel');
      assert.match(badChannel.body.fields[0].message, /沒有此渠道/);
      assert.equal(await count('complaint_events'), events);
    });

    it('an auditor may not add a contact', async () => {
      const r = await k.as('auditor').post(`/api/v1/complaints/${id}/actions/add_contact`, { text: '又来电', channel: 'phone' }, { 'idempotency-key': 'add-contact-4' });
      assert.equal(r.status, 403, JSON.stringify(r.body));
    });
  });
}

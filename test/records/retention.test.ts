/**
 * Retention, legal hold and purge (issue 15 §2) on every engine: retention by grade and kind from
 * the active policy, counted from archiving; the dry run (API) lists what would go and why and
 * changes nothing; the purge anonymises an expired case — personal data, free text, contact keys,
 * attachments and their files — keeps what a legal hold (by case, by customer) covers, keeps the
 * statistics (case_facts, clock_facts), writes a signed chained purge record, and leaves an audit
 * trail that still verifies, against a checkpoint taken before the purge too; tampering after the
 * purge is still caught. Lifting a hold lets the next pass purge. The `remove` mode removes the
 * case but for its statistics and its purge record.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { engines } from '../support/engines.js';
import { PNG, multipart, startChannelKesu, type ChannelKesu } from '../support/channels.js';
import { disableAppendOnly } from '../support/audit.js';
import { attachmentPath } from '../../src/channels/attachments.js';
import { runPurge } from '../../src/records/retention.js';
import { verifyChains } from '../../src/audit/verify.js';
import { readCheckpoint, writeCheckpoint } from '../../src/audit/checkpoint.js';
import { purgeRecordValid, type PurgeRow } from '../../src/audit/purge.js';
import { activatePolicy, readPolicyFile } from '../../src/services/policies.js';
import { archivedComplaint, archivedInquiry, DAY } from './retention-support.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

for (const { dialect, skip } of await engines()) {
  describe(`retention purge (${dialect})`, { skip }, () => {
    let ck: ChannelKesu;
    let cpDir = '';
    const ids = { A: '', B: '', C: '', D: '', E: '', holdC: '' };
    const file = Buffer.concat([PNG, Buffer.from(`retention-${dialect}`)]);
    before(async () => {
      ck = await startChannelKesu(dialect);
      cpDir = mkdtempSync(join(tmpdir(), 'kesu-cp-'));
    });
    after(async () => {
      await ck?.close();
      rmSync(cpDir, { recursive: true, force: true });
    });
    const db = () => ck.k.app.database.db;

    async function token(user: string): Promise<string> {
      if (!ck.k.tokens.get(user)) assert.equal((await ck.k.as(user).get('/api/v1/me')).status, 200);
      return ck.k.tokens.get(user)!;
    }
    /** Everything a purge could change, for "the dry run changed nothing". */
    async function snapshot() {
      const rows = async (t: 'complaints' | 'complaint_events' | 'contact_keys' | 'attachments' | 'purge_records' | 'case_facts' | 'audit_heads') =>
        (await sql<Record<string, unknown>>`select * from ${sql.table(t)}`.execute(db())).rows.map((r) => JSON.stringify(r)).sort();
      return { c: await rows('complaints'), e: await rows('complaint_events'), k: await rows('contact_keys'), a: await rows('attachments'), p: await rows('purge_records'), f: await rows('case_facts'), h: await rows('audit_heads') };
    }

    it('sets up: an inquiry with a file (default 365 days), an important complaint (1095 days), two held inquiries, an open case', async () => {
      const a = ck.k.as('agent');
      const r = await a.post('/api/v1/complaints', { channel: 'phone', kind: 'inquiry', description: '我叫钱多多，身份证 110101199001011234，想问发票', complainant: { name: '钱多多', phone: '13800001111', email: 'qian@example.com' } });
      assert.equal(r.status, 201);
      ids.A = r.body.complaint.id;
      assert.equal((await a.act(ids.A, 'answer', { text: '钱先生您好，请到门店开票', method: 'phone' })).status, 200);
      assert.equal((await a.act(ids.A, 'close', {})).status, 200);
      const m = multipart({ text: '发票照片' }, [{ field: 'files', name: '钱多多的发票.png', type: 'image/png', data: file }]);
      const up = await ck.k.server.inject({ method: 'POST', url: `/api/v1/complaints/${ids.A}/attachments`, payload: m.payload, headers: { ...m.headers, authorization: `Bearer ${await token('agent')}` } });
      assert.equal(up.statusCode, 201, up.body);
      assert.equal((await ck.k.as('specialist').act(ids.A, 'archive', {})).status, 200);
      assert.ok(existsSync(attachmentPath(ck.s.dataDir, sha(file))));
      ids.B = await archivedComplaint(ck.k, 'important');
      ids.C = await archivedInquiry(ck.k, { name: '周先生', phone: '13700003333' });
      ids.D = await archivedInquiry(ck.k, { name: '吴女士', phone: '13600004444' });
      const open = await a.post('/api/v1/complaints', { channel: 'phone', kind: 'inquiry', description: '还没答复', complainant: { name: '郑先生', phone: '13500005555' } });
      ids.E = open.body.complaint.id;
    });

    it('legal holds: set by the policy’s roles only, bad input refused naming the field in the caller’s language, changing nothing', async () => {
      const admin = ck.k.as('admin');
      const count = async () =>
        Number(
          (
            await db()
              .selectFrom('legal_holds')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      const refused = await ck.k.as('agent').post('/api/v1/admin/legal-holds', { scope: 'case', complaint: ids.C, reason: '诉讼' });
      assert.equal(refused.status, 403);
      assert.equal((await ck.k.as('handler').get('/api/v1/admin/legal-holds')).status, 403);
      let bad = await admin.post('/api/v1/admin/legal-holds?lang=en', { scope: 'case', complaint: ids.C, reason: ' ' });
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.body.fields, [{ path: 'reason', message: 'Give a reason' }]);
      bad = await admin.post('/api/v1/admin/legal-holds', { scope: 'case', complaint: 'KS-1999-000001', reason: '诉讼' });
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.body.fields, [{ path: 'complaint', message: '没有这个案件' }]);
      bad = await admin.post('/api/v1/admin/legal-holds?lang=en', { scope: 'customer', phone: '13600004444', email: 'x@example.com', reason: 'court order' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.fields[0].path, 'email');
      assert.match(bad.body.fields[0].message, /exactly one/);
      bad = await admin.post('/api/v1/admin/legal-holds?lang=en', { scope: 'customer', phone: 'not a phone', reason: 'court order' });
      assert.deepEqual(bad.body.fields, [{ path: 'phone', message: 'Not a valid value' }]);
      bad = await admin.post('/api/v1/admin/legal-holds?lang=en', { scope: 'received', from: '2026-10-01T00:00:00Z', to: '2026-09-01T00:00:00Z', reason: 'audit' });
      assert.deepEqual(bad.body.fields, [{ path: 'to', message: 'to must be after from' }]);
      bad = await admin.post('/api/v1/admin/legal-holds?lang=en', { scope: 'received', from: 'yesterday', to: '2026-09-01T00:00:00Z', reason: 'audit' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.fields[0].path, 'from');
      assert.match(bad.body.fields[0].message, /ISO 8601/);
      bad = await admin.post('/api/v1/admin/legal-holds', { scope: 'everything', reason: 'x' });
      assert.equal(bad.status, 400);
      assert.equal(await count(), before, 'no refused request stored a hold');

      // A department manager (managerOf) may; so may an administrator. Auditors may list.
      const caseHold = await ck.k.as('deptmanager').post('/api/v1/admin/legal-holds', { scope: 'case', complaint: ids.C, reason: '诉讼中，法院调取证据' });
      assert.equal(caseHold.status, 201, JSON.stringify(caseHold.body));
      assert.equal(caseHold.body.complaintId, ids.C);
      // People read the KS number, never the internal id (the console's holds table shows this).
      const caseNumber = (await db().selectFrom('complaints').select('number').where('id', '=', ids.C).executeTakeFirstOrThrow()).number;
      assert.match(caseNumber, /^KS-/);
      assert.equal(caseHold.body.complaintNumber, caseNumber);
      ids.holdC = caseHold.body.id;
      const customerHold = await admin.post('/api/v1/admin/legal-holds', { scope: 'customer', phone: '+86 136-0000-4444', reason: '监管调查' });
      assert.equal(customerHold.status, 201, JSON.stringify(customerHold.body));
      assert.equal(customerHold.body.contactKind, 'phone');
      const stored = await db().selectFrom('legal_holds').selectAll().where('id', '=', customerHold.body.id).executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(stored).includes('4444'), 'no plaintext contact stored');
      // A hold over a range nobody was received in, lifted at once.
      const range = await admin.post('/api/v1/admin/legal-holds', { scope: 'received', from: '2020-01-01T00:00:00+08:00', to: '2020-02-01T00:00:00+08:00', reason: '旧档核查' });
      assert.equal(range.status, 201);
      assert.equal((await ck.k.as('agent').post(`/api/v1/admin/legal-holds/${range.body.id}/lift`, { reason: '完成' })).status, 403);
      const lifted = await admin.post(`/api/v1/admin/legal-holds/${range.body.id}/lift`, { reason: '核查完成' });
      assert.equal(lifted.status, 200);
      assert.equal(lifted.body.active, false);
      assert.equal(lifted.body.liftReason, '核查完成');
      assert.equal((await admin.post(`/api/v1/admin/legal-holds/${range.body.id}/lift`, { reason: '再次' })).status, 409);
      const list = await ck.k.as('auditor').get('/api/v1/admin/legal-holds?active=true');
      assert.equal(list.status, 200);
      assert.deepEqual(list.body.items.map((h: any) => h.id).sort(), [ids.holdC, customerHold.body.id].sort());
      const listedCase = list.body.items.find((h: any) => h.id === ids.holdC);
      assert.equal(listedCase.complaintNumber, caseNumber, 'the list gives the case hold its KS number');
      assert.equal(list.body.items.find((h: any) => h.id === customerHold.body.id).complaintNumber, null);
    });

    it('the dry run lists the expired case and why, and the held ones, changing nothing', async () => {
      await writeCheckpoint(ck.k.app.database, ck.k.clock.now(), cpDir);
      ck.k.clock.advance(366 * DAY);
      const before = await snapshot();
      const r = await ck.k.as('admin').get('/api/v1/admin/purge/preview');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.mode, 'anonymise');
      assert.deepEqual(
        r.body.purged.map((e: any) => [e.id, e.rule, e.days]),
        [[ids.A, 'default', 365]],
      );
      assert.deepEqual(r.body.held.map((e: any) => e.id).sort(), [ids.C, ids.D].sort());
      assert.ok(r.body.held.every((e: any) => e.heldBy.length === 1));
      assert.equal((await ck.k.as('agent').get('/api/v1/admin/purge/preview')).status, 403);
      assert.deepEqual(await snapshot(), before);
      assert.ok(existsSync(attachmentPath(ck.s.dataDir, sha(file))));
    });

    it('the purge anonymises the expired case, keeps the held ones and the statistics, and the chain still verifies', async () => {
      const facts = await db().selectFrom('case_facts').selectAll().orderBy('complaint_id').execute();
      const clockFacts = await db().selectFrom('clock_facts').selectAll().orderBy('complaint_id').orderBy('kind').execute();
      const heldBefore = await db().selectFrom('complaints').select(['id', 'body']).where('id', 'in', [ids.C, ids.D]).orderBy('id').execute();
      const eventsBefore = await db().selectFrom('complaint_events').select(['seq', 'hash', 'data']).where('complaint_id', '=', ids.A).orderBy('seq').execute();
      const r = await runPurge(ck.k.app);
      assert.deepEqual(
        r.purged.map((e) => e.id),
        [ids.A],
      );
      assert.deepEqual(r.held.map((e) => e.id).sort(), [ids.C, ids.D].sort());
      assert.equal(r.filesDeleted, 1);

      const row = await db().selectFrom('complaints').selectAll().where('id', '=', ids.A).executeTakeFirstOrThrow();
      const text = JSON.stringify(row);
      for (const pii of ['钱多多', '13800001111', 'qian@example.com', '110101199001011234', '发票', '钱先生']) assert.ok(!text.includes(pii), `${pii} gone from the case row`);
      const body = JSON.parse(row.body);
      assert.deepEqual(body.complainant, { anonymous: true });
      assert.equal(body.state, 'archived');
      assert.equal(body.kind, 'inquiry');
      // The timeline: same records, links and MACs; data redacted; a purged event at the end.
      const events = await db().selectFrom('complaint_events').selectAll().where('complaint_id', '=', ids.A).orderBy('seq').execute();
      assert.equal(events.length, eventsBefore.length + 1);
      assert.deepEqual(
        events.slice(0, -1).map((e) => e.hash),
        eventsBefore.map((e) => e.hash),
      );
      assert.ok(events.slice(0, -1).every((e) => JSON.parse(e.data).redacted === true));
      assert.ok(!JSON.stringify(events).includes('钱多多') && !JSON.stringify(events).includes('发票'));
      assert.equal(events.at(-1)!.type, 'purged');
      assert.equal(
        Number(
          (
            await db()
              .selectFrom('contact_keys')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('complaint_id', '=', ids.A)
              .executeTakeFirstOrThrow()
          ).n,
        ),
        0,
      );
      assert.equal((await db().selectFrom('attachments').select('id').where('complaint_id', '=', ids.A).execute()).length, 0);
      assert.equal((await db().selectFrom('complaint_terms').select('terms').where('complaint_id', '=', ids.A).execute()).length, 0, 'its match tokens are gone with its text');
      assert.ok(!existsSync(attachmentPath(ck.s.dataDir, sha(file))), 'the file is gone from the disk');
      assert.equal((await db().selectFrom('purge_files').select('sha256').execute()).length, 0);
      // The statistics are untouched.
      assert.deepEqual(await db().selectFrom('case_facts').selectAll().orderBy('complaint_id').execute(), facts);
      assert.deepEqual(await db().selectFrom('clock_facts').selectAll().orderBy('complaint_id').orderBy('kind').execute(), clockFacts);
      // The held cases are untouched.
      assert.deepEqual(await db().selectFrom('complaints').select(['id', 'body']).where('id', 'in', [ids.C, ids.D]).orderBy('id').execute(), heldBefore);
      // The signed purge record.
      const rec = (await db().selectFrom('purge_records').selectAll().where('complaint_id', '=', ids.A).executeTakeFirstOrThrow()) as PurgeRow;
      assert.equal(purgeRecordValid(ck.k.app.database.audit.keys(), rec), 'ok');
      assert.equal(Number(rec.seq), 1);
      assert.equal(rec.mode, 'anonymise');
      assert.match(rec.reason, /default, 365 days/);
      assert.equal(rec.policy_key, (await db().selectFrom('complaints').select('policy_key').where('id', '=', ids.A).executeTakeFirstOrThrow()).policy_key);
      const counts = JSON.parse(rec.counts);
      assert.equal(counts.attachments, 1);
      assert.equal(counts.files, 1);
      assert.equal(counts.events, eventsBefore.length);
      assert.ok(counts.contactKeys >= 2, 'phone and e-mail keys at least');
      // The audit trail verifies, against the checkpoint from before the purge too.
      const v = await verifyChains(db(), { checkpoint: null });
      assert.deepEqual(v.problems, []);
      const cp = readdirLatest(cpDir);
      const v2 = await verifyChains(db(), { checkpoint: readCheckpoint(cp, ck.k.app.database.audit.keys()) });
      assert.deepEqual(v2.problems, []);
      assert.ok(v2.checkpoint);
      // A second pass has nothing to do.
      const again = await runPurge(ck.k.app);
      assert.deepEqual(again.purged, []);
      assert.equal(
        Number(
          (
            await db()
              .selectFrom('purge_records')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ),
        1,
      );
      // The case view still opens, with nothing personal in it.
      const view = await ck.k.as('specialist').get(`/api/v1/complaints/${ids.A}`);
      assert.equal(view.status, 200);
      assert.equal(view.body.complaint.state, 'archived');
    });

    it('retention by grade: the important complaint goes after 1095 days; lifting a hold lets the next pass purge', async () => {
      ck.k.clock.advance(700 * DAY); // 1066 days after archiving: not yet
      assert.deepEqual((await runPurge(ck.k.app)).purged, []);
      ck.k.clock.advance(30 * DAY);
      let r = await runPurge(ck.k.app);
      assert.deepEqual(
        r.purged.map((e) => [e.id, e.rule, e.days]),
        [[ids.B, 'grade', 1095]],
      );
      const lifted = await ck.k.as('admin').post(`/api/v1/admin/legal-holds/${ids.holdC}/lift`, { reason: '诉讼结束' });
      assert.equal(lifted.status, 200);
      r = await runPurge(ck.k.app);
      assert.deepEqual(
        r.purged.map((e) => e.id),
        [ids.C],
      );
      assert.deepEqual(
        r.held.map((e) => e.id),
        [ids.D],
        'the customer hold still keeps its case',
      );
      assert.equal((await db().selectFrom('complaints').select('state').where('id', '=', ids.E).executeTakeFirstOrThrow()).state, 'received', 'an open case is never purged');
      assert.deepEqual((await verifyChains(db(), { checkpoint: readCheckpoint(readdirLatest(cpDir), ck.k.app.database.audit.keys()) })).problems, []);
      const seqs = (await db().selectFrom('purge_records').select('seq').orderBy('seq').execute()).map((x) => Number(x.seq));
      assert.deepEqual(seqs, [1, 2, 3]);
    });

    it('after a purge, tampering is still caught: a redacted event, another case, a purge record', async () => {
      await disableAppendOnly(db(), dialect);
      await db().updateTable('complaint_events').set({ data: '{"redacted":false}' }).where('complaint_id', '=', ids.A).where('seq', '=', 1).execute();
      await db().updateTable('complaint_events').set({ actor_name: 'someone else' }).where('complaint_id', '=', ids.D).where('seq', '=', 1).execute();
      await db().updateTable('purge_records').set({ reason: 'nothing to see' }).where('complaint_id', '=', ids.B).execute();
      const v = await verifyChains(db(), { checkpoint: null });
      const got = v.problems.map((p) => `${p.log}:${p.complaintId}:${p.seq}:${p.problem}`).sort();
      const b = await db().selectFrom('purge_records').select('seq').where('complaint_id', '=', ids.B).executeTakeFirstOrThrow();
      assert.ok(got.includes(`events:${ids.A}:1:hash_mismatch`), got.join());
      assert.ok(got.includes(`events:${ids.D}:1:hash_mismatch`), got.join());
      assert.ok(got.includes(`purge:${ids.B}:${Number(b.seq)}:hash_mismatch`), got.join());
      // B's redactions are no longer vouched for by a valid record.
      assert.ok(
        got.some((p) => p.startsWith(`events:${ids.B}:`)),
        got.join(),
      );
    });
  });

  describe(`retention purge, remove mode (${dialect})`, { skip }, () => {
    let ck: ChannelKesu;
    let cpDir = '';
    before(async () => {
      ck = await startChannelKesu(dialect);
      cpDir = mkdtempSync(join(tmpdir(), 'kesu-cp-'));
      const f = readPolicyFile('kesu-default');
      const text = f.text.replace(/^version: .*$/m, "version: '2026.1-remove'").replace(/^retention:\n/m, 'retention:\n  mode: remove\n');
      assert.ok(text.includes('mode: remove'));
      await activatePolicy(ck.k.app, text, 'yaml');
    });
    after(async () => {
      await ck?.close();
      rmSync(cpDir, { recursive: true, force: true });
    });

    it('removes the case and its trail but for its statistics and purge record; the audit check passes', async () => {
      const db = ck.k.app.database.db;
      const id = await archivedInquiry(ck.k);
      const keep = await archivedInquiry(ck.k, { name: '冯先生', phone: '13300007777' });
      await writeCheckpoint(ck.k.app.database, ck.k.clock.now(), cpDir);
      ck.k.clock.advance(366 * DAY);
      assert.equal((await ck.k.as('admin').post('/api/v1/admin/legal-holds', { scope: 'case', complaint: keep, reason: '保留' })).status, 201);
      const r = await runPurge(ck.k.app);
      assert.deepEqual(
        r.purged.map((e) => e.id),
        [id],
      );
      assert.equal(r.mode, 'remove');
      assert.equal(await db.selectFrom('complaints').select('id').where('id', '=', id).executeTakeFirst(), undefined);
      assert.equal((await db.selectFrom('complaint_events').select('seq').where('complaint_id', '=', id).execute()).length, 0);
      assert.equal((await db.selectFrom('contact_keys').select('key').where('complaint_id', '=', id).execute()).length, 0);
      assert.equal((await db.selectFrom('complaint_terms').select('terms').where('complaint_id', '=', id).execute()).length, 0);
      assert.ok(await db.selectFrom('case_facts').select('complaint_id').where('complaint_id', '=', id).executeTakeFirst(), 'its statistics stay');
      const rec = await db.selectFrom('purge_records').selectAll().where('complaint_id', '=', id).executeTakeFirstOrThrow();
      assert.equal(rec.mode, 'remove');
      assert.ok(await db.selectFrom('complaints').select('id').where('id', '=', keep).executeTakeFirst(), 'the held case stays');
      const v = await verifyChains(db, { checkpoint: readCheckpoint(readdirLatest(cpDir), ck.k.app.database.audit.keys()) });
      assert.deepEqual(v.problems, []);
      // Without its purge record the removed case is missing from the checkpoint again.
      await db.deleteFrom('purge_records').where('complaint_id', '=', id).execute();
      const t = await verifyChains(db, { checkpoint: readCheckpoint(readdirLatest(cpDir), ck.k.app.database.audit.keys()) });
      assert.ok(
        t.problems.some((p) => p.complaintId === id && p.problem === 'behind_checkpoint'),
        JSON.stringify(t.problems),
      );
    });
  });
}

function readdirLatest(dir: string): string {
  return join(
    dir,
    readdirSync(dir)
      .filter((n) => n.startsWith('checkpoint-'))
      .sort()
      .at(-1)!,
  );
}

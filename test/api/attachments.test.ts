/**
 * Files staff add to a case (issue 3 §2), on every engine: upload as the `attach` transition
 * (state kept, files on the timeline with name, size and SHA-256), the case view listing them,
 * download with its content type and UTF-8 file name, the limits (size, type, count) refused
 * field by field in the caller's language, need-to-know and avoidance (404), roles and states
 * (403, 409) — and on every refusal nothing written: no row, no event, no file on disk.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { engines } from '../support/engines.js';
import { PNG, multipart, startChannelKesu, type ChannelKesu } from '../support/channels.js';
import { attachmentPath } from '../../src/channels/attachments.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const png = (name: string, data = PNG) => ({ name, type: 'image/png', data });

/** Every file under a folder (attachments and their temporary copies). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

for (const { dialect, skip } of await engines()) {
  describe(`attachments on cases (${dialect})`, { skip }, () => {
    let ck: ChannelKesu;
    let caseId = '';
    let number = '';
    before(async () => {
      ck = await startChannelKesu(dialect);
      const r = await ck.k.as('agent').post('/api/v1/complaints', {
        channel: 'phone',
        description: '门店店员态度恶劣，还摔坏了我的手机壳',
        complainant: { name: '赵女士', phone: '13712345678' },
        subject: { employeeIds: [ck.k.userIds.get('handler2')], description: '店员吴磊' },
      });
      assert.equal(r.status, 201);
      caseId = r.body.complaint.id;
      number = r.body.complaint.number;
    });
    after(async () => ck?.close());

    async function token(user: string): Promise<string> {
      if (!ck.k.tokens.get(user)) assert.equal((await ck.k.as(user).get('/api/v1/me')).status, 200);
      return ck.k.tokens.get(user)!;
    }

    async function upload(user: string, id: string, files: { name: string; type: string; data: Buffer }[], o: { fields?: Record<string, string>; query?: string; headers?: Record<string, string> } = {}) {
      const m = multipart(
        o.fields ?? {},
        files.map((f) => ({ field: 'files', ...f })),
      );
      const r = await ck.k.server.inject({
        method: 'POST',
        url: `/api/v1/complaints/${id}/attachments${o.query ?? ''}`,
        payload: m.payload,
        headers: { ...m.headers, authorization: `Bearer ${await token(user)}`, ...o.headers },
      });
      return { status: r.statusCode, body: r.json() };
    }

    async function download(user: string, id: string, attachmentId: string) {
      return ck.k.server.inject({ method: 'GET', url: `/api/v1/complaints/${id}/attachments/${attachmentId}`, headers: { authorization: `Bearer ${await token(user)}` } });
    }

    /** What a refusal must leave unchanged: rows, events, outbox, the case's version, files on disk. */
    async function snapshot() {
      const db = ck.k.testDb.database.db;
      const count = async (t: 'attachments' | 'complaint_events' | 'outbox') =>
        Number(
          (
            await db
              .selectFrom(t)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const c = await db.selectFrom('complaints').select('version').where('id', '=', caseId).executeTakeFirstOrThrow();
      return { attachments: await count('attachments'), events: await count('complaint_events'), outbox: await count('outbox'), version: Number(c.version), disk: filesUnder(join(ck.s.dataDir, 'attachments')).sort() };
    }

    it('an agent attaches a photo and a document: one attach event keeps the state and records name, size and SHA-256', async () => {
      const before = await snapshot();
      const r = await upload('agent', caseId, [png('破损照片.png'), { name: 'receipt (1).pdf', type: 'application/pdf', data: PDF }], { fields: { text: '外包装和小票' } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.complaint.state, 'received');
      assert.equal(r.body.complaint.version, before.version + 1);
      assert.deepEqual(
        r.body.attachments.map((a: any) => [a.name, a.contentType, a.size, a.source, a.sha256]),
        [
          ['破损照片.png', 'image/png', PNG.length, 'staff', sha(PNG)],
          ['receipt (1).pdf', 'application/pdf', PDF.length, 'staff', sha(PDF)],
        ],
      );
      const e = r.body.timeline.at(-1);
      assert.equal(e.action, 'attach');
      assert.equal(e.fromState, 'received');
      assert.equal(e.toState, 'received');
      assert.equal(e.actorId, ck.k.userIds.get('agent'));
      assert.deepEqual(
        e.data.attachments.map((a: any) => [a.id, a.name, a.size, a.sha256]),
        r.body.attachments.map((a: any) => [a.id, a.name, a.size, a.sha256]),
      );
      assert.equal(e.data.text, '外包装和小票');
      // Stored content-addressed, nothing left in the temporary folder.
      assert.deepEqual(readFileSync(attachmentPath(ck.s.dataDir, sha(PNG))), PNG);
      assert.ok(existsSync(attachmentPath(ck.s.dataDir, sha(PDF))));
      assert.deepEqual(filesUnder(join(ck.s.dataDir, 'attachments', 'tmp')), []);
      // The case view (by id and by number) and the list show them.
      const view = await ck.k.as('agent').get(`/api/v1/complaints/${number}`);
      assert.deepEqual(view.body.attachments, r.body.attachments);
      const list = await ck.k.as('specialist').get(`/api/v1/complaints/${caseId}/attachments`);
      assert.deepEqual(list.body.items, r.body.attachments);
      // The same photo again is one more row and event, but one file on disk.
      const again = await upload('specialist', caseId, [png('同一张照片.png')]);
      assert.equal(again.status, 201);
      assert.equal(again.body.attachments.length, 3);
      assert.equal(filesUnder(join(ck.s.dataDir, 'attachments')).length, before.disk.length + 2);
    });

    it('downloads with the content type and the UTF-8 file name; the same need-to-know', async () => {
      const files = (await ck.k.as('agent').get(`/api/v1/complaints/${caseId}/attachments`)).body.items;
      const photo = files.find((f: any) => f.name === '破损照片.png');
      const dl = await download('agent', caseId, photo.id);
      assert.equal(dl.statusCode, 200);
      assert.equal(dl.headers['content-type'], 'image/png');
      assert.equal(dl.headers['content-disposition'], `attachment; filename="____.png"; filename*=UTF-8''%E7%A0%B4%E6%8D%9F%E7%85%A7%E7%89%87.png`);
      assert.equal(dl.headers['x-content-type-options'], 'nosniff');
      assert.deepEqual(dl.rawPayload, PNG);
      const pdf = await download('agent', caseId, files.find((f: any) => f.name === 'receipt (1).pdf').id);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.equal(pdf.headers['content-disposition'], `attachment; filename="receipt (1).pdf"; filename*=UTF-8''receipt%20%281%29.pdf`);
      assert.deepEqual(pdf.rawPayload, PDF);

      // Avoidance: the complained-about employee cannot tell the file exists.
      const avoided = await download('handler2', caseId, photo.id);
      const missing = await download('handler2', '00000000-0000-7000-8000-000000000000', photo.id);
      assert.equal(avoided.statusCode, 404);
      assert.deepEqual({ ...(avoided.json() as object), requestId: 0 }, { ...(missing.json() as object), requestId: 0 }, 'the same answer but for the request id');
      assert.equal((await ck.k.as('handler2').get(`/api/v1/complaints/${caseId}/attachments`)).status, 404);
      assert.equal((await download('agent2', caseId, photo.id)).statusCode, 404, 'an uninvolved agent');
      assert.equal((await download('agent', caseId, '00000000-0000-7000-8000-000000000000')).statusCode, 404);
      // A file is only reachable through its own case.
      const other = await ck.k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '另一件事', complainant: { name: '钱先生' } });
      assert.equal((await download('agent', other.body.complaint.id, photo.id)).statusCode, 404);
      assert.deepEqual(other.body.attachments, []);
    });

    it("refuses a file too large, of a type not allowed, too many files, or none — naming the field, in the caller's language, writing nothing", async () => {
      const before = await snapshot();

      const big = await upload('agent', caseId, [png('ok.png'), png('big.png', Buffer.concat([PNG, Buffer.alloc(300 * 1024)]))]);
      assert.equal(big.status, 400);
      assert.equal(big.body.code, 'invalid_input');
      assert.deepEqual(big.body.fields, [{ path: 'files[1]', message: '文件太大：big.png（每个文件不超过 256 KB）' }]);
      assert.match(big.body.message, /files\[1\]/);

      const fake = await upload('agent', caseId, [{ name: 'evil.png', type: 'image/png', data: Buffer.from('<script>alert(1)</script>') }], { query: '?lang=en' });
      assert.equal(fake.status, 400);
      assert.equal(fake.body.fields[0].path, 'files[0]');
      assert.match(fake.body.fields[0].message, /^File type not accepted: evil\.png/);
      const exe = await upload('agent', caseId, [png('a.png'), { name: 'setup.exe', type: 'application/octet-stream', data: Buffer.from('MZ\x90\x00') }], { headers: { 'accept-language': 'zh-TW,zh;q=0.9' } });
      assert.deepEqual(
        exe.body.fields.map((f: any) => f.path),
        ['files[1]'],
      );
      assert.match(exe.body.fields[0].message, /^不支援的檔案類型：setup\.exe/);

      const many = await upload('agent', caseId, [png('1.png'), png('2.png'), png('3.png'), png('4.png')], { headers: { 'accept-language': 'zh-TW' } });
      assert.equal(many.status, 400);
      assert.deepEqual(many.body.fields, [{ path: 'files[3]', message: '附件太多，最多 3 個' }]);
      const manyEn = await upload('agent', caseId, [png('1.png'), png('2.png'), png('3.png'), png('4.png'), png('5.png')], { query: '?lang=en' });
      assert.deepEqual(manyEn.body.fields, [{ path: 'files[3]', message: 'Too many files: at most 3' }]);

      const empty = await upload('agent', caseId, [{ name: 'empty.txt', type: 'text/plain', data: Buffer.alloc(0) }]);
      assert.deepEqual(empty.body.fields, [{ path: 'files[0]', message: '文件是空的：empty.txt' }]);
      const none = await upload('agent', caseId, [], { fields: { text: '没有文件' } });
      assert.equal(none.status, 400);
      assert.deepEqual(none.body.fields, [{ path: 'files', message: '请选择要上传的文件' }]);
      const json = await ck.k.as('agent').post(`/api/v1/complaints/${caseId}/attachments`, { files: [] });
      assert.equal(json.status, 400);
      assert.equal(json.body.fields[0].path, 'body');
      const longText = await upload('agent', caseId, [png('ok.png')], { fields: { text: '长'.repeat(2001) } });
      assert.equal(longText.status, 400);
      assert.equal(longText.body.fields[0].path, 'text');

      assert.deepEqual(await snapshot(), before, 'no row, no event, no message, no file');
    });

    it('avoidance and need-to-know answer 404, other roles 403, and the generic action endpoint cannot record files', async () => {
      const before = await snapshot();
      const avoided = await upload('handler2', caseId, [png('证据.png')]);
      assert.equal(avoided.status, 404);
      assert.deepEqual({ ...avoided.body, requestId: 0 }, { ...(await upload('handler2', '00000000-0000-7000-8000-000000000000', [png('证据.png')])).body, requestId: 0 }, 'indistinguishable from no case (but for the request id)');
      assert.equal((await upload('handler2', number, [png('证据.png')])).status, 404);
      assert.equal((await upload('agent2', caseId, [png('x.png')])).status, 404, 'an uninvolved agent');
      assert.equal((await upload('handler', caseId, [png('x.png')])).status, 404, 'a handler it is not assigned to');
      const auditor = await upload('auditor', caseId, [png('x.png')]);
      assert.equal(auditor.status, 403, 'auditors read, they do not add');
      assert.equal(auditor.body.code, 'forbidden');
      const forged = await ck.k.as('agent').act(caseId, 'attach', { attachments: [{ id: 'x', name: 'x.png', size: 1, contentType: 'image/png', sha256: sha(PNG) }] });
      assert.equal(forged.status, 404);
      assert.deepEqual(await snapshot(), before);
      const lifecycle = await ck.k.as('agent').get('/api/v1/lifecycle');
      assert.equal(lifecycle.body.actions.find((a: any) => a.name === 'attach').ownEndpoint, true);

      // Once assigned, the handler is involved and may add files.
      const s = ck.k.as('specialist');
      assert.equal((await s.act(caseId, 'judge', { valid: true })).status, 200);
      assert.equal((await s.act(caseId, 'classify', { category: 'attitude', grade: 'general' })).status, 200);
      assert.equal((await s.act(caseId, 'route', { departmentCode: 'customer_service', primaryHandlerId: ck.k.userIds.get('handler') })).status, 200);
      const handler = await upload('handler', caseId, [{ name: '调查记录.pdf', type: 'application/pdf', data: PDF }]);
      assert.equal(handler.status, 201);
      assert.equal(handler.body.complaint.state, 'assigned');
      assert.ok(handler.body.allowedActions.includes('attach'));
      assert.ok(!(await ck.k.as('handler2').get(`/api/v1/complaints/${caseId}`)).body?.attachments, 'still nothing for the complained-about employee');
    });

    it('an archived case takes no more files (409), and the refused upload leaves nothing on disk', async () => {
      const a = ck.k.as('agent');
      const r = await a.post('/api/v1/complaints', { channel: 'phone', kind: 'inquiry', description: '营业时间是几点？', complainant: { name: '孙女士' } });
      const id = r.body.complaint.id;
      assert.equal((await a.act(id, 'answer', { text: '每天 9:00–21:00', method: 'phone' })).status, 200);
      assert.equal((await a.act(id, 'close', {})).status, 200);
      const closed = await upload('agent', id, [png('closed.png')]);
      assert.equal(closed.status, 201, 'closed cases still take evidence');
      assert.equal((await ck.k.as('specialist').act(id, 'archive', {})).status, 200);
      const before = await snapshot();
      const unique = Buffer.concat([PNG, Buffer.from('archived')]);
      const late = await upload('agent', id, [png('late.png', unique)]);
      assert.equal(late.status, 409);
      assert.equal(late.body.code, 'illegal_transition');
      assert.ok(!existsSync(attachmentPath(ck.s.dataDir, sha(unique))));
      assert.deepEqual(await snapshot(), before);
    });
  });
}

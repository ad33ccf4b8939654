/**
 * Malformed multipart bodies on every upload route (issue 12 §3, Done when: "malformed multipart →
 * 4xx"), on every engine. The routes come from the OpenAPI document (every operation that consumes
 * multipart/form-data) plus the portal's two HTML forms, so a new upload route is tried too. Each
 * gets four broken bodies — cut off inside the file, a broken part header, no closing boundary, no
 * boundary at all — and must answer 400 `invalid_input` naming a field (the portal's pages: 400,
 * or 404 when the readable part of the form names no case), with nothing at error level and no
 * stack trace in the log; nothing is stored. test/api/hardening.test.ts checks the field names and
 * messages of the staff upload in detail.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { engines } from '../support/engines.js';
import { PNG, multipart, startChannelKesu, type ChannelKesu } from '../support/channels.js';
import { buildServer } from '../../src/http/server.js';

/** The portal's HTML forms (not in the OpenAPI document, which describes the API). */
const PORTAL_FORMS = ['/portal/submit', '/portal/supplement'];

for (const { dialect, skip } of await engines()) {
  describe(`malformed multipart on every upload route (${dialect})`, { skip }, () => {
    let ck: ChannelKesu;
    let server: FastifyInstance;
    const lines: { level: number; msg: string; err?: unknown }[] = [];
    before(async () => {
      ck = await startChannelKesu(dialect);
      const stream = new Writable({
        write(chunk, _enc, cb) {
          for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
          cb();
        },
      });
      server = await buildServer(ck.k.app, { logger: { level: 'info', stream } });
      ck.k.app.log = server.log;
      await server.ready();
    });
    after(async () => {
      await server?.close();
      await ck?.close();
    });

    const count = async (t: string) => Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(ck.k.app.database.db)).rows[0]!.n);

    it('answers 400 to each broken body, logs no error and stores nothing', async () => {
      const doc = (server as unknown as { swagger(): { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>> } }).swagger();
      const apiRoutes = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.entries(ops)
          .filter(([, op]) => op.requestBody?.content?.['multipart/form-data'])
          .map(([method]) => ({ method: method.toUpperCase(), path })),
      );
      assert.ok(apiRoutes.length >= 4, `multipart routes in the API: ${JSON.stringify(apiRoutes)}`);

      const created = await ck.k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '上传测试：破损的表单', complainant: { name: '王女士', phone: '13812345678' } });
      assert.equal(created.status, 201);
      const caseId = created.body.complaint.id as string;
      const tokens = { agent: ck.k.tokens.get('agent')!, admin: (await ck.k.as('admin').get('/api/v1/me'), ck.k.tokens.get('admin')!) };

      const good = multipart({ text: '照片' }, [{ field: 'files', name: 'a.png', type: 'image/png', data: PNG }]);
      const contentType = good.headers['content-type']!;
      const boundary = contentType.split('boundary=')[1]!;
      const bodies = [
        { name: 'cut off inside the file', payload: good.payload.subarray(0, good.payload.length - 60), type: contentType },
        { name: 'broken part header', payload: Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\nContent-Type image/png\r\n`), type: contentType },
        { name: 'no closing boundary', payload: Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\nhello`), type: contentType },
        { name: 'no boundary at all', payload: Buffer.from('garbage'), type: 'multipart/form-data' },
      ];
      const stored = async () => [await count('complaints'), await count('complaint_events'), await count('attachments'), await count('import_jobs')];
      const before = await stored();
      const from = lines.length;
      for (const { method, path } of apiRoutes) {
        const url = path.replace('{id}', caseId);
        const authorization = path.startsWith('/api/v1/customer/') ? undefined : `Bearer ${path.startsWith('/api/v1/admin/') ? tokens.admin : tokens.agent}`;
        for (const b of bodies) {
          const r = await server.inject({ method: method as 'POST', url, payload: b.payload, headers: { 'content-type': b.type, 'accept-language': 'en', ...(authorization ? { authorization } : {}) } });
          assert.equal(r.statusCode, 400, `${method} ${path}, ${b.name}: ${r.statusCode} ${r.body.slice(0, 300)}`);
          const body = r.json();
          assert.equal(body.code, 'invalid_input', `${path}, ${b.name}`);
          assert.ok(body.fields?.[0]?.path, `${path}, ${b.name}: a field is named`);
        }
      }
      for (const url of PORTAL_FORMS)
        for (const b of bodies) {
          const r = await server.inject({ method: 'POST', url, payload: b.payload, headers: { 'content-type': b.type, 'accept-language': 'en' } });
          // An HTML page: 400, or 404 when what was readable of the form names no case.
          assert.ok(r.statusCode === 400 || r.statusCode === 404, `${url}, ${b.name}: ${r.statusCode}`);
        }
      assert.deepEqual(
        lines.slice(from).filter((l) => l.level >= 50),
        [],
        'nothing logged at error level',
      );
      assert.ok(!JSON.stringify(lines.slice(from)).includes('"stack"'), 'no stack trace logged');
      assert.deepEqual(await stored(), before, 'nothing stored');
    });
  });
}

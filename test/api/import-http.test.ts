/**
 * The ledger import over HTTP (issue 15 §4, console side), on every engine: an administrator
 * uploads a ledger with a mapping; the answer is 202 with a job that runs after it, polled for
 * progress (rows done / total) and its report. A dry run of a file with a wrong header, a bad
 * date and an unknown grade reports those problems with row and column in the caller's language
 * and imports nothing; the import of a 1,200-row workbook (three batches) creates 1,200 cases,
 * its progress only moving forward to 1,200 / 1,200; uploading it again creates nothing; the
 * same Idempotency-Key starts no second job; a bad mapping or file is a 400 naming the field;
 * a non-administrator gets 403 and starts nothing.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { multipart } from '../support/channels.js';
import { tmp } from '../records/support.js';
import { HEADER, ledgerRows, mappingYaml, writeXlsx, writeCsv } from '../records/ledger-fixture.js';
import { settleImportJobs } from '../../src/records/import/http-jobs.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

for (const { dialect, skip } of await engines()) {
  describe(`ledger import over HTTP (${dialect})`, { skip }, () => {
    let k: Kesu;
    let dir: string;
    const count = async (t: 'complaints' | 'import_jobs') =>
      Number(
        (
          await k.testDb.database.db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      k = await startKesu(dialect);
      dir = tmp('kesu-import-http-');
    });
    after(async () => {
      if (k) await settleImportJobs(k.app);
      await k?.close();
    });

    async function token(user: string): Promise<string> {
      if (!k.tokens.get(user)) assert.equal((await k.as(user).get('/api/v1/me')).status, 200);
      return k.tokens.get(user)!;
    }

    async function upload(user: string, fields: Record<string, string>, files: { field: string; name: string; type: string; data: Buffer }[], headers: Record<string, string> = {}) {
      const m = multipart(fields, files);
      const r = await k.server.inject({ method: 'POST', url: '/api/v1/admin/import/ledger', payload: m.payload, headers: { ...m.headers, authorization: `Bearer ${await token(user)}`, ...headers } });
      return { status: r.statusCode, body: r.json(), headers: r.headers };
    }

    /** Polls the job until it has finished, keeping every state seen on the way. */
    async function finished(id: string, lang = 'zh-CN') {
      const seen: { status: string; done: number; total: number }[] = [];
      for (;;) {
        const r = await k.server.inject({ method: 'GET', url: `/api/v1/admin/import/jobs/${id}`, headers: { authorization: `Bearer ${await token('admin')}`, 'accept-language': lang } });
        assert.equal(r.statusCode, 200, r.body);
        const job = r.json();
        seen.push({ status: job.status, done: job.done, total: job.total });
        if (job.status !== 'running') return { job, seen };
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    it('a dry run reports a wrong header, a bad date and an unknown grade with row and column, in the caller’s language, and imports nothing', async () => {
      const policy = await k.app.activePolicy();
      const rows = ledgerRows(20, policy, { idPrefix: 'BAD' }).map((r) => r.values);
      rows[5]![1] = '2025-13-45 10:00'; // spreadsheet row 7
      rows[10]![6] = '特大投诉'; // row 12
      const file = join(dir, 'bad.xlsx');
      await writeXlsx(
        file,
        HEADER.map((h) => (h === '满意度' ? '满意程度' : h)),
        rows,
      );
      const before = await count('complaints');
      const r = await upload('admin', { mapping: mappingYaml({ name: 'bad' }), dryRun: 'true' }, [{ field: 'file', name: 'bad.xlsx', type: XLSX, data: readFileSync(file) }], { 'idempotency-key': 'dry-bad' });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      assert.equal(r.body.dryRun, true);
      const { job } = await finished(r.body.id, 'en');
      assert.equal(job.status, 'refused');
      assert.equal(job.rows, 20);
      assert.deepEqual(
        job.problems.map((p: { row: number; column: string | null; code: string }) => [p.row, p.column, p.code]),
        [
          [1, null, 'missing_column'],
          [7, 'B', 'bad_date'],
          [12, 'G', 'unknown_grade'],
        ],
      );
      assert.equal(job.problems[1].text, 'row 7, column B (受理时间): not a date and time: 2025-13-45 10:00');
      const zh = await finished(r.body.id, 'zh-CN');
      assert.equal(zh.job.problems[2].text, '第 12 行 G 列“投诉等级”：制度中没有此等级：特大投诉');
      assert.equal(await count('complaints'), before, 'nothing imported');
    });

    it('imports a 1,200-row workbook after its dry run, progress moving forward to the total; the same key starts no second job; a re-run creates nothing', async () => {
      const policy = await k.app.activePolicy();
      const file = join(dir, 'ledger.xlsx');
      await writeXlsx(
        file,
        HEADER,
        ledgerRows(1200, policy, { idPrefix: 'H' }).map((r) => r.values),
      );
      const data = readFileSync(file);
      const mapping = mappingYaml({ name: '2025 年投诉台账' });
      const before = await count('complaints');

      const dry = await upload('admin', { mapping, dryRun: 'true' }, [{ field: 'file', name: 'ledger.xlsx', type: XLSX, data }], { 'idempotency-key': 'dry-1200' });
      assert.equal(dry.status, 202, JSON.stringify(dry.body));
      const d = (await finished(dry.body.id)).job;
      assert.deepEqual([d.status, d.rows, d.total, d.created, d.problems.length], ['done', 1200, 1200, 0, 0]);
      assert.equal(await count('complaints'), before, 'a dry run imports nothing');

      const jobsBefore = await count('import_jobs');
      const real = await upload('admin', { mapping, dryRun: 'false' }, [{ field: 'file', name: 'ledger.xlsx', type: XLSX, data }], { 'idempotency-key': 'real-1200' });
      assert.equal(real.status, 202, JSON.stringify(real.body));
      const again = await upload('admin', { mapping, dryRun: 'false' }, [{ field: 'file', name: 'ledger.xlsx', type: XLSX, data }], { 'idempotency-key': 'real-1200' });
      assert.equal(again.body.id, real.body.id, 'the same key replays the first answer');
      assert.deepEqual([again.status, again.headers['idempotent-replayed']], [real.status, 'true'], 'replayed, not run again');
      assert.equal(await count('import_jobs'), jobsBefore + 1, 'one job');
      const { job, seen } = await finished(real.body.id);
      assert.deepEqual([job.status, job.created, job.done, job.total, job.alreadyImported], ['done', 1200, 1200, 1200, 0]);
      for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.done >= seen[i - 1]!.done, `progress only moves forward: ${JSON.stringify(seen)}`);
      for (const s of seen) assert.ok(s.done <= Math.max(s.total, 0) || s.total === 0, JSON.stringify(s));
      assert.equal(await count('complaints'), before + 1200);

      // The mapping was saved under its name: the next upload names it.
      const list = await k.as('admin').get('/api/v1/admin/import/mappings');
      assert.ok(list.body.items.some((m: { name: string }) => m.name === '2025 年投诉台账'));
      const rerun = await upload('admin', { mappingName: '2025 年投诉台账', dryRun: 'false' }, [{ field: 'file', name: 'ledger.xlsx', type: XLSX, data }]);
      assert.equal(rerun.status, 202, JSON.stringify(rerun.body));
      const r2 = (await finished(rerun.body.id)).job;
      assert.deepEqual([r2.status, r2.created, r2.alreadyImported], ['done', 0, 1200]);
      assert.equal(await count('complaints'), before + 1200, 'a re-run creates nothing');
    });

    it('a bad mapping, an unknown saved mapping or a file of the wrong type is a 400 naming the field; nothing starts', async () => {
      const csv = join(dir, 'small.csv');
      writeCsv(
        csv,
        HEADER,
        ledgerRows(3, await k.app.activePolicy(), { idPrefix: 'S' }).map((r) => r.values),
      );
      const jobs = await count('import_jobs');
      const badMapping = await upload('admin', { mapping: 'name: x\ncolumns:\n  phone: 电话\n' }, [{ field: 'file', name: 'small.csv', type: 'text/csv', data: readFileSync(csv) }], { 'accept-language': 'en' });
      assert.equal(badMapping.status, 400, JSON.stringify(badMapping.body));
      assert.match(badMapping.body.fields.find((f: { path: string }) => f.path === 'mapping').message, /^invalid mapping: .*receivedAt/);
      const unknown = await upload('admin', { mappingName: '没有这个' }, [{ field: 'file', name: 'small.csv', type: 'text/csv', data: readFileSync(csv) }]);
      assert.equal(unknown.status, 400);
      assert.match(unknown.body.fields.find((f: { path: string }) => f.path === 'mappingName').message, /没有名为“没有这个”的已保存映射/);
      const wrongType = await upload('admin', { mapping: mappingYaml() }, [{ field: 'file', name: 'ledger.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4') }]);
      assert.equal(wrongType.status, 400);
      assert.ok(wrongType.body.fields.some((f: { path: string }) => f.path === 'file'));
      const notXlsx = await upload('admin', { mapping: mappingYaml() }, [{ field: 'file', name: 'ledger.xlsx', type: XLSX, data: Buffer.from('not a zip') }]);
      assert.equal(notXlsx.status, 400);
      assert.ok(notXlsx.body.fields.some((f: { path: string }) => f.path === 'file'));
      assert.equal(await count('import_jobs'), jobs, 'nothing started');
    });

    it('non-administrators get 403 and start nothing', async () => {
      const csv = join(dir, 'small.csv');
      const jobs = await count('import_jobs');
      for (const who of ['specialist', 'auditor', 'agent']) {
        const r = await upload(who, { mapping: mappingYaml({ name: 'x' }), dryRun: 'false' }, [{ field: 'file', name: 'small.csv', type: 'text/csv', data: readFileSync(csv) }], { 'idempotency-key': `k-${who}` });
        assert.equal(r.status, 403, `${who}: ${JSON.stringify(r.body)}`);
        assert.equal((await k.as(who).get('/api/v1/admin/import/mappings')).status, 403);
      }
      const [last] = (await k.as('admin').get('/api/v1/admin/import/jobs')).body.items;
      assert.equal((await k.as('specialist').get(`/api/v1/admin/import/jobs/${last.id}`)).status, 403);
      assert.equal(await count('import_jobs'), jobs);
    });
  });
}

/**
 * History import (issue 15 §4) on every engine:
 * - a 1,000-row Excel ledger: the dry run finds no problem and imports nothing; the import
 *   creates 1,000 cases in their historical state (real receipt, closure, grade) with one
 *   `imported` event each, no clocks and no outbox rows; the statistics count them, caller
 *   history and the full-text search find them, `audit verify` passes; a re-run creates nothing;
 * - a file with a wrong header, a bad date in row 7 and an unknown grade in row 12 gets exactly
 *   those problems, with row and column, in the caller's language, and imports nothing;
 * - a crash inside the second batch: the first batch stays, a re-run completes the rest without
 *   a duplicate (rows keyed by the hash of the row when the ledger has no id column);
 * - a small CSV ledger through `kesu import ledger` as an operator runs it (dry run, import,
 *   re-run by the saved mapping's name).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createTestDb, engines } from '../support/engines.js';
import { createApp } from '../../src/services/app.js';
import { activatePolicy, readPolicyFile } from '../../src/services/policies.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { tmp } from './support.js';
import { HEADER, ledgerRows, mappingYaml, writeCsv, writeXlsx } from './ledger-fixture.js';
import { importLedgerFile } from '../../src/records/import/ledger-import.js';
import { parseMapping } from '../../src/records/import/mapping.js';
import { problemText } from '../../src/records/import/problems.js';
import { verifyChains } from '../../src/store/event.repository.js';
import { statistics } from '../../src/reports/statistics.js';
import { SYSTEM_ACTOR, type Complaint } from '../../src/domain/complaint/types.js';
import { contactKeysForQuery } from '../../src/services/contact-keys.js';
import { caseIdsByContactKeys } from '../../src/store/contact-key.repository.js';
import { listComplaints } from '../../src/store/complaint.repository.js';

const root = new URL('../..', import.meta.url).pathname;

function kesu(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/kesu.ts'), ...args], { cwd: root, env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

for (const { dialect, skip } of await engines()) {
  describe(`ledger import (${dialect})`, { skip }, () => {
    let k: Kesu;
    const dir = tmp('kesu-ledger-');
    before(async () => {
      k = await startKesu(dialect);
    });
    after(async () => {
      await k?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const db = () => k.app.database.db;
    const count = async (table: 'complaints' | 'outbox' | 'clocks' | 'import_rows' | 'complaint_events' | 'case_facts') =>
      Number(
        (
          await db()
            .selectFrom(table)
            .select(sql<number>`count(*)`.as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('imports a 1,000-row Excel ledger after a clean dry run; the reports count it, the audit verifies, a re-run creates nothing', async () => {
      const policy = await k.app.activePolicy();
      const rows = ledgerRows(1000, policy);
      const file = join(dir, 'ledger-2025.xlsx');
      await writeXlsx(
        file,
        HEADER,
        rows.map((r) => r.values),
      );
      const mapping = parseMapping(mappingYaml());
      const outboxBefore = await count('outbox');
      const casesBefore = await count('complaints');

      const dry = await importLedgerFile(k.app, file, { mapping, dryRun: true });
      assert.deepEqual(dry.problems, []);
      assert.equal(dry.rows, 1000);
      assert.equal(dry.toImport, 1000);
      assert.equal(dry.created, 0);
      assert.equal(await count('complaints'), casesBefore, 'the dry run imports nothing');
      assert.equal(await count('import_rows'), 0);

      const progress: number[] = [];
      const r = await importLedgerFile(k.app, file, { mapping, saveMapping: true, onProgress: (p) => progress.push(p.done) });
      assert.equal(r.created, 1000);
      assert.deepEqual(progress, [0, 500, 1000], 'two batches of 500');
      assert.equal(await count('complaints'), casesBefore + 1000);
      assert.equal(await count('import_rows'), 1000);
      assert.equal(await count('outbox'), outboxBefore, 'no customer (or any) message');
      const imported = await db().selectFrom('import_rows').innerJoin('complaints', 'complaints.id', 'import_rows.complaint_id').select(['complaints.id', 'complaints.body', 'import_rows.row_number', 'import_rows.external_id']).execute();
      const ids = imported.map((x) => x.id);
      const clocks = await db().selectFrom('clocks').select('complaint_id').where('complaint_id', 'in', ids).execute();
      assert.equal(clocks.length, 0, 'no clock started, none can fire');

      // A case as the ledger recorded it: received, closed, graded, archived.
      const byRow = new Map(imported.map((x) => [Number(x.row_number), JSON.parse(x.body) as Complaint]));
      const first = byRow.get(2)!; // row 0 of the fixture: a text date, closed
      assert.equal(first.receivedAt, new Date('2025-01-01T09:00:00+08:00').toISOString());
      assert.equal(first.closedAt, new Date('2025-01-03T17:45:00+08:00').toISOString());
      assert.equal(first.state, 'archived');
      assert.equal(first.grade, rows[0]!.grade);
      assert.equal(first.channel, 'phone');
      assert.match(first.number, /^KS-2025-\d{6}$/);
      const second = byRow.get(3)!; // an Excel date cell
      assert.equal(second.receivedAt, new Date('2025-02-01T10:01:00+08:00').toISOString());
      assert.equal(second.primaryHandlerId, k.userIds.get('handler'), 'a handler the ledger names by name is the Kesu user');
      const open = byRow.get(5)!; // fixture row 3: no closing time
      assert.equal(open.state, 'received');
      assert.equal(open.closedAt, null);
      assert.equal(new Set(imported.map((x) => (JSON.parse(x.body) as Complaint).number)).size, 1000, 'distinct case numbers');

      const events = await db().selectFrom('complaint_events').select(['complaint_id', 'type', 'action', 'to_state', 'data']).where('complaint_id', 'in', ids).execute();
      assert.equal(events.length, 1000, 'one event per case');
      assert.ok(events.every((e) => e.type === 'imported' && e.action === 'import'));
      const ev = events.find((e) => e.complaint_id === first.id)!;
      assert.equal(ev.to_state, 'archived');
      assert.equal(JSON.parse(ev.data).ledgerId, 'TZ2025-00001');

      // The statistics of 2025 count every imported case.
      const stats = await statistics(k.app, SYSTEM_ACTOR, { from: '2025-01-01', to: '2025-12-31', groupBy: 'month', filters: {}, repeatWindowDays: 30 });
      assert.equal(stats.intake.total, 1000);
      assert.equal(stats.handling.closed, rows.filter((x) => x.closed).length);
      for (const g of policy.grades) assert.equal(stats.intake.byGrade.find((b) => b.key === g.code)?.count ?? 0, rows.filter((x) => x.grade === g.code).length, `grade ${g.code}`);
      assert.equal(
        stats.intake.trend.reduce((a, b) => a + b.received, 0),
        1000,
      );

      // Caller history (contact keys) and the full-text search find them.
      const byPhone = await caseIdsByContactKeys(db(), contactKeysForQuery(k.app, rows[41]!.phone));
      assert.deepEqual(byPhone, [byRow.get(43)!.id]);
      const found = await listComplaints(db(), k.app.database.dialect, SYSTEM_ACTOR, { text: 'TZ2025-00007' }, { limit: 5 });
      assert.deepEqual(
        found.items.map((x) => x.id),
        [byRow.get(8)!.id],
        'found by the ledger number',
      );

      const v = await verifyChains(db());
      assert.deepEqual(v.problems, []);
      assert.ok(v.cases >= 1000);

      // Again: the dry run sees every row imported; the import creates nothing.
      const again = await importLedgerFile(k.app, file, { mapping, dryRun: true });
      assert.deepEqual([again.problems.length, again.alreadyImported, again.toImport], [0, 1000, 0]);
      const rerun = await importLedgerFile(k.app, file, { mapping });
      assert.equal(rerun.created, 0);
      assert.equal(await count('complaints'), casesBefore + 1000);
      assert.equal(await count('import_rows'), 1000);
    });

    it('reports a wrong header, a bad date in row 7 and an unknown grade in row 12 with row and column, and imports nothing', async () => {
      const policy = await k.app.activePolicy();
      const rows = ledgerRows(20, policy, { idPrefix: 'BAD' }).map((r) => r.values);
      rows[5]![1] = '2025-13-45 10:00'; // spreadsheet row 7
      rows[10]![6] = '特大投诉'; // row 12
      const header = HEADER.map((h) => (h === '满意度' ? '满意程度' : h)); // the mapping says 满意度
      const file = join(dir, 'bad.xlsx');
      await writeXlsx(file, header, rows);
      const mapping = parseMapping(mappingYaml({ name: 'bad' }));
      const casesBefore = await count('complaints');
      const keysBefore = await count('import_rows');

      const dry = await importLedgerFile(k.app, file, { mapping, dryRun: true });
      assert.deepEqual(
        dry.problems.map((p) => [p.row, p.column, p.header, p.code]),
        [
          [1, null, '满意度', 'missing_column'],
          [7, 'B', '受理时间', 'bad_date'],
          [12, 'G', '投诉等级', 'unknown_grade'],
        ],
      );
      assert.equal(problemText(dry.problems[1]!, 'en'), 'row 7, column B (受理时间): not a date and time: 2025-13-45 10:00');
      assert.equal(problemText(dry.problems[2]!, 'zh-CN'), '第 12 行 G 列“投诉等级”：制度中没有此等级：特大投诉');
      assert.equal(problemText(dry.problems[2]!, 'zh-TW'), '第 12 列 G 欄「投诉等级」：制度中沒有此等級：特大投诉');
      assert.equal(problemText(dry.problems[0]!, 'en'), 'row 1, column 满意度: the header has no column "满意度" (named by the mapping)');

      const real = await importLedgerFile(k.app, file, { mapping, saveMapping: true });
      assert.equal(real.refused, true);
      assert.equal(real.created, 0);
      assert.equal(await count('complaints'), casesBefore, 'nothing imported');
      assert.equal(await count('import_rows'), keysBefore);
      const saved = await db().selectFrom('import_mappings').select('name').where('name', '=', 'bad').execute();
      assert.equal(saved.length, 0, 'a refused import saves no mapping either');
    });

    it('resumes after a crash inside the second batch without duplicates (rows keyed by their hash)', async () => {
      const policy = await k.app.activePolicy();
      const rows = ledgerRows(250, policy, { idPrefix: 'CRASH' }).map((r) => r.values.slice(1)); // no ledger id column
      const file = join(dir, 'no-ids.xlsx');
      await writeXlsx(file, HEADER.slice(1), rows);
      const mapping = parseMapping(mappingYaml({ name: 'no ids', withId: false }));
      const casesBefore = await count('complaints');
      const keysBefore = await count('import_rows');

      await assert.rejects(
        importLedgerFile(k.app, file, {
          mapping,
          batchSize: 100,
          inBatch: async (_trx, b) => {
            if (b === 1) throw new Error('injected crash in batch 2');
          },
        }),
        /injected crash/,
      );
      assert.equal(await count('complaints'), casesBefore + 100, 'the first batch committed, the second rolled back whole');
      assert.equal(await count('import_rows'), keysBefore + 100);

      const dry = await importLedgerFile(k.app, file, { mapping, dryRun: true });
      assert.deepEqual([dry.problems.length, dry.alreadyImported, dry.toImport], [0, 100, 150]);
      const r = await importLedgerFile(k.app, file, { mapping, batchSize: 100 });
      assert.equal(r.created, 150);
      assert.equal(await count('complaints'), casesBefore + 250);
      const keys = await db().selectFrom('import_rows').select(['key', 'row_number']).where('source', '=', 'no-ids.xlsx').execute();
      assert.equal(keys.length, 250);
      assert.ok(keys.every((x) => x.key.startsWith('row:')));
      assert.deepEqual(
        keys.map((x) => Number(x.row_number)).sort((a, b) => a - b),
        Array.from({ length: 250 }, (_, i) => i + 2),
        'every row once',
      );
      assert.equal((await importLedgerFile(k.app, file, { mapping })).created, 0);
      assert.deepEqual((await verifyChains(db())).problems, []);
    });

    it('imports a small CSV ledger with `kesu import ledger`: dry run, import, re-run by the saved mapping name', async () => {
      const file = join(dir, 'ledger.csv');
      writeCsv(
        file,
        ['编号', '来电时间', '姓名', '电话', '渠道', '类型', '问题描述', '状态', '结案时间', '处理结果'],
        [
          ['C-1', '2024-11-05 09:15', '黄先生', '13800001111', '电话', '投诉', '快递三天未送达，客服说"已签收"，实际没收到', '已结案', '2024-11-06 10:00', '已补发，客户认可'],
          ['C-2', '2024年11月6日 14:20', '', '', '来访', '咨询', '询问发票开具流程,\n能否开具电子发票', '已结案', '2024-11-06 15:00', '已当场答复'],
          ['C-3', '2024/11/7 8:05', '林女士', '021-5555 1234', '网络', '建议', '希望增加夜间客服', '', '', ''],
        ],
      );
      const mappingFile = join(dir, 'csv-mapping.yaml');
      writeFileSync(
        mappingFile,
        [
          'name: 客服中心来电登记',
          'columns:',
          '  externalId: 编号',
          '  receivedAt: 来电时间',
          '  customerName: 姓名',
          '  phone: 电话',
          '  channel: 渠道',
          '  kind: 类型',
          '  description: 问题描述',
          '  state: 状态',
          '  closedAt: 结案时间',
          '  result: 处理结果',
          '',
        ].join('\n'),
      );
      // A database of its own: the command's audit key (its data folder's) MACs every event in it.
      const t = await createTestDb(dialect);
      try {
        const f = readPolicyFile('kesu-default');
        await activatePolicy(createApp(t.database), f.text, f.format);
        const env = { KESU_DATA_DIR: t.dataDir ?? join(dir, 'cli-data'), DATABASE_URL: t.url ?? '', KESU_LANG: 'en' };
        const tdb = t.database.db;
        const count = async (table: 'complaints') =>
          Number(
            (
              await tdb
                .selectFrom(table)
                .select(sql<number>`count(*)`.as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          );
        const casesBefore = await count('complaints');

        const dry = await kesu(['import', 'ledger', file, '--mapping', mappingFile, '--dry-run'], env);
        assert.equal(dry.code, 0, dry.err + dry.out);
        assert.match(dry.out, /dry run: 3 data rows, no problems; would import 3, 0 imported before/);
        assert.equal(await count('complaints'), casesBefore);

        const run = await kesu(['import', 'ledger', file, '--mapping', mappingFile], env);
        assert.equal(run.code, 0, run.err + run.out);
        assert.match(run.out, /imported 3 rows \(0 imported before, skipped\)/);
        assert.match(run.err, /imported 3 \/ 3 rows, \d+ rows\/s/);
        assert.equal(await count('complaints'), casesBefore + 3);
        const cases = await tdb
          .selectFrom('import_rows')
          .innerJoin('complaints', 'complaints.id', 'import_rows.complaint_id')
          .select(['import_rows.external_id', 'complaints.body'])
          .where('import_rows.source', '=', 'ledger.csv')
          .orderBy('import_rows.row_number')
          .execute();
        const bodies = cases.map((c) => JSON.parse(c.body) as Complaint);
        assert.deepEqual(
          bodies.map((b) => [b.kind, b.state, b.number.slice(0, 8)]),
          [
            ['complaint', 'closed', 'KS-2024-'],
            ['inquiry', 'closed', 'KS-2024-'],
            ['suggestion', 'received', 'KS-2024-'],
          ],
        );
        assert.equal(bodies[0]!.description, '快递三天未送达，客服说"已签收"，实际没收到');
        assert.equal(bodies[1]!.description, '询问发票开具流程,\n能否开具电子发票');
        assert.equal(bodies[1]!.complainant.anonymous, true);
        assert.equal(bodies[1]!.receivedAt, new Date('2024-11-06T14:20:00+08:00').toISOString());

        const verify = await kesu(['audit', 'verify'], env);
        assert.equal(verify.code, 0, verify.out + verify.err);

        const rerun = await kesu(['import', 'ledger', file, '--mapping', '客服中心来电登记'], env);
        assert.equal(rerun.code, 0, rerun.err + rerun.out);
        assert.match(rerun.out, /imported 0 rows \(3 imported before, skipped\)/);
        assert.equal(await count('complaints'), casesBefore + 3);

        const bad = await kesu(['import', 'ledger', file, '--mapping', 'no such mapping', '--dry-run'], { ...env, KESU_LANG: 'zh-CN' });
        assert.equal(bad.code, 2);
        assert.match(bad.err, /no saved mapping of that name/);
      } finally {
        await t.drop();
      }
    });
  });
}

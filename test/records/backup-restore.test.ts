/**
 * Backup and restore (issue 15 §3) on every engine: a backup taken while intakes keep arriving
 * is one consistent snapshot (every event's, clock's, participant's and file's case exists, the
 * hash chains verify, the counts are the manifest's, every restored event is the source's); a
 * backup taken at rest restores to identical logical content — every table's rows, every file's
 * hash; restore refuses a non-empty target unless forced; verify catches a corrupted file, an
 * edited manifest and a stray file, and restore refuses such a backup.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engines } from '../support/engines.js';
import { emptyTarget, type Target } from './support.js';
import { PNG, multipart, startChannelKesu, type ChannelKesu } from '../support/channels.js';
import { createBackup } from '../../src/records/backup.js';
import { restoreBackup, RestoreError } from '../../src/records/restore.js';
import { loadAuditKeyring } from '../../src/audit/keys.js';
import { verifyBackup } from '../../src/records/manifest.js';
import { connectPg, pgSource, sqliteSource, tableContent, tableNames, type RowSource } from '../../src/records/sources.js';
import { attachmentPath } from '../../src/channels/attachments.js';
import { openDatabase } from '../../src/store/db.js';
import { verifyChains } from '../../src/store/event.repository.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));

async function openSource(t: { dataDir: string; databaseUrl?: string }): Promise<RowSource> {
  return t.databaseUrl ? pgSource(await connectPg(t.databaseUrl)) : sqliteSource(join(t.dataDir, 'kesu.sqlite'));
}

async function one(src: RowSource, text: string): Promise<number> {
  const [r] = await src.query<{ n: number | string }>(text);
  return Number(r?.n);
}

for (const { dialect, skip } of await engines()) {
  describe(`backup and restore (${dialect})`, { skip }, () => {
    let ck: ChannelKesu;
    let source: { dataDir: string; databaseUrl?: string };
    const cleanup: (() => Promise<void> | void)[] = [];
    const files: Buffer[] = [];

    async function intake(i: number): Promise<string> {
      const r = await ck.k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: `备份期间的来电 ${i}：快递包裹破损`, complainant: { name: `客户${i}`, phone: '13812345678' } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.complaint.id as string;
    }

    async function attach(id: string, data: Buffer, name: string): Promise<void> {
      if (!ck.k.tokens.get('agent')) assert.equal((await ck.k.as('agent').get('/api/v1/me')).status, 200);
      const m = multipart({}, [{ field: 'files', name, type: 'image/png', data }]);
      const r = await ck.k.server.inject({ method: 'POST', url: `/api/v1/complaints/${id}/attachments`, payload: m.payload, headers: { ...m.headers, authorization: `Bearer ${ck.k.tokens.get('agent')}` } });
      assert.equal(r.statusCode, 201, r.body);
    }

    before(async () => {
      ck = await startChannelKesu(dialect);
      source = { dataDir: ck.s.dataDir, databaseUrl: ck.k.testDb.url };
      // The PostgreSQL test database is opened without a data folder (its audit key would be this
      // process's own): keep the key in the source's data folder, as `kesu serve` does, where the
      // backup takes it from.
      if (dialect === 'postgres') {
        const keyFile = join(ck.s.dataDir, 'audit.key');
        let ring: ReturnType<typeof loadAuditKeyring> | null = null;
        ck.k.app.database.audit = { keys: () => (ring ??= loadAuditKeyring({ keyFile })), checkpointDir: null };
      }
      for (let i = 0; i < 4; i++) {
        const id = await intake(i);
        const data = Buffer.concat([PNG, randomBytes(64 + i)]);
        files.push(data);
        await attach(id, data, `照片${i}.png`);
      }
    });
    after(async () => {
      for (const c of cleanup.reverse()) await c();
      await ck?.close();
    });

    it('a backup while intakes keep arriving is one consistent snapshot, and restores to what it counted', async () => {
      const base = await one(await keep(openSource(source)), 'select count(*) as n from complaints');
      let stop = false;
      let done = 0;
      let n = 100;
      const worker = async () => {
        while (!stop) {
          const id = await intake(n++);
          // Every other intake brings a file, so files and rows are written while the backup runs.
          if (n % 2) await attach(id, Buffer.concat([PNG, randomBytes(32)]), 'during.png');
          done++;
        }
      };
      const workers = [worker(), worker(), worker()];
      while (done < 3) await new Promise((r) => setTimeout(r, 5));
      const atStart = done;
      const out = join(tmp('kesu-backup-'), 'b1');
      cleanup.push(() => rmSync(join(out, '..'), { recursive: true, force: true }));
      const { manifest } = await createBackup({ ...source, out });
      const atEnd = done;
      assert.ok(atEnd > atStart, `intakes finished while the backup ran (${atStart} at its start, ${atEnd} at its end)`);
      while (done < atEnd + 3) await new Promise((r) => setTimeout(r, 5));
      stop = true;
      await Promise.all(workers);
      const after = await one(await keep(openSource(source)), 'select count(*) as n from complaints');

      assert.equal(manifest.engine, dialect);
      assert.equal(manifest.schema.latest?.slice(0, 4).match(/^\d{4}$/)?.length, 1);
      assert.deepEqual(manifest.missingFiles, []);
      const counted = manifest.tables.complaints!;
      assert.ok(counted >= base + atStart && counted < after, `snapshot between start and end: ${base}+${atStart} <= ${counted} < ${after}`);
      assert.ok((await verifyBackup(out)).ok);

      const target = await emptyTarget(dialect);
      cleanup.push(() => target.drop());
      const r = await restoreBackup({ from: out, ...target });
      assert.equal(r.files, manifest.files.length);
      const restored = await keep(openSource(target));
      for (const [t, count] of Object.entries(manifest.tables)) assert.equal(await one(restored, `select count(*) as n from "${t}"`), count, t);
      for (const t of ['complaint_events', 'complaint_participants', 'clocks', 'attachments', 'customer_access'])
        assert.equal(await one(restored, `select count(*) as n from ${t} x where not exists (select 1 from complaints c where c.id = x.complaint_id)`), 0, `${t} rows without their case`);
      assert.equal(await one(restored, 'select count(*) as n from complaints c where not exists (select 1 from complaint_events e where e.complaint_id = c.id)'), 0, 'cases without events');
      assert.equal(await one(restored, 'select count(*) as n from outbox o where o.complaint_id is not null and not exists (select 1 from complaints c where c.id = o.complaint_id)'), 0);
      // Every restored event is the source's, byte for byte (events are append-only).
      const sourceEvents = new Set(await tableContent(await keep(openSource(source)), 'complaint_events'));
      const restoredEvents = await tableContent(restored, 'complaint_events');
      assert.equal(restoredEvents.filter((e) => !sourceEvents.has(e)).length, 0);
      // Every table: each restored row is, byte for byte, a row the source still holds once the
      // writes stopped — the snapshot invented and garbled nothing — but for the rows the writers
      // change after writing them: the case-number counter (every intake), the row and chain
      // heads of a case whose attachment came after the snapshot (one per writer at most), the
      // stage row of an upload in flight at the snapshot (storage/staging.ts: deleted once its
      // attachment commits; one per writer at most), and SQLite's full-text index segments
      // (rewritten by every insert; the counts above hold).
      const sourceNow = await keep(openSource(source));
      const moving = (t: string) => t === 'counters' || t.startsWith('complaint_search_');
      const strays: Record<string, number> = {};
      for (const t of Object.keys(manifest.tables)) {
        if (moving(t)) continue;
        const now = new Set(await tableContent(sourceNow, t));
        const n = (await tableContent(restored, t)).filter((row) => !now.has(row)).length;
        if (n) strays[t] = n;
      }
      const { complaints: movedCases = 0, audit_heads: movedHeads = 0, file_stages: uploadsInFlight = 0, ...others } = strays;
      assert.deepEqual(others, {}, 'restored rows the source does not hold');
      assert.ok(uploadsInFlight <= workers.length, `uploads in flight at the snapshot: ${uploadsInFlight}`);
      assert.ok(movedCases <= workers.length && movedHeads <= 2 * workers.length, `cases caught between intake and attachment: ${JSON.stringify(strays)}`);
      for (const { id } of await restored.query<{ id: string }>('select id from complaints')) assert.equal(await one(sourceNow, `select count(*) as n from complaints where id = '${id}'`), 1, `case ${id} is the source's`);
      // The hash chains verify, and every file the snapshot names is there with its hash.
      const db = openDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir });
      cleanup.push(() => db.close());
      const chains = await verifyChains(db.db);
      assert.deepEqual(chains.problems, []);
      assert.equal(chains.cases, counted);
      for (const { sha256 } of await restored.query<{ sha256: string }>('select distinct sha256 from attachments')) {
        const p = attachmentPath(target.dataDir, sha256);
        assert.ok(existsSync(p), `file ${sha256}`);
        assert.equal(sha(readFileSync(p)), sha256);
      }
    });

    /** Opened sources are closed after the suite. */
    async function keep(p: Promise<RowSource>): Promise<RowSource> {
      const s = await p;
      cleanup.push(() => s.close());
      return s;
    }

    let quiet = '';
    let quietTarget: Target;
    it('a backup at rest restores to identical content: every table’s rows, every file’s hash', async () => {
      quiet = join(tmp('kesu-backup-'), 'b2');
      cleanup.push(() => rmSync(join(quiet, '..'), { recursive: true, force: true }));
      const { manifest } = await createBackup({ ...source, out: quiet });
      quietTarget = await emptyTarget(dialect);
      cleanup.push(() => quietTarget.drop());
      await restoreBackup({ from: quiet, ...quietTarget });

      const a = await keep(openSource(source));
      const b = await keep(openSource(quietTarget));
      const tables = await tableNames(a);
      assert.deepEqual(await tableNames(b), tables);
      assert.deepEqual(Object.keys(manifest.tables), tables);
      for (const t of tables) assert.deepEqual(await tableContent(b, t), await tableContent(a, t), `table ${t}`);
      const named = (await a.query<{ sha256: string }>('select distinct sha256 from attachments')).map((r) => r.sha256);
      assert.ok(named.length >= 4);
      for (const data of files) assert.ok(named.includes(sha(data)));
      for (const h of named) assert.equal(sha(readFileSync(attachmentPath(quietTarget.dataDir, h))), sha(readFileSync(attachmentPath(source.dataDir, h))));
      if (existsSync(join(source.dataDir, 'secret.key'))) assert.deepEqual(readFileSync(join(quietTarget.dataDir, 'secret.key')), readFileSync(join(source.dataDir, 'secret.key')));
    });

    it('restore refuses a target that is not empty, and --force replaces it', async () => {
      await assert.rejects(restoreBackup({ from: quiet, ...quietTarget }), (e: unknown) => e instanceof RestoreError && /not empty/.test(e.message));
      const r = await restoreBackup({ from: quiet, ...quietTarget, force: true });
      assert.ok(r.rows > 0);
      // A data folder holding only files counts as not empty too.
      const filesOnly = await emptyTarget(dialect);
      cleanup.push(() => filesOnly.drop());
      cpSync(join(source.dataDir, 'attachments'), join(filesOnly.dataDir, 'attachments'), { recursive: true });
      await assert.rejects(restoreBackup({ from: quiet, ...filesOnly }), /attachments holds/);
    });

    it('verify finds a corrupted file, an edited manifest and a stray file; restore refuses the backup', async () => {
      const bad = join(tmp('kesu-backup-'), 'bad');
      cleanup.push(() => rmSync(join(bad, '..'), { recursive: true, force: true }));
      cpSync(quiet, bad, { recursive: true });
      const v0 = await verifyBackup(bad);
      assert.ok(v0.ok, v0.problems.join('\n'));
      const file = v0.manifest!.files.find((f) => f.path.startsWith('files/attachments/'))!;
      const p = join(bad, ...file.path.split('/'));
      const bytes = readFileSync(p);
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
      writeFileSync(p, bytes);
      const v1 = await verifyBackup(bad);
      assert.equal(v1.ok, false);
      assert.ok(
        v1.problems.some((x) => x.startsWith(`${file.path}: SHA-256`)),
        v1.problems.join('\n'),
      );
      const target = await emptyTarget(dialect);
      cleanup.push(() => target.drop());
      await assert.rejects(restoreBackup({ from: bad, ...target }), /does not match its manifest/);
      assert.equal(existsSync(join(target.dataDir, 'kesu.sqlite')), false, 'nothing restored');

      const m = JSON.parse(readFileSync(join(bad, 'manifest.json'), 'utf8'));
      m.tables.complaints += 1;
      writeFileSync(join(bad, 'manifest.json'), JSON.stringify(m));
      assert.match((await verifyBackup(bad)).problems.join('\n'), /manifest.json: its hash does not match/);

      cpSync(join(quiet, 'manifest.json'), join(bad, 'manifest.json'));
      writeFileSync(p, readFileSync(join(quiet, ...file.path.split('/'))));
      appendFileSync(join(bad, 'stray.txt'), 'x');
      assert.deepEqual((await verifyBackup(bad)).problems, ['stray.txt: not in the manifest']);
    });
  });
}

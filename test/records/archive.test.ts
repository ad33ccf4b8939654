/**
 * The yearly archive (案宗, issue 15 §1), on every engine: cases made and archived with an
 * injected clock across two years — one received on New Year's Eve and closed after local
 * midnight, filed under the new year although it is still the old year in UTC — are counted per
 * year and per department (the default grouping; an unrouted case under "-"), listed a page at
 * a time, and downloaded as one zip holding every archived case of the year (the entries read
 * back, one dossier through pdftotext), masked for a reader whose part needs no personal data
 * and logged for one who sees it. A closed but not archived case is in no file. Bad input: 400
 * naming the field in the caller's language; a role outside the archive's: 403. A policy with
 * `archive.groupBy: categoryGroup` files the same year by the categories' groups. A reader who
 * goes away mid-download stops the rendering.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { archiveGroupingOf } from '../../src/domain/policy/archive.js';
import { activatePolicy, readPolicyFile } from '../../src/services/policies.js';
import { PassThrough } from 'node:stream';
import { writeArchiveZip } from '../../src/records/archive-download.js';
import { actorOf, findUserByUsername } from '../../src/store/user.repository.js';
import { pdfText } from '../support/pdf.js';

const OUT = resolve('test-output', 'archive');
const PHONE = '13912345678';
const ZIP_ROUTE = 'GET /api/v1/archive/years/:year/dossiers.zip';

for (const { dialect, skip } of await engines()) {
  describe(`yearly archive (${dialect})`, { skip }, () => {
    let k: Kesu;
    const numbers: Record<'y2025' | 'y2026' | 'closedOnly', string[]> = { y2025: [], y2026: [], closedOnly: [] };
    const byDept: Record<string, string[]> = {};

    const ok = async (p: Promise<{ status: number; body: any }>, what: string) => {
      const r = await p;
      assert.equal(r.status, 200, `${what}: ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const create = async (kind: 'suggestion' | 'complaint', title: string) => {
      const r = await k.as('agent').post('/api/v1/complaints', { kind, channel: 'phone', title, description: `${title}，请尽快处理`, complainant: { name: '王女士', phone: PHONE } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return { id: r.body.complaint.id as string, number: r.body.complaint.number as string };
    };
    /** A suggestion routed to `dept`, answered and closed; archived unless told not to. */
    const suggestion = async (dept: string, title: string, opts: { archive?: boolean; beforeAnswer?: () => void } = {}) => {
      const c = await create('suggestion', title);
      await ok(k.as('specialist').act(c.id, 'route', { departmentCode: dept, primaryHandlerId: k.userIds.get('handler') }), 'route');
      opts.beforeAnswer?.();
      await ok(k.as('handler').act(c.id, 'answer', { text: '感谢您的建议，已采纳', method: 'phone', adopted: true }), 'answer');
      await ok(k.as('specialist').act(c.id, 'close', {}), 'close');
      if (opts.archive !== false) await ok(k.as('specialist').act(c.id, 'archive', {}), 'archive');
      return c.number;
    };
    const raw = async (username: string, url: string, headers: Record<string, string> = {}) => {
      await k.as(username).get('/api/v1/me');
      return k.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${k.tokens.get(username)}`, ...headers } });
    };
    const accessRows = () => k.testDb.database.db.selectFrom('pii_access_log').selectAll().where('route', '=', ZIP_ROUTE).execute();
    /** Unpacks a zip answer into a fresh directory; returns the directory and its entries. */
    const unpack = (name: string, bytes: Buffer) => {
      mkdirSync(OUT, { recursive: true });
      const file = join(OUT, `${dialect}-${name}.zip`);
      writeFileSync(file, bytes);
      const dir = mkdtempSync(join(tmpdir(), 'kesu-archive-'));
      execFileSync('unzip', ['-q', '-o', file, '-d', dir]);
      const entries = (readdirSync(dir, { recursive: true }) as string[]).map((p) => p.split('\\').join('/')).sort();
      return { dir, entries };
    };
    const pdfWords = (file: string) => pdfText(file).replace(/\s+/g, '');

    before(async () => {
      k = await startKesu(dialect, { start: '2025-03-10T09:00:00+08:00' });
      for (const [dept, title] of [
        ['customer_service', '营业厅增加休息座椅'],
        ['customer_service', '延长周末营业时间'],
        ['sales', '增加会员积分活动'],
      ] as const) {
        const n = await suggestion(dept, title);
        numbers.y2025.push(n);
        (byDept[dept] ??= []).push(n);
        k.clock.advance(86_400_000);
      }
      // An invalid complaint: closed without a department, filed under "-".
      const inv = await create('complaint', '与本公司无关的投诉');
      await ok(k.as('specialist').act(inv.id, 'judge', { valid: false, reason: 'outside_service', explanation: '不属于本公司服务范围' }), 'judge');
      await ok(k.as('specialist').act(inv.id, 'close', {}), 'close');
      await ok(k.as('specialist').act(inv.id, 'archive', {}), 'archive');
      numbers.y2025.push(inv.number);
      // Closed, not archived: in no year's file.
      numbers.closedOnly.push(await suggestion('sales', '停车场照明不足', { archive: false }));
      // Received on New Year's Eve, closed at 00:30 local time on 1 January 2026 (still 2025 in UTC).
      k.clock.set('2025-12-31T23:00:00+08:00');
      const late = await suggestion('sales', '春节期间值班安排', { beforeAnswer: () => k.clock.set('2026-01-01T00:30:00+08:00') });
      numbers.y2026.push(late);
    });
    after(async () => k?.close());

    it('lists the years with their counts: filed by the local year of closing, archived cases only', async () => {
      const body = await ok(k.as('specialist').get('/api/v1/archive/years'), 'years');
      assert.deepEqual(body.years, [
        { year: 2026, count: 1 },
        { year: 2025, count: 4 },
      ]);
    });

    it("counts a year's files per department, and pages a group's cases", async () => {
      const y = await ok(k.as('specialist').get('/api/v1/archive/years/2025'), 'year');
      assert.equal(y.groupBy, 'department');
      assert.equal(y.total, 4);
      assert.deepEqual(
        y.groups.map((g: any) => [g.key, g.count]),
        [
          ['customer_service', 2],
          ['sales', 1],
          ['-', 1],
        ],
      );
      assert.ok(
        y.groups.every((g: any) => g.name && g.name !== g.key),
        `groups named in the reader's language: ${JSON.stringify(y.groups)}`,
      );
      assert.equal(y.groups.find((g: any) => g.key === '-').name, '未指定');
      const p1 = await ok(k.as('specialist').get('/api/v1/archive/years/2025?group=customer_service&pageSize=1'), 'page 1');
      const p2 = await ok(k.as('specialist').get('/api/v1/archive/years/2025?group=customer_service&pageSize=1&page=2'), 'page 2');
      assert.equal(p1.cases.total, 2);
      assert.deepEqual([...p1.cases.items, ...p2.cases.items].map((c: any) => c.number).sort(), [...byDept.customer_service!].sort());
      assert.equal(p1.cases.items[0].title.length > 0, true);
      const none = await ok(k.as('auditor').get('/api/v1/archive/years/2025?group=-'), 'unassigned');
      assert.deepEqual(
        none.cases.items.map((c: any) => c.number),
        [numbers.y2025[3]],
      );
      const y26 = await ok(k.as('admin').get('/api/v1/archive/years/2026?group=sales'), '2026');
      assert.deepEqual(
        y26.cases.items.map((c: any) => c.number),
        numbers.y2026,
      );
      const empty = await ok(k.as('specialist').get('/api/v1/archive/years/2024'), 'a year without cases');
      assert.deepEqual([empty.total, empty.groups], [0, []]);
    });

    it("downloads the whole year as one zip: every archived case's dossier and the list of contents, logged per case", async () => {
      const before = (await accessRows()).length;
      const r = await raw('specialist', '/api/v1/archive/years/2025/dossiers.zip');
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(r.headers['content-type'], 'application/zip');
      assert.match(String(r.headers['content-disposition']), /attachment; filename="kesu-archive-2025.zip"/);
      const { dir, entries } = unpack('2025-specialist', r.rawPayload);
      const pdfs = entries.filter((e) => e.endsWith('.pdf'));
      assert.deepEqual(pdfs.map((e) => e.split('/').at(-1)!.replace('.pdf', '')).sort(), [...numbers.y2025].sort(), `entries: ${entries.join(', ')}`);
      assert.ok(!entries.some((e) => e.includes(numbers.closedOnly[0]!) || e.includes(numbers.y2026[0]!)), 'only the archived cases of 2025');
      assert.ok(entries.includes('2025/目录.csv'), `the list of contents: ${entries.join(', ')}`);
      const csv = execFileSync('cat', [join(dir, '2025', '目录.csv')], { encoding: 'utf8' });
      for (const n of numbers.y2025) assert.ok(csv.includes(n), `目录 lists ${n}`);
      const one = pdfs.find((e) => e.endsWith(`${byDept.sales![0]}.pdf`))!;
      assert.ok(one.startsWith('2025/') && one.split('/').length === 3, `filed in its group's folder: ${one}`);
      const text = pdfWords(join(dir, one));
      for (const s of ['《客户投诉处理单》', byDept.sales![0]!, '增加会员积分活动', PHONE]) assert.ok(text.includes(s), `the dossier shows ${s}`);
      const rows = (await accessRows()).slice(before);
      assert.equal(rows.length, 4, 'one access-log row per case shown unmasked');
      assert.ok(rows.every((x) => x.user_id === k.userIds.get('specialist')));
      const ids = await k.testDb.database.db.selectFrom('complaints').select('id').where('number', 'in', numbers.y2025).execute();
      assert.deepEqual(rows.map((x) => x.complaint_id).sort(), ids.map((x) => x.id).sort());
    });

    it('downloads one group; a reader whose part needs no personal data gets it masked and logs nothing', async () => {
      const before = (await accessRows()).length;
      const r = await raw('auditor', '/api/v1/archive/years/2025/dossiers.zip?group=customer_service&lang=en');
      assert.equal(r.statusCode, 200, r.body);
      assert.match(String(r.headers['content-disposition']), /kesu-archive-2025-customer_service\.zip/);
      const { dir, entries } = unpack('2025-auditor-customer_service', r.rawPayload);
      const pdfs = entries.filter((e) => e.endsWith('.pdf'));
      assert.deepEqual(pdfs.map((e) => e.split('/').at(-1)!.replace('.pdf', '')).sort(), [...byDept.customer_service!].sort());
      const text = pdfWords(join(dir, pdfs[0]!));
      assert.ok(text.includes('CustomerComplaintHandlingForm'), 'in the reader’s language');
      assert.ok(text.includes('139****5678') && !text.includes(PHONE), 'the phone masked');
      assert.equal((await accessRows()).length, before, 'a masked download reveals nothing to log');
    });

    it('refuses bad input with a 400 naming the field in the caller’s language, and other roles with 403', async () => {
      const year = await raw('specialist', '/api/v1/archive/years/twenty');
      assert.equal(year.statusCode, 400);
      assert.deepEqual(
        year.json().fields.map((f: any) => f.path),
        ['year'],
      );
      assert.match(year.json().fields[0].message, /年度应为四位数字/);
      const en = await raw('specialist', '/api/v1/archive/years/0000', { 'accept-language': 'en' });
      assert.equal(en.statusCode, 400);
      assert.equal(en.json().fields[0].path, 'year');
      assert.match(en.json().fields[0].message, /four-digit year/);
      const group = await raw('specialist', '/api/v1/archive/years/2025?group=nowhere', { 'accept-language': 'zh-TW' });
      assert.equal(group.statusCode, 400);
      assert.equal(group.json().fields[0].path, 'group');
      assert.match(group.json().fields[0].message, /未知的案宗分組/);
      const zip = await raw('specialist', '/api/v1/archive/years/2025/dossiers.zip?group=nowhere', { 'accept-language': 'en' });
      assert.equal(zip.statusCode, 400);
      assert.match(zip.json().fields[0].message, /unknown archive group "nowhere"/);
      assert.equal((await raw('specialist', '/api/v1/archive/years/20x5/dossiers.zip')).statusCode, 400);
      assert.equal((await raw('specialist', '/api/v1/archive/years/2025?pageSize=500')).json().fields[0].path, 'pageSize');
      for (const who of ['agent', 'handler']) assert.equal((await raw(who, '/api/v1/archive/years')).statusCode, 403, who);
      assert.equal((await k.server.inject({ method: 'GET', url: '/api/v1/archive/years' })).statusCode, 401);
    });

    it('stops rendering when the reader goes away mid-download', async () => {
      const actor = actorOf((await findUserByUsername(k.testDb.database.db, 'specialist'))!);
      const out = new PassThrough();
      out.once('data', () => out.destroy()); // the first bytes arrive, then the connection drops
      const n = await writeArchiveZip(k.app, actor, { year: 2025, lang: 'zh-CN' }, out);
      assert.ok(n < numbers.y2025.length, `stopped after ${n} of ${numbers.y2025.length} cases`);
    });

    it("files by the policy's archive.groupBy: category groups", async () => {
      // A complaint of category attitude (group service), handled through to its archiving in 2026.
      const c = await create('complaint', '营业员态度恶劣');
      const ids = Object.fromEntries(k.userIds);
      const [specialist, handler] = [k.as('specialist'), k.as('handler')];
      await ok(specialist.act(c.id, 'judge', { valid: true }), 'judge');
      await ok(specialist.act(c.id, 'classify', { category: 'attitude', grade: 'general' }), 'classify');
      await ok(specialist.act(c.id, 'route', { departmentCode: 'customer_service', primaryHandlerId: ids.handler }), 'route');
      await ok(handler.act(c.id, 'accept', {}), 'accept');
      await ok(handler.act(c.id, 'investigate', { facts: '属实', cause: '服务意识不足', responsibility: { type: 'employee', employeeId: ids.agent2 } }), 'investigate');
      await ok(handler.act(c.id, 'propose', { solutions: ['apology'], description: '当面致歉' }), 'propose');
      await ok(handler.act(c.id, 'answer', { text: '已致歉', method: 'phone' }), 'answer');
      await ok(k.as('followup').act(c.id, 'follow_up', { reached: true, satisfaction: 'satisfied' }), 'follow_up');
      await ok(specialist.act(c.id, 'close', {}), 'close');
      await ok(specialist.act(c.id, 'archive', {}), 'archive');
      const f = readPolicyFile('kesu-default');
      const text = f.text.replace(/^version: .*$/m, "version: '2026.1-archive'") + '\narchive:\n  groupBy: categoryGroup\n';
      await activatePolicy(k.app, text, 'yaml');
      const y = await ok(k.as('specialist').get('/api/v1/archive/years/2026'), '2026 by category group');
      assert.equal(y.groupBy, 'categoryGroup');
      assert.deepEqual(
        y.groups.map((g: any) => [g.key, g.count]),
        [
          ['service', 1],
          ['-', 1],
        ],
      );
      const service = await ok(k.as('specialist').get('/api/v1/archive/years/2026?group=service'), 'service');
      assert.deepEqual(
        service.cases.items.map((x: any) => x.number),
        [c.number],
      );
      assert.equal((await raw('specialist', '/api/v1/archive/years/2026?group=customer_service')).statusCode, 400, 'a department is no group now');
    });
  });
}

describe('archive policy section', () => {
  it('groups by department when a stored policy has no archive section', () => {
    assert.equal(archiveGroupingOf({}), 'department');
    assert.equal(archiveGroupingOf({ archive: { groupBy: 'categoryGroup' } }), 'categoryGroup');
  });
});

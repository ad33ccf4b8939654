/**
 * Publishing a policy edited in the console's forms (issue 14 §10), on both engines: the draft
 * (the active document with changes, under its own version label) is checked by the same reader
 * as `kesu policy check`, stored and activated with who published it; new cases run under it.
 * The history lists every version with its publisher. Bad input — a checker problem, a used
 * label, a stale base, no change, a malformed body, a non-admin — answers 4xx naming the field in
 * the caller's language and writes nothing.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { listAuthEvents } from '../../src/store/login-throttle.repository.js';
import { getActivePolicySource } from '../../src/store/policy.repository.js';

const preset = readFileSync(new URL('../../policies/kesu-default.yaml', import.meta.url), 'utf8');
const LANG = { 'zh-CN': 'zh-CN', 'zh-TW': 'zh-TW', en: 'en' } as const;

for (const { dialect, skip } of await engines()) {
  describe(`policy editor: publish and history (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      k = await startKesu(dialect, { start: '2026-11-02T09:00:00+08:00' });
    });
    after(async () => k?.close());

    const active = async () => (await k.as('admin').get('/api/v1/policy')).body.active as Record<string, any>;
    const publish = (body: unknown, lang: keyof typeof LANG = 'zh-CN', as = 'admin', key?: string) => k.as(as).post('/api/v1/policy/publish', body, { 'accept-language': LANG[lang], ...(key ? { 'idempotency-key': key } : {}) });
    const publications = async () => (await listAuthEvents(k.app.database.db, 500)).filter((e) => e.kind === 'policy_published');
    /** Everything a refused request must leave as it was. */
    const state = async () => ({ source: await getActivePolicySource(k.app.database.db), versions: (await k.as('admin').get('/api/v1/policy/versions')).body.versions.length, events: (await publications()).length });

    it('publishes a draft under its label, records who published it, and new cases run under it', async () => {
      const base = await active();
      assert.equal(`${base.id}@${base.version}`, 'kesu-default@2026.1');
      const draft = structuredClone(base);
      draft.version = '2026.1-ed1';
      draft.grades[0].limits.resolve = '4d';
      draft.categories[0].department = 'sales';
      k.clock.advance(60_000);
      const r = await publish({ document: draft, basedOn: 'kesu-default@2026.1' }, 'zh-CN', 'admin', 'publish-1');
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.deepEqual(r.body, { key: 'kesu-default@2026.1-ed1', created: true });
      const now = await active();
      assert.equal(now.version, '2026.1-ed1');
      assert.equal(now.grades[0].limits.resolve, '4d');
      assert.equal(now.categories[0].department, 'sales');

      // The retry under the same key gets the first answer and publishes nothing more.
      const again = await publish({ document: draft, basedOn: 'kesu-default@2026.1' }, 'zh-CN', 'admin', 'publish-1');
      assert.equal(again.status, 201);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.equal((await publications()).length, 1);

      const events = await publications();
      assert.equal(events[0]!.actorId, k.userIds.get('admin'));
      assert.deepEqual(events[0]!.detail, { policy: 'kesu-default@2026.1-ed1', from: 'kesu-default@2026.1', via: 'editor' });

      const history = (await k.as('admin').get('/api/v1/policy/versions')).body.versions as any[];
      assert.equal(history[0].key, 'kesu-default@2026.1-ed1', 'newest first');
      assert.equal(history[0].active, true);
      assert.equal(history[0].version, '2026.1-ed1');
      assert.equal(history[0].via, 'editor');
      assert.deepEqual(history[0].publishedBy, { id: k.userIds.get('admin'), username: 'admin', name: history[0].publishedBy.name });
      assert.equal(typeof history[0].publishedAt, 'string');
      const first = history.find((v) => v.key === 'kesu-default@2026.1');
      assert.equal(first.active, false);
      assert.equal(first.publishedBy, null, 'activated at the first start: no publisher');

      const fresh = (await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '表单发布的新制度', complainant: { anonymous: true } })).body;
      assert.equal(fresh.complaint.policyKey, 'kesu-default@2026.1-ed1');
      assert.equal(fresh.clocks.find((c: any) => c.kind === 'resolve').duration, '4d');
    });

    it('an upload records its publisher too', async () => {
      k.clock.advance(60_000);
      const up = await k.as('admin').post('/api/v1/policy', { text: preset.replace("version: '2026.1'", "version: '2026.3'") });
      assert.equal(up.status, 201, JSON.stringify(up.body));
      const history = (await k.as('admin').get('/api/v1/policy/versions')).body.versions as any[];
      assert.equal(history[0].key, 'kesu-default@2026.3');
      assert.equal(history[0].via, 'upload');
      assert.equal(history[0].publishedBy.username, 'admin');
      const e = (await publications())[0]!; // newest first
      assert.deepEqual(e.detail, { policy: 'kesu-default@2026.3', from: 'kesu-default@2026.1-ed1', via: 'upload' });
    });

    it('refuses a draft the checker finds wrong, naming the field in the caller’s language; nothing is written', async () => {
      const before = await state();
      const base = await active();
      const basedOn = `${base.id}@${base.version}`;
      // A value of the wrong shape (a zero duration), and a reference to nothing (the rules
      // between fields run once the shape is valid, as for an upload).
      const badValue = structuredClone(base);
      badValue.version = '2026.3-ed1';
      badValue.grades[1].limits.resolve = '0h';
      const badReference = structuredClone(base);
      badReference.version = '2026.3-ed1';
      badReference.categories[0].department = 'nowhere';
      const texts: Record<string, string> = {};
      for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) {
        for (const [bad, path] of [
          [badValue, 'document.grades[1].limits.resolve'],
          [badReference, 'document.categories[0].department'],
        ] as const) {
          const r = await publish({ document: bad, basedOn }, lang);
          assert.equal(r.status, 422, JSON.stringify(r.body));
          assert.equal(r.body.code, 'policy_invalid');
          assert.deepEqual(
            r.body.fields.map((f: any) => f.path),
            [path],
          );
          if (path.includes('grades')) {
            texts[lang] = r.body.message;
            assert.equal(r.body.fields[0].message, { 'zh-CN': '时长必须大于 0', 'zh-TW': '時長必須大於 0', en: 'a duration must be greater than zero' }[lang]);
          }
        }
      }
      assert.match(texts['zh-CN']!, /^制度文件有误/);
      assert.match(texts['zh-TW']!, /^制度檔案有誤/);
      assert.match(texts.en!, /^The policy document is invalid/);
      assert.doesNotMatch(texts.en!, /[\u4e00-\u9fff]/, 'English only');
      assert.doesNotMatch(texts['zh-TW']!, /[时长须于]/, 'traditional characters only');
      // The live check the console runs is the same reader: the same paths, without the body's prefix.
      for (const [bad, path] of [
        [badValue, 'grades[1].limits.resolve'],
        [badReference, 'categories[0].department'],
      ] as const) {
        const check = await k.as('admin').post('/api/v1/policy/check', { text: JSON.stringify(bad), format: 'json' });
        assert.equal(check.body.ok, false);
        assert.deepEqual(
          check.body.problems.map((p: any) => p.path),
          [path],
        );
      }
      assert.deepEqual(await state(), before);
    });

    it('refuses a used label, a stale base, a draft without changes, a malformed body and a non-admin; nothing is written', async () => {
      const before = await state();
      const base = await active();
      const basedOn = `${base.id}@${base.version}`;
      const changed = structuredClone(base);
      changed.grades[0].limits.resolve = '5d';

      const expect = async (body: unknown, status: number, field: string, words: Record<'zh-CN' | 'zh-TW' | 'en', RegExp>, as = 'admin') => {
        for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) {
          const r = await publish(body, lang, as);
          assert.equal(r.status, status, `${field} ${lang}: ${JSON.stringify(r.body)}`);
          if (status === 403) continue;
          const f = r.body.fields.find((x: any) => x.path === field);
          assert.ok(f, `${field} named: ${JSON.stringify(r.body.fields)}`);
          assert.match(f.message, words[lang], `${field} ${lang}`);
        }
      };
      // The label of a stored version (the base's own).
      await expect({ document: changed, basedOn }, 409, 'document.version', { 'zh-CN': /已经用过/, 'zh-TW': /已經用過/, en: /already stored/ });
      changed.version = '2026.3-ed9';
      await expect({ document: changed, basedOn: 'kesu-default@2026.1' }, 409, 'basedOn', { 'zh-CN': /重新载入/, 'zh-TW': /重新載入/, en: /reload/ });
      await expect({ document: { ...base, version: '2026.3-ed9' }, basedOn }, 400, 'document', { 'zh-CN': /没有要发布的修改/, 'zh-TW': /沒有要發佈的修改/, en: /nothing to publish/ });
      await expect({ document: 'grades: []', basedOn }, 400, 'document', { 'zh-CN': /[\u4e00-\u9fff]/, 'zh-TW': /[\u4e00-\u9fff]/, en: /^[^\u4e00-\u9fff]+$/ });
      await expect({ document: changed }, 400, 'basedOn', { 'zh-CN': /[\u4e00-\u9fff]/, 'zh-TW': /[\u4e00-\u9fff]/, en: /^[^\u4e00-\u9fff]+$/ });
      await expect({ document: changed, basedOn, extra: 1 }, 400, 'extra', { 'zh-CN': /[\u4e00-\u9fff]/, 'zh-TW': /[\u4e00-\u9fff]/, en: /^[^\u4e00-\u9fff]+$/ });
      await expect({ document: changed, basedOn }, 403, '', { 'zh-CN': /./, 'zh-TW': /./, en: /./ }, 'csmanager');
      assert.equal((await k.as('auditor').get('/api/v1/policy/versions')).status, 403, 'the history is for administrators');
      assert.deepEqual(await state(), before);
    });
  });
}

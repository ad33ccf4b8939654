/**
 * The active policy is cached per instance and parsed once per version (issue 9); publishing a
 * new version on one instance reaches every instance on the same database without a restart:
 * the activation bumps the policies' cache stamp in its transaction, and each instance re-reads
 * the active policy when it sees a stamp its copy was not read at (services/policies.ts).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { readCacheStamp } from '../../src/store/cache-stamp.repository.js';
import { activatePolicy } from '../../src/services/policies.js';
import { createApp } from '../../src/services/app.js';

/** Longer than the default stamp check interval (services/app.ts). */
const STAMP_CHECK_MS = 1000;
const preset = readFileSync(new URL('../../policies/kesu-default.yaml', import.meta.url), 'utf8');
const version = (v: string) => preset.replace(/^version: '([^']+)'/m, `version: '${v}'`);

for (const { dialect, skip } of await engines()) {
  describe(`active policy cache across instances (${dialect})`, { skip }, () => {
    let a: Kesu;
    let b: Kesu;
    before(async () => {
      a = await startKesu(dialect);
      b = await a.instance();
    });
    after(async () => {
      await b?.close();
      await a?.close();
    });

    const policyOfNewCase = async (k: Kesu) => {
      const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '新版本规则', complainant: { anonymous: true } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const id = r.body.complaint.id as string;
      const row = await k.app.database.db.selectFrom('complaints').select('body').where('id', '=', id).executeTakeFirstOrThrow();
      return JSON.parse(row.body).policyKey as string;
    };

    it('reads and parses the active policy once, not on every intake', async () => {
      const p1 = await b.app.activePolicy();
      await policyOfNewCase(b);
      assert.equal(await b.app.activePolicy(), p1, 'the same parsed object');
    });

    it('a policy published through instance A is used by instance B for its next cases', async () => {
      assert.equal(await policyOfNewCase(b), 'kesu-default@2026.1');
      const stamp = await readCacheStamp(a.app.database.db, 'policies');
      const up = await a.as('admin').post('/api/v1/policy', { text: version('2026.2-test'), format: 'yaml' });
      assert.equal(up.status, 201, JSON.stringify(up.body));
      assert.equal(await readCacheStamp(a.app.database.db, 'policies'), stamp + 1, 'the activation bumped the stamp');
      assert.equal(await policyOfNewCase(a), 'kesu-default@2026.2-test', 'A uses it at once');
      await sleep(STAMP_CHECK_MS + 200);
      assert.equal(await policyOfNewCase(b), 'kesu-default@2026.2-test', 'B within its stamp check interval');
    });

    it('a policy activated outside the server (kesu policy, another process) reaches both', async () => {
      // What the CLI does: its own app on the same database, the service function, no server.
      const other = createApp(a.testDb.database);
      await activatePolicy(other, version('2026.3-test'), 'yaml');
      await sleep(STAMP_CHECK_MS + 200);
      for (const k of [a, b]) assert.equal(await policyOfNewCase(k), 'kesu-default@2026.3-test');
    });
  });
}

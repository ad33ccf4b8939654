/**
 * KESU_IMPORT_MAX_BYTES is read by config.ts (the only reader of the environment) and reaches the
 * console's import route through the server options: a server built with a 2 KiB limit refuses
 * a 4 KiB ledger with a 400 naming `file` in the caller's language and starts no job, while the
 * default (50 MiB) accepts the same upload.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.js';
import { buildServer } from '../../src/http/server.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { multipart } from '../support/channels.js';
import { HEADER, mappingYaml } from './ledger-fixture.js';
import { settleImportJobs } from '../../src/records/import/http-jobs.js';

describe('KESU_IMPORT_MAX_BYTES', () => {
  it('is read by config.ts, default 50 MiB, refusing a nonsense value', () => {
    assert.equal(loadConfig({}).records.importMaxBytes, 50 * 1024 * 1024);
    assert.equal(loadConfig({ KESU_IMPORT_MAX_BYTES: '2048' }).records.importMaxBytes, 2048);
    assert.throws(() => loadConfig({ KESU_IMPORT_MAX_BYTES: 'lots' }), /KESU_IMPORT_MAX_BYTES/);
  });

  let k: Kesu;
  before(async () => {
    k = await startKesu('sqlite');
  });
  after(async () => {
    if (k) await settleImportJobs(k.app);
    await k?.close();
  });

  it('reaches the import route: a ledger over the configured limit is a 400 naming the file', async () => {
    assert.equal((await k.as('admin').get('/api/v1/me')).status, 200);
    const token = k.tokens.get('admin')!;
    const csv = Buffer.from(`${HEADER.join(',')}\n${'x,'.repeat(2048)}\n`);
    const upload = async (server: typeof k.server, key: string) => {
      const m = multipart({ mapping: mappingYaml({ name: 'small' }), dryRun: 'true' }, [{ field: 'file', name: 'big.csv', type: 'text/csv', data: csv }]);
      const r = await server.inject({ method: 'POST', url: '/api/v1/admin/import/ledger', payload: m.payload, headers: { ...m.headers, authorization: `Bearer ${token}`, 'idempotency-key': key, 'accept-language': 'en' } });
      return { status: r.statusCode, body: r.json() };
    };
    const small = await buildServer(k.app, { importMaxBytes: loadConfig({ KESU_IMPORT_MAX_BYTES: '2048' }).records.importMaxBytes });
    try {
      const r = await upload(small, 'too-big');
      assert.equal(r.status, 400, JSON.stringify(r.body));
      const text = JSON.stringify(r.body);
      assert.match(text, /"file"/);
      assert.match(text, /too large \(at most/);
    } finally {
      await small.close();
    }
    const r = await upload(k.server, 'fits');
    assert.equal(r.status, 202, JSON.stringify(r.body));
  });
});

/**
 * The console's files travel compressed (issue 14): the build writes `.br` and `.gz` copies
 * beside each asset (scripts/precompress.ts, the same function the Vite build calls), and the
 * server sends the copy the browser accepts — the same bytes once decoded — or the plain file to
 * a client that accepts neither. Hashed assets stay immutable; index.html is never cached.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { consoleFiles } from '../../src/http/web.js';
import { installErrorHandler } from '../../src/http/error-handler.js';
import { precompressDir } from '../../scripts/precompress.js';

describe('the console served compressed', () => {
  let dir: string;
  let js: Buffer;
  const server = Fastify();
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kesu-web-gz-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="/assets/index-abc.js"></script>');
    // Enough varied text that compression is worth it, with non-ASCII (the catalogues are Chinese).
    js = Buffer.from(Array.from({ length: 400 }, (_, i) => `export const k${i} = ${JSON.stringify(`投诉 ${i} 回访 ${(i * 7919) % 1000}`)};\n`).join(''));
    writeFileSync(join(dir, 'assets', 'index-abc.js'), js);
    writeFileSync(join(dir, 'assets', 'tiny-abc.js'), 'export {};\n');
    const made = await precompressDir(dir);
    assert.deepEqual(
      made.map((m) => m.file),
      [join(dir, 'assets', 'index-abc.js')],
      'only the file worth compressing (index.html and tiny files stay plain)',
    );
    assert.ok(made[0]!.br < js.length / 2 && made[0]!.gzip < js.length / 2, JSON.stringify(made));
    installErrorHandler(server);
    await consoleFiles(server, dir);
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (url: string, acceptEncoding?: string) => server.inject({ url, headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } });

  it('sends brotli to a browser that accepts it, the same bytes once decoded', async () => {
    const r = await get('/assets/index-abc.js', 'gzip, deflate, br, zstd');
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-encoding'], 'br');
    assert.match(String(r.headers['content-type']), /javascript/);
    assert.match(String(r.headers.vary), /accept-encoding/i);
    assert.match(String(r.headers['cache-control']), /immutable/);
    assert.ok(r.rawPayload.length < js.length / 2, `${r.rawPayload.length} bytes sent for ${js.length}`);
    assert.ok(brotliDecompressSync(r.rawPayload).equals(js));
  });

  it('sends gzip to a browser that offers gzip but not brotli', async () => {
    const r = await get('/assets/index-abc.js', 'gzip, deflate');
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-encoding'], 'gzip');
    assert.match(String(r.headers['content-type']), /javascript/);
    assert.ok(gunzipSync(r.rawPayload).equals(js));
  });

  it('sends the plain file to a client that accepts no compression, or only one there is no copy for', async () => {
    for (const ae of [undefined, 'identity', 'deflate']) {
      const r = await get('/assets/index-abc.js', ae);
      assert.equal(r.statusCode, 200, String(ae));
      assert.equal(r.headers['content-encoding'], undefined, String(ae));
      assert.match(String(r.headers['content-type']), /javascript/);
      assert.match(String(r.headers.vary), /accept-encoding/i);
      assert.ok(r.rawPayload.equals(js), String(ae));
    }
    const tiny = await get('/assets/tiny-abc.js', 'br, gzip');
    assert.equal(tiny.headers['content-encoding'], undefined, 'a file without copies is sent as it is');
    assert.equal(tiny.body, 'export {};\n');
  });

  it('keeps index.html uncached, for the console routes too', async () => {
    for (const url of ['/', '/cases/KS-2026-000001']) {
      const r = await get(url, 'gzip, deflate, br');
      assert.equal(r.statusCode, 200);
      assert.equal(r.headers['cache-control'], 'no-cache');
      assert.match(r.body, /id="root"/);
    }
    assert.ok(!existsSync(join(dir, 'index.html.br')));
    assert.equal(readFileSync(join(dir, 'assets', 'index-abc.js.br')).length > 0, true);
  });
});

/**
 * Compressed copies of the console's built files, made once at build time (issue 14): beside
 * every compressible asset `x.js`, `x.js.br` (brotli, best quality) and `x.js.gz` (gzip, level 9).
 * The server sends the copy the browser accepts (src/http/web.ts, @fastify/static's
 * `preCompressed`), so a page load costs no compression CPU per request and the best ratio is
 * paid for once. Browsers that offer no brotli (older ones over plain HTTP) get gzip.
 *
 * Called by the Vite build (web/vite.config.ts) after it wrote the bundle; the server test
 * (test/api/web-compression.test.ts) calls it on a folder of its own.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Text formats worth compressing; images and fonts of the build are compressed already. */
const COMPRESSIBLE = /\.(js|mjs|css|html|json|svg|txt|map)$/i;
/** Below this, the headers outweigh what compression saves. */
const MIN_BYTES = 1024;

export interface Precompressed {
  file: string;
  bytes: number;
  br: number;
  gzip: number;
}

/** Writes `.br` and `.gz` beside every compressible file of `dir` (recursively) of at least 1 KiB. */
export async function precompressDir(dir: string): Promise<Precompressed[]> {
  const files = walk(dir).filter((f) => COMPRESSIBLE.test(f) && statSync(f).size >= MIN_BYTES);
  return Promise.all(
    files.map(async (file) => {
      const raw = readFileSync(file);
      const [b, g] = await Promise.all([
        brotli(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
        gz(raw, { level: 9 }),
      ]);
      writeFileSync(`${file}.br`, b);
      writeFileSync(`${file}.gz`, g);
      return { file, bytes: raw.length, br: b.length, gzip: g.length };
    }),
  );
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/**
 * A year's (or one group's) case dossiers as one zip download (issue 15 §1): each archived case's
 * dossier 《客户投诉处理单》 rendered through the case page's view (reports/pdf/dossier-export.ts),
 * so the reader's masking applies and the personal-data access log gets one row per case shown
 * unmasked, with the download's route. Streamed: the cases are read a page at a time and rendered
 * one at a time, the next only once the zip writer has taken the previous one — never the whole
 * year's PDFs in memory. The zip also holds 目录.csv, the file's list of contents (卷内目录).
 */
import { createRequire } from 'node:module';
import type { Readable, Writable } from 'node:stream';
import type { Actor } from '../domain/complaint/types.js';
import type { Locale } from '../domain/errors.js';
import type { App } from '../services/app.js';
import { caseDossierPdf } from '../reports/pdf/dossier-export.js';
import { archiveCases } from './archive.js';

/** The part of archiver (installed with exceljs, no type package) this module uses. */
interface ZipWriter extends Readable {
  append(data: Buffer | string, opts: { name: string; date?: Date }): this;
  finalize(): Promise<void>;
  abort(): this;
  on(event: 'entry', cb: () => void): this;
  on(event: 'error' | 'warning', cb: (e: Error) => void): this;
  on(event: string, cb: (...a: unknown[]) => void): this;
}
const archiver = createRequire(import.meta.url)('archiver') as (format: 'zip', opts: { zlib: { level: number } }) => ZipWriter;

const PAGE = 100;
const INDEX_HEAD: Record<Locale, string> = {
  'zh-CN': '编号,分组,标题,受理时间,结案时间',
  'zh-TW': '編號,分組,標題,受理時間,結案時間',
  en: 'Number,Group,Title,Received,Closed',
};

const csv = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
/** A name usable as a folder inside the zip. */
const folder = (name: string) => name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim() || '_';

export function archiveZipName(year: number, group?: string): string {
  return `kesu-archive-${year}${group ? `-${group.replace(/[^A-Za-z0-9_-]/g, '_')}` : ''}.zip`;
}

/**
 * Writes the zip to `out`. The year and group are checked by the caller first (archiveCases
 * throws on an unknown group before anything is written). Resolves with the number of cases.
 */
export async function writeArchiveZip(app: App, actor: Actor, q: { year: number; group?: string; lang: Locale }, out: Writable): Promise<number> {
  const zip = archiver('zip', { zlib: { level: 6 } });
  let failed: Error | null = null;
  zip.on('error', (e: Error) => {
    failed = e;
  });
  // A reader who goes away (closed tab, dropped connection) stops the rendering: nothing would take it.
  let gone = false;
  const closed = new Promise<void>((resolve) =>
    out.once('close', () => {
      gone = true;
      resolve();
    }),
  );
  zip.pipe(out);
  const index = [INDEX_HEAD[q.lang]];
  let after: { at: string; id: string } | undefined;
  let n = 0;
  for (;;) {
    const { cases } = await archiveCases(app, { ...q, limit: PAGE, after });
    for (const c of cases) {
      if (failed) throw failed;
      if (gone) break;
      const { pdf } = await caseDossierPdf(app, actor, c.id, q.lang);
      const taken = new Promise<void>((resolve) => zip.once('entry', () => resolve()));
      zip.append(pdf, { name: `${q.year}/${folder(c.group)}/${c.number}.pdf`, date: new Date(c.filedAt) });
      await Promise.race([taken, closed]);
      if (gone) break;
      index.push([c.number, c.group, c.title, c.receivedAt, c.closedAt ?? ''].map(csv).join(','));
      n++;
    }
    if (gone || cases.length < PAGE) break;
    const last = cases.at(-1)!;
    after = { at: last.filedAt, id: last.id };
  }
  if (gone) {
    zip.abort();
    return n;
  }
  // With a BOM so that spreadsheet programs read the Chinese text as UTF-8.
  zip.append(`\uFEFF${index.join('\r\n')}\r\n`, { name: `${q.year}/目录.csv` });
  await zip.finalize();
  if (failed) throw failed;
  return n;
}

/**
 * What a first visit to each main page loads (issue 14: initial JavaScript under 400 KB
 * compressed), read from the built console's manifest: the entry chunk and the opened page's
 * chunk with everything both import statically — the scripts the browser must have before the
 * page can show. Weighed as the brotli copies the server sends (scripts/precompress.ts), with
 * the gzip weight in the message. Also: ECharts and the zh-TW / en catalogues are chunks of their
 * own that no page's first load contains (they load on use), nor antd's Table on the intake screen
 * and the date pickers on the case page (they come after it has shown). Sizes, not times: nothing here
 * depends on the machine's load. bench/pages.ts measures the same in Chromium.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureWebBuilt } from './support.js';
import { WEB_DIST } from '../../src/http/web.js';

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
type Manifest = Record<string, ManifestChunk>;

const BUDGET = 400 * 1000;
/** The pages bench/pages.ts measures, by their module (the chunk keys of the manifest). */
const PAGES = {
  workbench: 'src/modules/workbench/WorkbenchPage.tsx',
  intake: 'src/modules/intake/IntakePage.tsx',
  queue: 'src/modules/queues/QueuePage.tsx',
  'case page': 'src/modules/case/CasePage.tsx',
  dashboard: 'src/modules/dashboard/DashboardPage.tsx',
  reports: 'src/modules/reports/ReportsPage.tsx',
  'sign-in': 'src/modules/auth/LoginPage.tsx',
};

describe('the first load of each page', () => {
  let manifest: Manifest;
  before(() => {
    ensureWebBuilt();
    manifest = JSON.parse(readFileSync(join(WEB_DIST, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  });

  /** A chunk and every chunk it imports statically (what the browser fetches before running it). */
  const closure = (key: string, into = new Set<string>()): Set<string> => {
    if (into.has(key)) return into;
    const c = manifest[key];
    assert.ok(c, `${key} is a chunk of the build`);
    into.add(key);
    for (const i of c.imports ?? []) closure(i, into);
    return into;
  };
  const entry = () => Object.keys(manifest).find((k) => manifest[k]!.isEntry)!;
  const firstLoad = (page: string) => closure(page, closure(entry()));
  /** What the server sends for `file` in `enc`: its copy, or the file itself when it has none (under 1 KiB). */
  const sent = (file: string, enc: 'br' | 'gz') => statSync(existsSync(`${file}.${enc}`) ? `${file}.${enc}` : file).size;

  it('needs under 400 KB of compressed JavaScript for every main page', () => {
    const lines: string[] = [];
    for (const [name, page] of Object.entries(PAGES)) {
      assert.ok(manifest[page]?.isDynamicEntry, `${name} is a chunk of its own, loaded when opened`);
      const files = [...firstLoad(page)].map((k) => join(WEB_DIST, manifest[k]!.file)).filter((f) => f.endsWith('.js'));
      const br = files.reduce((s, f) => s + sent(f, 'br'), 0);
      const gz = files.reduce((s, f) => s + sent(f, 'gz'), 0);
      const raw = files.reduce((s, f) => s + statSync(f).size, 0);
      lines.push(`${name}: ${files.length} files, ${Math.round(raw / 1000)} KB, br ${Math.round(br / 1000)} KB, gzip ${Math.round(gz / 1000)} KB`);
      assert.ok(br < BUDGET, `${name}: ${Math.round(br / 1000)} KB brotli (gzip ${Math.round(gz / 1000)} KB) — over ${BUDGET / 1000} KB\n${lines.join('\n')}`);
    }
    console.log(`# ${lines.join('\n# ')}`);
  });

  it('leaves what the intake screen and the case page show later out of their first load', () => {
    const chunkOf = (src: string) => Object.keys(manifest).find((k) => manifest[k]!.src === src || k === src);
    const staticallyHas = (page: string, needle: RegExp) => [...firstLoad(page)].some((k) => needle.test(readFileSync(join(WEB_DIST, manifest[k]!.file), 'utf8')));
    // The case page's forms, print form, attachments and flowchart are chunks of their own, loaded after it.
    for (const src of ['src/modules/case/ActionForm.tsx', 'src/modules/case/CasePrintForm.tsx', 'src/modules/case/AttachmentsPanel.tsx', 'src/modules/case/Flowchart.tsx']) {
      const key = chunkOf(src);
      assert.ok(key && manifest[key]!.isDynamicEntry, `${src} is loaded on demand`);
      assert.ok(!firstLoad(PAGES['case page']).has(key), `${src} is not in the case page's first load`);
    }
    // antd's Table (found by its static Table.SELECTION_ALL) does not come with the intake screen, which lists no table.
    assert.ok(staticallyHas(PAGES['case page'], /SELECTION_ALL/), 'the case page (clock table) carries antd Table — the probe finds it');
    assert.ok(!staticallyHas(PAGES.intake, /SELECTION_ALL/), 'the intake screen does not carry antd Table');
  });

  it('loads ECharts and the other languages only when used', () => {
    const lazyOnly = ['src/shared/echarts-parts.ts', 'src/i18n/locales/zh-TW.json', 'src/i18n/locales/en.json'];
    for (const key of lazyOnly) assert.ok(manifest[key]?.isDynamicEntry, `${key} is a chunk of its own`);
    for (const [name, page] of Object.entries(PAGES)) {
      const loaded = firstLoad(page);
      assert.ok(!loaded.has(lazyOnly[0]!), `${name}'s first load does not carry ECharts`);
      for (const key of lazyOnly.slice(1)) assert.ok(!loaded.has(key), `${name}'s first load does not carry ${key}`);
    }
  });
});

/**
 * `kesu import ledger FILE --mapping M [--dry-run]`: M is a mapping file (YAML or JSON, saved
 * under its name when the real import starts) or the name of a saved mapping. Problems are
 * printed with row and column in the operator's language (--lang, else KESU_LANG, else zh-CN);
 * progress goes to stderr as rows done / total and rows per second. Exit 1 on any problem.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import type { App } from '../../services/app.js';
import type { Locale } from '../../domain/errors.js';
import { findMapping } from '../../store/import.repository.js';
import { checkMapping, parseMapping, MappingError, type LedgerMapping } from './mapping.js';
import { SheetError } from './sheet.js';
import { cliLocale, problemText } from './problems.js';
import { importLedgerFile, ORGANISATION, DEFAULT_BATCH, type LedgerImportReport } from './ledger-import.js';

type WithApp = <T>(fn: (app: App) => Promise<T>) => Promise<T>;

const SAY: Record<
  Locale,
  { problems: (n: number, rows: number) => string; dry: (r: LedgerImportReport) => string; refused: string; done: (r: LedgerImportReport, s: number) => string; progress: (d: number, t: number, rate: number) => string }
> = {
  'zh-CN': {
    problems: (n, rows) => `${rows} 行数据，发现 ${n} 个问题：`,
    dry: (r) => `试导入：${r.rows} 行数据，无问题；将导入 ${r.toImport} 行，已导入过 ${r.alreadyImported} 行（跳过）。未导入任何数据。`,
    refused: '存在问题，未导入任何数据。请修正台账或映射后重试。',
    done: (r, s) => `已导入 ${r.created} 行（已导入过 ${r.alreadyImported} 行，跳过），用时 ${s.toFixed(1)} 秒。`,
    progress: (d, t, rate) => `已导入 ${d} / ${t} 行，${Math.round(rate)} 行/秒`,
  },
  'zh-TW': {
    problems: (n, rows) => `${rows} 列資料，發現 ${n} 個問題：`,
    dry: (r) => `試匯入：${r.rows} 列資料，無問題；將匯入 ${r.toImport} 列，已匯入過 ${r.alreadyImported} 列（略過）。未匯入任何資料。`,
    refused: '存在問題，未匯入任何資料。請修正台帳或對應後重試。',
    done: (r, s) => `已匯入 ${r.created} 列（已匯入過 ${r.alreadyImported} 列，略過），用時 ${s.toFixed(1)} 秒。`,
    progress: (d, t, rate) => `已匯入 ${d} / ${t} 列，${Math.round(rate)} 列/秒`,
  },
  en: {
    problems: (n, rows) => `${rows} data rows, ${n} problem(s):`,
    dry: (r) => `dry run: ${r.rows} data rows, no problems; would import ${r.toImport}, ${r.alreadyImported} imported before (skipped). Nothing was imported.`,
    refused: 'Problems found: nothing was imported. Correct the ledger or the mapping and run again.',
    done: (r, s) => `imported ${r.created} rows (${r.alreadyImported} imported before, skipped) in ${s.toFixed(1)} s.`,
    progress: (d, t, rate) => `imported ${d} / ${t} rows, ${Math.round(rate)} rows/s`,
  },
};

/** A mapping file, or a mapping saved under that name; `fromFile` says whether to save it. */
async function resolveMapping(app: App, given: string): Promise<{ mapping: LedgerMapping; fromFile: boolean }> {
  if (existsSync(given) && statSync(given).isFile()) return { mapping: parseMapping(readFileSync(given, 'utf8')), fromFile: true };
  const saved = await findMapping(app.database.db, ORGANISATION, given);
  if (saved === null) throw new MappingError(`mapping: no file ${given} and no saved mapping of that name`);
  return { mapping: checkMapping(saved), fromFile: false };
}

/** `defaultLang`: KESU_LANG from the configuration, for when --lang is not given. */
export function registerImportCommands(program: Command, withApp: WithApp, defaultLang: () => string | undefined): void {
  const imp = program.command('import').description('bring existing records in (docs/operations.md "Importing a ledger")');
  imp
    .command('ledger <file>')
    .description('import a complaint ledger (.xlsx or .csv) with a column mapping; --dry-run reports every row problem and imports nothing')
    .requiredOption('--mapping <fileOrName>', 'a mapping file (YAML or JSON; saved under its name) or the name of a saved mapping')
    .option('--dry-run', 'check every row and report, import nothing')
    .option('--lang <locale>', 'zh-CN, zh-TW or en (default: KESU_LANG, else zh-CN)')
    .option('--batch <rows>', 'rows per transaction', String(DEFAULT_BATCH))
    .action(async (file: string, opts: { mapping: string; dryRun?: boolean; lang?: string; batch: string }) => {
      const locale = cliLocale(opts.lang ?? defaultLang());
      const say = SAY[locale];
      try {
        await withApp(async (app) => {
          const { mapping, fromFile } = await resolveMapping(app, opts.mapping);
          let last = 0;
          const started = performance.now();
          const r = await importLedgerFile(app, file, {
            mapping,
            dryRun: opts.dryRun,
            saveMapping: fromFile,
            batchSize: Number(opts.batch) || DEFAULT_BATCH,
            onProgress: (p) => {
              const t = performance.now();
              if (p.done !== p.total && t - last < 1000) return;
              last = t;
              process.stderr.write(`${say.progress(p.done, p.total, p.elapsedMs ? (p.done * 1000) / p.elapsedMs : 0)}\n`);
            },
          });
          if (r.problems.length) {
            console.log(say.problems(r.problems.length, r.rows));
            for (const p of r.problems) console.log(`  ${problemText(p, locale)}`);
            console.log(say.refused);
            process.exitCode = 1;
            return;
          }
          if (r.dryRun) console.log(say.dry(r));
          else console.log(say.done(r, (performance.now() - started) / 1000));
        });
      } catch (e) {
        if (!(e instanceof MappingError) && !(e instanceof SheetError)) throw e;
        console.error(e.message);
        process.exitCode = 2;
      }
    });
}

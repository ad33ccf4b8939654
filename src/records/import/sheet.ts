/**
 * Reads a ledger file into a header and rows of cell texts: an Excel workbook (.xlsx, through
 * exceljs) or a CSV file (RFC 4180, UTF-8; csv.ts). Row numbers are the spreadsheet's (the header
 * is row 1), so a problem's row is where the operator finds it. Excel date cells become local
 * wall-clock text ("2024-03-05 14:30:00") that the mapping's time zone reads; the file is read
 * whole before any import transaction.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import ExcelJS from 'exceljs';
import { parseCsv, CsvError } from './csv.js';

export interface SheetRow {
  /** The spreadsheet row number (header = 1). */
  row: number;
  cells: string[];
}

export interface Sheet {
  header: string[];
  rows: SheetRow[];
}

export class SheetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SheetError';
  }
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** An Excel date (exceljs gives the wall-clock time as a UTC Date) as local text. */
function wallClock(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return wallClock(v);
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object') {
    if ('richText' in v)
      return v.richText
        .map((t) => t.text)
        .join('')
        .trim();
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text).trim();
    if ('error' in v) return String(v.error);
  }
  return String(v);
}

export async function readXlsx(buffer: Buffer, sheetName?: string): Promise<Sheet> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buffer as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch (e) {
    throw new SheetError(`not an Excel workbook (.xlsx): ${e instanceof Error ? e.message : String(e)}`);
  }
  const ws = sheetName ? wb.getWorksheet(sheetName) : wb.worksheets[0];
  if (!ws) throw new SheetError(sheetName ? `the workbook has no sheet ${sheetName}` : 'the workbook has no sheet');
  const header: string[] = [];
  const rows: SheetRow[] = [];
  const width = ws.columnCount;
  ws.eachRow({ includeEmpty: false }, (r, n) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(r.getCell(c).value));
    if (n === 1) header.push(...cells);
    else if (cells.some((x) => x !== '')) rows.push({ row: n, cells });
  });
  return { header, rows };
}

export function readCsv(text: string): Sheet {
  let records;
  try {
    records = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvError) throw new SheetError(`CSV: ${e.message}`);
    throw e;
  }
  const [head, ...rest] = records;
  // Rows numbered as a spreadsheet shows the file (a quoted line break does not add a row).
  return {
    header: (head?.fields ?? []).map((h) => h.trim()),
    rows: rest.map((r, i) => ({ row: i + 2, cells: r.fields.map((f) => f.trim()) })).filter((r) => r.cells.some((x) => x !== '')),
  };
}

/** Reads `file` by its extension: .xlsx, or .csv / .txt. */
export async function readSheet(file: string, sheetName?: string): Promise<Sheet> {
  const ext = extname(file).toLowerCase();
  const buffer = await readFile(file);
  if (ext === '.xlsx') return readXlsx(buffer, sheetName);
  if (ext === '.csv' || ext === '.txt') return readCsv(buffer.toString('utf8'));
  throw new SheetError(`${file}: an import file is .xlsx or .csv`);
}

/** A column's letter(s) as a spreadsheet shows them: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/**
 * A small document model and its A4 rendering with pdfkit, shared by the case dossier and the
 * statistics report: a title block, numbered sections made of label/value grids, tables (the
 * header repeated on each page), paragraphs and a signatures area; page numbers in the footer.
 * The model is plain data built by the caller in the reader's language; this module only lays it
 * out, so what a document says is decided (and tested) where it is built.
 *
 * Rendering is CPU work on data already read: callers render after their reads, outside any
 * transaction.
 */
import PDFDocument from 'pdfkit';
import { fonts } from './fonts.js';

export interface Field {
  label: string;
  value: string;
  /** Takes the whole row (long texts). */
  wide?: boolean;
}

export type Block =
  | { kind: 'fields'; fields: Field[] }
  | { kind: 'table'; columns: { label: string; width: number }[]; rows: string[][]; empty?: string }
  | { kind: 'text'; text: string }
  | { kind: 'note'; text: string }
  | { kind: 'signatures'; boxes: string[]; sign: string; date: string };

export interface Section {
  title: string;
  blocks: Block[];
}

/** A table block, its columns given as `[label, width]` (widths are shares of the line); `empty` shows when there are no rows. */
export function tableBlock(columns: [string, number][], rows: string[][], empty?: string): Block {
  return { kind: 'table', columns: columns.map(([label, width]) => ({ label, width })), rows, ...(empty === undefined ? {} : { empty }) };
}

/** A section that is one table (`tableBlock`). */
export function tableSection(title: string, columns: [string, number][], rows: string[][], empty?: string): Section {
  return { title, blocks: [tableBlock(columns, rows, empty)] };
}

export interface PdfDocumentModel {
  /** e.g. 客户投诉处理单 (shown in 《》 in Chinese). */
  title: string;
  /** Lines under the title (organisation, number, who printed it when). */
  subtitle: string[];
  sections: Section[];
  /** Footer left text; the page number is added on the right. */
  footer: string;
  pageLabel: (page: number, of: number) => string;
  /** PDF metadata. */
  meta: { title: string; subject: string; lang: string; created: Date };
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = { top: 48, bottom: 50, left: 42, right: 42 };
const CONTENT = A4.width - MARGIN.left - MARGIN.right;
const PAD = 4;
const BODY = 9.5;
const LINE = '#8c8c8c';
const SHADE = '#f0f0f0';

type Doc = PDFKit.PDFDocument;

export async function renderPdf(model: PdfDocumentModel): Promise<Buffer> {
  const f = fonts();
  const doc: Doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    // The embedded font from the start: pdfkit's default (Helvetica) is never used nor referenced.
    font: f.regular as unknown as string,
    lang: model.meta.lang,
    displayTitle: true,
    info: { Title: model.meta.title, Subject: model.meta.subject, Creator: 'Kesu', Producer: 'Kesu', CreationDate: model.meta.created },
  });
  doc.registerFont('regular', f.regular);
  doc.registerFont('bold', f.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  titleBlock(doc, model);
  model.sections.forEach((s, i) => section(doc, `${i + 1}. ${s.title}`, s.blocks));
  footers(doc, model);
  doc.end();
  return done;
}

const bottom = () => A4.height - MARGIN.bottom;

/** Moves to a new page when `h` points do not fit below the cursor. */
function ensure(doc: Doc, h: number): void {
  if (doc.y + h > bottom()) doc.addPage();
}

function titleBlock(doc: Doc, m: PdfDocumentModel): void {
  doc.font('bold').fontSize(17).fillColor('#000').text(m.title, MARGIN.left, MARGIN.top, { width: CONTENT, align: 'center' });
  doc.moveDown(0.3);
  doc.font('regular').fontSize(8.5).fillColor('#444');
  for (const line of m.subtitle) doc.text(line, MARGIN.left, doc.y, { width: CONTENT, align: 'center' });
  doc.fillColor('#000');
  doc.moveDown(0.6);
}

function section(doc: Doc, title: string, blocks: Block[]): void {
  ensure(doc, 40);
  const y = doc.y;
  doc.rect(MARGIN.left, y, 3, 13).fill('#1677ff');
  doc
    .fillColor('#000')
    .font('bold')
    .fontSize(11)
    .text(title, MARGIN.left + 8, y, { width: CONTENT - 8 });
  doc.y = Math.max(doc.y, y + 14) + 3;
  for (const b of blocks) {
    block(doc, b);
    doc.y += 5;
  }
  doc.y += 4;
}

function block(doc: Doc, b: Block): void {
  switch (b.kind) {
    case 'fields':
      return fields(doc, b.fields);
    case 'table':
      return table(doc, b.columns, b.rows, b.empty);
    case 'text':
      return paragraph(doc, b.text, '#000');
    case 'note':
      return paragraph(doc, b.text, '#666');
    case 'signatures':
      return signatures(doc, b.boxes, b.sign, b.date);
  }
}

function paragraph(doc: Doc, text: string, color: string): void {
  doc.font('regular').fontSize(BODY);
  const h = doc.heightOfString(text, { width: CONTENT });
  ensure(doc, Math.min(h, 60));
  doc.fillColor(color).text(text, MARGIN.left, doc.y, { width: CONTENT });
  doc.fillColor('#000');
}

/** Height of a cell's text at the body size. */
function cellHeight(doc: Doc, text: string, width: number, font: 'regular' | 'bold' = 'regular'): number {
  doc.font(font).fontSize(BODY);
  return doc.heightOfString(text || ' ', { width: width - 2 * PAD }) + 2 * PAD;
}

function cell(doc: Doc, text: string, x: number, y: number, w: number, h: number, opts: { shade?: boolean; font?: 'regular' | 'bold' } = {}): void {
  if (opts.shade) doc.rect(x, y, w, h).fill(SHADE);
  doc.rect(x, y, w, h).lineWidth(0.5).strokeColor(LINE).stroke();
  doc
    .fillColor('#000')
    .font(opts.font ?? 'regular')
    .fontSize(BODY)
    .text(text, x + PAD, y + PAD, { width: w - 2 * PAD, lineBreak: true });
}

/** Label/value pairs, two pairs a row; a wide field (or a long value) takes its own row. */
function fields(doc: Doc, list: Field[]): void {
  const label = 86;
  const half = CONTENT / 2;
  const rows: Field[][] = [];
  let pending: Field | null = null;
  for (const f of list) {
    const wide = f.wide || f.value.length > 38;
    if (wide) {
      if (pending) rows.push([pending]);
      pending = null;
      rows.push([{ ...f, wide: true }]);
    } else if (pending) {
      rows.push([pending, f]);
      pending = null;
    } else pending = f;
  }
  if (pending) rows.push([pending]);
  for (const row of rows) {
    const spans = row.length === 1 && row[0]!.wide ? [CONTENT - label] : [half - label, half - label];
    const h = Math.max(...row.map((f, i) => Math.max(cellHeight(doc, f.label, label, 'bold'), cellHeight(doc, f.value, spans[i] ?? half - label))));
    ensure(doc, h);
    const y = doc.y;
    let x = MARGIN.left;
    row.forEach((f, i) => {
      const w = spans[i] ?? half - label;
      cell(doc, f.label, x, y, label, h, { shade: true, font: 'bold' });
      cell(doc, f.value || '—', x + label, y, w, h);
      x += label + w;
    });
    // A single narrow field: close the row's other half with an empty pair.
    if (row.length === 1 && !row[0]!.wide) {
      cell(doc, '', x, y, label, h, { shade: true });
      cell(doc, '', x + label, y, half - label, h);
    }
    doc.y = y + h;
  }
}

function table(doc: Doc, columns: { label: string; width: number }[], rows: string[][], empty?: string): void {
  const total = columns.reduce((a, c) => a + c.width, 0);
  const widths = columns.map((c) => (c.width / total) * CONTENT);
  const header = () => {
    const h = Math.max(...columns.map((c, i) => cellHeight(doc, c.label, widths[i]!, 'bold')));
    ensure(doc, h + 16);
    const y = doc.y;
    let x = MARGIN.left;
    columns.forEach((c, i) => {
      cell(doc, c.label, x, y, widths[i]!, h, { shade: true, font: 'bold' });
      x += widths[i]!;
    });
    doc.y = y + h;
  };
  header();
  if (!rows.length) {
    const h = cellHeight(doc, empty ?? '—', CONTENT);
    cell(doc, empty ?? '—', MARGIN.left, doc.y, CONTENT, h);
    doc.y += h;
    return;
  }
  for (const r of rows) {
    const h = Math.max(...widths.map((w, i) => cellHeight(doc, r[i] ?? '', w)));
    if (doc.y + h > bottom()) {
      doc.addPage();
      header();
    }
    const y = doc.y;
    let x = MARGIN.left;
    widths.forEach((w, i) => {
      cell(doc, r[i] ?? '', x, y, w, h);
      x += w;
    });
    doc.y = y + h;
  }
}

/** Boxes to sign in, three a row: the role above, "signature" and "date" lines inside. */
function signatures(doc: Doc, boxes: string[], sign: string, date: string): void {
  const per = 3;
  const w = CONTENT / per;
  const h = 66;
  for (let i = 0; i < boxes.length; i += per) {
    ensure(doc, h);
    const y = doc.y;
    boxes.slice(i, i + per).forEach((label, j) => {
      const x = MARGIN.left + j * w;
      doc.rect(x, y, w, h).lineWidth(0.5).strokeColor(LINE).stroke();
      doc
        .font('bold')
        .fontSize(BODY)
        .fillColor('#000')
        .text(label, x + PAD, y + PAD, { width: w - 2 * PAD });
      doc.font('regular').fontSize(BODY).fillColor('#444');
      doc.text(`${sign}：`, x + PAD, y + 26, { width: w - 2 * PAD });
      doc
        .moveTo(x + PAD + 40, y + 38)
        .lineTo(x + w - PAD, y + 38)
        .strokeColor(LINE)
        .stroke();
      doc.text(`${date}：`, x + PAD, y + 46, { width: w - 2 * PAD });
      doc
        .moveTo(x + PAD + 40, y + 58)
        .lineTo(x + w - PAD, y + 58)
        .strokeColor(LINE)
        .stroke();
      doc.fillColor('#000');
    });
    doc.y = y + h;
  }
}

function footers(doc: Doc, m: PdfDocumentModel): void {
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    // Writing below the bottom margin would start a new page: lift the margin while we do.
    const saved = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = A4.height - MARGIN.bottom + 18;
    doc
      .moveTo(MARGIN.left, y - 6)
      .lineTo(A4.width - MARGIN.right, y - 6)
      .lineWidth(0.5)
      .strokeColor(LINE)
      .stroke();
    doc.font('regular').fontSize(7.5).fillColor('#666');
    doc.text(m.footer, MARGIN.left, y, { width: CONTENT * 0.7, lineBreak: false });
    doc.text(m.pageLabel(i + 1, range.count), MARGIN.left + CONTENT * 0.7, y, { width: CONTENT * 0.3, align: 'right', lineBreak: false });
    doc.page.margins.bottom = saved;
  }
  doc.fillColor('#000');
}

/**
 * The pure parts of the history import: the RFC 4180 reader (quotes, doubled quotes, line breaks
 * in fields, CRLF, a byte-order mark, errors with their line), the ledger's time spellings, and
 * the row checks that need no database (future dates, closing before receipt, duplicates, kinds,
 * phones, a saved mapping's checks).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv, CsvError } from '../../src/records/import/csv.js';
import { readCsv, columnLetter } from '../../src/records/import/sheet.js';
import { checkLedger, parseLedgerTime } from '../../src/records/import/validate.js';
import { parseMapping, MappingError } from '../../src/records/import/mapping.js';
import { parsePolicyText } from '../../src/domain/policy/index.js';
import { readPolicyFile } from '../../src/services/policies.js';

const f = readPolicyFile('kesu-default');
const parsed = parsePolicyText(f.text, f.format);
if (!parsed.ok) throw new Error('kesu-default does not parse');
const policy = parsed.policy;

describe('ledger import: CSV and times', () => {
  it('reads RFC 4180: quoted commas, doubled quotes, line breaks, CRLF, a BOM, blank lines', () => {
    const text = '\ufeffa,b,c\r\n1,"x, y","he said ""hi"""\r\n2,"two\nlines",\r\n\r\n3,,last\n';
    assert.deepEqual(parseCsv(text), [
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, y', 'he said "hi"'] },
      { line: 3, fields: ['2', 'two\nlines', ''] },
      { line: 6, fields: ['3', '', 'last'] },
    ]);
    assert.deepEqual(
      readCsv(text).rows.map((r) => r.row),
      [2, 3, 4],
      'spreadsheet row numbers',
    );
  });

  it('refuses malformed quoting, naming the line', () => {
    assert.throws(
      () => parseCsv('a,b\n1,"open\n2,3\n'),
      (e: unknown) => e instanceof CsvError && e.line === 2,
    );
    assert.throws(() => parseCsv('a\nab"c\n'), CsvError);
    assert.throws(() => parseCsv('a\n"ab"c\n'), CsvError);
  });

  it('reads the usual time spellings in the ledger time zone', () => {
    const z = 'Asia/Shanghai';
    const iso = (s: string) => parseLedgerTime(s, z)?.toISOString() ?? null;
    const expected = new Date('2025-03-05T14:30:00+08:00').toISOString();
    for (const s of ['2025-03-05 14:30', '2025-3-5 14:30:00', '2025/3/5 14:30', '2025年3月5日 14:30', '2025-03-05T14:30:00+08:00', '2025-03-05T06:30:00Z']) assert.equal(iso(s), expected, s);
    assert.equal(iso('20250305'), new Date('2025-03-05T00:00:00+08:00').toISOString());
    assert.equal(iso('45721.5'), new Date('2025-03-05T12:00:00+08:00').toISOString(), 'an Excel serial day');
    for (const s of ['2025-13-45 10:00', '2025-02-30', '昨天', '2024', '']) assert.equal(iso(s), null, s);
  });

  it('gives spreadsheet column letters', () => {
    assert.deepEqual([0, 1, 25, 26, 27, 701, 702].map(columnLetter), ['A', 'B', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
  });
});

describe('ledger import: row checks', () => {
  const mapping = parseMapping('name: t\ncolumns: { receivedAt: 收到, closedAt: 结案, description: 内容, kind: 类型, phone: 电话, grade: 等级 }\ndefaults: { channel: phone }\n');
  const now = new Date('2026-01-10T12:00:00+08:00');
  const check = (rows: string[][]) => checkLedger({ header: ['收到', '结案', '内容', '类型', '电话', '等级'], rows: rows.map((cells, i) => ({ row: i + 2, cells })) }, mapping, { policy, users: [], now });

  it('finds future dates, closing before receipt, unknown kinds, bad phones, grades on an inquiry, duplicate rows', () => {
    const r = check([
      ['2026-02-01 10:00', '', '未来的时间', '', '', ''],
      ['2025-05-02 10:00', '2025-05-01 10:00', '先结案后受理', '', '', ''],
      ['2025-05-02 10:00', '', '类型不对', '表扬', '', ''],
      ['2025-05-02 10:00', '', '电话不对', '', 'call me', ''],
      ['2025-05-02 10:00', '', '咨询不分级', '咨询', '', '重大投诉'],
      ['2025-05-03 10:00', '', '同一行', '', '', ''],
      ['2025-05-03 10:00', '', '同一行', '', '', ''],
      ['', '', '', '', '', ''],
      ['2025-05-04 10:00', '2025-05-05', '好的一行', '投诉', '0755-1234567', '重要投诉'],
    ]);
    assert.deepEqual(
      r.problems.map((p) => [p.row, p.column, p.code]),
      [
        [2, 'A', 'future_date'],
        [3, 'B', 'closed_before_received'],
        [4, 'D', 'unknown_kind'],
        [5, 'E', 'bad_phone'],
        [6, 'F', 'grade_not_for_kind'],
        [8, 'C', 'duplicate_row'],
        [9, 'A', 'required'],
        [9, 'C', 'required'],
      ],
    );
    const good = r.records.find((x) => x.row === 10)!;
    assert.deepEqual([good.kind, good.grade, good.state, good.channel], ['complaint', 'important', 'closed', 'phone']);
  });

  it('refuses a mapping without the required columns or with an unknown time zone', () => {
    assert.throws(
      () => parseMapping('name: x\ncolumns: { receivedAt: 时间 }\n'),
      (e: unknown) => e instanceof MappingError && /description/.test(e.message),
    );
    assert.throws(() => parseMapping('name: x\ncolumns: { receivedAt: a, description: b }\ntimeZone: Mars/Olympus\n'), MappingError);
    assert.throws(() => parseMapping('name: x\ncolumns: { receivedAt: a, description: b, colour: c }\n'), MappingError);
  });
});

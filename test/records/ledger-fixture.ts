/**
 * Ledger fixtures of the import tests: realistic Chinese rows (complaint texts from
 * /work/shared/data/zh-consumer-complaints-sample.csv, ChnSentiCorp / online_shopping_10_cats,
 * read with the import's own CSV reader) written as an .xlsx workbook (exceljs) or a CSV file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { parseCsv } from '../../src/records/import/csv.js';
import type { Policy } from '../../src/domain/policy/index.js';

const SAMPLE = '/work/shared/data/zh-consumer-complaints-sample.csv';

let texts: string[] | null = null;
export function complaintTexts(): string[] {
  texts ??= parseCsv(readFileSync(SAMPLE, 'utf8'))
    .slice(1)
    .filter((r) => r.fields[3] === 'negative' && (r.fields[4] ?? '').length >= 8)
    .map((r) => r.fields[4]!.trim());
  return texts;
}

export const HEADER = ['台账编号', '受理时间', '客户姓名', '联系电话', '受理渠道', '投诉类别', '投诉等级', '投诉内容', '客户诉求', '责任部门', '处理人', '结案时间', '处理结果', '满意度'];

/** The mapping of these ledgers (YAML), with or without the ledger-id column. */
export function mappingYaml(o: { name?: string; withId?: boolean; satisfactionHeader?: string } = {}): string {
  return [
    `name: ${o.name ?? '2025 年投诉台账'}`,
    'columns:',
    ...(o.withId === false ? [] : ['  externalId: 台账编号']),
    '  receivedAt: 受理时间',
    '  customerName: 客户姓名',
    '  phone: 联系电话',
    '  channel: 受理渠道',
    '  category: 投诉类别',
    '  grade: 投诉等级',
    '  description: 投诉内容',
    '  demands: 客户诉求',
    '  department: 责任部门',
    '  handler: 处理人',
    '  closedAt: 结案时间',
    '  result: 处理结果',
    `  satisfaction: ${o.satisfactionHeader ?? '满意度'}`,
    'closedState: archived',
    '',
  ].join('\n');
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙'];
const GIVEN = ['芳', '伟', '敏', '静', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛'];
const CHANNELS = ['电话', '来访', '信函', '网络', 'email', 'phone'];
const DEMANDS = ['退货退款', '赔偿损失', '赔礼道歉', '改进服务', ''];
const RESULTS = ['已向客户致歉并退款', '已更换商品，客户认可', '已赔偿并说明原因', '已核实并整改，电话答复客户'];
const SATISFACTION = ['满意', '非常满意', '一般', '不满意', ''];

export interface FixtureRow {
  values: (string | Date | number)[];
  closed: boolean;
  grade: string;
  phone: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * `n` rows of 2025: received at working hours through the year, three in four closed (with a
 * result and usually a satisfaction), categories and grades by name or code from the policy.
 */
export function ledgerRows(n: number, policy: Policy, o: { idPrefix?: string } = {}): FixtureRow[] {
  const t = complaintTexts();
  const rows: FixtureRow[] = [];
  for (let i = 0; i < n; i++) {
    const month = (i % 12) + 1;
    const day = (Math.floor(i / 12) % 28) + 1;
    const hour = 9 + (i % 8);
    // Wall-clock time of Asia/Shanghai as an Excel date (exceljs stores the UTC fields).
    const received: Date | string = i % 5 === 0 ? `2025/${month}/${day} ${hour}:${pad(i % 60)}` : new Date(Date.UTC(2025, month - 1, day, hour, i % 60));
    const closed = i % 4 !== 3;
    const category = policy.categories[i % policy.categories.length]!;
    const grade = policy.grades[i % policy.grades.length]!;
    const dept = policy.departments[i % policy.departments.length]!;
    const phone = `139${String(10_000_000 + i).slice(-8)}`;
    rows.push({
      closed,
      grade: grade.code,
      phone,
      values: [
        `${o.idPrefix ?? 'TZ2025'}-${String(i + 1).padStart(5, '0')}`,
        received,
        `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}`,
        phone,
        CHANNELS[i % CHANNELS.length]!,
        i % 3 === 0 ? category.code : category.name['zh-CN'],
        i % 2 === 0 ? grade.name['zh-CN'] : grade.code,
        t[i % t.length]!,
        DEMANDS[i % DEMANDS.length]!,
        dept.name['zh-CN'],
        i % 2 ? '王强' : '已离职员工甲',
        closed ? `2025-${pad(month)}-${pad(Math.min(28, day + 2))} 17:45` : '',
        closed ? RESULTS[i % RESULTS.length]! : '',
        closed ? SATISFACTION[i % SATISFACTION.length]! : '',
      ],
    });
  }
  return rows;
}

export async function writeXlsx(file: string, header: string[], rows: (string | Date | number)[][]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('台账');
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  ws.getColumn(2).numFmt = 'yyyy-mm-dd hh:mm';
  await wb.xlsx.writeFile(file);
}

const csvField = (v: string | Date | number) => {
  const s = v instanceof Date ? v.toISOString() : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function writeCsv(file: string, header: string[], rows: (string | Date | number)[][]): void {
  writeFileSync(file, `\ufeff${[header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`);
}

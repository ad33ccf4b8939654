/**
 * A generated ledger (台账) for the import and purge benches and the purge crash test: `n` rows
 * received in `year` (months and days spread over it), each closed two days later, in the
 * vocabulary of the kesu-default policy (general and important grades), with the mapping that
 * reads it into archived cases.
 */
import { parseMapping } from '../src/records/import/mapping.js';
import type { Sheet } from '../src/records/import/sheet.js';

const TEXTS = ['快递三天未送达，客服电话一直打不通', '商品与描述严重不符，要求退货退款', '门店店员态度恶劣，出言不逊', '维修后同一故障再次出现，要求赔偿', '发票迟迟未开具，多次催促无果'];
const HEADER = ['编号', '受理时间', '姓名', '电话', '渠道', '类别', '等级', '内容', '部门', '结案时间', '结果', '满意度'];

export const LEDGER_MAPPING = parseMapping(
  'name: bench\ncolumns: { externalId: 编号, receivedAt: 受理时间, customerName: 姓名, phone: 电话, channel: 渠道, category: 类别, grade: 等级, description: 内容, department: 部门, closedAt: 结案时间, result: 结果, satisfaction: 满意度 }\nclosedState: archived\n',
);

export function ledgerSheet(n: number, o: { year?: number; idPrefix?: string } = {}): Sheet {
  const year = o.year ?? 2025;
  const prefix = o.idPrefix ?? 'B';
  const pad = (x: number) => String(x).padStart(2, '0');
  const rows = Array.from({ length: n }, (_, i) => {
    const m = (i % 12) + 1;
    const d = (Math.floor(i / 12) % 28) + 1;
    return {
      row: i + 2,
      cells: [
        `${prefix}-${i + 1}`,
        `${year}-${pad(m)}-${pad(d)} ${pad(9 + (i % 8))}:${pad(i % 60)}`,
        `客户${i % 997}`,
        `139${String(10_000_000 + (i % 90_000_000)).slice(-8)}`,
        ['电话', '来访', '网络', '信函'][i % 4]!,
        ['服务态度', '违反承诺', 'attitude'][i % 3]!,
        ['一般投诉', '重要投诉', 'general'][i % 3]!,
        `${TEXTS[i % TEXTS.length]}（第 ${i + 1} 件）`,
        ['客服中心', '销售部', '物流配送部'][i % 3]!,
        `${year}-${pad(m)}-${pad(Math.min(28, d + 2))} 17:45`,
        '已处理，电话答复客户',
        ['满意', '一般', '不满意', ''][i % 4]!,
      ],
    };
  });
  return { header: HEADER, rows };
}

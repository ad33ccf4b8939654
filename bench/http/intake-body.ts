/** The intake request the benches send: a realistic complaint, numbered so each is distinct (a different customer, order and text). */
const DESCRIPTIONS = [
  '快递送来的洗发水漏了一半，外箱也湿了',
  '空调安装后第二天就漏水，师傅一直不接电话',
  '申请退款两周了还没有到账，客服说在处理',
  '收到的手机屏幕有划痕，要求换货',
  '门店店员态度很差，结账时多收了钱',
  '物业维修拖了一个月，卫生间天花板还在漏水',
  '网购的衣服尺码和页面描述不一致，要求退货退款',
  '配送员把包裹放在门口被人拿走了',
];

export function intakeBody(n: number) {
  return {
    channel: n % 3 ? 'phone' : 'web',
    title: `基准测试 ${n}`,
    description: `${DESCRIPTIONS[n % DESCRIPTIONS.length]}（编号 ${n}）`,
    complainant: { name: `客户${n}`, phone: `138${String(10_000_000 + (n % 90_000_000)).slice(-8)}`, email: `customer${n}@example.com` },
    references: { order: `OD-${100_000 + n}` },
  };
}

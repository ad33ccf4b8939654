/**
 * The case dossier 《客户投诉处理单》 (issue 11 §5; the form of 002 篇7 and 001 篇4): the record,
 * the customer as the reader may see them, 5W1H, demands, judgement and findings, the solution
 * and its approvals, the answer, the follow-ups, the deadlines with their explanations, the
 * timeline and a signatures area — as a document model (document.ts) in the reader's language.
 *
 * Built from the case page's view (services/view-complaint.ts), so the reader's masking is the
 * one the case page applies and the access is logged the same way (reports/pdf/dossier-export.ts).
 */
import type { Clock } from '../../domain/complaint/types.js';
import type { Locale } from '../../domain/errors.js';
import { ACTIONS, isActionName } from '../../domain/lifecycle/machine.js';
import type { ComplaintView } from '../../services/view-complaint.js';
import { tableBlock, tableSection, type Block, type Field, type PdfDocumentModel, type Section } from './document.js';
import { T, joinList, localTime, money, word, type Text } from './labels.js';
import type { Names } from './names.js';

/** The 5W1H parts, as the console's intake writes them into the description: `what【人员】who…`. */
export const FIVE_W = ['what', 'who', 'when', 'where', 'why', 'how'] as const;
export type FiveW = (typeof FIVE_W)[number];

/** The part labels in every console language (web/src/i18n: intake.w.*), to read any case's description. */
const W_LABELS: Record<FiveW, Text> = {
  what: T('事件', '事件', 'What'),
  who: T('人员', '人員', 'Who'),
  when: T('时间', '時間', 'When'),
  where: T('地点', '地點', 'Where'),
  why: T('原因诉求', '原因訴求', 'Why'),
  how: T('影响', '影響', 'How'),
};

/**
 * Splits a description into its 5W1H parts. The text before the first 【label】 is "what"; a
 * part whose label is not one of the six stays in "what" with its label, so nothing is lost.
 */
export function fiveW(description: string): Partial<Record<FiveW, string>> {
  const byLabel = new Map<string, FiveW>();
  for (const k of FIVE_W) for (const l of Object.values(W_LABELS[k])) byLabel.set(l, k);
  const out: Partial<Record<FiveW, string>> = {};
  const re = /【([^】]{1,20})】/g;
  let last = 0;
  let key: FiveW = 'what';
  let label = '';
  const push = (text: string) => {
    const t = text.trim();
    if (!t && !label) return;
    const known = byLabel.get(label);
    const k = label && !known ? 'what' : (known ?? key);
    const piece = label && !known ? `【${label}】${t}` : t;
    if (!piece) return;
    out[k] = out[k] ? `${out[k]}\n${piece}` : piece;
  };
  for (const m of description.matchAll(re)) {
    push(description.slice(last, m.index));
    label = m[1]!;
    key = byLabel.get(label) ?? 'what';
    last = m.index! + m[0].length;
  }
  push(description.slice(last));
  return out;
}

const L = {
  title: T('客户投诉处理单', '客戶投訴處理單', 'Customer Complaint Handling Form'),
  printed: T('打印', '列印', 'Printed'),
  by: T('打印人', '列印人', 'by'),
  record: T('登记信息', '登記資訊', 'Record'),
  customer: T('客户信息', '客戶資訊', 'Customer'),
  masked: T('部分个人信息已按您的权限脱敏。', '部分個人資訊已依您的權限遮蔽。', 'Some personal data is masked: your part in the case does not need it.'),
  content: T('投诉内容（5W1H）', '投訴內容（5W1H）', 'The complaint (5W1H)'),
  demands: T('客户诉求', '客戶訴求', 'Demands'),
  judgement: T('判定与调查', '判定與調查', 'Judgement and findings'),
  solution: T('处理方案与审批', '處理方案與審批', 'Solution and approvals'),
  answer: T('答复客户', '答覆客戶', 'Answer to the customer'),
  followUps: T('回访', '回訪', 'Follow-ups'),
  deadlines: T('时限', '時限', 'Deadlines'),
  timeline: T('处理记录', '處理記錄', 'Timeline'),
  signatures: T('签字确认', '簽字確認', 'Signatures'),
  number: T('编号', '編號', 'Number'),
  received: T('受理时间', '受理時間', 'Received'),
  channel: T('受理渠道', '受理管道', 'Channel'),
  kind: T('类型', '類型', 'Kind'),
  category: T('类别', '類別', 'Category'),
  grade: T('等级', '等級', 'Grade'),
  flags: T('标记', '標記', 'Flags'),
  vicious: T('恶性', '惡性', 'Vicious'),
  emergency: T('紧急', '緊急', 'Emergency'),
  state: T('状态', '狀態', 'State'),
  tier: T('层级', '層級', 'Tier'),
  cycle: T('处理轮次', '處理輪次', 'Handling cycle'),
  firstResponder: T('首问责任人', '首問責任人', 'First responder'),
  department: T('责任部门', '責任部門', 'Department'),
  handler: T('处理人', '處理人', 'Handler'),
  backup: T('备用处理人', '備用處理人', 'Backup handler'),
  promised: T('承诺时限', '承諾時限', 'Promised by'),
  closed: T('结案时间', '結案時間', 'Closed'),
  policy: T('适用制度', '適用制度', 'Policy'),
  titleF: T('摘要', '摘要', 'Summary'),
  complainant: T('投诉人', '投訴人', 'Complainant'),
  anonymous: T('匿名', '匿名', 'Anonymous'),
  phone: T('联系电话', '聯絡電話', 'Phone'),
  email: T('电子邮箱', '電子郵件', 'Email'),
  idNumber: T('证件号码', '證件號碼', 'ID number'),
  address: T('地址', '地址', 'Address'),
  customerClass: T('客户类别', '客戶類別', 'Customer class'),
  references: T('相关编号', '相關編號', 'References'),
  order: T('订单号', '訂單號', 'Order'),
  product: T('产品', '產品', 'Product'),
  plate: T('车牌号', '車牌號', 'Plate'),
  subject: T('被投诉对象', '被投訴對象', 'Complained about'),
  regulator: T('转来机关', '轉來機關', 'Referred by'),
  demandTypes: T('诉求类型', '訴求類型', 'Demand'),
  amount: T('金额', '金額', 'Amount'),
  demandText: T('诉求说明', '訴求說明', 'Details'),
  validity: T('判定', '判定', 'Validity'),
  valid: T('投诉成立', '投訴成立', 'Valid'),
  invalid: T('投诉不成立', '投訴不成立', 'Invalid'),
  malicious: T('恶意投诉', '惡意投訴', 'malicious'),
  notJudged: T('尚未判定', '尚未判定', 'Not judged yet'),
  facts: T('调查事实', '調查事實', 'Facts'),
  cause: T('原因', '原因', 'Cause'),
  responsibility: T('责任认定', '責任認定', 'Responsibility'),
  solutions: T('处理方式', '處理方式', 'Solutions'),
  description: T('方案说明', '方案說明', 'Description'),
  requiredLevel: T('所需审批', '所需審批', 'Approval needed'),
  proposedBy: T('提出人', '提出人', 'Proposed by'),
  none: T('无', '無', 'None'),
  time: T('时间', '時間', 'Time'),
  who: T('人员', '人員', 'Who'),
  decision: T('决定', '決定', 'Decision'),
  comment: T('意见', '意見', 'Comment'),
  text: T('答复内容', '答覆內容', 'Answer'),
  method: T('答复方式', '答覆方式', 'Method'),
  written: T('书面答复', '書面答覆', 'in writing'),
  answeredBy: T('答复人', '答覆人', 'Answered by'),
  answeredAt: T('答复时间', '答覆時間', 'Answered at'),
  result: T('结果', '結果', 'Result'),
  scores: T('评分（态度/效率/结果）', '評分（態度/效率/結果）', 'Scores (attitude/efficiency/result)'),
  notReached: T('未联系上', '未聯繫上', 'Not reached'),
  clock: T('时限', '時限', 'Deadline'),
  status: T('状态', '狀態', 'Status'),
  started: T('开始', '開始', 'Started'),
  due: T('到期', '到期', 'Due'),
  stopped: T('停止', '停止', 'Stopped'),
  explanation: T('计算说明', '計算說明', 'How it was counted'),
  running: T('计时中', '計時中', 'Running'),
  paused: T('已暂停', '已暫停', 'Paused'),
  stoppedS: T('已停止', '已停止', 'Stopped'),
  breached: T('已超时', '已逾時', 'Breached'),
  action: T('操作', '操作', 'Action'),
  details: T('说明', '說明', 'Details'),
  receivedEvent: T('受理登记', '受理登記', 'Received'),
  noApprovals: T('无审批记录', '無審批記錄', 'No approvals'),
  noFollowUps: T('尚无回访', '尚無回訪', 'No follow-ups yet'),
  sign: T('签字', '簽字', 'Signature'),
  date: T('日期', '日期', 'Date'),
  sFirstResponder: T('受理人（首问责任人）', '受理人（首問責任人）', 'Received by (first responder)'),
  sHandler: T('处理人', '處理人', 'Handler'),
  sManager: T('部门负责人', '部門負責人', 'Department manager'),
  sApprover: T('审批人', '審批人', 'Approver'),
  sFollowUp: T('回访人', '回訪人', 'Follow-up caller'),
  sCustomer: T('客户确认', '客戶確認', 'Customer'),
  page: T('第 {p} 页 / 共 {n} 页', '第 {p} 頁 / 共 {n} 頁', 'Page {p} of {n}'),
} as const satisfies Record<string, Text>;

/** Events that decide on a proposal or an extension: the approvals. */
const DECISIONS = ['approve', 'reject', 'grant_extension', 'refuse_extension'];

export interface DossierInput {
  view: ComplaintView;
  names: Names;
  lang: Locale;
  timeZone: string;
  reader: string;
  now: Date;
}

export function dossierModel({ view, names, lang, timeZone, reader, now }: DossierInput): PdfDocumentModel {
  const c = view.complaint;
  const t = (x: Text) => x[lang];
  const at = (iso: string | null | undefined) => localTime(iso, timeZone);
  const input = (e: { data: Record<string, unknown> }) => (e.data?.input ?? {}) as Record<string, unknown>;
  const actionName = (a: string | null) => (a && isActionName(a) ? ACTIONS[a].label[lang] : (a ?? ''));

  const record: Field[] = [
    { label: t(L.number), value: c.number },
    { label: t(L.received), value: at(c.receivedAt) },
    { label: t(L.channel), value: word('channel', c.channel, lang) },
    { label: t(L.kind), value: word('kind', c.kind, lang) },
    { label: t(L.category), value: names.category(c.category) },
    { label: t(L.grade), value: names.grade(c.grade) },
    { label: t(L.state), value: word('state', c.state, lang) },
    { label: t(L.tier), value: `${c.tier} · ${names.tier(c.tier)}${c.cycle > 1 ? ` · ${t(L.cycle)} ${c.cycle}` : ''}` },
    { label: t(L.firstResponder), value: names.user(c.firstResponderId) },
    { label: t(L.department), value: names.department(c.departmentCode) },
    { label: t(L.handler), value: names.user(c.primaryHandlerId) },
    { label: t(L.backup), value: names.user(c.backupHandlerId) },
    { label: t(L.promised), value: at(view.promisedAt) },
    { label: t(L.closed), value: at(c.closedAt) },
    ...(c.vicious || c.emergency ? [{ label: t(L.flags), value: joinList([c.vicious ? t(L.vicious) : null, c.emergency ? t(L.emergency) : null], lang) }] : []),
    { label: t(L.policy), value: c.policyKey },
    { label: t(L.titleF), value: c.title, wide: true },
  ];

  const p = c.complainant;
  const refs = joinList([c.references.order && `${t(L.order)} ${c.references.order}`, c.references.product && `${t(L.product)} ${c.references.product}`, c.references.plate && `${t(L.plate)} ${c.references.plate}`], lang);
  const customer: Block[] = [
    ...(c.piiMasked ? [{ kind: 'note' as const, text: t(L.masked) }] : []),
    {
      kind: 'fields',
      fields: [
        { label: t(L.complainant), value: p.anonymous ? t(L.anonymous) : (p.name ?? '') },
        { label: t(L.customerClass), value: p.customerClass ?? '' },
        { label: t(L.phone), value: p.phone ?? '' },
        { label: t(L.email), value: p.email ?? '' },
        ...(p.idNumber ? [{ label: t(L.idNumber), value: p.idNumber }] : []),
        { label: t(L.address), value: p.address ?? '', wide: true },
        { label: t(L.references), value: refs, wide: true },
      ],
    },
  ];

  const w = fiveW(c.description);
  const subject = joinList([c.subject.departmentCode ? names.department(c.subject.departmentCode) : null, ...c.subject.employeeIds.map((id) => names.user(id)), c.subject.description ?? null], lang);
  const content: Field[] = [
    ...FIVE_W.map((k) => ({ label: W_LABELS[k][lang], value: w[k] ?? '', wide: true })),
    { label: t(L.subject), value: subject, wide: true },
    ...(c.regulator ? [{ label: t(L.regulator), value: `${c.regulator.name} · ${c.regulator.externalRef} · ${t(L.due)} ${at(c.regulator.dueAt)}`, wide: true }] : []),
  ];

  const demands: Field[] = [
    {
      label: t(L.demandTypes),
      value: joinList(
        c.demands.types.map((d) => word('demand', d, lang)),
        lang,
      ),
    },
    { label: t(L.amount), value: money(c.demands.amount, lang) },
    { label: t(L.demandText), value: c.demands.text ?? '', wide: true },
  ];

  const v = c.validity;
  const f = c.findings;
  const judgement: Field[] = [
    {
      label: t(L.validity),
      value: !v ? t(L.notJudged) : v.valid ? t(L.valid) : `${t(L.invalid)}：${names.reason(v.reason)}${v.malicious ? `（${t(L.malicious)}）` : ''}${v.explanation ? ` — ${v.explanation}` : ''}`,
      wide: true,
    },
    ...(f
      ? [
          { label: t(L.facts), value: f.facts, wide: true },
          { label: t(L.cause), value: f.cause, wide: true },
          {
            label: t(L.responsibility),
            value: joinList(
              [
                word('responsibility', f.responsibility.type, lang),
                f.responsibility.departmentCode ? names.department(f.responsibility.departmentCode) : null,
                f.responsibility.employeeId ? names.user(f.responsibility.employeeId) : null,
                f.responsibility.note ?? null,
              ],
              lang,
            ),
            wide: true,
          },
        ]
      : []),
  ];

  const pr = c.proposal;
  const approvals = view.timeline.filter((e) => e.action && DECISIONS.includes(e.action));
  const solution: Block[] = [
    {
      kind: 'fields',
      fields: pr
        ? [
            {
              label: t(L.solutions),
              value: joinList(
                pr.solutions.map((s) => word('solution', s, lang)),
                lang,
              ),
            },
            { label: t(L.amount), value: money(pr.amount, lang) },
            { label: t(L.requiredLevel), value: pr.requiredLevel ? names.level(pr.requiredLevel) : t(L.none) },
            { label: t(L.proposedBy), value: `${names.user(pr.proposedBy)} ${at(pr.proposedAt)}` },
            { label: t(L.description), value: pr.description, wide: true },
          ]
        : [{ label: t(L.solutions), value: t(L.none), wide: true }],
    },
    tableBlock(
      [
        [t(L.time), 2],
        [t(L.who), 1.6],
        [t(L.decision), 1.6],
        [t(L.comment), 4],
      ],
      approvals.map((e) => [at(e.at), e.actorName, actionName(e.action), String(input(e).comment ?? input(e).reason ?? '')]),
      t(L.noApprovals),
    ),
  ];

  const a = c.answer;
  const answer: Field[] = a
    ? [
        { label: t(L.answeredAt), value: at(a.answeredAt) },
        { label: t(L.answeredBy), value: names.user(a.answeredBy) },
        { label: t(L.method), value: `${word('method', a.method, lang)}${a.written ? `（${t(L.written)}）` : ''}` },
        { label: t(L.text), value: a.text, wide: true },
      ]
    : [{ label: t(L.text), value: t(L.none), wide: true }];

  const followUps = view.timeline.filter((e) => e.action === 'follow_up');
  const followRows = followUps.map((e) => {
    const i = input(e);
    const s = (i.scores ?? {}) as { attitude?: number; efficiency?: number; result?: number };
    const scores = i.scores ? [s.attitude, s.efficiency, s.result].map((x) => (x === undefined ? '—' : String(x))).join(' / ') : '';
    return [at(e.at), e.actorName, i.reached === false ? t(L.notReached) : word('satisfaction', String(i.satisfaction ?? ''), lang), scores, String(i.comment ?? '')];
  });

  const clockStatus = (k: Clock) => (k.breachedAt ? t(L.breached) : k.status === 'running' ? t(L.running) : k.status === 'paused' ? t(L.paused) : t(L.stoppedS));
  const explained = (k: Clock) => {
    const e = k.explanation as { text?: Partial<Record<Locale, string>> } | null;
    return e && typeof e === 'object' && e.text ? (e.text[lang] ?? '') : '';
  };
  // Grade-rise timers that stopped are noise on paper, as on the case page.
  const clocks = view.clocks.filter((k) => !k.kind.startsWith('grade_rise') || k.status !== 'stopped');

  const timeline = view.timeline.map((e) => {
    const i = input(e);
    const details = [i.comment, i.reason && names.reason(String(i.reason)), i.explanation, i.text, i.note, i.description].filter((x) => typeof x === 'string' && x).map(String);
    const move = e.toState && e.fromState !== e.toState ? ` → ${word('state', e.toState, lang)}` : '';
    return [at(e.at), e.actorName, `${e.action === 'receive' ? t(L.receivedEvent) : actionName(e.action ?? e.type)}${move}`, joinList(details, lang)];
  });

  const sections: Section[] = [
    { title: t(L.record), blocks: [{ kind: 'fields', fields: record }] },
    { title: t(L.customer), blocks: customer },
    { title: t(L.content), blocks: [{ kind: 'fields', fields: content }] },
    { title: t(L.demands), blocks: [{ kind: 'fields', fields: demands }] },
    { title: t(L.judgement), blocks: [{ kind: 'fields', fields: judgement }] },
    { title: t(L.solution), blocks: solution },
    { title: t(L.answer), blocks: [{ kind: 'fields', fields: answer }] },
    tableSection(
      t(L.followUps),
      [
        [t(L.time), 2],
        [t(L.who), 1.5],
        [t(L.result), 1.5],
        [t(L.scores), 1.8],
        [t(L.comment), 3],
      ],
      followRows,
      t(L.noFollowUps),
    ),
    tableSection(
      t(L.deadlines),
      [
        [t(L.clock), 2.4],
        [t(L.status), 1.2],
        [t(L.started), 2.6],
        [t(L.due), 2.6],
        [t(L.stopped), 2.6],
        [t(L.explanation), 4.4],
      ],
      clocks.map((k) => [names.clock(k.kind), clockStatus(k), at(k.startedAt), at(k.dueAt), at(k.stoppedAt), explained(k)]),
    ),
    tableSection(
      t(L.timeline),
      [
        [t(L.time), 2],
        [t(L.who), 1.5],
        [t(L.action), 2.4],
        [t(L.details), 4.2],
      ],
      timeline,
    ),
    {
      title: t(L.signatures),
      blocks: [{ kind: 'signatures', boxes: [t(L.sFirstResponder), t(L.sHandler), t(L.sManager), t(L.sApprover), t(L.sFollowUp), t(L.sCustomer)], sign: t(L.sign), date: t(L.date) }],
    },
  ];

  const title = t(L.title);
  return {
    title: lang === 'en' ? title : `《${title}》`,
    subtitle: [names.organisation, `${t(L.number)} ${c.number} · ${t(L.printed)} ${localTime(now.toISOString(), timeZone)}（${timeZone}）· ${t(L.by)} ${reader}`],
    sections,
    footer: `${c.number} · ${names.organisation}`,
    pageLabel: (pg, n) => t(L.page).replace('{p}', String(pg)).replace('{n}', String(n)),
    meta: { title: `${title} ${c.number}`, subject: c.title, lang, created: now },
  };
}

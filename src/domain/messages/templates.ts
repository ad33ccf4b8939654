/**
 * Message wording of the customer channels and staff notifications (channels/templates.ts
 * renders them): the customer messages' default subject, e-mail body and SMS per language (a
 * policy's `messages` section may override each), the sender's default name, and the staff
 * notifications' titles, clock names and field labels. Placeholders are `{name}`.
 */
import type { Messages } from '../errors.js';
import type { CustomerMessage } from '../policy/index.js';

export interface CustomerWording {
  subject: Messages;
  body: Messages;
  sms: Messages;
}

export const CUSTOMER_DEFAULTS = {
  acknowledgement: {
    subject: { 'zh-CN': '【{number}】您的投诉已受理', 'zh-TW': '【{number}】您的投訴已受理', en: '[{number}] We have received your complaint' },
    body: {
      'zh-CN':
        '尊敬的客户：\n\n您好！您反映的问题我们已受理，受理编号：{number}。\n我们承诺在 {promisedAt} 前给您答复。\n\n您可以凭受理编号和访问码在以下网址查询处理进度、补充材料：\n{trackUrl}\n访问码：{accessCode}（请妥善保管，不要告诉他人）\n\n回复本邮件时请保留标题中的受理编号。\n\n{organisation}',
      'zh-TW':
        '尊敬的客戶：\n\n您好！您反映的問題我們已受理，受理編號：{number}。\n我們承諾在 {promisedAt} 前給您答覆。\n\n您可以憑受理編號和存取碼在以下網址查詢處理進度、補充資料：\n{trackUrl}\n存取碼：{accessCode}（請妥善保管，不要告訴他人）\n\n回覆本郵件時請保留標題中的受理編號。\n\n{organisation}',
      en: 'Dear customer,\n\nWe have received your complaint. Your case number is {number}.\nWe will answer you by {promisedAt}.\n\nFollow your case and add information at:\n{trackUrl}\nAccess code: {accessCode} (keep it to yourself)\n\nWhen you reply to this e-mail, keep the case number in the subject.\n\n{organisation}',
    },
    sms: {
      'zh-CN': '【{organisation}】您的投诉已受理，编号{number}，访问码{accessCode}，我们将在{promisedAt}前答复。查询：{trackUrl}',
      'zh-TW': '【{organisation}】您的投訴已受理，編號{number}，存取碼{accessCode}，我們將在{promisedAt}前答覆。查詢：{trackUrl}',
      en: '{organisation}: complaint {number} received, access code {accessCode}. Answer by {promisedAt}. Track: {trackUrl}',
    },
  },
  delay_notice: {
    subject: { 'zh-CN': '【{number}】处理时间调整通知', 'zh-TW': '【{number}】處理時間調整通知', en: '[{number}] We need more time' },
    body: {
      'zh-CN': '尊敬的客户：\n\n根据处理进展，您的投诉（编号 {number}）处理时间需要调整，非常抱歉让您久等。\n新的承诺答复时间：{dueAt}\n\n查询进度：{trackUrl}\n\n{organisation}',
      'zh-TW': '尊敬的客戶：\n\n根據處理進展，您的投訴（編號 {number}）處理時間需要調整，非常抱歉讓您久等。\n新的承諾答覆時間：{dueAt}\n\n查詢進度：{trackUrl}\n\n{organisation}',
      en: 'Dear customer,\n\nAs your complaint {number} has progressed, it will take longer than we first promised. We are sorry for the wait.\nNew promised time: {dueAt}\n\nFollow your case: {trackUrl}\n\n{organisation}',
    },
    sms: {
      'zh-CN': '【{organisation}】很抱歉，您的投诉{number}需延长处理，新的答复时间为{dueAt}。查询：{trackUrl}',
      'zh-TW': '【{organisation}】很抱歉，您的投訴{number}需延長處理，新的答覆時間為{dueAt}。查詢：{trackUrl}',
      en: '{organisation}: sorry, complaint {number} needs more time. New promised time: {dueAt}. Track: {trackUrl}',
    },
  },
  promise_earlier: {
    subject: { 'zh-CN': '【{number}】答复时间提前通知', 'zh-TW': '【{number}】答覆時間提前通知', en: '[{number}] An earlier answer time' },
    body: {
      'zh-CN': '尊敬的客户：\n\n因工作日安排调整，您的投诉（编号 {number}）的承诺答复时间已提前。\n新的承诺答复时间：{dueAt}\n\n查询进度：{trackUrl}\n\n{organisation}',
      'zh-TW': '尊敬的客戶：\n\n因工作日安排調整，您的投訴（編號 {number}）的承諾答覆時間已提前。\n新的承諾答覆時間：{dueAt}\n\n查詢進度：{trackUrl}\n\n{organisation}',
      en: 'Dear customer,\n\nThe working days have been rearranged, so we will answer your complaint {number} earlier than we first said.\nNew promised time: {dueAt}\n\nFollow your case: {trackUrl}\n\n{organisation}',
    },
    sms: {
      'zh-CN': '【{organisation}】因工作日安排调整，您的投诉{number}答复时间提前至{dueAt}。查询：{trackUrl}',
      'zh-TW': '【{organisation}】因工作日安排調整，您的投訴{number}答覆時間提前至{dueAt}。查詢：{trackUrl}',
      en: '{organisation}: working days changed, complaint {number} will be answered earlier, by {dueAt}. Track: {trackUrl}',
    },
  },
  answer: {
    subject: { 'zh-CN': '【{number}】投诉处理答复', 'zh-TW': '【{number}】投訴處理答覆', en: '[{number}] Our answer to your complaint' },
    body: {
      'zh-CN': '尊敬的客户：\n\n关于您的投诉（编号 {number}），处理结果如下：\n\n{answer}\n\n如有疑问，请直接回复本邮件，或在 {trackUrl} 补充说明。\n\n{organisation}',
      'zh-TW': '尊敬的客戶：\n\n關於您的投訴（編號 {number}），處理結果如下：\n\n{answer}\n\n如有疑問，請直接回覆本郵件，或在 {trackUrl} 補充說明。\n\n{organisation}',
      en: 'Dear customer,\n\nAbout your complaint {number}, this is what we did:\n\n{answer}\n\nIf anything is unclear, reply to this e-mail or add information at {trackUrl}.\n\n{organisation}',
    },
    sms: {
      'zh-CN': '【{organisation}】您的投诉{number}处理结果：{answer}',
      'zh-TW': '【{organisation}】您的投訴{number}處理結果：{answer}',
      en: '{organisation}: complaint {number}: {answer}',
    },
  },
  survey_invitation: {
    subject: { 'zh-CN': '【{number}】请您评价我们的处理', 'zh-TW': '【{number}】請您評價我們的處理', en: '[{number}] How did we do?' },
    body: {
      'zh-CN': '尊敬的客户：\n\n您的投诉（编号 {number}）已处理完毕。请花一分钟告诉我们您是否满意：\n{surveyUrl}\n\n链接有效期至 {expiresAt}，仅可提交一次。如您不满意，我们会再次处理。\n\n{organisation}',
      'zh-TW': '尊敬的客戶：\n\n您的投訴（編號 {number}）已處理完畢。請花一分鐘告訴我們您是否滿意：\n{surveyUrl}\n\n連結有效期至 {expiresAt}，僅可提交一次。如您不滿意，我們會再次處理。\n\n{organisation}',
      en: 'Dear customer,\n\nWe have finished handling your complaint {number}. Please take a minute to tell us whether you are satisfied:\n{surveyUrl}\n\nThe link works until {expiresAt}, for one answer. If you are not satisfied, we will handle your case again.\n\n{organisation}',
    },
    sms: {
      'zh-CN': '【{organisation}】您的投诉{number}已处理完毕，请评价：{surveyUrl}（{expiresAt}前有效）',
      'zh-TW': '【{organisation}】您的投訴{number}已處理完畢，請評價：{surveyUrl}（{expiresAt}前有效）',
      en: '{organisation}: complaint {number} is resolved. Please rate us: {surveyUrl} (until {expiresAt})',
    },
  },
  closure: {
    subject: { 'zh-CN': '【{number}】投诉已结案', 'zh-TW': '【{number}】投訴已結案', en: '[{number}] Your complaint is closed' },
    body: {
      'zh-CN': '尊敬的客户：\n\n您的投诉（编号 {number}）已结案。感谢您的反馈，它帮助我们改进服务。\n\n{organisation}',
      'zh-TW': '尊敬的客戶：\n\n您的投訴（編號 {number}）已結案。感謝您的回饋，它幫助我們改進服務。\n\n{organisation}',
      en: 'Dear customer,\n\nYour complaint {number} is now closed. Thank you for your feedback: it helps us improve.\n\n{organisation}',
    },
    sms: {
      'zh-CN': '【{organisation}】您的投诉{number}已结案，感谢您的反馈。',
      'zh-TW': '【{organisation}】您的投訴{number}已結案，感謝您的回饋。',
      en: '{organisation}: complaint {number} is closed. Thank you for your feedback.',
    },
  },
  invalid_explanation: {
    subject: { 'zh-CN': '【{number}】关于您反映问题的说明', 'zh-TW': '【{number}】關於您反映問題的說明', en: '[{number}] About your complaint' },
    body: {
      'zh-CN': '尊敬的客户：\n\n经核实，您反映的问题（编号 {number}）未能作为有效投诉受理，原因如下：\n\n{explanation}\n\n如有新的情况，欢迎再次与我们联系。\n\n{organisation}',
      'zh-TW': '尊敬的客戶：\n\n經核實，您反映的問題（編號 {number}）未能作為有效投訴受理，原因如下：\n\n{explanation}\n\n如有新的情況，歡迎再次與我們聯繫。\n\n{organisation}',
      en: 'Dear customer,\n\nWe looked into your complaint {number} and could not accept it, for this reason:\n\n{explanation}\n\nIf anything new comes up, please contact us again.\n\n{organisation}',
    },
    sms: {
      'zh-CN': '【{organisation}】关于您的投诉{number}：{explanation}',
      'zh-TW': '【{organisation}】關於您的投訴{number}：{explanation}',
      en: '{organisation}: about complaint {number}: {explanation}',
    },
  },
  overdue_notice: {
    subject: { 'zh-CN': '【{number}】处理进度致歉', 'zh-TW': '【{number}】處理進度致歉', en: '[{number}] Sorry for the delay' },
    body: {
      'zh-CN': '尊敬的客户：\n\n非常抱歉，您的投诉（编号 {number}）未能在我们承诺的时间内完成这一处理环节。我们已提级督办，会尽快给您答复。\n\n查询进度：{trackUrl}\n\n{organisation}',
      'zh-TW': '尊敬的客戶：\n\n非常抱歉，您的投訴（編號 {number}）未能在我們承諾的時間內完成這一處理環節。我們已提級督辦，會盡快給您答覆。\n\n查詢進度：{trackUrl}\n\n{organisation}',
      en: 'Dear customer,\n\nWe are sorry: a step of your complaint {number} was not done within the time we promised. It has been passed up for attention and we will answer you as soon as we can.\n\nFollow your case: {trackUrl}\n\n{organisation}',
    },
    sms: {
      'zh-CN': '【{organisation}】很抱歉，您的投诉{number}未能按时完成当前环节，已提级督办。查询：{trackUrl}',
      'zh-TW': '【{organisation}】很抱歉，您的投訴{number}未能按時完成當前環節，已提級督辦。查詢：{trackUrl}',
      en: '{organisation}: sorry, complaint {number} is late on a step we promised; it has been passed up. Track: {trackUrl}',
    },
  },
} as const satisfies Record<CustomerMessage, CustomerWording>;

/** The sender's name when the policy gives none. */
export const DEFAULT_ORGANISATION = { 'zh-CN': '客户服务中心', 'zh-TW': '客戶服務中心', en: 'Customer Service Centre' } as const satisfies Messages;

/** Titles of the staff notifications, by template. */
export const STAFF_TITLES = {
  triage_waiting: { 'zh-CN': '新投诉待判定', 'zh-TW': '新投訴待判定', en: 'New complaint to triage' },
  invalid_explain: { 'zh-CN': '投诉判定无效，请向客户解释', 'zh-TW': '投訴判定無效，請向客戶解釋', en: 'Judged invalid: explain to the customer' },
  case_assigned: { 'zh-CN': '有投诉分派给您', 'zh-TW': '有投訴分派給您', en: 'A case was assigned to you' },
  case_progress: { 'zh-CN': '您受理的投诉有新进展', 'zh-TW': '您受理的投訴有新進展', en: 'Progress on a case you received' },
  approval_waiting: { 'zh-CN': '处理方案待审批', 'zh-TW': '處理方案待審批', en: 'A proposal waits for approval' },
  proposal_approved: { 'zh-CN': '处理方案已批准', 'zh-TW': '處理方案已批准', en: 'Proposal approved' },
  proposal_rejected: { 'zh-CN': '处理方案被驳回', 'zh-TW': '處理方案被駁回', en: 'Proposal rejected' },
  followup_due: { 'zh-CN': '投诉已答复，请在时限内回访', 'zh-TW': '投訴已答覆，請在時限內回訪', en: 'Answered: follow up within the window' },
  followup_unreachable: { 'zh-CN': '多次回访未能联系上客户', 'zh-TW': '多次回訪未能聯繫上客戶', en: 'Customer unreachable after every follow-up attempt' },
  handle_again: { 'zh-CN': '客户不满意，需再次处理', 'zh-TW': '客戶不滿意，需再次處理', en: 'Customer unsatisfied: handle again' },
  cycles_exceeded: { 'zh-CN': '处理循环次数超过制度上限', 'zh-TW': '處理循環次數超過制度上限', en: 'Handling cycles exceed the policy maximum' },
  extension_waiting: { 'zh-CN': '延期申请待审批', 'zh-TW': '延期申請待審批', en: 'An extension waits for approval' },
  extension_granted: { 'zh-CN': '延期已批准', 'zh-TW': '延期已批准', en: 'Extension granted' },
  extension_refused: { 'zh-CN': '延期被驳回', 'zh-TW': '延期被駁回', en: 'Extension refused' },
  deadline_warning: { 'zh-CN': '时限预警', 'zh-TW': '時限預警', en: 'Deadline warning' },
  deadline_breached: { 'zh-CN': '已超时并升级', 'zh-TW': '已逾時並升級', en: 'Deadline breached: escalated' },
  grade_raised: { 'zh-CN': '投诉等级已上升', 'zh-TW': '投訴等級已上升', en: 'Grade raised' },
  major_case: { 'zh-CN': '重大投诉，请直接处理', 'zh-TW': '重大投訴，請直接處理', en: 'Major complaint' },
  emergency_case: { 'zh-CN': '紧急投诉', 'zh-TW': '緊急投訴', en: 'Emergency complaint' },
  case_urged: { 'zh-CN': '主管催办：请尽快处理此投诉', 'zh-TW': '主管催辦：請盡快處理此投訴', en: 'A manager urges you to move this case on' },
  customer_supplement: { 'zh-CN': '客户补充了信息', 'zh-TW': '客戶補充了資料', en: 'The customer added information' },
  handover_failed: { 'zh-CN': '再次处理：制度指定的处理人无人可派，请手动改派', 'zh-TW': '再次處理：制度指定的處理人無人可派，請手動改派', en: 'Handled again: nobody fits the policy’s handler, re-route by hand' },
  stand_in_assigned: { 'zh-CN': '同事缺勤，由您代为处理此投诉', 'zh-TW': '同事缺勤，由您代為處理此投訴', en: 'A colleague is away: you stand in on this case' },
  stand_in_approval: { 'zh-CN': '审批人缺勤，由您代为审批', 'zh-TW': '審批人缺勤，由您代為審批', en: 'An approver is away: you decide in their place' },
  stand_in_failed: { 'zh-CN': '处理人缺勤，无在岗的代理人，请手动改派', 'zh-TW': '處理人缺勤，無在崗的代理人，請手動改派', en: 'Someone is away and nobody present can stand in: re-route by hand' },
  stand_in_ended: { 'zh-CN': '缺勤结束，此投诉已交回主要责任人', 'zh-TW': '缺勤結束，此投訴已交回主要責任人', en: 'The absence ended: the case is back with its primary handler' },
  report_ready: { 'zh-CN': '定期报表已生成', 'zh-TW': '定期報表已產生', en: 'Scheduled report ready' },
  duty_assigned: { 'zh-CN': '您有一项新的待办职责', 'zh-TW': '您有一項新的待辦職責', en: 'A new duty for you' },
  duty_reminder: { 'zh-CN': '待办职责即将到期', 'zh-TW': '待辦職責即將到期', en: 'A duty is due soon' },
  duty_overdue: { 'zh-CN': '待办职责已逾期', 'zh-TW': '待辦職責已逾期', en: 'A duty is overdue' },
} as const satisfies Record<string, Messages>;

/** Clock names in staff notifications. */
export const CLOCK_LABELS = {
  triage: { 'zh-CN': '判定时限', 'zh-TW': '判定時限', en: 'triage' },
  dispatch: { 'zh-CN': '分派时限', 'zh-TW': '分派時限', en: 'dispatch' },
  first_response: { 'zh-CN': '签收时限', 'zh-TW': '簽收時限', en: 'first response' },
  resolve: { 'zh-CN': '答复时限', 'zh-TW': '答覆時限', en: 'answer' },
  approval: { 'zh-CN': '审批时限', 'zh-TW': '審批時限', en: 'approval' },
  follow_up: { 'zh-CN': '回访时限', 'zh-TW': '回訪時限', en: 'follow-up' },
  escalation: { 'zh-CN': '升级时限', 'zh-TW': '升級時限', en: 'escalation' },
  regulator: { 'zh-CN': '监管时限', 'zh-TW': '監管時限', en: 'regulator' },
} as const satisfies Record<string, Messages>;

/** Labels of the lines of a staff notification. */
export const FIELD_LABELS = {
  number: { 'zh-CN': '编号', 'zh-TW': '編號', en: 'Case' },
  clock: { 'zh-CN': '时限', 'zh-TW': '時限', en: 'Clock' },
  dueAt: { 'zh-CN': '到期', 'zh-TW': '到期', en: 'Due' },
  tier: { 'zh-CN': '升级层级', 'zh-TW': '升級層級', en: 'Tier' },
  cycle: { 'zh-CN': '处理轮次', 'zh-TW': '處理輪次', en: 'Cycle' },
  level: { 'zh-CN': '审批级别', 'zh-TW': '審批級別', en: 'Approval level' },
  grade: { 'zh-CN': '等级', 'zh-TW': '等級', en: 'Grade' },
  comment: { 'zh-CN': '意见', 'zh-TW': '意見', en: 'Comment' },
  attachments: { 'zh-CN': '附件', 'zh-TW': '附件', en: 'Attachments' },
  department: { 'zh-CN': '部门', 'zh-TW': '部門', en: 'Department' },
  by: { 'zh-CN': '催办人', 'zh-TW': '催辦人', en: 'Urged by' },
} as const satisfies Record<string, Messages>;

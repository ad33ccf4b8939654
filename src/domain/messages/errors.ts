/** The texts of the domain's error codes (domain/errors.ts `ErrorCode`), for `messageFor`. */
import type { ErrorCode, Messages } from '../errors.js';

export const ERROR_MESSAGES = {
  invalid_input: { 'zh-CN': '输入有误', 'zh-TW': '輸入有誤', en: 'Invalid input' },
  not_found: { 'zh-CN': '未找到', 'zh-TW': '未找到', en: 'Not found' },
  forbidden: { 'zh-CN': '无权执行此操作', 'zh-TW': '無權執行此操作', en: 'You may not do this' },
  unauthenticated: { 'zh-CN': '请先登录', 'zh-TW': '請先登入', en: 'Please sign in' },
  illegal_transition: {
    'zh-CN': '当前状态下不能执行此操作',
    'zh-TW': '目前狀態下不能執行此操作',
    en: 'This action is not allowed in the current state',
  },
  avoidance: {
    'zh-CN': '被投诉人须回避本案',
    'zh-TW': '被投訴人須迴避本案',
    en: 'The complained-about person must stay out of this case',
  },
  conflict: {
    'zh-CN': '案件已被他人修改，请刷新后重试',
    'zh-TW': '案件已被他人修改，請重新整理後重試',
    en: 'The case was changed by someone else; reload and retry',
  },
  policy_invalid: { 'zh-CN': '制度文件有误', 'zh-TW': '制度檔案有誤', en: 'The policy document is invalid' },
  approval_level_too_low: {
    'zh-CN': '审批级别不足',
    'zh-TW': '審批級別不足',
    en: 'Your approval level is too low for this proposal',
  },
  extension_over_limit: {
    'zh-CN': '延期超过制度规定的上限',
    'zh-TW': '延期超過制度規定的上限',
    en: 'The extension exceeds the policy maximum',
  },
  idempotency_mismatch: {
    'zh-CN': '同一幂等键已用于不同的请求',
    'zh-TW': '同一冪等鍵已用於不同的請求',
    en: 'This Idempotency-Key was already used for a different request',
  },
  storage_full: {
    'zh-CN': '服务器存储空间已满，本次提交未保存，请稍后重试（已通知管理员）',
    'zh-TW': '伺服器儲存空間已滿，本次提交未儲存，請稍後重試（已通知管理員）',
    en: 'The server is out of storage space: nothing was saved. Please retry later (the administrators are told)',
  },
  storage_unavailable: {
    'zh-CN': '数据库暂时无法写入，本次提交未保存，请稍后重试',
    'zh-TW': '資料庫暫時無法寫入，本次提交未儲存，請稍後重試',
    en: 'The database cannot be written at the moment: nothing was saved. Please retry later',
  },
  storage_busy: {
    'zh-CN': '数据库正忙，本次提交未保存，请几秒后重试',
    'zh-TW': '資料庫忙碌中，本次提交未儲存，請幾秒後重試',
    en: 'The database is busy: nothing was saved. Please retry in a few seconds',
  },
  login_throttled: {
    'zh-CN': '登录失败次数过多，已暂时锁定，请稍后再试或联系管理员解锁',
    'zh-TW': '登入失敗次數過多，已暫時鎖定，請稍後再試或聯絡管理員解鎖',
    en: 'Too many failed sign-ins: signing in is locked for a while. Retry later or ask an administrator to unlock the account',
  },
  rate_limited: { 'zh-CN': '操作过于频繁，请稍后再试', 'zh-TW': '操作過於頻繁，請稍後再試', en: 'Too many requests: please wait a minute and try again' },
} as const satisfies Record<ErrorCode, Messages>;

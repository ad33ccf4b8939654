/**
 * Words of the policy checker's reports (domain/policy): how `formatProblems` places a problem,
 * and the shape problems the zod-issue translator (policy/load.ts) writes, in zh-CN / zh-TW / en.
 * The cross-field rules (policy/check.ts) still write their own zh-CN and en texts, their zh-TW
 * converted from the simplified text (policy/traditional.ts).
 */
import type { Messages } from '../errors.js';

export const POLICY_MESSAGES = {
  document: { 'zh-CN': '（整个文件）', 'zh-TW': '（整個文件）', en: '(document)' },
  at_line: { 'zh-CN': '（第 {line} 行）', 'zh-TW': '（第 {line} 行）', en: ' (line {line})' },
  empty_document: { 'zh-CN': '文件为空', 'zh-TW': '文件為空', en: 'the document is empty' },
  missing_field: { 'zh-CN': '缺少必填字段（应为{expected}）', 'zh-TW': '缺少必填字段（應為{expected}）', en: 'required field is missing (expected {expected})' },
  not_an_object: { 'zh-CN': '文件内容应为一个对象（键: 值）', 'zh-TW': '文件內容應為一個對象（鍵: 值）', en: 'the document must be an object (key: value)' },
  quote_it: {
    'zh-CN': '应为{expected}，实际为{found}（{value}）；在 YAML 中请加引号，如 "2026.1"、"08:30"',
    'zh-TW': '應為{expected}，實際為{found}（{value}）；在 YAML 中請加引號，如 "2026.1"、"08:30"',
    en: 'expected {expected}, found {found} ({value}); quote it in YAML, e.g. "2026.1", "08:30"',
  },
  expected_found: { 'zh-CN': '应为{expected}，实际为{found}', 'zh-TW': '應為{expected}，實際為{found}', en: 'expected {expected}, found {found}' },
  unknown_field_near: { 'zh-CN': '未知字段“{key}”，是否应为“{near}”？', 'zh-TW': '未知字段“{key}”，是否應為“{near}”？', en: 'unknown field "{key}"; did you mean "{near}"?' },
  unknown_field: { 'zh-CN': '未知字段“{key}”', 'zh-TW': '未知字段“{key}”', en: 'unknown field "{key}"' },
  min_item: { 'zh-CN': '至少需要 {min} 项', 'zh-TW': '至少需要 {min} 項', en: 'needs at least {min} item' },
  min_items: { 'zh-CN': '至少需要 {min} 项', 'zh-TW': '至少需要 {min} 項', en: 'needs at least {min} items' },
  not_empty: { 'zh-CN': '不能为空', 'zh-TW': '不能為空', en: 'cannot be empty' },
  min_chars: { 'zh-CN': '至少 {min} 个字符', 'zh-TW': '至少 {min} 個字符', en: 'at least {min} characters' },
  at_least: { 'zh-CN': '不能小于 {min}', 'zh-TW': '不能小於 {min}', en: 'must be at least {min}' },
  greater_than: { 'zh-CN': '必须大于 {min}', 'zh-TW': '必須大於 {min}', en: 'must be greater than {min}' },
  max_items: { 'zh-CN': '最多 {max} 项', 'zh-TW': '最多 {max} 項', en: 'at most {max} items' },
  max_chars: { 'zh-CN': '最多 {max} 个字符', 'zh-TW': '最多 {max} 個字符', en: 'at most {max} characters' },
  at_most: { 'zh-CN': '不能大于 {max}', 'zh-TW': '不能大於 {max}', en: 'must be at most {max}' },
  less_than: { 'zh-CN': '必须小于 {max}', 'zh-TW': '必須小於 {max}', en: 'must be less than {max}' },
  one_of: { 'zh-CN': '应为以下之一：{values}', 'zh-TW': '應為以下之一：{values}', en: 'must be one of: {values}' },
  invalid: { 'zh-CN': '无效：{message}', 'zh-TW': '無效：{message}', en: '{message}' },
  'type.string': { 'zh-CN': '文本', 'zh-TW': '文本', en: 'text' },
  'type.number': { 'zh-CN': '数字', 'zh-TW': '數字', en: 'a number' },
  'type.int': { 'zh-CN': '整数', 'zh-TW': '整數', en: 'an integer' },
  'type.boolean': { 'zh-CN': 'true 或 false', 'zh-TW': 'true 或 false', en: 'true or false' },
  'type.array': { 'zh-CN': '列表', 'zh-TW': '列表', en: 'a list' },
  'type.object': { 'zh-CN': '对象（键: 值）', 'zh-TW': '對象（鍵: 值）', en: 'an object (key: value)' },
  'type.record': { 'zh-CN': '对象（键: 值）', 'zh-TW': '對象（鍵: 值）', en: 'an object (key: value)' },
  'type.null': { 'zh-CN': '空值', 'zh-TW': '空值', en: 'null' },
  'type.undefined': { 'zh-CN': '（无）', 'zh-TW': '（無）', en: 'nothing' },
} as const satisfies Record<string, Messages>;

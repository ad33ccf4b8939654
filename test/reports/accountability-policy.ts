/**
 * Seed 000 (policies/kesu-default.yaml) with an `accountability` section for the tests: one
 * rule per kind of happening the tests drive, a range for the responsibility fine (001 篇6 §7),
 * the customer service manager level confirms where no department manager does, the general
 * manager decides appeals. Written to a temporary file for `startKesu({ policy })`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

export function accountabilityPolicyFile(): string {
  const p = parse(readFileSync(new URL('../../policies/kesu-default.yaml', import.meta.url), 'utf8'));
  p.version = '2026.1-accountability';
  p.accountability = {
    confirmLevel: 'manager',
    appealLevel: 'general_manager',
    rules: [
      { code: 'valid_point', name: { 'zh-CN': '有效投诉扣分', 'zh-TW': '有效投訴扣分', en: 'Point per valid complaint' }, on: 'valid_complaint', points: 1 },
      { code: 'resp_fine', name: { 'zh-CN': '责任认定罚款', 'zh-TW': '責任認定罰款', en: 'Responsibility fine' }, on: 'responsibility', against: ['employee'], points: 2, amount: { min: 200, max: 1500 } },
      { code: 'resolve_breach', name: { 'zh-CN': '超时扣分', 'zh-TW': '逾時扣分', en: 'Resolve deadline breached' }, on: 'breach', clocks: ['resolve'], points: 1, amount: 50 },
      { code: 'reopened', name: { 'zh-CN': '回访不满意重办', 'zh-TW': '回訪不滿意重辦', en: 'Handled again' }, on: 'reopen', points: 1 },
      { code: 'praise', name: { 'zh-CN': '客户表扬', 'zh-TW': '客戶表揚', en: 'Praise' }, on: 'praise', effect: 'reward', points: 1, amount: 100 },
    ],
  };
  const file = join(mkdtempSync(join(tmpdir(), 'kesu-policy-')), 'accountability.yaml');
  writeFileSync(file, stringify(p));
  return file;
}

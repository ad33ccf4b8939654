/**
 * Pure parts of the channels: customer wording in three languages and the policy's `messages`
 * overrides (validated placeholders), sealing, access codes, recipient resolution (tier roles,
 * approval levels, avoidance), and the group-bot request formats.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CUSTOMER_MESSAGES, parsePolicyText, type Policy } from '../../src/domain/policy/index.js';
import { fill, formatInstant, renderCustomerMessage } from '../../src/channels/templates.js';
import { derivedAccessCode, hashAccessCode, normalizeAccessCode, randomAccessCode, seal, unseal, verifyAccessCode } from '../../src/channels/secrets.js';
import { resolveCustomer, resolveStaff, staffForRole } from '../../src/channels/recipients.js';
import { botRequest, dingtalkSign } from '../../src/channels/staff-alerts.js';
import type { StaffContact } from '../../src/store/customer.repository.js';
import type { Complaint } from '../../src/domain/complaint/types.js';
import { testSettings } from '../support/channels.js';

const DEFAULT_TEXT = readFileSync(new URL('../../policies/kesu-default.yaml', import.meta.url), 'utf8');

function policy(extra = ''): Policy {
  const r = parsePolicyText(`${DEFAULT_TEXT}\n${extra}`);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.policy;
}

describe('customer wording', () => {
  const vars = { number: 'KS-2026-000042', promisedAt: '2026年9月30日 09:00', trackUrl: 'https://kesu.example.com/portal/track?number=KS-2026-000042', accessCode: 'ABCD-EFGH' };

  it('has built-in wording in three languages, signed by the organisation', () => {
    const p = policy();
    const cn = renderCustomerMessage('acknowledgement', 'zh-CN', vars, p);
    assert.equal(cn.subject, '【KS-2026-000042】您的投诉已受理');
    assert.match(cn.text, /访问码：ABCD-EFGH/);
    assert.match(cn.text, /客户服务中心$/);
    assert.match(renderCustomerMessage('acknowledgement', 'zh-TW', vars, p).text, /存取碼：ABCD-EFGH/);
    assert.match(renderCustomerMessage('acknowledgement', 'en', vars, p).sms, /^Customer Service Centre: complaint KS-2026-000042 received/);
  });

  it('every customer message has wording in each language, its placeholders filled (none left in braces)', () => {
    const p = policy();
    const all = { ...vars, dueAt: '2026年10月9日 09:00', answer: '已致歉', explanation: '不属于投诉', surveyUrl: 'https://kesu.example.com/portal/survey/t', expiresAt: '2026年10月16日 09:00' };
    for (const m of CUSTOMER_MESSAGES)
      for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) {
        const r = renderCustomerMessage(m, lang, all, p);
        for (const part of [r.subject, r.text, r.sms]) {
          assert.ok(part.length > 0, `${m} ${lang}`);
          assert.doesNotMatch(part, /\{[A-Za-z]+\}/, `${m} ${lang}: ${part}`);
          assert.match(part, /KS-2026-000042/, `${m} ${lang} names the case`);
        }
      }
    assert.match(renderCustomerMessage('overdue_notice', 'zh-CN', all, p).sms, /很抱歉，您的投诉KS-2026-000042未能按时完成当前环节/);
  });

  it('drops a line whose placeholder has no value', () => {
    assert.equal(fill('a {x}\nb {y}\nc', { x: '1', y: '' }), 'a 1\nc');
    const t = renderCustomerMessage('acknowledgement', 'zh-CN', { ...vars, promisedAt: '' }, policy());
    assert.ok(!t.text.includes('承诺'), t.text);
  });

  it('takes the policy’s own wording per language, the built-in one elsewhere', () => {
    const p = policy(`messages:
  organisation: { zh-CN: 某某物业客服中心, en: ACME Property Service }
  templates:
    acknowledgement:
      sms: { zh-CN: "【某某物业】已受理{number}，凭访问码{accessCode}查询：{trackUrl}" }
      subject: { en: "Case {number} received" }
`);
    assert.equal(renderCustomerMessage('acknowledgement', 'zh-CN', vars, p).sms, '【某某物业】已受理KS-2026-000042，凭访问码ABCD-EFGH查询：https://kesu.example.com/portal/track?number=KS-2026-000042');
    assert.match(renderCustomerMessage('acknowledgement', 'zh-CN', vars, p).text, /某某物业客服中心$/);
    assert.equal(renderCustomerMessage('acknowledgement', 'en', vars, p).subject, 'Case KS-2026-000042 received');
    assert.match(renderCustomerMessage('acknowledgement', 'en', vars, p).text, /ACME Property Service$/);
    assert.match(renderCustomerMessage('acknowledgement', 'zh-TW', vars, p).sms, /存取碼/, 'zh-TW not overridden');
  });

  it('refuses unknown placeholders and unknown messages, naming the path', () => {
    const bad = parsePolicyText(`${DEFAULT_TEXT}\nmessages:\n  templates:\n    closure:\n      body: { zh-CN: "已结案 {accessCode}" }\n    goodbye:\n      body: { zh-CN: "x" }\n`);
    assert.equal(bad.ok, false);
    if (bad.ok) return;
    const paths = bad.problems.map((p) => p.path);
    assert.ok(
      paths.some((p) => p.startsWith('messages.templates.closure.body')),
      paths.join(),
    );
    assert.ok(bad.problems.some((p) => /\{accessCode\}/.test(p.message['zh-CN']) && /\{number\}/.test(p.message.en)));
    assert.ok(paths.includes('messages.templates.goodbye'), paths.join());
  });

  it('formats instants in the policy’s time zone', () => {
    assert.equal(formatInstant('2026-09-30T01:00:00.000Z', 'zh-CN', 'Asia/Shanghai'), '2026年9月30日 09:00');
    assert.equal(formatInstant('2026-09-30T01:00:00.000Z', 'en', 'Asia/Shanghai'), '30 Sep 2026, 09:00');
  });
});

describe('customer secrets', () => {
  it('seals and unseals; another key cannot open it', () => {
    const key = Buffer.alloc(32, 7);
    const s = seal(key, { accessCode: 'ABCDEFGH' });
    assert.deepEqual(unseal(key, s), { accessCode: 'ABCDEFGH' });
    assert.throws(() => unseal(Buffer.alloc(32, 8), s));
  });

  it('hashes access codes with a salt and checks them loosely formatted', async () => {
    const code = randomAccessCode();
    assert.match(code, /^[2-9A-HJKMNP-Z]{8}$/);
    const h1 = await hashAccessCode(code);
    assert.notEqual(h1, await hashAccessCode(code), 'salted');
    assert.equal(await verifyAccessCode(`${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`, h1), true);
    assert.equal(await verifyAccessCode('ZZZZZZZZ', h1), false);
    assert.equal(await verifyAccessCode(code, null), false, 'no case: false after the same work');
    assert.equal(normalizeAccessCode(' ab cd-ef '), 'ABCDEF');
    const key = Buffer.alloc(32, 1);
    assert.equal(derivedAccessCode(key, 'nonce-1'), derivedAccessCode(key, 'nonce-1'));
    assert.notEqual(derivedAccessCode(key, 'nonce-1'), derivedAccessCode(key, 'nonce-2'));
  });
});

describe('recipients', () => {
  const p = policy();
  const u = (id: string, roles: StaffContact['roles'], more: Partial<StaffContact> = {}): StaffContact => ({
    id,
    name: id,
    roles,
    departmentCode: null,
    managerOf: [],
    approvalLevels: [],
    locale: 'zh-CN',
    email: `${id}@kesu.test`,
    phone: null,
    ...more,
  });
  const staff = [
    u('spec', ['specialist']),
    u('h1', ['handler'], { departmentCode: 'logistics' }),
    u('h2', ['handler'], { departmentCode: 'quality' }),
    u('dm', ['handler', 'approver'], { departmentCode: 'logistics', managerOf: ['logistics'], approvalLevels: ['department_manager'] }),
    u('csm', ['approver'], { approvalLevels: ['manager'] }),
    u('gm', ['approver'], { approvalLevels: ['general_manager'] }),
    u('fu', ['followup'], { email: null }),
  ];
  const ids = (xs: StaffContact[]) => xs.map((x) => x.id).sort();

  it('maps tier roles and approval levels to people', () => {
    assert.deepEqual(ids(staffForRole(staff, 'department_manager', 'logistics', p)), ['dm']);
    assert.deepEqual(ids(staffForRole(staff, 'manager', undefined, p)), ['csm', 'gm']);
    assert.deepEqual(ids(staffForRole(staff, 'general_manager', undefined, p)), ['gm']);
    assert.deepEqual(ids(staffForRole(staff, 'board', undefined, p)), ['gm'], 'no board level: the top level');
    assert.deepEqual(ids(staffForRole(staff, 'approver', undefined, p, 'manager')), ['csm', 'gm']);
    assert.deepEqual(ids(staffForRole(staff, 'handler', 'logistics', p)), ['dm', 'h1']);
    assert.deepEqual(ids(staffForRole(staff, 'specialist', undefined, p)), ['spec']);
  });

  it('never tells the complained-about person about the case', () => {
    const s = testSettings('/tmp', { smtpUrl: 'smtp://127.0.0.1:1' });
    const c = { subject: { employeeIds: ['h1'] }, departmentCode: 'logistics', complainant: { anonymous: true } } as unknown as Complaint;
    const r = resolveStaff({ role: 'handler', departmentCode: 'logistics' }, 'deadline_breached', {}, c, p, staff, s);
    assert.deepEqual(
      r.deliveries.map((d) => d.recipient.userId),
      ['dm'],
    );
    const none = resolveStaff({ userIds: ['fu'] }, 'followup_due', {}, c, p, staff, s);
    assert.deepEqual(none.deliveries, []);
    assert.match(none.notes.join(), /no e-mail address/);
  });

  it('a role-wide message skips people away, unless everyone is; a named person gets it anyway', () => {
    const s = testSettings('/tmp', { smtpUrl: 'smtp://127.0.0.1:1' });
    const c = { subject: { employeeIds: [] }, departmentCode: 'logistics', complainant: { anonymous: true } } as unknown as Complaint;
    const some = resolveStaff({ role: 'approver' }, 'approval_waiting', {}, c, p, staff, s, new Set(['csm']));
    assert.deepEqual(some.deliveries.map((d) => d.recipient.userId).sort(), ['dm', 'gm']);
    assert.match(some.notes.join(), /1 away left out/);
    const all = resolveStaff({ role: 'department_manager', departmentCode: 'logistics' }, 'approval_waiting', {}, c, p, staff, s, new Set(['dm']));
    assert.deepEqual(
      all.deliveries.map((d) => d.recipient.userId),
      ['dm'],
      'never lost: all away, all told',
    );
    const named = resolveStaff({ userIds: ['h1'] }, 'stand_in_assigned', {}, c, p, staff, s, new Set(['h1']));
    assert.deepEqual(
      named.deliveries.map((d) => d.recipient.userId),
      ['h1'],
    );
  });

  it('reaches the customer on every contact they left, as configured', () => {
    const c = { complainant: { anonymous: false, name: '林', email: 'lin@example.com', phone: '13800000000' } } as unknown as Complaint;
    const both = resolveCustomer({}, c, 'zh-TW', testSettings('/tmp', { smtpUrl: 'smtp://x:25', sms: { provider: 'log', method: 'POST', body: '', headers: {} } }));
    assert.deepEqual(
      both.deliveries.map((d) => `${d.channel}:${d.recipient.locale}`),
      ['email:zh-TW', 'sms:zh-TW'],
    );
    const smsOnly = resolveCustomer({}, c, 'zh-CN', testSettings('/tmp', { smtpUrl: 'smtp://x:25', customerChannels: ['sms'], sms: { provider: 'log', method: 'POST', body: '', headers: {} } }));
    assert.deepEqual(
      smsOnly.deliveries.map((d) => d.channel),
      ['sms'],
    );
    const anon = resolveCustomer({}, { complainant: { anonymous: true } } as unknown as Complaint, 'zh-CN', testSettings('/tmp'));
    assert.deepEqual(anon.deliveries, []);
    assert.match(anon.notes.join(), /no e-mail or phone/);
  });
});

describe('group bot formats', () => {
  const m = { title: '已超时并升级', lines: [['编号', 'KS-2026-000001']] as [string, string][], link: 'https://kesu.example.com/cases/KS-2026-000001' };
  const now = new Date('2026-09-28T01:00:00.000Z');
  it('WeCom: markdown content; DingTalk: signed URL; Feishu: signed post', () => {
    const w = botRequest({ name: 'w', kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K', locale: 'zh-CN' }, m, now);
    assert.deepEqual(Object.keys(w.body), ['msgtype', 'markdown']);
    assert.match((w.body.markdown as { content: string }).content, /^### 已超时并升级\n> \*\*编号\*\*：KS-2026-000001/);
    const d = botRequest({ name: 'd', kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=T', secret: 'SECx', locale: 'zh-CN' }, m, now);
    assert.equal(d.url, `https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=${now.getTime()}&sign=${encodeURIComponent(dingtalkSign('SECx', String(now.getTime())))}`);
    const f = botRequest({ name: 'f', kind: 'feishu', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/H', secret: 's', locale: 'zh-CN' }, m, now);
    assert.equal(f.body.msg_type, 'post');
    assert.equal(f.body.timestamp, String(now.getTime() / 1000));
    assert.equal(typeof f.body.sign, 'string');
  });
});

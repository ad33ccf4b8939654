/**
 * A new user's day in the web console, in Chromium: an agent registers a phone complaint with
 * the keyboard; the specialist judges, grades and routes it; the handler accepts, investigates
 * and proposes; the approver rejects, then approves; the handler answers; the follow-up caller
 * records 不满意 and the case comes back one tier up; it is handled again, followed up 满意,
 * closed and archived. A photo of the damage is attached at intake and opened from the case
 * page. An invalid complaint is explained and closed. The complained-about
 * employee never sees their case. Bad input shows the field's error in the UI language and
 * saves nothing. Screenshots: test-output/screenshots/.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Locator, Page } from 'playwright-core';
import { browserSkip, dropdownsClosed, startConsole, SHOTS, type Console, shot, settled } from './support.js';

const skip = browserSkip();

/** A small solid-colour PNG, made here (signature, IHDR, one IDAT, IEND with their CRCs). */
function pngImage(width: number, height: number, rgb: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}
const PHOTO = pngImage(16, 12, [190, 40, 40]);

/** Presses Tab and checks where the focus went (the keyboard path through the intake form). */
async function tabTo(page: Page, id: string) {
  await page.keyboard.press('Tab');
  const at = await page.evaluate(() => document.activeElement?.id ?? document.activeElement?.tagName);
  assert.equal(at, id, `Tab should reach #${id}`);
}

async function openCase(page: Page, number: string) {
  await page.goto(`/cases/${number}`);
  await page.getByTestId('case-number').filter({ hasText: number }).waitFor();
}

async function stateOf(page: Page): Promise<string | null> {
  return page.getByTestId('case-header').getAttribute('data-state');
}

async function expectState(page: Page, state: string) {
  await page.locator(`[data-testid="case-header"][data-state="${state}"]`).waitFor();
}

/** Opens an action's form, lets `fill` fill it, submits, and waits for the case to reach `to`. */
async function act(page: Page, action: string, fill: (form: Locator) => Promise<void>, to: string) {
  await page.getByTestId(`action-${action}`).click();
  const form = page.getByTestId(`action-form-${action}`);
  await form.waitFor();
  await settled(page); // the dialog has finished opening (a press during its zoom can be lost)
  await fill(form);
  const submit = form.getByTestId('action-submit');
  const sent = () =>
    page
      .waitForRequest((r) => r.method() === 'POST' && r.url().includes(`/actions/${action}`), { timeout: 10_000 })
      .then(
        () => true,
        () => false,
      );
  let posted = sent();
  await submit.click();
  // A click that lands while the dialog is still opening can be lost on a loaded machine; the
  // form's Idempotency-Key makes a second press act once, as it would for a person pressing again.
  if (!(await posted) && (await form.count()) && !(await fieldErrors(form))) {
    console.log(`# ${action}: no request after the first press; pressing again`);
    posted = sent();
    await submit.click();
    await posted;
  }
  // Either the form closes (done) or it shows why the server refused (fail with that text).
  const banner = form.getByTestId('form-banner');
  // Generous waits: with two browser files running on two cores a transition's round trip can take long.
  const gone = form.waitFor({ state: 'detached', timeout: 90_000 }).then(
    () => 'gone',
    async () => `still open (case state ${await stateOf(page)}; field errors: ${(await fieldErrors(form)) || 'none'})`,
  );
  const refused = banner.waitFor({ timeout: 90_000 }).then(
    () => banner.innerText().catch(() => 'refused'),
    () => null,
  );
  const outcome = await Promise.race([gone, refused]);
  if (outcome !== 'gone') {
    await page.screenshot({ path: join(SHOTS, `failed-${action}.png`) }).catch(() => undefined);
    assert.fail(`${action}: ${outcome ?? (await gone)}`);
  }
  await expectState(page, to);
}

/** The field errors a form shows, joined ('' when none). */
async function fieldErrors(form: Locator): Promise<string> {
  return (
    await form
      .locator('.ant-form-item-explain-error')
      .allInnerTexts()
      .catch(() => [])
  ).join('; ');
}

/** Types into the focused select, waits for the match, takes it with Enter. */
async function typeAndPick(page: Page, text: string) {
  await page.keyboard.type(text);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option-active').last().waitFor();
  await page.keyboard.press('Enter');
}

/** Types into an Ant Design select by its field id and takes the first match. */
async function choose(page: Page, id: string, text: string) {
  await dropdownsClosed(page);
  await page.locator(`#${id}`).click();
  await typeAndPick(page, text);
  // Close a dropdown still open (multi-select) by leaving the field. Not with Escape: once a
  // single select has closed itself on Enter, Escape reaches the action's dialog and closes it.
  await page.locator(`#${id}`).blur();
  await dropdownsClosed(page);
}

async function radio(form: Locator, label: string) {
  await form
    .locator('label.ant-radio-button-wrapper')
    .filter({ hasText: new RegExp(`^${label}$`) })
    .click();
}

/** Ticks a checkbox (left as it is when already ticked: a new proposal starts from the last one). */
async function check(form: Locator, label: string) {
  const box = form.locator('label.ant-checkbox-wrapper').filter({ hasText: new RegExp(`^${label}$`) });
  if (!(await box.getAttribute('class'))?.includes('ant-checkbox-wrapper-checked')) await box.click();
}

async function rate(form: Locator, id: string, stars: number) {
  await form
    .locator(`#${id} li`)
    .nth(stars - 1)
    .locator('div')
    .first()
    .click();
}

describe('web console: a day in the complaint centre', { skip }, () => {
  let k: Console;
  let number = '';
  before(async () => {
    k = await startConsole();
  });
  after(async () => k?.close());

  it('an agent registers a phone complaint with the keyboard and reads out the number and promised time', async () => {
    const page = await k.as('agent');
    await page.goto('/intake'); // sign-in lands on the workbench
    await page.getByTestId('phone-script').getByText('接听与问候').waitFor();
    // The channel field has the focus; phone is preset. Everything else: Tab and type.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'intake_channel');
    await tabTo(page, 'intake_kind');
    await tabTo(page, 'intake_complainant_anonymous');
    await tabTo(page, 'intake_complainant_name');
    await page.keyboard.type('林先生');
    await tabTo(page, 'intake_complainant_phone');
    await page.keyboard.type('13812345678');
    await tabTo(page, 'intake_complainant_customerClass');
    await typeAndPick(page, 'B');
    await dropdownsClosed(page);
    await tabTo(page, 'intake_complainant_email');
    await tabTo(page, 'intake_complainant_address');
    await page.keyboard.type('上海市浦东新区世纪大道100号');
    await tabTo(page, 'intake_references_order');
    await page.keyboard.type('SO-2026-88123');
    await tabTo(page, 'intake_references_product');
    await page.keyboard.type('洗发水 750ml');
    await tabTo(page, 'intake_references_plate');
    await tabTo(page, 'intake_w_what');
    await page.keyboard.type('送达的洗发水瓶身破裂，漏了一半。');
    const checklist = page.getByTestId('w-checklist');
    await checklist.filter({ hasText: '尚缺：人员、时间、地点、原因诉求、影响' }).waitFor();
    await tabTo(page, 'intake_w_who');
    await page.keyboard.type('快递员');
    await tabTo(page, 'intake_w_when');
    await page.keyboard.type('9月27日送达');
    await tabTo(page, 'intake_w_where');
    await page.keyboard.type('家中签收');
    await tabTo(page, 'intake_w_why');
    await page.keyboard.type('包装不牢，要求换货并赔偿');
    await tabTo(page, 'intake_w_how');
    await page.keyboard.type('弄脏了地毯');
    await checklist.filter({ hasText: '5W1H 已齐全' }).waitFor();
    // Demands: five checkboxes, Space ticks.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space'); // 退货换货
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space'); // 补偿
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    await tabTo(page, 'intake_demands_amount');
    await page.keyboard.type('50');
    // A photo of the damage: the file button is the next Tab stop after the summary.
    await page.locator('#intake_title').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'intake-files-button');
    await page.locator('#intake_files').setInputFiles({ name: '破损照片.png', mimeType: 'image/png', buffer: PHOTO });
    await page.locator('.ant-upload-list').getByText('破损照片.png').waitFor();
    // (the list's entry animates in; the screenshot should show it)
    await page.waitForFunction(() => {
      const item = document.querySelector('.ant-upload-list-item-container');
      return !!item && item.getBoundingClientRect().height > 10 && !/animate/.test(item.className);
    });
    await page.locator('#intake_demands_amount').focus();
    await shot(page, '01-intake');
    await page.keyboard.press('Control+Enter');
    const result = page.getByTestId('intake-result');
    await result.waitFor();
    number = (await page.getByTestId('intake-number').innerText()).trim();
    assert.match(number, /^KS-\d{4}-\d{6}$/);
    assert.match(await page.getByTestId('intake-promised').innerText(), /\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
    assert.match(await result.innerText(), new RegExp(`您的投诉编号是 ${number}`), 'the promise line of the script, filled in');
    // The photo went up right after the case was created.
    assert.match(await page.getByTestId('intake-attachments').innerText(), /破损照片\.png/);
    await shot(page, '02-intake-saved');
    // Enter starts the next registration with an empty form.
    await page.keyboard.press('Enter');
    await result.waitFor({ state: 'detached' });
    assert.equal(await page.locator('#intake_complainant_name').inputValue(), '');
  });

  it('shows bad input under its field in the UI language and saves nothing', async () => {
    const page = await k.as('agent');
    await page.goto('/intake');
    await page.locator('#intake_w_what').fill('热水器不出热水');
    await page.locator('#intake_complainant_phone').fill('abc');
    await page.getByTestId('intake-save').click();
    await page.locator('#intake_complainant_phone_help').getByText('电话号码格式不正确').waitFor();
    // English: the same mistake, the message in English.
    await page.getByTestId('language').click();
    await page.locator('.ant-select-dropdown:visible').getByText('English').click();
    await page.getByTestId('intake-save').click();
    await page.locator('#intake_complainant_phone_help').getByText('Invalid phone number').waitFor();
    await page.locator('#intake_w_what').fill('');
    await page.getByTestId('intake-save').click();
    await page.locator('#intake_w_what_help').getByText('Describe what happened').waitFor();
    await page.getByTestId('language').click();
    await page.locator('.ant-select-dropdown:visible').getByText('简体中文').click();
    // Nothing was saved: the agent's own queue holds only the first case.
    await page.goto('/queues/received');
    await page.getByTestId('queue-table').getByText(number).waitFor();
    // The unfiltered rows may still be on screen until the filtered answer arrives: wait for it.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="queue-table"] tbody tr.ant-table-row').length === 1);
    assert.equal(await page.getByTestId('queue-table').locator('tbody tr.ant-table-row').count(), 1);
  });

  it('the specialist judges, grades and routes it from the triage queue', async () => {
    const page = await k.as('specialist');
    await page.goto('/queues/triage'); // sign-in lands on the workbench
    const table = page.getByTestId('queue-table');
    await table.getByText(number).waitFor();
    await shot(page, '03-queue');
    await table.getByRole('link', { name: number }).click();
    await expectState(page, 'received');
    // The agent's photo is on the case, added by the agent, and opens as the same PNG.
    const files = page.getByTestId('attachment-list');
    await files.getByText('破损照片.png').waitFor();
    assert.match(await files.innerText(), /张敏/, 'added by the agent');
    assert.match(await page.getByTestId('case-timeline').innerText(), /添加附件[\s\S]*破损照片\.png/);
    const href = await files.getByTestId('attachment-link').getAttribute('href');
    const photo = await page.request.get(href!);
    assert.equal(photo.status(), 200);
    assert.equal(photo.headers()['content-type'], 'image/png');
    assert.deepEqual(await photo.body(), PHOTO);
    await page.getByTestId('case-attachments').scrollIntoViewIfNeeded();
    await page.getByTestId('case-attachments').screenshot({ path: join(SHOTS, '03b-case-attachments.png') });
    await act(page, 'judge', async () => {}, 'valid');
    await act(
      page,
      'classify',
      async (form) => {
        await choose(page, 'action_classify_category', '货损');
        await radio(form, '重要投诉');
      },
      'classified',
    );
    await act(
      page,
      'route',
      async () => {
        // Logistics is suggested by the category; primary and backup responsible persons.
        assert.match(await page.locator('#action_route_departmentCode').locator('xpath=ancestor::div[contains(@class,"ant-select")][1]').innerText(), /物流配送部/);
        await choose(page, 'action_route_primaryHandlerId', '王强');
        await choose(page, 'action_route_backupHandlerId', '吴磊');
      },
      'assigned',
    );
    assert.match(await page.getByTestId('case-timeline').innerText(), /分派/);
  });

  it('the handler accepts, investigates and proposes; a bad extension request saves nothing', async () => {
    const page = await k.as('handler');
    await page.goto('/queues/handling'); // sign-in lands on the workbench
    await page.getByTestId('queue-table').getByRole('link', { name: number }).click();
    await expectState(page, 'assigned');
    await act(page, 'accept', async () => {}, 'investigating');
    // Evidence on the case page: a file that is not what it claims is refused with the server's
    // reason and nothing is added; a real PDF is.
    const panel = page.getByTestId('case-attachments');
    await panel.getByTestId('case-attach-input').setInputFiles({ name: '假照片.png', mimeType: 'image/png', buffer: Buffer.from('not a picture') });
    await panel
      .getByTestId('attachments-error')
      .getByText(/不支持的文件类型：假照片\.png/)
      .waitFor();
    assert.equal(await panel.getByTestId('attachment-link').count(), 1);
    await panel.getByTestId('case-attach-input').setInputFiles({ name: '签收单.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
    await panel.getByText('签收单.pdf').waitFor();
    assert.equal(await panel.getByTestId('attachment-link').count(), 2);
    assert.equal(await panel.getByTestId('attachments-error').count(), 0);
    // Bad input on a server-checked field: the message in Chinese, under the field; nothing saved.
    await page.getByTestId('action-request_extension').click();
    const ext = page.getByTestId('action-form-request_extension');
    await ext.locator('#action_request_extension_reason').fill('等待厂家检测');
    // The length is a number and a unit (工作日 first); more than the policy allows is refused.
    await ext.locator('#action_request_extension_duration').fill('10');
    await ext.getByTestId('action-submit').click();
    await page.locator('#action_request_extension_duration_help').getByText('延期累计不得超过 3wd').waitFor();
    await ext.getByRole('button', { name: /取\s*消/ }).click();
    await ext.waitFor({ state: 'detached' });
    assert.doesNotMatch(await page.getByTestId('case-timeline').innerText(), /申请延期/);

    await act(
      page,
      'investigate',
      async (form) => {
        await form.locator('#action_investigate_facts').fill('仓库包装破损');
        await form.locator('#action_investigate_cause').fill('运输途中挤压');
        await radio(form, '部门责任');
      },
      'investigated',
    );
    await act(
      page,
      'propose',
      async (form) => {
        await check(form, '换货');
        await check(form, '补偿');
        await form.locator('#action_propose_amount').fill('1200');
        await form.locator('#action_propose_description').fill('换货并补偿 1200 元购物券');
      },
      'awaiting_approval',
    );
    await shot(page, '04-case');
  });

  it('the approver rejects (a comment is required), then approves the new proposal', async () => {
    const manager = await k.as('csmanager');
    await manager.goto('/queues/approval'); // sign-in lands on the workbench
    await manager.getByTestId('queue-table').getByRole('link', { name: number }).click();
    await expectState(manager, 'awaiting_approval');
    await manager.getByTestId('action-reject').click();
    const form = manager.getByTestId('action-form-reject');
    await form.getByTestId('action-submit').click();
    await manager.locator('#action_reject_comment_help').getByText('请填写“驳回意见”').waitFor();
    await form.locator('#action_reject_comment').fill('补偿金额过高，请改为 300 元');
    await form.getByTestId('action-submit').click();
    await expectState(manager, 'investigated');

    const handler = await k.as('handler');
    await openCase(handler, number);
    await act(
      handler,
      'propose',
      async (f) => {
        await check(f, '换货');
        await check(f, '补偿');
        await f.locator('#action_propose_amount').fill('300');
        await f.locator('#action_propose_description').fill('换货并补偿 300 元');
      },
      'awaiting_approval',
    );

    await openCase(manager, number);
    await act(
      manager,
      'approve',
      async (f) => {
        await f.locator('#action_approve_comment').fill('同意');
      },
      'implementing',
    );
  });

  it('the handler answers; the follow-up caller records 不满意 and the case returns one tier up', async () => {
    const handler = await k.as('handler');
    await openCase(handler, number);
    await act(
      handler,
      'answer',
      async (f) => {
        await f.locator('#action_answer_text').fill('已为您换货并补偿 300 元');
      },
      'answered',
    );

    const caller = await k.as('followup');
    await caller.goto('/followup'); // sign-in lands on the workbench
    await caller.locator(`[data-testid="followup-item"][data-number="${number}"]`).click();
    await caller.getByTestId('followup-script').getByText('询问满意度').waitFor();
    assert.match(await caller.getByTestId('followup-script').innerText(), /林先生您好/);
    const form = caller.getByTestId('followup-form');
    await radio(form, '不满意');
    await rate(form, 'action_follow_up_scores_attitude', 3);
    await rate(form, 'action_follow_up_scores_efficiency', 2);
    await rate(form, 'action_follow_up_scores_result', 1);
    await form.locator('#action_follow_up_comment').fill('补偿太少');
    await shot(caller, '05-followup');
    await form.getByTestId('action-submit').click();
    const outcome = caller.getByTestId('followup-outcome');
    await outcome.waitFor();
    assert.match(await outcome.innerText(), /客户不满意，已退回再次处理，升至第 2 级 · 部门经理/);

    await openCase(handler, number);
    await expectState(handler, 'investigating');
    const tier = handler.getByTestId('case-tier');
    assert.equal(await tier.getAttribute('data-tier'), '2');
    assert.match(await tier.innerText(), /第 2 级 · 部门经理/);
    assert.match(await handler.getByTestId('case-cycle').innerText(), /第 2 轮处理/);
  });

  it('is handled again, followed up 满意, closed and archived', async () => {
    const handler = await k.as('handler');
    await act(
      handler,
      'investigate',
      async (f) => {
        await f.locator('#action_investigate_facts').fill('复核');
        await f.locator('#action_investigate_cause').fill('补偿标准偏低');
        await radio(f, '部门责任');
      },
      'investigated',
    );
    await act(
      handler,
      'propose',
      async (f) => {
        await check(f, '补偿');
        await check(f, '道歉');
        await f.locator('#action_propose_amount').fill('500');
        await f.locator('#action_propose_description').fill('补偿 500 元并致歉');
      },
      'awaiting_approval',
    );
    const manager = await k.as('csmanager');
    await openCase(manager, number);
    await act(manager, 'approve', async () => {}, 'implementing');
    await openCase(handler, number);
    await act(
      handler,
      'answer',
      async (f) => {
        await f.locator('#action_answer_text').fill('再次致歉，补偿 500 元');
      },
      'answered',
    );

    const caller = await k.as('followup');
    await caller.goto('/followup');
    await caller.locator(`[data-testid="followup-item"][data-number="${number}"]`).click();
    const form = caller.getByTestId('followup-form');
    await radio(form, '满意');
    await rate(form, 'action_follow_up_scores_attitude', 5);
    await form.getByTestId('action-submit').click();
    assert.match(await caller.getByTestId('followup-outcome').innerText(), /回访已记录，当前状态：已回访/);

    const specialist = await k.as('specialist');
    await openCase(specialist, number);
    await act(
      specialist,
      'close',
      async (f) => {
        await f.locator('#action_close_note').fill('客户满意');
      },
      'closed',
    );
    await act(specialist, 'archive', async () => {}, 'archived');
    const steps = await specialist.locator('[data-testid="case-timeline"] .timeline-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    assert.deepEqual(steps, [
      'receive',
      'attach',
      'judge',
      'classify',
      'route',
      'accept',
      'attach',
      'investigate',
      'propose',
      'reject',
      'propose',
      'approve',
      'answer',
      'follow_up',
      'investigate',
      'propose',
      'approve',
      'answer',
      'follow_up',
      'close',
      'archive',
    ]);
    assert.match(await specialist.getByTestId('case-timeline').innerText(), /补偿金额过高，请改为 300 元/);
  });

  it('an invalid complaint is explained and closed by its first responder', async () => {
    const agent = await k.as('agent');
    await agent.goto('/intake');
    await choose(agent, 'intake_channel', '网络');
    await agent.locator('#intake_complainant_anonymous').check();
    await agent.locator('#intake_w_what').fill('你们都是骗子');
    await agent.locator('#intake_w_what').press('Control+Enter');
    const invalid = (await agent.getByTestId('intake-number').innerText()).trim();
    await agent.getByTestId('intake-next').click();

    const specialist = await k.as('specialist');
    await openCase(specialist, invalid);
    await act(
      specialist,
      'judge',
      async (f) => {
        await radio(f, '不成立');
        await f.getByTestId('action-submit').click();
        // Both reason and explanation are required for an invalid complaint.
        await specialist.locator('#action_judge_reason_help').waitFor();
        await specialist.locator('#action_judge_explanation_help').waitFor();
        await choose(specialist, 'action_judge_reason', '匿名投诉');
        await f.locator('#action_judge_explanation').fill('匿名投诉且无具体事实，无法核实。欢迎您提供订单号后再次反映。');
      },
      'invalid',
    );

    await openCase(agent, invalid);
    assert.match(await agent.getByTestId('case-header').innerText(), /不成立/);
    await act(
      agent,
      'close',
      async (f) => {
        await f.locator('#action_close_note').fill('已电话解释');
      },
      'closed',
    );
    const text = await agent.getByTestId('case-timeline').innerText();
    assert.match(text, /无法核实/);
  });

  it('the complained-about employee sees the case nowhere: not in a queue, not by its address', async () => {
    const agent = await k.as('agent');
    await agent.goto('/intake');
    await agent.locator('#intake_complainant_name').fill('钱先生');
    await agent.locator('#intake_w_what').fill('维修员吴磊上门时态度恶劣');
    await choose(agent, 'intake_subject_employeeIds', '吴磊');
    await agent.getByTestId('intake-save').click();
    const hidden = (await agent.getByTestId('intake-number').innerText()).trim();
    await agent.getByTestId('intake-next').click();
    // The specialist routes it to logistics with 王强 primary; 吴磊 cannot be named.
    const specialist = await k.as('specialist');
    await openCase(specialist, hidden);
    await act(specialist, 'judge', async () => {}, 'valid');
    await act(
      specialist,
      'classify',
      async (f) => {
        await choose(specialist, 'action_classify_category', '服务态度');
      },
      'classified',
    );
    await specialist.getByTestId('action-route').click();
    const route = specialist.getByTestId('action-form-route');
    await choose(specialist, 'action_route_departmentCode', '物流');
    await choose(specialist, 'action_route_primaryHandlerId', '吴磊');
    await route.getByTestId('action-submit').click();
    await specialist.locator('#action_route_primaryHandlerId_help').getByText('被投诉人须回避，不能被指派处理本案').waitFor();
    await route.getByRole('button', { name: /取\s*消/ }).click();

    const subject = await k.as('handler2');
    const hiddenId = (await specialist.evaluate(async (n) => (await (await fetch(`/api/v1/complaints/${n}`)).json()).complaint.id, hidden)) as string;
    for (const q of ['handling', 'received', 'pending', 'overdue', 'all']) {
      await subject.goto(`/queues/${q}`);
      await subject.getByTestId('queue-table').locator('.ant-table-tbody').waitFor();
      await subject.waitForLoadState('networkidle');
      assert.doesNotMatch(await subject.getByTestId('queue-table').innerText(), new RegExp(hidden), `queue ${q}`);
    }
    await subject.getByTestId('queue-filters').getByPlaceholder('编号、姓名、订单号、内容').fill(hidden);
    await subject.getByTestId('queue-filters').getByPlaceholder('编号、姓名、订单号、内容').press('Enter');
    await subject.waitForLoadState('networkidle');
    assert.doesNotMatch(await subject.getByTestId('queue-table').innerText(), new RegExp(hidden));
    for (const ref of [hidden, hiddenId]) {
      await subject.goto(`/cases/${ref}`);
      await subject.getByTestId('case-not-found').waitFor();
    }
    // The journey's case names no one: handler2, its backup handler, sees it.
    await subject.goto('/queues/all');
    await subject.getByTestId('queue-table').getByText(number).waitFor();
  });

  it('a queue filter is saved by name and brought back after a reload', async () => {
    const page = await k.as('specialist');
    await page.goto('/queues/all');
    const search = page.getByTestId('queue-filters').getByPlaceholder('编号、姓名、订单号、内容');
    await search.fill('洗发水');
    await page.getByTestId('save-filter').click();
    await page.getByTestId('filter-name').fill('洗发水投诉');
    await page.locator('.ant-modal-confirm .ant-btn-primary').click();
    await page.reload();
    await page.getByTestId('saved-filter').filter({ hasText: '洗发水投诉' }).click();
    assert.equal(await search.inputValue(), '洗发水');
    await page.getByTestId('queue-table').getByText(number).waitFor();
    // The unfiltered rows may still be on screen until the filtered answer arrives: wait for it.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="queue-table"] tbody tr.ant-table-row').length === 1);
    assert.equal(await page.getByTestId('queue-table').locator('tbody tr.ant-table-row').count(), 1);
  });

  it('the manager dashboard shows open cases, deadlines, the week and satisfaction', async () => {
    // A few more calls of the day, through the API the console uses.
    const agent = await k.as('agent');
    const more = [
      { channel: 'web', description: '网上订单显示已签收，实际未收到货', complainant: { name: '赵女士', phone: '13900001111' } },
      { channel: 'email', description: '发票抬头开错，三次联系未处理', complainant: { name: '孙先生', email: 'sun@example.com' } },
      { channel: 'walk_in', description: '门店店员态度生硬', complainant: { name: '周女士' } },
      { channel: 'phone', kind: 'inquiry', description: '请问会员积分如何兑换？', complainant: { name: '吴先生' } },
    ];
    for (const body of more) {
      const status = await agent.evaluate(async (b) => (await fetch('/api/v1/complaints', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) })).status, body);
      assert.equal(status, 201);
    }
    const page = await k.as('csmanager');
    await page.goto('/dashboard');
    await page.getByTestId('dashboard').waitFor();
    for (const id of ['chart-state', 'chart-grade', 'chart-channel', 'chart-department', 'chart-trend', 'chart-satisfaction']) await page.getByTestId(id).locator('canvas').waitFor();
    assert.match(await page.getByTestId('dashboard').innerText(), /未结案件/);
    await shot(page, '06-dashboard');
  });

  it('administration: the policy is readable, a bad policy file lists every problem, the holiday year shows 调休', async () => {
    const page = await k.as('admin');
    await page.goto('/admin');
    await page.getByRole('tab', { name: '制度', exact: true }).click();
    await page.getByTestId('policy-view').getByText('一般投诉').first().waitFor();
    const bad = 'id: Bad Id\nversion: "1"\nname: { zh-CN: 坏 }\ndepartments: []\n';
    await page.locator('input[type=file][accept=".yaml,.yml,.json"]').setInputFiles({ name: 'bad.yaml', mimeType: 'text/yaml', buffer: Buffer.from(bad) });
    const problems = page.getByTestId('policy-problems');
    await problems.waitFor();
    assert.ok((await problems.locator('li').count()) >= 3, await problems.innerText());
    assert.match(await problems.innerText(), /departments/);
    await page.getByRole('tab', { name: '节假日日历' }).click();
    await page.getByTestId('calendar-year').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: /^2026$/ })
      .click();
    await page.getByTestId('calendar-days').getByText('调休上班').first().waitFor();
    await page.getByRole('tab', { name: '用户' }).click();
    await page.getByTestId('new-user').click();
    await page.locator('#newuser_username').fill('x');
    await page.locator('#newuser_name').fill('新同事');
    await page.locator('#newuser_password').fill('short');
    await page.getByTestId('new-user-save').click();
    await page.getByTestId('form-banner').or(page.locator('#newuser_password_help')).first().waitFor();
    assert.equal(await page.getByTestId('users-table').getByText('新同事').count(), 0, 'nothing saved');
  });
});

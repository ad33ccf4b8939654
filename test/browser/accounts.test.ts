/**
 * Accounts and sessions in the web console, in Chromium: the administrator resets handler2's
 * password (a too-short one is refused under its field); handler2 signs in with it and sees only
 * the change-password form until they choose their own (two different new passwords are refused
 * in the UI language), then works; in the user menu a wrong current password is refused under
 * its field, and "sign out everywhere" ends the session. The administrator deactivates handler,
 * who is signed out and can no longer sign in; the open cases to reassign are listed; the row
 * shows the user as deactivated; reactivation allows sign-in again.
 * Screenshots: test-output/screenshots/accounts-*.png.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { browserSkip, pressUntilSent, startConsole, SHOTS, type Console, shot } from './support.js';

const skip = browserSkip();
const TEMP = 'Temporary-Pass-42';
const OWN = 'Wu-Lei-own-secret-7';

async function signInForm(page: Page, username: string, password: string) {
  await page.locator('#login_username').fill(username);
  await page.locator('#login_password').fill(password);
  await page.locator('#login_password').press('Enter');
}

describe('web console: accounts and sessions', { skip }, () => {
  let k: Console;
  let admin: Page;
  before(async () => {
    k = await startConsole();
    admin = await k.as('admin');
    await admin.goto('/admin');
    await admin.getByTestId('users-table').waitFor();
  });
  after(async () => {
    await k?.close();
  });

  it('the administrator resets a password; the rule is shown and enforced under the field', async () => {
    await admin.getByTestId('user-reset-handler2').click();
    const dialog = admin.locator('.ant-modal').filter({ has: admin.locator('#resetpassword_password') });
    await dialog.getByText('至少 10 个字符', { exact: false }).first().waitFor();
    await admin.locator('#resetpassword_password').fill('short');
    await admin.getByTestId('reset-password-save').click();
    await dialog.locator('.ant-form-item-explain-error').filter({ hasText: '密码至少 10 个字符' }).waitFor();
    await admin.locator('#resetpassword_password').fill(TEMP);
    await pressUntilSent(admin, admin.getByTestId('reset-password-save'), '/password');
    await admin.getByText('吴磊 下次登录时必须修改', { exact: false }).waitFor();
  });

  it('handler2 signs in with it and must change it before anything else, then works', async () => {
    const ctx = await k.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', baseURL: k.base });
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto('/queues/handling');
    await signInForm(page, 'handler2', TEMP);
    await page.getByTestId('must-change-password').waitFor();
    assert.equal(await page.getByTestId('whoami').count(), 0, 'no console before the change');
    await page.locator('#password_currentPassword').fill(TEMP);
    await page.locator('#password_newPassword').fill(OWN);
    await page.locator('#password_repeatPassword').fill(`${OWN}x`);
    await page.getByTestId('change-password-save').click();
    await page.locator('.ant-form-item-explain-error').filter({ hasText: '两次输入的新密码不一致' }).waitFor();
    // A reload keeps the console closed: the server still refuses everything but the change.
    await page.reload();
    await page.getByTestId('must-change-password').waitFor();
    await shot(page, 'accounts-must-change');
    await page.locator('#password_currentPassword').fill(TEMP);
    await page.locator('#password_newPassword').fill(OWN);
    await page.locator('#password_repeatPassword').fill(OWN);
    await pressUntilSent(page, page.getByTestId('change-password-save'), '/auth/password');
    await page.getByTestId('whoami').filter({ hasText: '吴磊' }).waitFor();
    await page.getByTestId('queue-table').or(page.locator('.ant-table')).first().waitFor();

    // The user menu: a wrong current password is refused under its field.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('user-menu-password').click();
    await page.locator('#password_currentPassword').fill('not-my-password');
    await page.locator('#password_newPassword').fill('Another-good-one-9');
    await page.locator('#password_repeatPassword').fill('Another-good-one-9');
    await pressUntilSent(page, page.getByTestId('change-password-save'), '/auth/password');
    await page.locator('.ant-form-item-explain-error').filter({ hasText: '当前密码不正确' }).waitFor();
    await page.keyboard.press('Escape');

    // Sign out everywhere: this session ends too.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('user-menu-everywhere').click();
    await pressUntilSent(page, page.getByTestId('everywhere-confirm'), '/auth/logout-everywhere');
    await page.locator('#login_username').waitFor();
    await signInForm(page, 'handler2', OWN);
    await page.getByTestId('whoami').filter({ hasText: '吴磊' }).waitFor();
    await ctx.close();
  });

  it('a deactivated user is signed out, cannot sign in, and their open cases are listed', async () => {
    const handler = await k.as('handler');
    await admin.getByTestId('user-deactivate-handler').click();
    await pressUntilSent(admin, admin.getByTestId('deactivate-confirm'), '/deactivate');
    await admin.getByTestId('open-cases-list').waitFor();
    await admin.locator('[data-testid="user-row-handler"][data-active="false"]').waitFor();
    await shot(admin, 'accounts-deactivated');
    await admin.keyboard.press('Escape');
    await admin.getByTestId('user-row-handler').getByTestId('user-inactive').waitFor();
    await shot(admin, 'accounts-users');

    await handler.reload();
    await handler.locator('#login_username').waitFor();
    await signInForm(handler, 'handler', 'kesu-demo');
    await handler.locator('.ant-alert-error').waitFor();
    assert.equal(await handler.getByTestId('whoami').count(), 0);

    await admin.getByTestId('user-reactivate-handler').click();
    await admin.locator('[data-testid="user-row-handler"][data-active="true"]').waitFor();
    await signInForm(handler, 'handler', 'kesu-demo');
    await handler.getByTestId('whoami').filter({ hasText: '王强' }).waitFor();
  });
});

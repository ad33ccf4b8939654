/**
 * Start-up of the console (issue 14, speed): a browser that was signed in asks for the lookups
 * (policy, directory, lifecycle) beside /me instead of after it — one round trip less before the
 * first screen — and asks for each once; after signing out nothing is asked before the sign-in.
 * The opened page's own chunk (the console is split per page) is asked for beside them too.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { browserSkip, startConsole, type Console } from './support.js';

const skip = browserSkip();
const LOOKUPS = ['/api/v1/policy', '/api/v1/directory', '/api/v1/lifecycle'];

describe('console start-up', { skip }, () => {
  let k: Console;
  before(async () => {
    k = await startConsole();
  });
  after(async () => {
    await k?.close();
  });

  it('asks for the lookups beside /me, each once, and not at all when signed out', async () => {
    const page = await k.as('specialist');
    const seen: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path === '/api/v1/me' || LOOKUPS.includes(path)) seen.push(`request ${path}`);
      if (/^\/assets\/WorkbenchPage-[\w-]+\.js$/.test(path)) seen.push('request page chunk');
    });
    page.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      if (path === '/api/v1/me') seen.push(`response ${path}`);
    });
    assert.match(new URL(page.url()).pathname, /^\/workbench$/);
    await page.reload();
    await page.getByTestId('whoami').waitFor();
    await page.waitForLoadState('networkidle');
    const answered = seen.indexOf('response /api/v1/me');
    assert.ok(answered > 0, seen.join(', '));
    for (const path of LOOKUPS) {
      assert.equal(seen.filter((x) => x === `request ${path}`).length, 1, `${path} once: ${seen.join(', ')}`);
      assert.ok(seen.indexOf(`request ${path}`) < answered, `${path} asked before /me answered: ${seen.join(', ')}`);
    }
    assert.equal(seen.filter((x) => x === 'request page chunk').length, 1, `the workbench's chunk once: ${seen.join(', ')}`);
    assert.ok(seen.indexOf('request page chunk') < answered, `the workbench's chunk asked before /me answered: ${seen.join(', ')}`);

    // Signed out: the sign-in page asks for none of them.
    await page.getByRole('button', { name: /^(退出|Sign out)$/ }).click();
    await page.locator('#login_username').waitFor();
    seen.length = 0;
    await page.reload();
    await page.locator('#login_username').waitFor();
    await page.waitForLoadState('networkidle');
    assert.deepEqual(
      seen.filter((x) => x.startsWith('request') && x !== 'request /api/v1/me'),
      [],
      seen.join(', '),
    );
  });
});

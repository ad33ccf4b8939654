/** The console's "today" is the organisation's date, not the browser's (the 系统性问题 page lost
 * every case received after local midnight while the browser's zone was still on the day before). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { orgToday } from '../../web/src/shared/org-date.js';

describe('orgToday', () => {
  it('is the date in the policy zone, across the date line between UTC and Shanghai', () => {
    const at = new Date('2026-12-02T20:30:00Z');
    assert.equal(orgToday('Asia/Shanghai', at), '2026-12-03');
    assert.equal(orgToday('UTC', at), '2026-12-02');
    assert.equal(orgToday('America/Los_Angeles', at), '2026-12-02');
    assert.equal(orgToday('Asia/Shanghai', new Date('2026-12-02T15:59:59Z')), '2026-12-02');
  });
});

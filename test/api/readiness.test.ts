/**
 * Readiness follows the background jobs' heartbeats: a job that has not finished a pass for
 * three periods (at least a minute) makes /api/health/ready answer 503 naming it, while
 * /api/health/live stays 200; its next pass makes the instance ready again.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startKesu, type Kesu } from '../support/kesu.js';

describe('readiness and job heartbeats', () => {
  let k: Kesu;
  before(async () => {
    k = await startKesu('sqlite');
  });
  after(async () => k?.close());

  const ready = async () => {
    const r = await k.server.inject({ method: 'GET', url: '/api/health/ready' });
    return { status: r.statusCode, body: r.json() as { status: string; problems: string[]; jobs: { name: string; stale: boolean; lastBeat: string | null }[] } };
  };

  it('fails when the sweeper stops beating and recovers at its next pass', async () => {
    k.app.heartbeats.register('sweeper', 30_000);
    k.app.heartbeats.beat('sweeper');
    assert.equal((await ready()).status, 200);

    k.clock.advance(80_000); // under three periods (90 s): still fine
    assert.equal((await ready()).status, 200);

    k.clock.advance(20_000); // 100 s without a pass
    const r = await ready();
    assert.equal(r.status, 503);
    assert.equal(r.body.status, 'failing');
    assert.ok(
      r.body.problems.some((p) => p.startsWith('sweeper has not finished a pass')),
      JSON.stringify(r.body.problems),
    );
    assert.deepEqual(
      r.body.jobs.map((j) => [j.name, j.stale]),
      [['sweeper', true]],
    );
    assert.ok(r.body.jobs[0]!.lastBeat, 'it says when the last pass ended');
    assert.equal((await k.server.inject({ method: 'GET', url: '/api/health/live' })).statusCode, 200, 'the process is alive');

    k.app.heartbeats.beat('sweeper');
    assert.equal((await ready()).status, 200);
    k.app.heartbeats.unregister('sweeper');
  });

  it('a job that never finished its first pass counts from its start', async () => {
    k.app.heartbeats.register('dispatcher', 5_000);
    k.clock.advance(59_000);
    assert.equal((await ready()).status, 200, 'the minimum is a minute');
    k.clock.advance(2_000);
    assert.equal((await ready()).status, 503);
    k.app.heartbeats.unregister('dispatcher');
    assert.equal((await ready()).status, 200);
  });
});

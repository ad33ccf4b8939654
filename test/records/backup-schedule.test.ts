/**
 * Scheduled backups with rotation (issue 15 §3), SQLite, time from an injected clock: a backup is
 * made when none exists or the newest is an interval old (read from the folder, so a restart does
 * not back up again at once), each one verifies, only the newest KESU_BACKUP_KEEP stay (oldest
 * removed first), a folder made by hand and other names are never touched, a crashed backup's
 * stale `.partial-` folder goes, and a failing backup rotates nothing away. The job `kesu serve`
 * runs (jobs/backup.ts) does the same on the app's clock. KESU_BACKUP_* reach it through config.ts.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { startKesu, type Kesu } from '../support/kesu.js';
import { backupName, backupDue, runScheduledBackup, scheduledBackups, type BackupSchedule } from '../../src/records/backup-schedule.js';
import { BackupError } from '../../src/records/backup.js';
import { verifyBackup } from '../../src/records/manifest.js';
import { startBackups } from '../../src/jobs/backup.js';
import { loadConfig } from '../../src/config.js';
import { tmp } from './support.js';

const HOUR = 3_600_000;

describe('scheduled backups with rotation (sqlite)', () => {
  let k: Kesu;
  before(async () => {
    k = await startKesu('sqlite');
  });
  after(async () => k?.close());

  it('backs up when due, verifies, keeps the newest N, leaves other folders alone', async () => {
    const dir = tmp('kesu-backups-');
    const schedule: BackupSchedule = { dir, intervalMs: HOUR, keep: 3 };
    const source = { dataDir: k.testDb.dataDir! };
    mkdirSync(join(dir, 'manual-before-upgrade'));
    writeFileSync(join(dir, 'notes.txt'), 'kept by the operator');
    mkdirSync(join(dir, 'kesu-20200101T000000Z')); // the scheduler's name, but no manifest: not a backup of its
    const stale = join(dir, '.kesu-20200101T000000Z.partial-dead');
    mkdirSync(stale);
    utimesSync(stale, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));

    const t0 = new Date('2026-09-28T01:00:00Z');
    const at = (h: number) => new Date(t0.getTime() + h * HOUR);
    const first = await runScheduledBackup(schedule, source, t0);
    assert.equal(first.made, join(dir, backupName(t0)));
    assert.equal(backupName(t0), 'kesu-20260928T010000Z');
    assert.deepEqual(first.removed, []);
    assert.ok(!existsSync(stale), 'the crashed backup’s stale folder was removed');

    assert.equal((await runScheduledBackup(schedule, source, at(0.5))).made, null, 'not due half an interval later');
    assert.equal(backupDue(schedule, at(0.99)), false);
    const removed: string[] = [];
    for (let h = 1; h <= 4; h++) {
      const r = await runScheduledBackup(schedule, source, at(h));
      assert.equal(r.made, join(dir, backupName(at(h))), `made at +${h} h`);
      removed.push(...r.removed);
    }
    assert.deepEqual(removed, [backupName(at(0)), backupName(at(1))], 'the oldest go first');
    assert.deepEqual(
      scheduledBackups(dir).map((b) => b.name),
      [4, 3, 2].map((h) => backupName(at(h))),
    );
    for (const b of scheduledBackups(dir)) assert.equal((await verifyBackup(join(dir, b.name))).ok, true, b.name);
    assert.deepEqual(
      readdirSync(dir)
        .filter((n) => !n.startsWith('kesu-2026'))
        .sort(),
      ['kesu-20200101T000000Z', 'manual-before-upgrade', 'notes.txt'],
    );

    // A restarted server reads the folder: the newest is 59 minutes old, nothing is due.
    assert.equal((await runScheduledBackup(schedule, source, new Date(at(4).getTime() + 59 * 60_000))).made, null);

    // A backup that fails rotates nothing away.
    await assert.rejects(runScheduledBackup(schedule, { dataDir: tmp('kesu-no-db-') }, at(9)), BackupError);
    assert.equal(scheduledBackups(dir).length, 3);
  });

  it('the serve job backs up on the app’s clock, and KESU_BACKUP_* are read by config.ts', async () => {
    const dir = tmp('kesu-backups-job-');
    const cfg = loadConfig({ KESU_BACKUP_DIR: dir, KESU_BACKUP_INTERVAL_MS: String(HOUR), KESU_BACKUP_KEEP: '2' }).records.backups!;
    assert.deepEqual(cfg, { dir, intervalMs: HOUR, keep: 2 });
    assert.equal(loadConfig({}).records.backups, null);
    assert.throws(() => loadConfig({ KESU_BACKUP_DIR: dir, KESU_BACKUP_KEEP: '0' }), /KESU_BACKUP_KEEP/);
    const stop = startBackups(k.app, cfg, { dataDir: k.testDb.dataDir! }, { firstDelayMs: 0, checkMs: 20 });
    try {
      const count = () => scheduledBackups(dir).length;
      while (count() < 1) await delay(20);
      const firstName = scheduledBackups(dir)[0]!.name;
      assert.equal(firstName, backupName(k.clock.now()));
      for (let i = 2; i <= 3; i++) {
        k.clock.advance(HOUR);
        while (!scheduledBackups(dir).some((b) => b.name === backupName(k.clock.now()))) await delay(20);
      }
      for (let i = 0; i < 500 && count() > 2; i++) await delay(20);
      assert.equal(count(), 2);
      assert.equal(
        scheduledBackups(dir).some((b) => b.name === firstName),
        false,
        'rotated to the newest two',
      );
    } finally {
      await stop();
    }
  });
});

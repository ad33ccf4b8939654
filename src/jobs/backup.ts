/**
 * The backup schedule (records/backup-schedule.ts): `kesu serve` with KESU_BACKUP_DIR checks every
 * `checkMs` (a minute, or the interval when shorter) whether a backup is due by the app's clock,
 * and if so writes, verifies and rotates. One instance should have KESU_BACKUP_DIR set (with
 * several on one PostgreSQL, each would otherwise write its own copies; the names, to the second,
 * keep them apart).
 */
import type { App } from '../services/app.js';
import { startPeriodic } from './periodic.js';
import { runScheduledBackup, type BackupSchedule } from '../records/backup-schedule.js';
import type { BackupOptions } from '../records/backup.js';
import { fileStoreOf } from '../storage/stores.js';

export function startBackups(app: App, schedule: BackupSchedule, source: Omit<BackupOptions, 'out' | 'now' | 'files'>, opts: { firstDelayMs?: number; checkMs?: number } = {}): () => Promise<void> {
  return startPeriodic(app, {
    name: 'scheduled backup',
    intervalMs: opts.checkMs ?? Math.min(60_000, schedule.intervalMs),
    firstDelayMs: opts.firstDelayMs ?? 120_000,
    pass: async () => {
      const r = await runScheduledBackup(schedule, { ...source, files: await fileStoreOf(app) }, app.now());
      if (r.made) app.log.info({ backup: r.made, removed: r.removed, missingFiles: r.missingFiles }, 'scheduled backup');
      if (r.missingFiles) app.log.warn({ backup: r.made, missingFiles: r.missingFiles }, 'scheduled backup: attachment files missing from the store');
    },
  });
}

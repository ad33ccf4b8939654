/**
 * Scheduled backups with rotation (issue 15 §3; docs/operations.md "Scheduled backups"):
 * `kesu serve` with KESU_BACKUP_DIR set writes `kesu backup` snapshots into that folder, one every
 * KESU_BACKUP_INTERVAL_MS, each named by its time (`kesu-20261202T020000Z`), verifies each
 * (`kesu backup verify`), and then keeps only the newest KESU_BACKUP_KEEP of them.
 *
 * Whether one is due is read from the folder itself — the newest complete backup's time — not
 * from memory, so a restarted server does not back up again at once and a missed one (the server
 * was down) is made at the next check. Rotation removes only folders of this scheduler's own
 * name pattern holding a manifest, oldest first, and only after the new backup verified: a
 * failed or damaged backup never costs an older good one. Backups someone made by hand
 * elsewhere in the folder are never touched; a crashed backup's `.partial-` folder is removed
 * once it is older than the interval (no backup is writing to it any more).
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createBackup, BackupError, type BackupOptions } from './backup.js';
import { MANIFEST, verifyBackup } from './manifest.js';

export interface BackupSchedule {
  /** The folder backups are written into (KESU_BACKUP_DIR). */
  dir: string;
  /** How often, in ms (KESU_BACKUP_INTERVAL_MS). */
  intervalMs: number;
  /** How many backups are kept (KESU_BACKUP_KEEP, at least 1). */
  keep: number;
}

const NAME = /^kesu-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const PARTIAL = /^\.kesu-\d{8}T\d{6}Z\.partial-/;

/** The folder name of a scheduled backup made at `at` (UTC, to the second). */
export function backupName(at: Date): string {
  return `kesu-${at.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/** The scheduled backups in `dir` that completed (a manifest is written last), newest first. */
export function scheduledBackups(dir: string): { name: string; at: Date }[] {
  if (!existsSync(dir)) return [];
  const out: { name: string; at: Date }[] = [];
  for (const name of readdirSync(dir)) {
    const m = NAME.exec(name);
    if (!m || !existsSync(join(dir, name, MANIFEST))) continue;
    out.push({ name, at: new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) });
  }
  return out.sort((a, b) => b.at.getTime() - a.at.getTime());
}

/** Whether a backup is due at `now`: none yet, or the newest is at least an interval old. */
export function backupDue(schedule: BackupSchedule, now: Date): boolean {
  const newest = scheduledBackups(schedule.dir)[0];
  return !newest || now.getTime() - newest.at.getTime() >= schedule.intervalMs;
}

export interface ScheduledBackupResult {
  /** The backup made now; null when none was due. */
  made: string | null;
  /** Older backups removed by the rotation. */
  removed: string[];
  /** Attachment files the database names but the store lacked (the backup is kept; logged). */
  missingFiles: number;
}

/**
 * One check of the schedule at `now`: when due, back up, verify, rotate. Throws BackupError when
 * the backup fails or does not verify (then nothing is rotated away).
 */
export async function runScheduledBackup(schedule: BackupSchedule, source: Omit<BackupOptions, 'out' | 'now'>, now: Date): Promise<ScheduledBackupResult> {
  if (!backupDue(schedule, now)) return { made: null, removed: [], missingFiles: 0 };
  const out = join(schedule.dir, backupName(now));
  const { dir, manifest } = await createBackup({ ...source, out, now: () => now });
  const v = await verifyBackup(dir);
  if (!v.ok) throw new BackupError(`scheduled backup ${dir} does not verify: ${v.problems.slice(0, 3).join('; ')}`);
  const removed: string[] = [];
  for (const old of scheduledBackups(schedule.dir).slice(Math.max(1, schedule.keep))) {
    rmSync(join(schedule.dir, old.name), { recursive: true, force: true });
    removed.push(old.name);
  }
  for (const name of readdirSync(schedule.dir)) {
    const path = join(schedule.dir, name);
    if (PARTIAL.test(name) && now.getTime() - statSync(path).mtimeMs >= schedule.intervalMs) rmSync(path, { recursive: true, force: true });
  }
  return { made: dir, removed, missingFiles: manifest.missingFiles.length };
}

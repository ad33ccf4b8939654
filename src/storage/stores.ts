/**
 * Which file store an app uses: the one the composition root (src/app/compose.ts) opened from
 * the configuration (KESU_S3_* → S3, else the local folder), or, for an app made without it
 * (tests), the local folder of its channel settings' data directory.
 */
import { join } from 'node:path';
import type { App } from '../services/app.js';
import type { FileStore } from './file-store.js';
import { LocalFileStore } from './local-store.js';
import type { S3Settings } from './s3-store.js';

/** KESU_S3_* (config.ts): an S3-compatible store when a bucket is named, else the data folder. */
export type StorageConfig = { kind: 'local' } | ({ kind: 's3' } & S3Settings);

export async function openFileStore(cfg: StorageConfig | undefined, dataDir: string): Promise<FileStore> {
  if (cfg?.kind !== 's3') return new LocalFileStore(dataDir);
  // Loaded only when configured: the AWS SDK takes a noticeable part of a second to import.
  const { S3FileStore } = await import('./s3-store.js');
  return new S3FileStore(cfg, join(dataDir, 'attachments', 'tmp'));
}

/** The app's file store; without one configured, the local folder of its channel settings' data directory. */
export function fileStoreOf(app: App): Promise<FileStore> {
  // Not cached: a test may replace the channel settings after the app was made, and a local store is only a path.
  return Promise.resolve(app.settings.files ?? new LocalFileStore(app.settings.channels.dataDir));
}

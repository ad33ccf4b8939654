/**
 * Which file store an app uses: the one `kesu serve` attaches from the configuration
 * (KESU_S3_* → S3, else the local folder), or, when none was attached (tests, tools), the local
 * folder of the app's data directory.
 */
import { join } from 'node:path';
import type { App } from '../services/app.js';
import { channelSettings } from '../channels/settings.js';
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

const attached = new WeakMap<App, FileStore>();

export function setFileStore(app: App, store: FileStore): void {
  attached.set(app, store);
}

/** The app's file store; without one attached, the local folder of its channel settings' data directory. */
export async function fileStoreOf(app: App): Promise<FileStore> {
  // Not cached: the settings may be attached after the app was made (tests), and a local store is only a path.
  return attached.get(app) ?? new LocalFileStore((await channelSettings(app)).dataDir);
}

/** Closes the app's store (the S3 client's connections), when one was attached. */
export function closeFileStore(app: App): void {
  attached.get(app)?.close();
  attached.delete(app);
}

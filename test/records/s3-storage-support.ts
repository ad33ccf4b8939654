/**
 * A real S3-protocol server for the storage tests: s3rver (in this process, files in a temporary
 * folder), one bucket, the S3RVER/S3RVER credentials, path-style addressing. `events` records
 * every object created or removed, so a test can tell a write from a reuse.
 */
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Settings } from '../../src/storage/s3-store.js';

interface S3rverEvent {
  Records: { eventName: string; s3: { object: { key: string } } }[];
}
interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
  on(event: 'event', listener: (e: S3rverEvent) => void): void;
}
type S3rverClass = new (opts: { port: number; address: string; directory: string; silent: boolean; configureBuckets: { name: string }[] }) => S3rverInstance;

// s3rver ships no type declarations.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

export interface TestS3 {
  settings: S3Settings;
  /** Environment variables naming this store, for loadConfig(). */
  env: Record<string, string>;
  /** `ObjectCreated:Put` / `ObjectRemoved:Delete` … with the object key, in order. */
  events: { name: string; key: string }[];
  close(): Promise<void>;
}

export async function startS3(bucket = 'kesu-files', prefix = 'attachments/'): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 'kesu-s3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', directory, silent: true, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  const events: TestS3['events'] = [];
  server.on('event', (e) => e.Records.forEach((r) => events.push({ name: r.eventName, key: r.s3.object.key })));
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    settings: { endpoint, bucket, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true, prefix },
    env: { KESU_S3_ENDPOINT: endpoint, KESU_S3_BUCKET: bucket, KESU_S3_REGION: 'us-east-1', KESU_S3_ACCESS_KEY_ID: 'S3RVER', KESU_S3_SECRET_ACCESS_KEY: 'S3RVER', KESU_S3_FORCE_PATH_STYLE: '1', KESU_S3_PREFIX: prefix },
    events,
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

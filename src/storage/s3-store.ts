/**
 * Attachments in an S3-compatible object store (AWS S3, MinIO, Ceph RGW, OSS/COS/OBS in their S3
 * mode …), shared by every instance on one PostgreSQL: a file uploaded through one instance is
 * downloaded through any other. Objects are `<prefix><aa>/<sha256>` — the local layout under a
 * prefix (default `attachments/`).
 *
 * - A put first asks whether the key exists (HEAD) and writes nothing when it does: a stored
 *   object is never replaced. Two instances storing the same new file at the same moment both
 *   write the same bytes under the same key, which changes nothing.
 * - The body is streamed from the staged local copy with its length and SHA-256 known, and the
 *   SHA-256 is sent as the object's checksum, so the store refuses bytes that arrived damaged.
 * - The SDK's automatic checksums are only used where an operation requires them: S3-compatible
 *   servers often do not understand the aws-chunked trailers newer SDKs send by default.
 * - The secret key is handed to the SDK and never appears in `where`, logs or errors of Kesu.
 */
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { checkKey, isContentKey, putBySpooling, type FileStore, type PutResult } from './file-store.js';

export interface S3Settings {
  /** e.g. https://s3.example.com or http://127.0.0.1:9000; absent: AWS's endpoint for the region. */
  endpoint: string | null;
  bucket: string;
  region: string;
  /** Both or neither: absent, the SDK's default credential chain (environment, profile, instance role). */
  accessKeyId: string | null;
  secretAccessKey: string | null;
  /** Bucket in the path (`endpoint/bucket/key`) instead of the host name; most self-hosted stores need it. */
  forcePathStyle: boolean;
  /** Key prefix of the attachments (default `attachments/`). */
  prefix: string;
}

/** Whether an SDK error means "no such key". */
function notFound(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err?.name === 'NotFound' || err?.name === 'NoSuchKey' || err?.$metadata?.httpStatusCode === 404;
}

export class S3FileStore implements FileStore {
  readonly kind = 's3' as const;
  readonly where: string;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(
    s: S3Settings,
    /** Where `put(stream)` spools a stream while hashing it (a local folder). */
    private readonly spoolDir: string = join(tmpdir(), 'kesu-s3-spool'),
  ) {
    this.bucket = s.bucket;
    this.prefix = s.prefix;
    this.where = `s3://${s.bucket}/${s.prefix}${s.endpoint ? ` at ${new URL(s.endpoint).origin}` : ` (${s.region})`}`;
    this.client = new S3Client({
      region: s.region,
      ...(s.endpoint ? { endpoint: s.endpoint } : {}),
      forcePathStyle: s.forcePathStyle,
      ...(s.accessKeyId && s.secretAccessKey ? { credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey } } : {}),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private objectKey(key: string): string {
    return `${this.prefix}${checkKey(key).slice(0, 2)}/${key}`;
  }

  put(input: Readable): Promise<PutResult> {
    return putBySpooling(this, this.spoolDir, input);
  }

  async putFile(path: string, sha256: string, size: number): Promise<{ created: boolean }> {
    if (await this.exists(sha256)) return { created: false };
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.objectKey(sha256),
        Body: createReadStream(path),
        ContentLength: size,
        ContentType: 'application/octet-stream',
        ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
      }),
    );
    return { created: true };
  }

  async get(key: string): Promise<Readable | null> {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return (r.Body as Readable | undefined) ?? null;
    } catch (e) {
      if (notFound(e)) return null;
      throw e;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return true;
    } catch (e) {
      if (notFound(e)) return false;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
  }

  async *list(): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const r = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, ContinuationToken: token }));
      for (const o of r.Contents ?? []) {
        const m = /^([0-9a-f]{2})\/([0-9a-f]{64})$/.exec((o.Key ?? '').slice(this.prefix.length));
        if (m && m[2]!.startsWith(m[1]!) && isContentKey(m[2]!)) yield m[2]!;
      }
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
  }

  close(): void {
    this.client.destroy();
  }
}

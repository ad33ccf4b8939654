/**
 * The audit key ring: HMAC-SHA256 keys kept outside the database. Every MAC is stored with the id
 * of the key that made it, so after a rotation old records still verify with the retired key.
 *
 * Where keys come from (config.ts):
 * - `KESU_AUDIT_KEY` (the current key) and `KESU_AUDIT_RETIRED_KEYS` (comma-separated keys that
 *   only verify), e.g. from a secret manager — required when several instances share PostgreSQL;
 * - otherwise the key file (`KESU_AUDIT_KEY_FILE`, default `KESU_DATA_DIR/audit.key`): one key
 *   a line, the last line is current, earlier lines are retired; created with one random key on
 *   first use (mode 0600). Rotate by appending a line.
 * - with neither (a database opened with no data folder, as the PostgreSQL tests do): one random
 *   key for the life of the process.
 *
 * A key id is the first 12 hex digits of SHA-256("kesu-audit-key\0" + key): derived, so the files
 * and settings hold nothing but keys, and it reveals nothing of the key.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { canonicalize } from './canonical.js';

export interface AuditKey {
  id: string;
  secret: Buffer;
}

export interface AuditKeyring {
  current: AuditKey;
  byId: Map<string, AuditKey>;
  /** Where the keys came from, for messages (never the keys). */
  source: string;
}

export interface AuditKeySettings {
  key?: string | null;
  retiredKeys?: string[];
  keyFile?: string | null;
}

export function keyId(secret: string): string {
  return createHash('sha256').update(`kesu-audit-key\0${secret}`).digest('hex').slice(0, 12);
}

export function keyringOf(secrets: string[], source: string): AuditKeyring {
  const keys = secrets
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => ({ id: keyId(s), secret: Buffer.from(s, 'utf8') }));
  if (!keys.length) throw new Error(`audit keys (${source}): no key`);
  return { current: keys[keys.length - 1]!, byId: new Map(keys.map((k) => [k.id, k])), source };
}

let processKey: AuditKeyring | null = null;

export function loadAuditKeyring(s: AuditKeySettings): AuditKeyring {
  if (s.key) return keyringOf([...(s.retiredKeys ?? []), s.key], 'KESU_AUDIT_KEY');
  if (s.keyFile) {
    if (!existsSync(s.keyFile)) {
      mkdirSync(dirname(s.keyFile), { recursive: true });
      try {
        writeFileSync(s.keyFile, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
      } catch (e) {
        if ((e as { code?: string }).code !== 'EEXIST') throw e; // another process made it first
      }
    }
    const lines = readFileSync(s.keyFile, 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.trim().startsWith('#'));
    return keyringOf([...(s.retiredKeys ?? []), ...lines], s.keyFile);
  }
  processKey ??= keyringOf([randomBytes(32).toString('base64url')], 'a key for this process only');
  return processKey;
}

/** HMAC-SHA256 of the RFC 8785 form of `record`, hex. */
export function macOf(key: AuditKey, record: unknown): string {
  return createHmac('sha256', key.secret).update(canonicalize(record)).digest('hex');
}

/** 'ok', 'bad' or 'unknown_key' (a key id the ring does not hold). */
export function checkMac(ring: AuditKeyring, keyIdUsed: string | null, record: unknown, mac: string): 'ok' | 'bad' | 'unknown_key' {
  const key = keyIdUsed ? ring.byId.get(keyIdUsed) : undefined;
  if (!key) return 'unknown_key';
  const want = Buffer.from(macOf(key, record), 'hex');
  const got = Buffer.from(mac, 'hex');
  return want.length === got.length && timingSafeEqual(want, got) ? 'ok' : 'bad';
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

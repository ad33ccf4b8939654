/** Time-ordered ids (UUID version 7): new rows land at the end of B-tree indexes, not at random. */
import { randomFillSync } from 'node:crypto';

// Random bits drawn from the CSPRNG 4 KiB at a time and handed out 16 bytes per id: one
// `randomBytes(16)` per id cost ~6 µs (a fresh buffer and a call into the OS each), a noticeable
// part of the history import's CPU per row. Each byte is used once.
const POOL = Buffer.alloc(4096);
let used = POOL.length;

export function uuidv7(now = Date.now()): string {
  if (used + 16 > POOL.length) {
    randomFillSync(POOL);
    used = 0;
  }
  const b = Buffer.from(POOL.subarray(used, used + 16));
  used += 16;
  const ms = BigInt(now);
  for (let i = 0; i < 6; i++) b[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

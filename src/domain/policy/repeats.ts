/**
 * The policy's `repeats` section (issue 13 §2, 003 规范5): the windows within which a new case is
 * linked to earlier ones — of the same customer (a shared phone or e-mail key, the statistics'
 * repeat-complaint definition) and about the same subject (a shared order or plate number, or a
 * near-identical text) — and how similar two texts must be. Optional: a policy stored before it
 * existed gets the defaults below.
 */
import { z } from 'zod';

export const repeatsPolicy = z
  .strictObject({
    /** Days back a case of the same customer counts as a repeat (default 90). */
    customerWindowDays: z.number().int().min(1).max(3660).default(90),
    /** Days back a case about the same order / plate / text is linked (default 30). */
    subjectWindowDays: z.number().int().min(1).max(3660).default(30),
    /** Token-set Jaccard similarity from which two texts are "near-identical" (default 0.8). */
    textSimilarity: z.number().gt(0).max(1).default(0.8),
  })
  .prefault({});

export type RepeatsPolicy = z.output<typeof repeatsPolicy>;

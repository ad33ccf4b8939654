/** Response schemas of repeat links, the systemic-issue ranking and problem records (issue 13 §2). */
import { z } from 'zod';
import type { RelatedCase as RelatedCaseType } from '../../repeats/related.js';
import type { Describes } from '../schemas/common.js';
import { named } from '../schemas/registry.js';

export const RelatedCase = named(
  'RelatedCase',
  z.strictObject({
    id: z.string(),
    number: z.string(),
    title: z.string(),
    state: z.string(),
    category: z.string().nullable(),
    receivedAt: z.string(),
    direction: z.enum(['earlier', 'later']),
    reasons: z.array(z.strictObject({ reason: z.enum(['customer', 'reference', 'text']), detail: z.string().nullable() })),
  }),
  'A case linked to another at intake, with why',
);
const _r: Describes<typeof RelatedCase, RelatedCaseType> = true;
void _r;

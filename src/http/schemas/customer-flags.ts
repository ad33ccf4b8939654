/** A customer flag (issue 13 §3) as the API answers it. */
import { z } from 'zod';
import type { CustomerFlag as CustomerFlagType } from '../../services/customer-flags.js';
import type { Describes } from './common.js';
import { named } from './registry.js';

export const CustomerFlag = named(
  'CustomerFlag',
  z.strictObject({
    id: z.string(),
    kind: z.literal('malicious'),
    /** The staff's own words: why the customer is flagged. */
    reason: z.string(),
    /** The case judged malicious the flag was set from. */
    sourceComplaintId: z.string(),
    /** Who set it (name). */
    setBy: z.string(),
    setAt: z.string(),
    /** Null: until lifted. */
    expiresAt: z.string().nullable(),
  }),
  'A flag on a customer (恶意投诉), in force until it expires or is lifted',
);

const _f: Describes<typeof CustomerFlag, CustomerFlagType> = true;
void _f;

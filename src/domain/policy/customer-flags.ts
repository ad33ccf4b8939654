/**
 * The policy's `customerFlags` section (issue 13 §3, 001 篇3 §11: 恶意投诉): who may flag the
 * customer of a case judged malicious, who may lift a flag, and how long a flag lasts. Optional:
 * without it the defaults below apply. A flag never blocks intake; it is shown at intake and on
 * the customer's cases.
 */
import { z } from 'zod';
import { ROLES } from '../complaint/types.js';

const role = z.enum(ROLES as unknown as [string, ...string[]]);

export const customerFlags = z
  .strictObject({
    /** Roles that may flag (default: specialists, who judge validity, approvers and admins). */
    setBy: z
      .array(role)
      .min(1)
      .default(() => ['specialist', 'approver', 'admin']),
    /** Roles that may lift a flag before it expires (default: approvers and admins). */
    liftBy: z
      .array(role)
      .min(1)
      .default(() => ['approver', 'admin']),
    /** Days a flag lasts (default 365); 0: until lifted. */
    days: z.number().int().min(0).default(365),
  })
  .prefault({});

export type CustomerFlagsPolicy = z.output<typeof customerFlags>;

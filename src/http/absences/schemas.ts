/** Absences as the API answers them (services/absences.ts). */
import { z } from 'zod';
import type { AbsenceView as AbsenceViewType } from '../../services/absences.js';
import type { Describes } from '../schemas/common.js';
import { named } from '../schemas/registry.js';

export const AbsenceHandover = named(
  'AbsenceHandover',
  z.strictObject({
    complaintId: z.string(),
    number: z.string().nullable(),
    /** `primary_handler`: the stand-in took the case over; `approval`: a decision waiting for the absent approver went to them. */
    duty: z.enum(['primary_handler', 'approval']),
    /** Null: nobody present fitted (the specialists were told). */
    standInId: z.string().nullable(),
    standInName: z.string().nullable(),
    at: z.string(),
    endedAt: z.string().nullable(),
    /** When the absence ended: `returned` (to the primary handler), `stayed` (with the stand-in), `changed` (the case changed hands meanwhile), `over`. */
    outcome: z.string().nullable(),
  }),
);

export const Absence = named(
  'Absence',
  z.strictObject({
    id: z.string(),
    userId: z.string(),
    userName: z.string().nullable(),
    /** The absence runs from `startsAt` up to (not including) `endsAt`. */
    startsAt: z.string(),
    endsAt: z.string(),
    status: z.enum(['upcoming', 'active', 'over', 'cancelled']),
    /** Shown to the person, their department manager and administrators only; null for others. */
    reason: z.string().nullable(),
    standInId: z.string().nullable(),
    standInName: z.string().nullable(),
    recordedBy: z.string(),
    recordedAt: z.string(),
    cancelledAt: z.string().nullable(),
    handovers: z.array(AbsenceHandover),
  }),
  'An absence (缺勤) and what stand-ins took over during it',
);
const _absence: Describes<typeof Absence, AbsenceViewType> = true;

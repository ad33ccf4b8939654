/**
 * The policy's `knowledge` section (issue 13 §4, seed 002 篇3: 经验库): which roles may write and
 * edit experience articles. Optional: without it (and for policies stored before it existed) the
 * defaults below apply. Every signed-in user may read and match articles.
 */
import { z } from 'zod';
import { ROLES } from '../complaint/types.js';

const role = z.enum(ROLES as unknown as [string, ...string[]]);

export const knowledge = z
  .strictObject({
    /** Roles that may create, edit and publish articles (default: specialists, approvers, admins). */
    editors: z
      .array(role)
      .min(1)
      .default(() => ['specialist', 'approver', 'admin']),
  })
  .prefault({});

export type KnowledgePolicy = z.output<typeof knowledge>;

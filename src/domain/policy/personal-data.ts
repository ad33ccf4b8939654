/**
 * The policy's `personalData` section (issue 12 §6): who may reveal one masked field of a case
 * with a stated reason (POST /api/v1/complaints/{id}/reveal, services/reveal-field.ts).
 * Optional: without it (and for policies stored before it existed) the relations the rule table
 * grants `reveal` apply — co-handlers and the manager of the case's department
 * (src/domain/permissions/relations.ts). Naming `relations` or `roles` replaces that default.
 * Avoidance always wins: a person barred from a case reveals nothing, whatever is named here.
 */
import { z } from 'zod';
import { ROLES } from '../complaint/types.js';
import { RELATIONS, relationsGranting, type Relation } from '../permissions/relations.js';

/** Relations a policy may name: every relation but avoidance (which bars, never grants). */
export const REVEAL_RELATIONS = RELATIONS.filter((r) => r !== 'subject') as Exclude<Relation, 'subject'>[];

/** Today's rule: the relations the rule table grants `reveal`. */
export const DEFAULT_REVEAL_RELATIONS = relationsGranting('reveal') as Exclude<Relation, 'subject'>[];

export const personalData = z
  .strictObject({
    reveal: z
      .strictObject({
        /** Relations to the case that allow a reveal (default: `co_handler`, `department_manager`). */
        relations: z.array(z.enum(REVEAL_RELATIONS as [string, ...string[]])).default(() => [...DEFAULT_REVEAL_RELATIONS]),
        /** Roles that allow a reveal on any case their holder may see (default: none). */
        roles: z.array(z.enum(ROLES as unknown as [string, ...string[]])).default(() => []),
      })
      .prefault({}),
  })
  .prefault({});

export type PersonalDataPolicy = z.output<typeof personalData>;

/** The section of a policy, with the defaults for one stored before the section existed. */
export function personalDataOf(p: object | null | undefined): PersonalDataPolicy {
  return (p as { personalData?: PersonalDataPolicy } | null | undefined)?.personalData ?? personalData.parse({});
}

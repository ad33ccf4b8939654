/**
 * Named groups of states that the lifecycle table, the workbench, the metrics, the console's
 * queues, the portal and the knowledge library all filter by. Written once here; the console gets
 * them as a generated file
 * (web/src/api/generated/state-groups.ts, `npm run gen:client`, checked current in `npm test`).
 */
import { STATES, type State } from '../complaint/types.js';

/** A responsible person works the case (investigation to implementation). */
export const ACTIVE_STATES: readonly State[] = ['assigned', 'investigating', 'investigated', 'awaiting_approval', 'implementing'];

/** The handler's queue (处理中): the active states and a case put on hold (pending). */
export const HANDLING_STATES: readonly State[] = [...ACTIVE_STATES, 'pending'];

/** Triage (受理/判定/分类/分派): received, judged either way, classified but not yet routed. */
export const TRIAGE_STATES: readonly State[] = ['received', 'valid', 'classified', 'invalid'];

/** Not closed and not archived: what the centre still owes an answer or a follow-up. */
export const OPEN_STATES: readonly State[] = STATES.filter((s) => s !== 'closed' && s !== 'archived');

/** The case has its answer (答复 given, or later): the states a case is offered as a similar resolved case and may be turned into experience from (issue 13 §4). */
export const RESOLVED_STATES = ['answered', 'followed_up', 'closed', 'archived'] as const satisfies readonly State[];

/** The groups by name, as the console's generated file spells them. */
export const STATE_GROUPS = { ACTIVE_STATES, HANDLING_STATES, TRIAGE_STATES, OPEN_STATES, RESOLVED_STATES } as const;

/** Who received a complaint that came in without a staff member: the public portal (and the customer API), or the inbound e-mail channel. */
import type { Actor } from '../../domain/complaint/types.js';

/** Intake through the public portal (no staff member received it). */
export const PORTAL_INTAKE: Actor = { id: 'portal', kind: 'system', name: '网上投诉', roles: [], managerOf: [], approvalLevels: [] };
/** Intake through the inbound e-mail channel. */
export const EMAIL_INTAKE: Actor = { id: 'email', kind: 'system', name: '电子邮件', roles: [], managerOf: [], approvalLevels: [] };

/** The follow-up survey answered by the customer: through the invitation's link, or on the case (number + code). */
import type { Transaction } from 'kysely';
import { CUSTOMER_ACTOR, type Complaint, type Satisfaction } from '../../domain/complaint/types.js';
import { AppError } from '../../domain/errors.js';
import type { DB } from '../../store/schema.js';
import { getComplaint } from '../../store/complaint.repository.js';
import { closeCycleTokens, findSurveyToken, useSurveyToken } from '../../store/customer.repository.js';
import { tokenHash } from '../../channels/secrets.js';
import { actOnComplaint } from '../act-on-complaint.js';
import type { App } from '../app.js';

export interface SurveyAnswer {
  satisfaction: Satisfaction;
  scores?: { attitude?: number; efficiency?: number; result?: number };
  comment?: string;
}

/** Why a survey link cannot be answered: unknown, expired, already answered, or the case moved on. */
export type SurveyRefusal = 'invalid' | 'expired' | 'used' | 'closed';

export class SurveyRefused extends Error {
  constructor(readonly reason: SurveyRefusal) {
    super(`survey ${reason}`);
  }
}

/** The case behind a survey link, or why it cannot be answered. */
export async function surveyCase(app: App, token: string): Promise<{ complaint: Complaint; expiresAt: string; cycle: number }> {
  const t = await findSurveyToken(app.database.db, tokenHash(token));
  if (!t) throw new SurveyRefused('invalid');
  if (t.usedAt) throw new SurveyRefused('used');
  if (t.expiresAt <= app.now().toISOString()) throw new SurveyRefused('expired');
  const c = await getComplaint(app.database.db, t.complaintId);
  if (!c) throw new SurveyRefused('invalid');
  if (c.state !== 'answered' || c.cycle !== t.cycle) throw new SurveyRefused(c.cycle === t.cycle && c.state !== 'answered' ? 'used' : 'closed');
  return { complaint: c, expiresAt: t.expiresAt, cycle: t.cycle };
}

function followUpInput(a: SurveyAnswer) {
  return { reached: true, method: 'survey', satisfaction: a.satisfaction, scores: a.scores, comment: a.comment || undefined };
}

/**
 * Records the survey answer as the follow-up result: the `follow_up` transition (unsatisfied →
 * handled again one tier up) and the link used up, in one transaction. A second submit — or a
 * concurrent one — is refused with `used`.
 */
export async function answerSurvey(app: App, token: string, a: SurveyAnswer, more?: (trx: Transaction<DB>, saved: Complaint) => Promise<void>): Promise<Complaint> {
  const { complaint, cycle } = await surveyCase(app, token);
  const h = tokenHash(token);
  try {
    return await actOnComplaint(app, CUSTOMER_ACTOR, complaint.id, 'follow_up', followUpInput(a), {
      inTransaction: async (trx, saved) => {
        if (!(await useSurveyToken(trx, h, app.now().toISOString()))) throw new SurveyRefused('used');
        await closeCycleTokens(trx, complaint.id, cycle, app.now().toISOString());
        await more?.(trx, saved);
      },
    });
  } catch (e) {
    // Someone answered first (the transition is no longer legal, or the link was used meanwhile).
    if (e instanceof AppError && (e.code === 'illegal_transition' || e.code === 'conflict')) throw new SurveyRefused('used');
    throw e;
  }
}

/** The survey answered on the tracking page (number + code checked): closes the cycle's links too. */
export async function answerSurveyOnCase(app: App, c: Complaint, a: SurveyAnswer, more?: (trx: Transaction<DB>, saved: Complaint) => Promise<void>): Promise<Complaint> {
  const policy = await app.policyByKey(c.policyKey);
  if (!policy.followUp.methods.includes('survey')) throw new SurveyRefused('closed');
  if (c.state !== 'answered') throw new SurveyRefused('used');
  try {
    return await actOnComplaint(app, CUSTOMER_ACTOR, c.id, 'follow_up', followUpInput(a), {
      inTransaction: async (trx, saved) => {
        await closeCycleTokens(trx, c.id, c.cycle, app.now().toISOString());
        await more?.(trx, saved);
      },
    });
  } catch (e) {
    if (e instanceof AppError && (e.code === 'illegal_transition' || e.code === 'conflict')) throw new SurveyRefused('used');
    throw e;
  }
}

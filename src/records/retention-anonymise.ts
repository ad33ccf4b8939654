/**
 * What an anonymised case keeps (issue 15 §2): the facts the statistics and the case file's
 * outline need — kind, channel, category, grade, department, the staff involved, states, times,
 * amounts, satisfaction and scores — and nothing that names or describes the customer: their
 * name, phone, e-mail, ID number and address, and every free text (description, findings,
 * answers, comments, reasons), since any of it may hold personal data.
 */
import type { Complaint } from '../domain/complaint/types.js';

export function anonymisedComplaint(c: Complaint): Complaint {
  return {
    ...c,
    title: '',
    description: '',
    complainant: { anonymous: true, ...(c.complainant.customerClass ? { customerClass: c.complainant.customerClass } : {}) },
    subject: { ...(c.subject.departmentCode ? { departmentCode: c.subject.departmentCode } : {}), employeeIds: c.subject.employeeIds },
    references: {},
    demands: { types: c.demands.types, ...(c.demands.amount !== undefined ? { amount: c.demands.amount } : {}) },
    regulator: c.regulator ? { name: c.regulator.name, externalRef: '', dueAt: c.regulator.dueAt } : null,
    validity: c.validity ? { valid: c.validity.valid, malicious: c.validity.malicious, ...(c.validity.reason ? { reason: c.validity.reason } : {}) } : null,
    findings: c.findings
      ? {
          facts: '',
          cause: '',
          responsibility: {
            type: c.findings.responsibility.type,
            ...(c.findings.responsibility.departmentCode ? { departmentCode: c.findings.responsibility.departmentCode } : {}),
            ...(c.findings.responsibility.employeeId ? { employeeId: c.findings.responsibility.employeeId } : {}),
          },
        }
      : null,
    proposal: c.proposal ? { ...c.proposal, description: '' } : null,
    answer: c.answer ? { ...c.answer, text: '' } : null,
    followUp: { attempts: c.followUp.attempts, callerIds: c.followUp.callerIds, outcome: c.followUp.outcome, satisfaction: c.followUp.satisfaction, scores: c.followUp.scores },
    extensionRequest: c.extensionRequest ? { ...c.extensionRequest, reason: '' } : null,
    pendingReason: c.pendingReason === null ? null : '',
  };
}

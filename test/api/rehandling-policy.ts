/**
 * Seed 000 (policies/kesu-default.yaml) with the rules of issue 10 items 4 and 6 written out:
 * intake facts (received at most 7 days ago, specialists grade at intake), re-handling one tier up
 * by the tier's handler and approval level, major cases straight to the customer service manager.
 * Written to a temporary file for `startKesu({ policy })`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

export function rehandlingPolicyFile(): string {
  const p = parse(readFileSync(new URL('../../policies/kesu-default.yaml', import.meta.url), 'utf8'));
  p.version = '2026.1-rehandling';
  p.intake = { receivedAtMaxAge: '7d', gradeRoles: ['specialist'] };
  p.escalation.tiers[1].handler = 'department_manager';
  p.escalation.tiers[1].approvalLevel = 'manager';
  p.escalation.tiers[2].handler = { approvalLevel: 'manager' };
  p.escalation.tiers[2].approvalLevel = 'general_manager';
  p.routing = { majorTo: { approvalLevel: 'manager' }, majorDepartment: 'customer_service' };
  const file = join(mkdtempSync(join(tmpdir(), 'kesu-policy-')), 'rehandling.yaml');
  writeFileSync(file, stringify(p));
  return file;
}

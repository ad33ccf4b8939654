/**
 * Optional sections are really optional (issue 10 item 7): a policy with only the sections
 * docs/policy.md marks as required loads, checks clean, gets sensible defaults, and runs cases —
 * an organisation with no emergency rule, no extension, no approval and no retention rule does
 * not have to invent one.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { limitsFor, parsePolicyText, requiredApprovalLevel, effectiveGrade } from '../../../src/domain/policy/index.js';
import { engines } from '../../support/engines.js';
import { startKesu, type Kesu } from '../../support/kesu.js';
import { MINIMAL_POLICY } from './fixtures.js';

describe('a minimal policy', () => {
  it('loads and checks clean, with defaults for every optional section', () => {
    const r = parsePolicyText(MINIMAL_POLICY);
    assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems));
    const p = r.policy;
    assert.equal(p.defaultGrade, 'general', 'the first grade');
    assert.equal(p.flags.emergency, undefined);
    assert.equal(p.flags.vicious, undefined);
    assert.equal(p.extension, undefined);
    assert.equal(p.retention, undefined);
    assert.deepEqual(p.approval, { levels: [], rules: [] });
    assert.deepEqual(
      p.escalation.tiers.map((t) => t.role),
      ['agent', 'department_manager', 'general_manager'],
    );
    assert.equal(p.validity.invalidReasons.length, 6);
    assert.equal(p.followUp.required, false);
    assert.equal(p.calendar.timeZone, 'Asia/Shanghai');
    // The lookups cope with the absent sections.
    assert.deepEqual(limitsFor(p, 'general', { vicious: true, emergency: true }), { resolve: '2wd' });
    assert.equal(effectiveGrade(p, 'general', { vicious: true }), 'general');
    assert.equal(requiredApprovalLevel(p, 'major', 1_000_000), null);
  });

  it('`kesu policy check` accepts it: no flags.emergency, extension, retention, approval, escalation, validity, followUp', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kesu-minimal-cli-')), 'minimal.yaml');
    writeFileSync(file, MINIMAL_POLICY);
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/kesu.ts'), 'policy', 'check', file, '--lang', 'en'], { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, DATABASE_URL: '' } });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /OK — minimal@1/);
    // Removing a required part is still refused, naming it.
    const broken = join(mkdtempSync(join(tmpdir(), 'kesu-minimal-cli-')), 'no-grades.yaml');
    writeFileSync(broken, MINIMAL_POLICY.replace(/grades:[\s\S]*$/, ''));
    const b = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/kesu.ts'), 'policy', 'check', broken, '--lang', 'en'], { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, DATABASE_URL: '' } });
    assert.equal(b.status, 1, b.stdout);
    assert.match(b.stdout, /^grades/m);
  });

  it('still checks the sections it has', () => {
    const r = parsePolicyText(`${MINIMAL_POLICY}defaultGrade: minor\nextension: { max: 3wd, specialMax: 2wd, approvalLevel: boss }\n`);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(r.problems.map((x) => x.path).sort(), ['defaultGrade', 'extension.approvalLevel', 'extension.specialMax']);
  });
});

for (const { dialect, skip } of await engines()) {
  describe(`a case under a minimal policy (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kesu-minimal-'));
      const file = join(dir, 'minimal.yaml');
      writeFileSync(file, MINIMAL_POLICY);
      k = await startKesu(dialect, { start: '2026-09-28T09:00:00+08:00', policy: file });
    });
    after(async () => k?.close());

    it('is received, judged, and classified (even as a vicious emergency)', async () => {
      const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '最简制度下的投诉', complainant: { anonymous: true } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.complaint.policyKey, 'minimal@1');
      assert.equal(r.body.complaint.grade ?? 'general', 'general');
      const id = r.body.complaint.id;
      const s = k.as('specialist');
      const judged = await s.act(id, 'judge', { valid: true });
      assert.equal(judged.status, 200, JSON.stringify(judged.body));
      const graded = await s.act(id, 'classify', { category: 'other', grade: 'major', emergency: true, vicious: true });
      assert.equal(graded.status, 200, JSON.stringify(graded.body));
      assert.equal(graded.body.complaint.grade, 'major');
      assert.equal(graded.body.clocks.find((c: any) => c.kind === 'resolve').duration, '1wd');
    });
  });
}

/**
 * The caller-history lookup (store/contact-key.repository.ts `casesByContactQuery`), on every
 * engine: driven by the contact key with the need-to-know filter probed per case, it selects
 * exactly the cases the list's filter (`visibleTo`) selects among those holding the key — for
 * an agent, another agent, the specialist the caller complains about and a department manager.
 * On SQLite its plan starts from the key and lists none of the person's cases (an agent takes
 * part in thousands: listing them per lookup made it grow with the agent's history).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { visibleTo } from '../../src/store/complaint.repository.js';
import { casesByContactQuery } from '../../src/store/contact-key.repository.js';
import { actorOf, findUserByUsername } from '../../src/store/user.repository.js';
import { contactKeyFor } from '../../src/services/contact-keys.js';
import type { Actor } from '../../src/domain/complaint/types.js';

for (const { dialect, skip } of await engines()) {
  describe(`caller lookup query (${dialect})`, { skip }, () => {
    let k: Kesu;
    let key: string;
    const ids: Record<string, string> = {};
    const actor = async (username: string): Promise<Actor> => actorOf((await findUserByUsername(k.app.database.db, username))!);

    before(async () => {
      k = await startKesu(dialect);
      const intake = async (user: string, name: string, body: Record<string, unknown>) => {
        const r = await k.as(user).post('/api/v1/complaints', { channel: 'phone', description: `来电 ${name}`, ...body });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        ids[name] = r.body.complaint.id;
      };
      await intake('agent', 'a1', { complainant: { name: '王五', phone: '13912340001' } });
      await intake('agent', 'a2', { complainant: { name: '王五', phone: '+86 139 1234 0001' }, subject: { employeeIds: [k.userIds.get('specialist')] } });
      await intake('agent2', 'b1', { complainant: { name: '王五', phone: '139-1234-0001' } });
      await intake('agent2', 'other', { complainant: { name: '赵六', phone: '13912340002' } });
      key = contactKeyFor(k.app, { kind: 'phone', value: '13912340001' });
    });
    after(async () => k?.close());

    it('selects the same cases as the visibility filter over the cases holding the key', async () => {
      const db = k.app.database.db;
      const seen: Record<string, string[]> = {};
      for (const username of ['agent', 'agent2', 'specialist', 'deptmanager']) {
        const a = await actor(username);
        const got = (await casesByContactQuery(db, a, [key]).select('complaints.id').execute()).map((r) => r.id).sort();
        const expected = (
          await db
            .selectFrom('complaints')
            .select('id')
            .where(visibleTo(a))
            .where('id', 'in', db.selectFrom('contact_keys').select('complaint_id').where('key', '=', key))
            .execute()
        )
          .map((r) => r.id)
          .sort();
        assert.deepEqual(got, expected, username);
        seen[username] = got;
      }
      // Not a vacuous equality: the people see different cases of this caller.
      assert.ok(seen.agent!.includes(ids.a1!) && seen.agent!.includes(ids.a2!), 'the agent sees the cases it registered');
      assert.ok(!seen.specialist!.includes(ids.a2!), 'the complained-about specialist does not see that case');
      assert.ok(seen.specialist!.includes(ids.a1!) && seen.specialist!.includes(ids.b1!));
      assert.ok(!Object.values(seen).some((xs) => xs.includes(ids.other!)), 'another caller is never found');
    });

    it('on SQLite, starts from the key and probes the participants per case', { skip: dialect !== 'sqlite' && 'SQLite plan only' }, async () => {
      const db = k.app.database.db;
      const c = casesByContactQuery(db, await actor('agent'), [key])
        .select('body')
        .orderBy('received_at', 'desc')
        .orderBy('id', 'desc')
        .limit(50)
        .compile();
      let i = 0;
      const text = c.sql.replace(/\?/g, () => {
        const v = c.parameters[i++];
        return typeof v === 'number' ? String(v) : `'${String(v)}'`;
      });
      const plan = (await sql<{ detail: string }>`explain query plan ${sql.raw(text)}`.execute(db)).rows.map((r) => r.detail);
      assert.equal(
        plan.find((d) => d.startsWith('SEARCH')),
        'SEARCH contact_keys USING COVERING INDEX sqlite_autoindex_contact_keys_1 (key=?)',
        plan.join('\n'),
      );
      assert.ok(!plan.some((d) => d.startsWith('LIST SUBQUERY')), `no list of the agent's cases:\n${plan.join('\n')}`);
      assert.ok(
        plan.some((d) => d.startsWith('CORRELATED LIST SUBQUERY')),
        plan.join('\n'),
      );
    });
  });
}

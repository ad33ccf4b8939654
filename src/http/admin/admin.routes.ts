/** Organisation data: users, departments, the policy, the holiday calendar and the audit check. */
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../services/app.js';
import { parseInput } from '../../domain/validation.js';
import { AppError, fieldProblem } from '../../domain/errors.js';
import { ROLES } from '../../domain/complaint/types.js';
import { parsePolicyText } from '../../domain/policy/index.js';
import { addDuration, parseHolidayYear, CalendarError, builtInHolidayYears } from '../../domain/calendar/index.js';
import { activatePolicy } from '../../services/policies.js';
import { policyHistory, publishDraft, recordPublication } from '../../services/policy-publish.js';
import { hashPassword } from '../../services/sessions.js';
import { assertPasswordPolicy, deactivateUser, editUser, reactivateUser, resetPassword, PASSWORD_MIN_LENGTH } from '../../services/accounts.js';
import { uuidv7 } from '../../services/ids.js';
import { changeDepartment, createDepartment, deleteDepartment } from '../../services/departments.js';
import { insertUser, listDepartments, listUsers, findUserByUsername } from '../../store/user.repository.js';
import { getActivePolicyKey, listPolicies } from '../../store/policy.repository.js';
import { listHolidayYears, saveHolidayYear } from '../../store/calendar.repository.js';
import { startClockRecalculation, stopClockRecalculation } from '../../services/recalculate-clocks.js';
import { verifyChains } from '../../store/event.repository.js';
import { listPiiAccess } from '../../store/pii-access.repository.js';
import { findIdByNumber } from '../../store/complaint.repository.js';
import { requireUser } from '../auth/auth.js';
import { assertPolicyDepth } from '../security/depth.js';
import { IDEMPOTENCY_NOTE, IdempotencyHeaders, idempotent } from '../idempotency.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';
import { DueExplanation, HolidayYear, Policy, PolicyCheck, PolicyVersion } from '../schemas/policy.js';
import { ChainCheck, CreatedUser, Department, PiiAccessPage, User } from '../schemas/organisation.js';

const NewUser = z
  .object({
    username: z
      .string()
      .trim()
      .regex(/^[a-zA-Z0-9._-]{2,50}$/, '用户名为 2–50 位字母、数字或 . _ -|A username is 2–50 letters, digits or . _ -|使用者名稱為 2–50 位字母、數字或 . _ -'),
    name: z.string().trim().min(1).max(100),
    // The length is checked here too, so a form shows it with the other fields' problems at once
    // (the whole rule, common passwords included, is services/accounts.ts).
    password: z.string().min(PASSWORD_MIN_LENGTH, `密码至少 ${PASSWORD_MIN_LENGTH} 个字符|The password needs at least ${PASSWORD_MIN_LENGTH} characters|密碼至少 ${PASSWORD_MIN_LENGTH} 個字元`).max(200),
    roles: z.array(z.enum(ROLES as [string, ...string[]])).min(1),
    departmentCode: z.string().max(64).optional(),
    managerOf: z.array(z.string().max(64)).default([]),
    approvalLevels: z.array(z.string().max(64)).default([]),
    locale: z.enum(['zh-CN', 'zh-TW', 'en']).default('zh-CN'),
  })
  .strict();

const UserParams = z.object({ id: z.string().min(1).max(64) }).strict();
const UserEdit = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    email: z.email().max(200).nullable().optional(),
    phone: z.string().trim().max(40).nullable().optional(),
    departmentCode: z.string().max(64).nullable().optional(),
    roles: z
      .array(z.enum(ROLES as [string, ...string[]]))
      .min(1)
      .optional(),
    managerOf: z.array(z.string().max(64)).optional(),
    approvalLevels: z.array(z.string().max(64)).optional(),
    locale: z.enum(['zh-CN', 'zh-TW', 'en']).optional(),
  })
  .strict()
  .meta({ description: 'The fields to change; a change of roles, department, managed departments or approval levels ends the user’s sessions' });
const PasswordReset = z
  .object({ password: z.string().min(1).max(200) })
  .strict()
  .meta({ description: 'A temporary password (the policy applies); the user must change it at their next sign-in' });
const EditedUser = z.strictObject({ user: User, sessionsEnded: z.number().int() });
const OpenCase = z.strictObject({ id: z.string(), number: z.string(), state: z.string(), relation: z.string() });
const DeactivatedUser = z.strictObject({ user: User, sessionsEnded: z.number().int(), openCases: z.array(OpenCase).meta({ description: 'Open cases the user handles or takes part in: to be reassigned' }) });
const PasswordWasReset = z.strictObject({ ok: z.literal(true), sessionsEnded: z.number().int() });

const DeptCode = z
  .string()
  .trim()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,63}$/,
    '部门代码只能由小写字母、数字、下划线和连字符组成（以字母或数字开头，最长 64 个字符）|A department code is lowercase letters, digits, "_" and "-" (starting with a letter or digit, at most 64 characters)|部門代碼只能由小寫字母、數字、底線和連字號組成（以字母或數字開頭，最長 64 個字元）',
  );
const DeptName = z
  .object({
    'zh-CN': z.string().trim().min(1, '请填写中文（简体）名称|The Simplified Chinese name is required|請填寫中文（簡體）名稱').max(100),
    'zh-TW': z.string().trim().min(1).max(100).optional(),
    en: z.string().trim().min(1).max(100).optional(),
  })
  .strict();
const DeptHead = z
  .string()
  .trim()
  .regex(/^[a-zA-Z0-9._-]{2,50}$/, '负责人应为用户名|The head is a username|負責人應為使用者名稱');
const NewDepartment = z.object({ code: DeptCode, name: DeptName, head: DeptHead.optional() }).strict().meta({ description: 'A new department: written into a new version of the active policy' });
const DepartmentEdit = z
  .object({ name: DeptName.optional(), head: DeptHead.nullable().optional(), active: z.boolean().optional() })
  .strict()
  .meta({ description: 'The fields to change (head null clears it; active false deactivates): written into a new version of the active policy' });
const DeptParams = z.object({ code: z.string().min(1).max(64) }).strict();
const DepartmentSaved = z.strictObject({
  policyKey: z.string().meta({ description: 'The policy version the edit created and activated' }),
  department: z.strictObject({ code: z.string(), name: z.record(z.string(), z.string()), head: z.string().optional(), active: z.boolean().optional() }).nullable(),
});

const PolicyUpload = z.object({ text: z.string().min(1).max(1_000_000), format: z.enum(['yaml', 'json']).optional() }).strict();
const DueQuery = z.object({ start: z.iso.datetime({ offset: true }), duration: z.string().min(1).max(20), lang: z.string().optional() }).strict();
const YearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) });
/** Documents the body only: parseHolidayYear reads the formats it knows. */
const HolidayFile = z.record(z.string(), z.unknown()).meta({ description: 'A holiday year: holiday-cn JSON ({year, days: [{name, date, isOffDay}]}), or {year, holidays: [dates], workdays: [dates]}' });
const PiiAccessQuery = z
  .object({
    /** A case id or number (KS-…). */
    complaint: z.string().trim().min(1).max(64).optional(),
    /** A user id or username. */
    user: z.string().trim().min(1).max(64).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().max(200).optional(),
    lang: z.string().optional(),
  })
  .strict();
const PolicyActivated = z.strictObject({ key: z.string(), created: z.boolean() });
const PolicyDraft = z
  .object({
    document: z.record(z.string(), z.unknown()).meta({ description: 'The whole policy document as edited (the active version with the changes), its own `version` label' }),
    basedOn: z.string().min(1).max(200).meta({ description: 'The key (`id@version`) of the active version the draft was derived from: 409 when another version became active meanwhile' }),
  })
  .strict();
const PublishedBy = z.strictObject({ id: z.string(), username: z.string(), name: z.string() });
const PolicyHistory = z.strictObject({
  versions: z.array(
    z.strictObject({
      key: z.string(),
      version: z.string(),
      active: z.boolean(),
      createdAt: z.string(),
      publishedAt: z.string().nullable().meta({ description: 'When it was last made active by someone; null for versions activated before this was recorded, or from the command line' }),
      publishedBy: PublishedBy.nullable(),
      via: z.enum(['upload', 'editor', 'department']).nullable(),
    }),
  ),
});
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function adminRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  const signedIn = requireUser(app);
  const admin = requireUser(app, ['admin']);

  server.get(
    '/api/v1/users',
    { preHandler: requireUser(app, ['admin', 'specialist', 'approver', 'auditor']), schema: { tags: ['admin'], summary: 'Users (for routing and administration)', response: { 200: z.array(User), ...errors(401, 403) } } },
    async () => listUsers(app.database.db),
  );

  server.post(
    '/api/v1/users',
    { preHandler: admin, schema: { tags: ['admin'], summary: 'Create a user', description: IDEMPOTENCY_NOTE.trim(), headers: IdempotencyHeaders, body: NewUser, response: { 201: CreatedUser, ...errors(400, 401, 403, 409, 422) } } },
    async (req, reply) => {
      const u = parseInput(NewUser, req.body);
      assertPasswordPolicy(u.password, u.username);
      // The password is left out of the request's hash: no unsalted digest of it is kept.
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: { ...u, password: undefined } }, async () => {
        if (await findUserByUsername(app.database.db, u.username)) throw new AppError('invalid_input', 'username taken', [fieldProblem('username', '用户名已存在', 'Username already taken', '使用者名稱已存在')]);
        const id = uuidv7();
        await insertUser(app.database.db, {
          id,
          username: u.username,
          name: u.name,
          roles: u.roles as never,
          departmentCode: u.departmentCode ?? null,
          managerOf: u.managerOf,
          approvalLevels: u.approvalLevels,
          locale: u.locale,
          active: true,
          passwordHash: await hashPassword(u.password),
          createdAt: app.now().toISOString(),
        });
        return reply.status(201).send({ id, username: u.username });
      });
    },
  );

  server.patch(
    '/api/v1/users/:id',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: 'Edit a user (an audited event); a change of roles or department ends their sessions and live streams',
        description: IDEMPOTENCY_NOTE.trim(),
        headers: IdempotencyHeaders,
        params: UserParams,
        body: UserEdit,
        response: { 200: EditedUser, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const { id } = parseInput(UserParams, req.params);
      const b = parseInput(UserEdit, req.body);
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: { id, ...b } }, async () => reply.send(await editUser(app, req.actor!.id, id, { ...b, roles: b.roles as never }, { keepSession: req.sessionTokenHash })));
    },
  );

  server.post(
    '/api/v1/users/:id/deactivate',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: 'Deactivate a user: no more sign-in, sessions and live streams end now, history kept; lists their open cases for reassignment',
        description: IDEMPOTENCY_NOTE.trim(),
        headers: IdempotencyHeaders,
        params: UserParams,
        response: { 200: DeactivatedUser, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const { id } = parseInput(UserParams, req.params);
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: { id } }, async () => reply.send(await deactivateUser(app, req.actor!.id, id)));
    },
  );

  server.post(
    '/api/v1/users/:id/reactivate',
    {
      preHandler: admin,
      schema: { tags: ['admin'], summary: 'Reactivate a deactivated user', description: IDEMPOTENCY_NOTE.trim(), headers: IdempotencyHeaders, params: UserParams, response: { 200: User, ...errors(401, 403, 404, 409, 422) } },
    },
    async (req, reply) => {
      const { id } = parseInput(UserParams, req.params);
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: { id } }, async () => reply.send(await reactivateUser(app, req.actor!.id, id)));
    },
  );

  server.post(
    '/api/v1/users/:id/password',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: 'Reset a password: the user’s sessions end and they must change it at their next sign-in',
        description: IDEMPOTENCY_NOTE.trim(),
        headers: IdempotencyHeaders,
        params: UserParams,
        body: PasswordReset,
        response: { 200: PasswordWasReset, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const { id } = parseInput(UserParams, req.params);
      const b = parseInput(PasswordReset, req.body);
      // As for a new user, the password is left out of the request's hash.
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: { id } }, async () => {
        const r = await resetPassword(app, req.actor!.id, id, b.password);
        return reply.send({ ok: true as const, sessionsEnded: r.sessionsEnded });
      });
    },
  );

  server.get('/api/v1/departments', { preHandler: signedIn, schema: { tags: ['admin'], summary: 'Departments', response: { 200: z.array(Department), ...errors(401) } } }, async () => listDepartments(app.database.db));

  server.post(
    '/api/v1/departments',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: 'Create a department (a new policy version, an audited event)',
        description: IDEMPOTENCY_NOTE.trim(),
        headers: IdempotencyHeaders,
        body: NewDepartment,
        response: { 201: DepartmentSaved, ...errors(400, 401, 403, 409, 422) },
      },
    },
    async (req, reply) => {
      const b = parseInput(NewDepartment, req.body);
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: b }, async () => reply.status(201).send(await createDepartment(app, req.actor!.id, b)));
    },
  );

  server.patch(
    '/api/v1/departments/:code',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: 'Rename a department, set its head, deactivate or reactivate it (a new policy version, an audited event)',
        description: IDEMPOTENCY_NOTE.trim(),
        headers: IdempotencyHeaders,
        params: DeptParams,
        body: DepartmentEdit,
        response: { 200: DepartmentSaved, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const { code } = parseInput(DeptParams, req.params);
      const b = parseInput(DepartmentEdit, req.body);
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: { code, ...b } }, async () => reply.send(await changeDepartment(app, req.actor!.id, code, b)));
    },
  );

  server.delete(
    '/api/v1/departments/:code',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: 'Delete a department no case, user or routing rule refers to (else 409: deactivate it)',
        description: IDEMPOTENCY_NOTE.trim(),
        headers: IdempotencyHeaders,
        params: DeptParams,
        response: { 200: DepartmentSaved, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const { code } = parseInput(DeptParams, req.params);
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: { code } }, async () => reply.send(await deleteDepartment(app, req.actor!.id, code)));
    },
  );

  server.get(
    '/api/v1/policy',
    { preHandler: signedIn, schema: { tags: ['policy'], summary: 'The active policy and the stored versions', response: { 200: z.strictObject({ active: Policy, versions: z.array(PolicyVersion) }), ...errors(401) } } },
    async () => ({ active: await app.activePolicy(), versions: await listPolicies(app.database.db) }),
  );

  server.post(
    '/api/v1/policy/check',
    { preHandler: signedIn, schema: { tags: ['policy'], summary: 'Validate a policy document; lists every problem with its path', body: PolicyUpload, response: { 200: PolicyCheck, ...errors(400, 401) } } },
    async (req) => {
      const b = parseInput(PolicyUpload, req.body);
      assertPolicyDepth(b.text);
      const r = parsePolicyText(b.text, b.format);
      return r.ok ? { ok: true, problems: [] } : { ok: false, problems: r.problems };
    },
  );

  server.post(
    '/api/v1/policy',
    {
      preHandler: admin,
      schema: {
        tags: ['policy'],
        summary: 'Upload and activate a policy version (new cases use it; open cases keep theirs)',
        description: IDEMPOTENCY_NOTE.trim(),
        headers: IdempotencyHeaders,
        body: PolicyUpload,
        response: {
          201: PolicyActivated,
          200: { description: 'This version was already stored with the same rules: activated again (the same id@version with other rules is refused, 409)', content: { 'application/json': { schema: PolicyActivated } } },
          ...errors(400, 401, 403, 409, 422),
        },
      },
    },
    async (req, reply) => {
      const b = parseInput(PolicyUpload, req.body);
      assertPolicyDepth(b.text);
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: b }, async () => {
        const from = await getActivePolicyKey(app.database.db);
        const r = await activatePolicy(app, b.text, b.format, { within: (trx, key) => recordPublication(app, trx, req.actor!.id, key, from, 'upload') });
        return reply.status(r.created ? 201 : 200).send({ key: r.key, created: r.created });
      });
    },
  );

  server.post(
    '/api/v1/policy/publish',
    {
      preHandler: admin,
      schema: {
        tags: ['policy'],
        summary: 'Publish a draft edited in the console: checked as `kesu policy check` does, stored under its own version label and activated',
        description: IDEMPOTENCY_NOTE.trim(),
        headers: IdempotencyHeaders,
        body: PolicyDraft,
        response: { 201: PolicyActivated, ...errors(400, 401, 403, 409, 422) },
      },
    },
    async (req, reply) => {
      const b = parseInput(PolicyDraft, req.body);
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: b }, async () => reply.status(201).send(await publishDraft(app, req.actor!.id, b.document, b.basedOn)));
    },
  );

  server.get(
    '/api/v1/policy/versions',
    { preHandler: admin, schema: { tags: ['policy'], summary: 'The stored policy versions, newest first: which is active, who published each and how', response: { 200: PolicyHistory, ...errors(401, 403) } } },
    async () => ({ versions: await policyHistory(app) }),
  );

  server.get(
    '/api/v1/calendar/due',
    {
      preHandler: signedIn,
      schema: {
        tags: ['calendar'],
        summary: 'Due time of a duration from an instant on the active policy calendar, with its explanation',
        querystring: DueQuery,
        response: { 200: z.strictObject({ due: z.string().nullable(), explanation: DueExplanation }), ...errors(400, 401) },
      },
    },
    async (req) => {
      const q = parseInput(DueQuery, req.query);
      const cal = await app.calendarFor(await app.activePolicy());
      try {
        const r = addDuration(new Date(q.start), q.duration, cal);
        return { due: r.due?.toISOString() ?? null, explanation: r.explanation };
      } catch (e) {
        if (e instanceof CalendarError) throw new AppError('invalid_input', e.message, [fieldProblem('duration', `时长格式有误：${q.duration}`, `Invalid duration: ${q.duration}`)]);
        throw e;
      }
    },
  );

  server.get(
    '/api/v1/calendar/years',
    {
      preHandler: signedIn,
      schema: { tags: ['calendar'], summary: 'Holiday years: built-in and added by administrators', response: { 200: z.strictObject({ builtIn: z.array(z.number().int()), added: z.array(HolidayYear) }), ...errors(401) } },
    },
    async () => ({
      builtIn: builtInHolidayYears('CN').map((y) => y.year),
      added: await listHolidayYears(app.database.db),
    }),
  );

  server.put(
    '/api/v1/calendar/years/:year',
    {
      preHandler: admin,
      schema: {
        tags: ['calendar'],
        summary: "Add or replace a year's holiday list (JSON, holiday-cn or {holidays, workdays} format)",
        params: YearParams,
        body: HolidayFile,
        response: { 200: z.strictObject({ region: z.string(), year: z.number().int(), days: z.number().int() }), ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const { year } = parseInput(YearParams, req.params);
      let y;
      try {
        y = parseHolidayYear(req.body, { region: 'CN', year });
      } catch (e) {
        if (e instanceof CalendarError) throw new AppError('invalid_input', e.message, [fieldProblem('body', e.message, e.message)]);
        throw e;
      }
      if (y.year !== year) throw new AppError('invalid_input', 'year mismatch', [fieldProblem('year', '文件中的年份与地址不一致', 'The year in the file differs from the URL')]);
      await saveHolidayYear(app.database.db, y, req.actor!.id, app.now().toISOString());
      app.invalidateCalendars();
      // Running clocks are counted again after the write, in the background (the write recorded the work).
      void startClockRecalculation(app);
      return { region: y.region, year: y.year, days: y.days.length };
    },
  );
  // A server that closes stops a recalculation after its current case (the region stays pending for the next start).
  server.addHook('onClose', async () => {
    await stopClockRecalculation(app);
  });

  server.get('/api/v1/audit/verify', { preHandler: requireUser(app, ['auditor', 'admin']), schema: { tags: ['audit'], summary: 'Verify every case timeline hash chain', response: { 200: ChainCheck, ...errors(401, 403) } } }, async () => {
    const r = await verifyChains(app.database.db);
    return { ok: r.problems.length === 0, ...r };
  });

  server.get(
    '/api/v1/audit/pii-access',
    {
      preHandler: requireUser(app, ['auditor', 'admin']),
      schema: { tags: ['audit'], summary: 'Who saw personal data unmasked: newest first, by case and/or user (keyset pagination)', querystring: PiiAccessQuery, response: { 200: PiiAccessPage, ...errors(400, 401, 403) } },
    },
    async (req) => {
      const q = parseInput(PiiAccessQuery, req.query);
      let before: { at: string; id: string } | undefined;
      if (q.cursor) {
        const [at, id, extra] = Buffer.from(q.cursor, 'base64url').toString().split('|');
        if (!at || !id || extra !== undefined) throw new AppError('invalid_input', 'bad cursor', [fieldProblem('cursor', '分页游标无效', 'Invalid cursor', '分頁游標無效')]);
        before = { at, id };
      }
      const db = app.database.db;
      // An unknown case number or username matches nothing (an empty page), like an unknown id.
      const complaintId = q.complaint && /^KS-/i.test(q.complaint) ? ((await findIdByNumber(db, q.complaint.toUpperCase())) ?? '-') : q.complaint;
      const userId = q.user && !UUID.test(q.user) ? ((await findUserByUsername(db, q.user))?.id ?? '-') : q.user;
      const rows = await listPiiAccess(db, { complaintId, userId, limit: q.limit + 1, before });
      const items = rows.slice(0, q.limit);
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > q.limit && last ? Buffer.from(`${last.at}|${last.id}`).toString('base64url') : null };
    },
  );
}

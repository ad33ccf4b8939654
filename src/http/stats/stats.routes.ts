/** Dashboard statistics and the console's lookups (staff directory, a holiday year). */
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../services/app.js';
import { reportDashboard } from '../../services/report-dashboard.js';
import { holidayYear, staffDirectory } from '../../services/console-lookups.js';
import { parseInput } from '../../domain/validation.js';
import { AppError } from '../../domain/errors.js';
import { requireUser } from '../auth/auth.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';
import { HolidayYear } from '../schemas/policy.js';
import { Dashboard, StaffEntry } from '../schemas/organisation.js';

/** Roles that oversee the organisation and see its dashboard. */
export const DASHBOARD_ROLES = ['specialist', 'approver', 'admin', 'auditor'];

const DashboardQuery = z
  .object({
    days: z.coerce.number().int().min(1).max(92).default(7),
    satisfactionDays: z.coerce.number().int().min(1).max(3660).default(30),
    horizonHours: z.coerce
      .number()
      .min(1)
      .max(24 * 30)
      .default(24),
    lang: z.string().optional(),
  })
  .strict();
const YearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) });
const YearQuery = z.object({ region: z.string().max(8).default('CN'), lang: z.string().optional() }).strict();

export function statsRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  server.get(
    '/api/v1/stats/dashboard',
    {
      preHandler: requireUser(app, DASHBOARD_ROLES),
      schema: {
        tags: ['stats'],
        summary: 'Manager dashboard: open cases by state/grade/department/channel/kind, overdue and nearly overdue, intake and closure per day, satisfaction',
        querystring: DashboardQuery,
        response: { 200: Dashboard, ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const q = parseInput(DashboardQuery, req.query);
      return reportDashboard(app, req.actor!, { days: q.days, satisfactionDays: q.satisfactionDays, horizonHours: q.horizonHours });
    },
  );

  server.get(
    '/api/v1/directory',
    { preHandler: requireUser(app), schema: { tags: ['admin'], summary: 'Staff directory: names, roles and departments of colleagues (for pickers and display)', response: { 200: z.array(StaffEntry), ...errors(401) } } },
    async () => staffDirectory(app),
  );

  server.get(
    '/api/v1/calendar/years/:year',
    {
      preHandler: requireUser(app),
      schema: {
        tags: ['calendar'],
        summary: 'One holiday year with its adjusted working days (admin version first, then built-in)',
        params: YearParams,
        querystring: YearQuery,
        response: { 200: HolidayYear.extend({ origin: z.enum(['admin', 'built_in']) }), ...errors(400, 401, 404) },
      },
    },
    async (req) => {
      const { year } = parseInput(YearParams, req.params);
      const q = parseInput(YearQuery, req.query);
      const y = await holidayYear(app, q.region, year);
      if (!y) throw new AppError('not_found', `holiday year ${q.region} ${year}`);
      return y;
    },
  );
}

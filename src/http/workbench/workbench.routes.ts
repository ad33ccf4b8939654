/** The workbench (工作台): the signed-in user's to-dos with counts and the most urgent cases. */
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../services/app.js';
import { workbench, type Workbench as WorkbenchType } from '../../services/workbench.js';
import { requireUser } from '../auth/auth.js';
import { named, type ResponseTypeProvider } from '../schemas/registry.js';
import { errors, type Describes } from '../schemas/common.js';
import { ListRow } from '../schemas/cases.js';

export const WorkbenchItem = z.strictObject({
  key: z.enum(['handling', 'nearDue', 'overdue', 'triage', 'approval', 'followup', 'departmentOverdue', 'received', 'urged']),
  /** The console queue this count opens. */
  queue: z.string(),
  count: z.number().int().min(0),
  urgent: z.boolean(),
});

export const Workbench = named('Workbench', z.strictObject({ items: z.array(WorkbenchItem), urgent: z.array(ListRow) }), "The signed-in user's workbench: per role the queues that need doing with their counts, and the most urgent cases");
const _workbench: Describes<typeof Workbench, WorkbenchType> = true;
void _workbench;

export function workbenchRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  server.get(
    '/api/v1/workbench',
    {
      preHandler: requireUser(app),
      schema: {
        tags: ['complaints'],
        summary: "Workbench: the caller's to-dos (counts per queue, visibility and avoidance applied) and the most urgent cases",
        querystring: z.object({ lang: z.string().optional() }).strict(),
        response: { 200: Workbench, ...errors(400, 401) },
      },
    },
    async (req) => workbench(app, req.actor!),
  );
}

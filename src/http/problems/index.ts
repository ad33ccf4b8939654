/** Routes of issue 13 §2: related cases, the systemic-issue ranking and problem records. */
import type { FastifyInstance } from 'fastify';
import type { App } from '../../services/app.js';
import { repeatRoutes } from './repeats.routes.js';
import { problemRecordRoutes } from './problems.routes.js';
import { systemicRoutes } from './systemic.routes.js';

export function problemRoutes(server: FastifyInstance, app: App): void {
  repeatRoutes(server, app);
  problemRecordRoutes(server, app);
  systemicRoutes(server, app);
}

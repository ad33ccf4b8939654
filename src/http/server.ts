/** Builds the Fastify server: schemas, OpenAPI at /api/openapi.json, its UI at /api/docs, routes. */
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { serializerCompiler } from 'fastify-type-provider-zod';
import type { App } from '../services/app.js';
import { installErrorHandler } from './error-handler.js';
import { openApiTransform, openApiTransformObject } from './schemas/registry.js';
import { runInRequestContext } from '../services/request-context.js';
import { authRoutes } from './auth/auth.routes.js';
import { complaintRoutes } from './complaints/complaint.routes.js';
import { attachmentRoutes } from './complaints/attachment.routes.js';
import { adminRoutes } from './admin/admin.routes.js';
import { webConsoleRoutes } from './web.js';

export async function buildServer(app: App, opts: { logger?: boolean | object } = {}): Promise<FastifyInstance> {
  const server = Fastify({ logger: opts.logger ?? false, bodyLimit: 5 * 1024 * 1024 });
  // Route schemas document the API; validation happens in the handlers with the domain's
  // schemas (domain/validation.ts) so errors come back in the caller's language.
  server.setValidatorCompiler(() => (data) => ({ value: data }));
  // Answers are encoded with their route's response schema (schemas/): what is sent is what the
  // OpenAPI document says, or the request fails.
  server.setSerializerCompiler(serializerCompiler);
  installErrorHandler(server);
  // Services that log where an access came from (the personal-data access log) read the route
  // from here. Set once the body has been read: the rest of the request runs inside it.
  server.addHook('preHandler', (req, _reply, done) => runInRequestContext({ route: `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}` }, done));
  await server.register(swagger, {
    openapi: {
      info: { title: 'Kesu 客诉 API', version: '1', description: 'Closed-loop complaint management. Sign in at POST /api/v1/auth/login and send `Authorization: Bearer <token>`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: openApiTransform,
    transformObject: openApiTransformObject,
  });
  await server.register(swaggerUi, { routePrefix: '/api/docs' });
  server.get('/api/openapi.json', { schema: { hide: true } }, async () => server.swagger());
  server.get('/api/health', { schema: { tags: ['system'], summary: 'Ready when the database answers' } }, async () => {
    await app.database.db.selectFrom('policies').select('key').limit(1).execute();
    return { status: 'ok', database: app.database.dialect };
  });
  authRoutes(server, app);
  complaintRoutes(server, app);
  await server.register(attachmentRoutes, { app }); // files on cases (its own multipart context)
  adminRoutes(server, app);
  await webConsoleRoutes(server, app);
  await server.register((await import('./customer/customer.routes.js')).customerChannelRoutes, { app }); // issue 4: portal and customer channels
  return server;
}

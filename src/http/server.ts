/**
 * Builds the Fastify server: request ids, redacting logs, security headers, body limits, metrics
 * at /metrics, schemas, OpenAPI at /api/openapi.json, its UI at /api/docs, routes.
 * docs/security.md describes the hardening (headers, proxies, limits, throttling, logs).
 */
import type { SsoConfig } from '../config.js';
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
import { triageRoutes } from './complaints/triage.routes.js';
import { attachmentRoutes } from './complaints/attachment.routes.js';
import { adminRoutes } from './admin/admin.routes.js';
import { legalHoldRoutes } from './admin/legal-hold.routes.js';
import { webConsoleRoutes } from './web.js';
import { healthRoutes } from './health.routes.js';
import { installRequestIds, requestIdGenerator, withRequestIdLogging } from './request-id.js';
import { metricsRoutes } from './metrics.js';
import { proxyTrust } from './security/proxy.js';
import { installSecurityHeaders } from './security/headers.js';
import { installJsonDepthLimit } from './security/depth.js';
import { installWriteGate } from './write-gate.js';
import type { LoginThrottleSettings } from '../services/login-throttle.js';

export interface ServerOptions {
  /** pino options (a `stream` too); secrets are redacted whatever is given (security/redact.ts). */
  logger?: boolean | object;
  /**
   * KESU_TRUST_PROXY: Kesu runs behind reverse proxies — from the addresses of `trustedProxies`
   * (default loopback and private ranges) X-Forwarded-For (right-most untrusted hop),
   * X-Forwarded-Proto and X-Request-Id are believed (security/proxy.ts).
   */
  trustProxy?: boolean;
  /** KESU_TRUSTED_PROXIES: addresses and CIDR ranges of the trusted proxies. */
  trustedProxies?: string[];
  /** Sign-in throttling (KESU_LOGIN_*; default 10 failures in 15 min lock an account for 15 min). */
  loginThrottle?: LoginThrottleSettings;
  /** KESU_IMPORT_MAX_BYTES: the largest ledger the console's import accepts (default 50 MiB). */
  importMaxBytes?: number;
  /** KESU_METRICS_TOKEN: the bearer token `GET /metrics` requires; open without one. */
  metricsToken?: string | null;
  /** Node's process metrics on /metrics (`kesu serve`). */
  processMetrics?: boolean;
  /** KESU_OIDC_*: single sign-on (http/auth/sso.routes.ts); absent or null: off. */
  sso?: SsoConfig | null;
  /** KESU_WRITE_CONCURRENCY: mutating API requests run at once (http/write-gate.ts); 0 or absent: no gate. */
  writeConcurrency?: number;
}

export async function buildServer(app: App, opts: ServerOptions = {}): Promise<FastifyInstance> {
  const proxies = proxyTrust(opts.trustProxy, opts.trustedProxies);
  const server = Fastify({ logger: withRequestIdLogging(opts.logger), genReqId: requestIdGenerator(proxies.peerTrusted), trustProxy: proxies.fastify, bodyLimit: 5 * 1024 * 1024 });
  installRequestIds(server);
  await installSecurityHeaders(server);
  installJsonDepthLimit(server);
  // Route schemas document the API; validation happens in the handlers with the domain's
  // schemas (domain/validation.ts) so errors come back in the caller's language.
  server.setValidatorCompiler(() => (data) => ({ value: data }));
  // Answers are encoded with their route's response schema (schemas/): what is sent is what the
  // OpenAPI document says, or the request fails.
  server.setSerializerCompiler(serializerCompiler);
  installErrorHandler(server, app.database.storage);
  // Before every other preHandler: a request let through by another one's release then runs its
  // own hooks (the request context below among them) in its own context.
  installWriteGate(server, opts.writeConcurrency ?? 0);
  (await import('./idempotency.js')).installIdempotency(server, app); // Idempotency-Key: answers stored and replayed
  // Services that log where an access came from (the personal-data access log) read the route
  // from here. Set once the body has been read: the rest of the request runs inside it.
  server.addHook('preHandler', (req, _reply, done) => runInRequestContext({ route: `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`, requestId: req.id }, done));
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
  healthRoutes(server, app);
  metricsRoutes(server, app, { token: opts.metricsToken, processMetrics: opts.processMetrics });
  authRoutes(server, app, { throttle: opts.loginThrottle, sso: opts.sso });
  complaintRoutes(server, app);
  (await import('./accountability/accountability.routes.js')).accountabilityRoutes(server, app); // issue 11 §4: 考核
  triageRoutes(server, app); // issue 14: one-step triage and the pickers' load
  (await import('./workbench/workbench.routes.js')).workbenchRoutes(server, app); // issue 14: the workbench (工作台)
  (await import('./reports/exports.routes.js')).exportRoutes(server, app); // issue 11 §5: dossier PDF, ledger and statistics exports
  (await import('./archive/archive.routes.js')).archiveRoutes(server, app); // issue 15 §1: the yearly archive (案宗)
  await server.register(attachmentRoutes, { app }); // files on cases (its own multipart context)
  adminRoutes(server, app);
  (await import('./absences/absence.routes.js')).absenceRoutes(server, app); // issue 10 §3: absences and stand-ins
  (await import('./duties/duty.routes.js')).dutyRoutes(server, app); // issue 10 §2: duties, 我的待办
  legalHoldRoutes(server, app); // legal holds, purge preview (issue 15)
  (await import('./knowledge/knowledge.routes.js')).knowledgeRoutes(server, app); // issue 13 §4/§6: experience library and matching
  (await import('./problems/index.js')).problemRoutes(server, app); // issue 13 §2: related cases, 系统性问题, 问题单
  (await import('./records/reveal.routes.js')).revealRoutes(server, app); // issue 12 §6: reveal one field
  await server.register((await import('./records/import.routes.js')).importRoutes, { app, maxBytes: opts.importMaxBytes }); // issue 15 §4: ledger import from the console (its own multipart context)
  await server.register((await import('./telephony/telephony.routes.js')).telephonyRoutes, { app }); // issue 13: PBX / CTI screen-pop (signed webhook)
  await webConsoleRoutes(server, app);
  await server.register((await import('./customer/customer.routes.js')).customerChannelRoutes, { app }); // issue 4: portal and customer channels
  return server;
}

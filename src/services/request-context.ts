/**
 * What the HTTP layer knows about the request a service runs for, without threading it through
 * every call: the route (method and pattern, e.g. `GET /api/v1/complaints/:id`) and the request
 * id (http/request-id.ts), which the server's logger adds to every line logged inside it. The
 * server sets it for each request once its body has been read (http/server.ts, a preHandler
 * hook); services that record who did what from where (the personal-data access log) read it.
 * Outside a request (CLI, jobs, tests calling services directly) there is none. Work a request
 * starts that goes on after it (a job woken by its commit) keeps the context it started in.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  route: string;
  /** The request's id (`X-Request-Id`); absent when a caller outside the HTTP layer sets a context. */
  requestId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runInRequestContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

export function requestContext(): RequestContext | undefined {
  return storage.getStore();
}

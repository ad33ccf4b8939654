/**
 * The web console: the built single-page app (`web/dist`, made by `npm run build:web`) served at
 * `/`, with every unknown non-API path answered by `index.html` so the console's own routes
 * (`/cases/KS-2026-000001`, `/queues/all`, …) load on refresh. `/api/*`, `/portal*` and the paths
 * monitors probe (`/metrics`, `/health`, `/healthz`, `/livez`, `/readyz`) are never answered by
 * the console: a path no route knows there is the JSON 404, not a page with 200. Also registers the console's server side: live updates and stats.
 *
 * One call from server.ts: `await webConsoleRoutes(server, app)`.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../services/app.js';
import { liveRoutes } from './live.js';
import { statsRoutes } from './stats/stats.routes.js';
import { reportsRoutes } from './reports/reports.routes.js';
import { reportRunsRoutes } from './reports/report-runs.routes.js';

/** `web/dist` beside `src/` (tsx) or `dist/` (compiled): both are two levels below the repository. */
export const WEB_DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'dist');

const NOT_BUILT = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Kesu 客诉 — 控制台尚未构建</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:40rem;margin:4rem auto;line-height:1.7;color:#222}code{background:#f3f3f3;padding:.1rem .3rem}</style></head>
<body><h1>Kesu 客诉</h1>
<p>网页控制台尚未构建。请在项目目录运行 <code>npm run build:web</code>（或 <code>npm run build</code>），然后刷新本页。</p>
<p>The web console has not been built. Run <code>npm run build:web</code> (or <code>npm run build</code>) in the project folder, then reload this page.</p>
<p>API: <a href="/api/docs">/api/docs</a></p></body></html>`;

const RESERVED = ['/api', '/portal', '/metrics', '/health', '/healthz', '/livez', '/readyz'];

function isReserved(path: string): boolean {
  const p = path.toLowerCase().replace(/\/{2,}/g, '/');
  return RESERVED.some((r) => p === r || p.startsWith(`${r}/`) || p.startsWith(`${r}.`));
}

export async function webConsoleRoutes(server: FastifyInstance, app: App): Promise<void> {
  liveRoutes(server, app);
  statsRoutes(server, app);
  reportsRoutes(server, app);
  reportRunsRoutes(server, app); // stored reports (issue 11 §3)
  await consoleFiles(server, WEB_DIST);
}

/** The built console's files at `/`, with the single-page-app fallback. */
export async function consoleFiles(server: FastifyInstance, root: string): Promise<void> {
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    let path: string;
    try {
      path = decodeURIComponent(req.url.split('?')[0] ?? '/');
    } catch {
      return reply.callNotFound();
    }
    // Build metadata (Vite's `.vite/manifest.json`) and any other dot-path are not the console's
    // to serve: they describe the build, not a page.
    if (isReserved(path) || path.split('/').some((segment) => segment.startsWith('.'))) return reply.callNotFound();
    if (!existsSync(join(root, 'index.html'))) return reply.status(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT);
    const file = normalize(join(root, path));
    if (path !== '/' && file.startsWith(root + sep) && existsSync(file) && statSync(file).isFile()) {
      // Vite names built assets by content hash: cache them for a year.
      const immutable = path.startsWith('/assets/');
      // The answer depends on Accept-Encoding (a precompressed copy or the plain file): caches must key on it.
      reply.header('vary', 'Accept-Encoding');
      return reply.sendFile(path.slice(1), root, { immutable, maxAge: immutable ? 31_536_000_000 : 0, cacheControl: true });
    }
    // A missing file with an extension is a 404, not the app (a broken asset link must be visible).
    if (/\.[a-z0-9]{1,8}$/i.test(path) && !path.endsWith('.html')) return reply.callNotFound();
    return reply.header('cache-control', 'no-cache').sendFile('index.html', root, { cacheControl: false });
  };

  // In its own encapsulated context, so its `reply.sendFile` decorator cannot collide with
  // another @fastify/static registration (the portal's). `serve: false`: files are looked up per
  // request, so a build made while the server runs is picked up without a restart.
  // `preCompressed`: a file's `.br` or `.gz` copy made at build time (scripts/precompress.ts) is
  // sent when the browser accepts it, so compressing costs no CPU per request; else the file itself.
  await server.register(async (web) => {
    await web.register(fastifyStatic, { root, serve: false, preCompressed: true });
    web.get('/', { schema: { hide: true } }, handler);
    web.get('/*', { schema: { hide: true } }, handler);
  });
}

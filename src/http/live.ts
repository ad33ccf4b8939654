/**
 * `GET /api/v1/stream`: server-sent events for the web console. Each `case_changed` event
 * carries only `{id, number, state, action, at}` and is sent only to users who may see that
 * case; the client refetches through the ordinary, permission-checked API. A comment line every
 * 25 s keeps proxies from closing the stream and re-checks the session: when it has expired or
 * was signed out, or the user's roles, department or activity changed, the stream ends (the
 * console reconnects and gets a stream with the new roles, or a 401). A revocation on this
 * instance (deactivation, role change, sign out everywhere: services/accounts.ts) ends the
 * user's streams at once; other instances catch it at their next heartbeat.
 *
 * An `urged` event (`{id, number, at}`) goes to the streams of the case's handlers when a manager
 * urges it (催办, the lifecycle's `urge`), beside the `case_changed` everyone who sees it gets.
 *
 * A `screen_pop` event (services/screen-pop.ts: a telephony call ringing at the user, with the
 * caller's history as the user may see it) goes only to that user's own streams on this instance.
 */
import type { FastifyInstance } from 'fastify';
import type { App, CaseChanged } from '../services/app.js';
import { authenticate, onSessionsRevoked } from '../services/sessions.js';
import type { Actor } from '../domain/complaint/types.js';
import { watchCases, type CaseWatcher } from '../services/watch-cases.js';
import { requireUser, tokenOf } from './auth/auth.js';
import { errors } from './schemas/common.js';
import { CaseChangedEvent } from './schemas/cases.js';
import type { ScreenPop } from '../services/screen-pop.js';

const HEARTBEAT_MS = 25_000;

interface Stream extends CaseWatcher {
  end(): void;
  /** Re-checks the session and the user: ends the stream when either changed. */
  recheck(): void;
  /** Writes one named event. */
  emit(event: string, data: unknown): void;
}

/** What a stream's filtering depends on: a change means the stream must re-authorise. */
const grants = (a: Actor) => JSON.stringify([[...a.roles].sort(), a.departmentCode ?? null, [...(a.managerOf ?? [])].sort(), [...(a.approvalLevels ?? [])].sort()]);

export function liveRoutes(server: FastifyInstance, app: App): void {
  const streams = new Set<Stream>();
  server.decorate('liveClients', () => streams.size); // for /metrics (http/metrics.ts)
  const unwatch = watchCases(app, () => streams);
  const unrevoked = onSessionsRevoked(app, (userId) => {
    for (const s of streams) if (s.actor.id === userId) s.recheck();
  });
  const onPop = (pop: ScreenPop) => {
    for (const s of streams)
      if (s.actor.id === pop.userId) {
        s.emit('screen_pop', pop.event);
        pop.delivered += 1;
      }
  };
  app.events.on('screen_pop', onPop);
  server.addHook('preClose', async () => {
    unwatch();
    unrevoked();
    app.events.off('screen_pop', onPop);
    for (const s of streams) s.end();
  });

  server.get(
    '/api/v1/stream',
    {
      preHandler: requireUser(app),
      schema: {
        tags: ['live'],
        summary:
          'Server-sent events: `case_changed` {id, number, state, action, at} for cases the caller may see; `urged` {id, number, at} for a case the caller handles that a manager urged (催办); `screen_pop` for a call ringing at the caller (see POST /api/v1/telephony/calls)',
        response: { 200: { description: 'An event stream; each `case_changed` event carries this as its data', content: { 'text/event-stream': { schema: CaseChangedEvent } } }, ...errors(401) },
      },
    },
    async (req, reply) => {
      const token = tokenOf(req)!;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 3000\n\n');
      let timer: NodeJS.Timeout | undefined;
      const stream: Stream = {
        actor: req.actor!,
        send(change: CaseChanged) {
          const data = { id: change.id, number: change.number, state: change.state, action: change.action, at: change.at };
          res.write(`event: case_changed\ndata: ${JSON.stringify(data)}\n\n`);
        },
        urged(change: CaseChanged) {
          stream.emit('urged', { id: change.id, number: change.number, at: change.at });
        },
        emit(event: string, data: unknown) {
          if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        },
        recheck() {},
        end() {
          clearInterval(timer);
          streams.delete(stream);
          if (!res.writableEnded) res.end();
        },
      };
      const granted = grants(req.actor!);
      const check = (ping: boolean) =>
        void authenticate(app, token, { touch: false })
          .then((who) => (who && who.user.active && grants(who.actor) === granted ? ping && res.write(': ping\n\n') : stream.end()))
          .catch(() => stream.end());
      stream.recheck = () => check(false);
      streams.add(stream);
      timer = setInterval(() => check(true), HEARTBEAT_MS);
      timer.unref();
      req.raw.on('close', () => stream.end());
    },
  );
}

/**
 * Live updates across server instances. Several Kesu instances may share one PostgreSQL; a case
 * changed through instance A must reach the console streams (`GET /api/v1/stream`) held open on
 * instance B. The relay wraps `app.events` — the services' emit call sites stay as they are:
 *
 * - publish: every local `case_changed` is sent as `NOTIFY kesu_case_changed, '<json>'`
 *   (`pg_notify` through the app's pool) tagged with this instance's id;
 * - receive: one dedicated `pg` client per instance `LISTEN`s on the channel and re-emits other
 *   instances' changes on the local `app.events`, skipping its own by the instance id. When that
 *   connection drops (server restart, failover, `pg_terminate_backend`, a dead network caught by
 *   the periodic ping) it reconnects with capped exponential backoff and jitter.
 *
 * Why NOTIFY after the commit rather than `pg_notify` inside the transaction: the services emit
 * `case_changed` only after their transaction has committed, so a notification never announces a
 * change that rolled back. Publishing outside the transaction keeps the case-changing
 * transactions as they are — PostgreSQL makes every transaction that NOTIFYs take one
 * cluster-wide lock at commit, which would serialise all case commits (and lengthen the time the
 * case's row lock is held) — and keeps PostgreSQL out of the three services and the sweeper. The
 * price: if the process dies between its commit and its NOTIFY, other instances miss that one
 * update, as they miss updates while a LISTEN connection is down. Live updates are hints — each
 * carries only {id, number, state, action, at} and the console refetches through the API — so
 * losing one costs freshness, never correctness; the timeline and the outbox are the durable
 * record. One instance's notifications leave in the order it emitted them (one queue, batched
 * into one statement), and PostgreSQL delivers them in commit order.
 *
 * On SQLite (one instance by construction) the relay does nothing.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import type { App, CaseChanged } from './app.js';

export const CASE_CHANNEL = 'kesu_case_changed';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7999;

export interface CaseRelayOptions {
  /** PostgreSQL connection string for the LISTEN connection (the app's own database). */
  connectionString?: string;
  /** First reconnect delay (default 250 ms), doubling per failed attempt up to `maxBackoffMs` (default 30 s). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How often the LISTEN connection is checked with `select 1` (default 30 s; 0 disables). */
  pingMs?: number;
}

export interface CaseRelay {
  /** False on SQLite: nothing is relayed. */
  readonly enabled: boolean;
  /** Tags this instance's notifications, so it skips its own. */
  readonly instanceId: string;
  /** True while the LISTEN connection is up. */
  listening(): boolean;
  /** The PostgreSQL backend pid of the LISTEN connection while it is up (diagnostics, tests). */
  backendPid(): number | null;
  /** Resolves when the relay is (again) listening; at once when it is, or on SQLite. */
  whenListening(): Promise<void>;
  stop(): Promise<void>;
}

interface Envelope {
  origin: string;
  change: CaseChanged;
}

const CHANGE_KEYS = ['id', 'number', 'state', 'action', 'at'] as const;

function parseEnvelope(payload: string): Envelope | null {
  try {
    const v = JSON.parse(payload) as { origin?: unknown; change?: Record<string, unknown> };
    if (typeof v.origin !== 'string' || !v.change || typeof v.change !== 'object') return null;
    const change = {} as Record<(typeof CHANGE_KEYS)[number], string>;
    for (const k of CHANGE_KEYS) {
      const x = v.change[k];
      if (typeof x !== 'string') return null;
      change[k] = x;
    }
    return { origin: v.origin, change };
  } catch {
    return null;
  }
}

export function startCaseRelay(app: App, opts: CaseRelayOptions = {}): CaseRelay {
  const instanceId = randomUUID();
  if (app.database.dialect !== 'postgres') {
    return { enabled: false, instanceId, listening: () => false, backendPid: () => null, whenListening: async () => {}, stop: async () => {} };
  }
  if (!opts.connectionString) throw new Error('case relay: a PostgreSQL connection string is needed for LISTEN');
  const connectionString = opts.connectionString;
  const minBackoff = opts.minBackoffMs ?? 250;
  const maxBackoff = opts.maxBackoffMs ?? 30_000;
  const pingMs = opts.pingMs ?? 30_000;

  let stopped = false;
  let client: pg.Client | null = null;
  let pid: number | null = null;
  let failures = 0;
  let everListened = false;
  let retry: NodeJS.Timeout | undefined;
  let waiters: (() => void)[] = [];

  // --- receiving ---------------------------------------------------------------------------
  /** Changes this relay re-emitted, so its own publisher does not send them back out. */
  const remote = new WeakSet<CaseChanged>();

  const onNotification = (msg: pg.Notification) => {
    if (msg.channel !== CASE_CHANNEL || !msg.payload) return;
    const env = parseEnvelope(msg.payload);
    if (!env) {
      app.log.warn({ payload: msg.payload.slice(0, 200) }, 'case relay: ignored a malformed notification');
      return;
    }
    if (env.origin === instanceId) return;
    remote.add(env.change);
    try {
      app.events.emit('case_changed', env.change);
    } catch (err) {
      app.log.error({ err, id: env.change.id }, 'case relay: a case_changed listener failed');
    }
  };

  const lost = (c: pg.Client, err?: unknown) => {
    if (client !== c) return; // already handled (an 'error' is followed by 'end')
    client = null;
    pid = null;
    c.removeListener('notification', onNotification);
    void c.end().catch(() => {});
    if (stopped) return;
    const delay = Math.round(Math.min(maxBackoff, minBackoff * 2 ** Math.min(failures, 20)) * (0.5 + Math.random() / 2));
    failures++;
    app.log.warn({ err, retryInMs: delay, attempt: failures }, 'case relay: LISTEN connection lost; live updates from other instances pause until it is back');
    retry = setTimeout(connect, delay);
    retry.unref();
  };

  async function connect(): Promise<void> {
    if (stopped) return;
    const c = new pg.Client({ connectionString, keepAlive: true, connectionTimeoutMillis: 10_000, application_name: 'kesu-case-relay' });
    client = c;
    // Never unhandled: an 'error' on a client would otherwise crash the process.
    c.on('error', (err) => lost(c, err));
    c.on('end', () => lost(c, new Error('connection ended')));
    c.on('notification', onNotification);
    try {
      await c.connect();
      await c.query(`LISTEN ${CASE_CHANNEL}`);
      const r = await c.query<{ pid: number }>('select pg_backend_pid() as pid');
      if (client !== c) return; // lost or stopped meanwhile
      pid = r.rows[0]!.pid;
      if (everListened) app.log.info({ pid, afterAttempts: failures }, 'case relay: listening again');
      everListened = true;
      failures = 0;
      const w = waiters;
      waiters = [];
      w.forEach((f) => f());
    } catch (err) {
      lost(c, err);
    }
  }

  // A connection can die without a word (a cut network); a query that does not answer ends it.
  const pinger =
    pingMs > 0
      ? setInterval(() => {
          const c = client;
          if (!c || pid === null) return;
          let timeout: NodeJS.Timeout | undefined;
          void Promise.race([
            c.query('select 1'),
            new Promise((_, reject) => {
              timeout = setTimeout(() => reject(new Error('ping unanswered for 10 s')), 10_000);
            }),
          ])
            .catch((err) => lost(c, err))
            .finally(() => clearTimeout(timeout));
        }, pingMs)
      : undefined;
  pinger?.unref();

  // --- publishing --------------------------------------------------------------------------
  let queue: string[] = [];
  let pumping: Promise<void> | null = null;

  async function pump(): Promise<void> {
    try {
      while (queue.length) {
        const batch = queue;
        queue = [];
        try {
          await sql`select pg_notify(${CASE_CHANNEL}, p) from unnest(${batch}::text[]) as t(p)`.execute(app.database.db);
        } catch (err) {
          app.log.warn({ err, count: batch.length }, 'case relay: could not publish; other instances miss these live updates');
        }
      }
    } finally {
      pumping = null;
    }
  }

  const onLocal = (change: CaseChanged) => {
    if (remote.has(change)) return;
    const env: Envelope = { origin: instanceId, change: { id: change.id, number: change.number, state: change.state, action: change.action, at: change.at } };
    const payload = JSON.stringify(env);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      app.log.warn({ id: change.id }, 'case relay: change too large to publish');
      return;
    }
    queue.push(payload);
    pumping ??= pump();
  };
  app.events.on('case_changed', onLocal);

  void connect();

  return {
    enabled: true,
    instanceId,
    listening: () => pid !== null,
    backendPid: () => pid,
    whenListening: () => (pid !== null || stopped ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))),
    async stop() {
      if (stopped) return;
      stopped = true;
      app.events.off('case_changed', onLocal);
      clearTimeout(retry);
      clearInterval(pinger);
      const c = client;
      client = null;
      pid = null;
      const w = waiters;
      waiters = [];
      w.forEach((f) => f());
      if (c) {
        c.removeListener('notification', onNotification);
        await c.end().catch(() => {});
      }
      await pumping;
    },
  };
}

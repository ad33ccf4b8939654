/**
 * A whole Kesu on a test database: the app with a controllable clock, the demo organisation,
 * the HTTP server (fastify.inject) and helpers to sign in and call the API as a user.
 * `k.instance()` starts another instance on the same database (its own connections, app and
 * server, the same clock), as several servers share one PostgreSQL in production; `relay: true`
 * starts the PostgreSQL case relay (live updates between instances) on an instance.
 */
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createApp, type App } from '../../src/services/app.js';
import { seedDemo } from '../../src/services/seed-demo.js';
import { buildServer } from '../../src/http/server.js';
import { activatePolicy, readPolicyFile } from '../../src/services/policies.js';
import { startCaseRelay, type CaseRelay } from '../../src/services/case-relay.js';
import { openDatabase, type Database, type Dialect } from '../../src/store/db.js';
import { createTestDb, type TestDb } from './engines.js';

export class TestClock {
  constructor(public current: Date) {}
  now = (): Date => new Date(this.current);
  set(iso: string): void {
    this.current = new Date(iso);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface Kesu {
  app: App;
  server: FastifyInstance;
  clock: TestClock;
  testDb: TestDb;
  tokens: Map<string, string>;
  userIds: Map<string, string>;
  /** The case relay when started with `relay: true` (a no-op one on SQLite), else null. */
  relay: CaseRelay | null;
  as(username: string): Client;
  /** Another instance on the same database; closing it leaves the database to this one. */
  instance(opts?: { relay?: boolean }): Promise<Kesu>;
  close(): Promise<void>;
}

export interface Response<T = any> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
}

export interface Client {
  get<T = any>(url: string): Promise<Response<T>>;
  post<T = any>(url: string, body?: unknown, headers?: Record<string, string>): Promise<Response<T>>;
  put<T = any>(url: string, body?: unknown): Promise<Response<T>>;
  act<T = any>(id: string, action: string, body?: unknown): Promise<Response<T>>;
}

export async function startKesu(dialect: Dialect, opts: { start?: string; policy?: string; relay?: boolean } = {}): Promise<Kesu> {
  const testDb = await createTestDb(dialect);
  const clock = new TestClock(new Date(opts.start ?? '2026-09-28T09:00:00+08:00'));
  const app = createApp(testDb.database, { now: clock.now });
  if (opts.policy) {
    const f = readPolicyFile(opts.policy);
    await activatePolicy(app, f.text, f.format);
  }
  await seedDemo(app);
  return assemble(testDb, app, clock, { relay: opts.relay, close: () => testDb.drop() });
}

/** Connects another instance to a test database: its own pool (PostgreSQL) or connection (SQLite). */
function openAgain(testDb: TestDb): Database {
  if (testDb.url) return openDatabase({ databaseUrl: testDb.url, dataDir: '' });
  return openDatabase({ dataDir: testDb.dataDir! });
}

async function assemble(testDb: TestDb, app: App, clock: TestClock, opts: { relay?: boolean; close: () => Promise<void> }): Promise<Kesu> {
  const server = await buildServer(app);
  const relay = opts.relay ? startCaseRelay(app, { connectionString: testDb.url }) : null;
  if (relay) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('case relay: not listening after 10 s')), 10_000)));
    await Promise.race([relay.whenListening(), timeout]).finally(() => clearTimeout(timer));
  }
  const tokens = new Map<string, string>();
  const userIds = new Map<string, string>();
  const users = await app.database.db.selectFrom('users').select(['id', 'username']).execute();
  users.forEach((u) => userIds.set(u.username, u.id));

  async function token(username: string): Promise<string> {
    let t = tokens.get(username);
    if (!t) {
      const r = await server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: 'kesu-demo' } });
      if (r.statusCode !== 200) throw new Error(`login ${username}: ${r.statusCode} ${r.body}`);
      t = (r.json() as { token: string }).token;
      tokens.set(username, t);
    }
    return t;
  }

  const kesu: Kesu = {
    app,
    server,
    clock,
    testDb,
    tokens,
    userIds,
    relay,
    as(username) {
      const call = async (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, headers: Record<string, string> = {}) => {
        const send = async () => server.inject({ method, url, payload: body as never, headers: { authorization: `Bearer ${await token(username)}`, ...headers } });
        let r = await send();
        // The test clock jumps days ahead, past the session lifetime: sign in again.
        if (r.statusCode === 401) {
          tokens.delete(username);
          r = await send();
        }
        return { status: r.statusCode, body: r.body ? r.json() : null, headers: r.headers as Record<string, unknown> };
      };
      return {
        get: (url) => call('GET', url),
        post: (url, body, headers) => call('POST', url, body ?? {}, headers),
        put: (url, body) => call('PUT', url, body),
        act: (id, action, body) => call('POST', `/api/v1/complaints/${id}/actions/${action}`, body ?? {}),
      };
    },
    async instance(more = {}) {
      const database = openAgain(testDb);
      const other = createApp(database, { now: clock.now });
      return assemble(testDb, other, clock, { relay: more.relay, close: () => database.close() });
    },
    async close() {
      await relay?.stop();
      await server.close();
      await opts.close();
    },
  };
  return kesu;
}

/**
 * An attitude complaint taken by `agent` (陈女士, 13900001111), judged valid, classified general
 * and routed to `handler` by `specialist`, then accepted, investigated (the customer service
 * department responsible) and proposed by `handler`, each step asserted to succeed; returns its id.
 * The duty and report tests take it from there (answer it, or look at what came before the answer).
 */
export async function proposedCase(k: Kesu): Promise<string> {
  const ids = Object.fromEntries(k.userIds);
  const r0 = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '客服态度恶劣，挂断电话。', complainant: { name: '陈女士', phone: '13900001111' } });
  assert.equal(r0.status, 201, JSON.stringify(r0.body));
  const id: string = r0.body.complaint.id;
  const [s, h] = [k.as('specialist'), k.as('handler')];
  for (const [who, action, input] of [
    [s, 'judge', { valid: true }],
    [s, 'classify', { category: 'attitude', grade: 'general' }],
    [s, 'route', { departmentCode: 'customer_service', primaryHandlerId: ids.handler }],
    [h, 'accept', {}],
    [h, 'investigate', { facts: '录音属实', cause: '培训不足', responsibility: { type: 'department', departmentCode: 'customer_service' } }],
    [h, 'propose', { solutions: ['apology'], amount: 0, description: '致歉' }],
  ] as const) {
    const r = await who.act(id, action, input);
    assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
  }
  return id;
}

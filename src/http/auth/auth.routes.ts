/**
 * Sign-in, sign-out, the current user, and the sign-in lock-outs an administrator can lift.
 *
 * Sign-in is throttled per account and per client address (services/login-throttle.ts): while
 * either is locked the answer is 429 `login_throttled` with Retry-After, whatever the password.
 * The session cookie is HttpOnly, SameSite=Lax, and Secure when the request came over TLS
 * (directly or through a trusted proxy's X-Forwarded-Proto: http/security/proxy.ts).
 */
import { z } from 'zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { App } from '../../services/app.js';
import { signIn, signOut } from '../../services/sessions.js';
import { changeOwnPassword, signOutEverywhere } from '../../services/accounts.js';
import { assertNotLocked, currentLocks, DEFAULT_LOGIN_THROTTLE, recordFailure, recordSuccess, unlock, type LoginThrottleSettings } from '../../services/login-throttle.js';
import { AppError, fieldProblem } from '../../domain/errors.js';
import { parseInput } from '../../domain/validation.js';
import { requireUser, SESSION_COOKIE, tokenOf } from './auth.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { named } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';
import { Ok, Session, User } from '../schemas/organisation.js';
import { isSecureRequest } from '../security/headers.js';
import type { SsoConfig } from '../../config.js';
import { ssoRoutes } from './sso.routes.js';

const LoginBody = z.object({ username: z.string().trim().min(1).max(100), password: z.string().min(1).max(200) }).strict();
const UnlockBody = z
  .object({ username: z.string().trim().min(1).max(100).optional(), address: z.string().trim().min(1).max(100).optional() })
  .strict()
  .meta({ description: 'The account (username) or the client address to unlock: one of the two' });

const LoginLock = named(
  'LoginLock',
  z.strictObject({
    kind: z.enum(['account', 'address']),
    /** The username (lower case) or the client address. */
    subject: z.string(),
    failures: z.number().int(),
    lockedUntil: z.string(),
  }),
  'A sign-in lock-out: an account or a client address with too many failed sign-ins',
);
const PasswordChange = z.object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) }).strict();
const SignedIn = Session.extend({
  /** True after an administrator reset the password: only /me, /auth/password and sign-out work until it is changed. */
  mustChangePassword: z.boolean(),
});
/** The signed-in user and whether the console must first ask for a new password (one request at start, not two). */
const Me = named('Me', User.extend({ mustChangePassword: z.boolean() }), 'The signed-in user, and whether an administrator reset their password and it still has to be changed');
const SessionsEnded = z.strictObject({ ok: z.literal(true), sessionsEnded: z.number().int() });
const Unlocked = z.strictObject({ ok: z.literal(true), wasLocked: z.boolean() });

/** `Set-Cookie` for the session; Secure behind TLS. */
export function sessionCookie(req: FastifyRequest, value: string, expires: string | null): string {
  const base = `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; ${expires ? `Expires=${expires}` : 'Max-Age=0'}`;
  return isSecureRequest(req) ? `${base}; Secure` : base;
}

export function authRoutes(fastify: FastifyInstance, app: App, opts: { throttle?: LoginThrottleSettings; sso?: SsoConfig | null } = {}): void {
  const throttle = opts.throttle ?? DEFAULT_LOGIN_THROTTLE;
  ssoRoutes(fastify, app, opts.sso ?? null);
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  server.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in; returns a bearer token and sets a session cookie. Throttled per account and per address (429 with Retry-After while locked)',
        body: LoginBody,
        response: { 200: SignedIn, ...errors(400, 401, 429) },
      },
    },
    async (req, reply) => {
      const b = parseInput(LoginBody, req.body);
      await assertNotLocked(app, b.username, req.ip);
      let s: Awaited<ReturnType<typeof signIn>>;
      try {
        s = await signIn(app, b.username, b.password);
      } catch (e) {
        if (e instanceof AppError && e.code === 'unauthenticated') await recordFailure(app, throttle, b.username, req.ip);
        throw e;
      }
      await recordSuccess(app, b.username);
      reply.header('set-cookie', sessionCookie(req, encodeURIComponent(s.token), new Date(s.expiresAt).toUTCString()));
      return s;
    },
  );
  server.post('/api/v1/auth/logout', { schema: { tags: ['auth'], summary: 'Sign out', response: { 200: Ok, ...errors() } } }, async (req, reply) => {
    const t = tokenOf(req);
    if (t) await signOut(app, t);
    reply.header('set-cookie', sessionCookie(req, '', null));
    return { ok: true as const };
  });
  server.post(
    '/api/v1/auth/password',
    {
      preHandler: requireUser(app, undefined, { pendingPasswordChange: true }),
      schema: {
        tags: ['auth'],
        summary: 'Change your own password (the current one required; at least 10 characters, not a common password); your other sessions end',
        body: PasswordChange,
        response: { 200: SessionsEnded, ...errors(400, 401) },
      },
    },
    async (req) => {
      const b = parseInput(PasswordChange, req.body);
      const r = await changeOwnPassword(app, req.user!.id, b.currentPassword, b.newPassword, { keepSession: req.sessionTokenHash!, address: req.ip });
      return { ok: true as const, sessionsEnded: r.sessionsEnded };
    },
  );
  server.post(
    '/api/v1/auth/logout-everywhere',
    {
      preHandler: requireUser(app, undefined, { pendingPasswordChange: true }),
      schema: { tags: ['auth'], summary: 'Sign out everywhere: every session of the signed-in user ends, this one included, and their live streams close', response: { 200: SessionsEnded, ...errors(401) } },
    },
    async (req, reply) => {
      const r = await signOutEverywhere(app, req.user!.id, req.ip);
      reply.header('set-cookie', sessionCookie(req, '', null));
      return { ok: true as const, sessionsEnded: r.sessionsEnded };
    },
  );
  server.get('/api/v1/me', { preHandler: requireUser(app, undefined, { pendingPasswordChange: true }), schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: Me, ...errors(401) } } }, async (req) => ({
    ...req.user!,
    mustChangePassword: req.mustChangePassword ?? false,
  }));

  const admin = requireUser(app, ['admin']);
  server.get('/api/v1/auth/locks', { preHandler: admin, schema: { tags: ['auth'], summary: 'Accounts and client addresses locked out of signing in', response: { 200: z.array(LoginLock), ...errors(401, 403) } } }, async () =>
    currentLocks(app),
  );
  server.post(
    '/api/v1/auth/locks/unlock',
    { preHandler: admin, schema: { tags: ['auth'], summary: 'Lift the sign-in lock of an account or a client address (an audited event)', body: UnlockBody, response: { 200: Unlocked, ...errors(400, 401, 403) } } },
    async (req) => {
      const b = parseInput(UnlockBody, req.body);
      if ((b.username === undefined) === (b.address === undefined))
        throw new AppError('invalid_input', 'username or address', [fieldProblem('username', '请填写用户名或地址（二选一）', 'Give a username or an address (one of the two)', '請填寫使用者名稱或位址（二選一）')]);
      const wasLocked = await unlock(app, b, req.actor!.id);
      return { ok: true as const, wasLocked };
    },
  );
}

/** Sign-in, sign-out and the current user. */
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../services/app.js';
import { signIn, signOut } from '../../services/sessions.js';
import { parseInput } from '../../domain/validation.js';
import { requireUser, SESSION_COOKIE, tokenOf } from './auth.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';
import { Ok, Session, User } from '../schemas/organisation.js';

const LoginBody = z.object({ username: z.string().trim().min(1).max(100), password: z.string().min(1).max(200) }).strict();

export function authRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  server.post('/api/v1/auth/login', { schema: { tags: ['auth'], summary: 'Sign in; returns a bearer token and sets a session cookie', body: LoginBody, response: { 200: Session, ...errors(400, 401) } } }, async (req, reply) => {
    const b = parseInput(LoginBody, req.body);
    const s = await signIn(app, b.username, b.password);
    reply.header('set-cookie', `${SESSION_COOKIE}=${encodeURIComponent(s.token)}; Path=/; HttpOnly; SameSite=Lax; Expires=${new Date(s.expiresAt).toUTCString()}`);
    return s;
  });
  server.post('/api/v1/auth/logout', { schema: { tags: ['auth'], summary: 'Sign out', response: { 200: Ok, ...errors() } } }, async (req, reply) => {
    const t = tokenOf(req);
    if (t) await signOut(app, t);
    reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
    return { ok: true as const };
  });
  server.get('/api/v1/me', { preHandler: requireUser(app), schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: User, ...errors(401) } } }, async (req) => req.user!);
}

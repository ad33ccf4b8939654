/** Authentication: `Authorization: Bearer <token>` or the `kesu_session` cookie. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/complaint/types.js';
import { AppError, fieldProblem } from '../../domain/errors.js';
import type { UserRecord } from '../../store/user.repository.js';
import { authenticate } from '../../services/sessions.js';
import type { App } from '../../services/app.js';

export const SESSION_COOKIE = 'kesu_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
    user?: UserRecord;
    /** SHA-256 of the session token (kept when the user changes their password). */
    sessionTokenHash?: string;
    /** An administrator reset the password and it is not changed yet (only routes marked `pendingPasswordChange` get this far). */
    mustChangePassword?: boolean;
  }
}

export function tokenOf(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (h?.startsWith('Bearer ')) return h.slice(7).trim();
  const cookie = req.headers.cookie
    ?.split(';')
    .map((s) => s.trim())
    .find((s) => s.startsWith(`${SESSION_COOKIE}=`));
  return cookie ? decodeURIComponent(cookie.slice(SESSION_COOKIE.length + 1)) : null;
}

/**
 * preHandler: requires a signed-in user, optionally with one of the roles. A user whose password
 * an administrator reset may only read /me, change the password and sign out until they change it
 * (`pendingPasswordChange: true` marks those routes).
 */
export function requireUser(app: App, roles?: string[], opts: { pendingPasswordChange?: boolean } = {}) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const token = tokenOf(req);
    const who = token ? await authenticate(app, token) : null;
    if (!who) throw new AppError('unauthenticated');
    if (who.mustChangePassword && !opts.pendingPasswordChange) throw new AppError('forbidden', 'password change required', [fieldProblem('newPassword', '请先修改密码', 'Change your password first', '請先修改密碼')]);
    req.sessionTokenHash = who.tokenHash;
    req.mustChangePassword = who.mustChangePassword;
    if (roles && !roles.some((r) => who.user.roles.includes(r as never))) throw new AppError('forbidden', `needs one of ${roles.join(', ')}`);
    req.actor = who.actor;
    req.user = who.user;
  };
}

/**
 * Errors the domain raises. The domain never knows HTTP statuses: `http/error-handler.ts` maps
 * each code to a status, and the server's message catalogue (domain/messages/errors.ts) gives
 * the user-facing text in the three UI languages. Codes are stable identifiers: clients may switch on them.
 */
import { message } from './messages/index.js';

export type Locale = 'zh-CN' | 'zh-TW' | 'en';
export const LOCALES: readonly Locale[] = ['zh-CN', 'zh-TW', 'en'];

export type ErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'forbidden'
  | 'unauthenticated'
  | 'illegal_transition'
  | 'avoidance'
  | 'conflict'
  | 'policy_invalid'
  | 'approval_level_too_low'
  | 'extension_over_limit'
  | 'idempotency_mismatch'
  | 'storage_full'
  | 'storage_unavailable'
  | 'storage_busy'
  | 'login_throttled'
  | 'rate_limited';

export type Messages = Record<Locale, string>;

/** The error's text for the user, from the server's message catalogue (domain/messages). */
export function messageFor(code: ErrorCode, locale: Locale): string {
  return message(`error.${code}`, locale);
}

/** One problem with one field of the input; `path` is dotted, e.g. `complainant.phone`. */
export interface FieldProblem {
  path: string;
  message: Messages;
}

/** A refusal or failure with a stable code, optional field problems and a detail for logs. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly fields: FieldProblem[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ? `${code}: ${detail}` : code);
  }
}

/** Builds one field problem with the same text in every locale when no translation exists. */
export function fieldProblem(path: string, zh: string, en: string, tw = zh): FieldProblem {
  return { path, message: { 'zh-CN': zh, 'zh-TW': tw, en } };
}

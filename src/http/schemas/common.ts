/**
 * Shapes shared by many answers: the error body every failure carries, texts in the UI
 * languages, and a compile-time check that a schema describes a server type exactly.
 */
import { z } from 'zod';
import { LOCALES, type ErrorCode } from '../../domain/errors.js';
import { PolicyProblem } from './policy.js';
import { named } from './registry.js';

/** Every code an error body may carry: the domain's, and `internal` for a server failure. */
const ERROR_CODES = [
  'invalid_input',
  'not_found',
  'forbidden',
  'unauthenticated',
  'illegal_transition',
  'avoidance',
  'conflict',
  'policy_invalid',
  'approval_level_too_low',
  'extension_over_limit',
  'idempotency_mismatch',
  'storage_full',
  'storage_unavailable',
  'storage_busy',
  'login_throttled',
  'rate_limited',
  'internal',
] as const satisfies readonly (ErrorCode | 'internal')[];
// …and none of the domain's is missing.
const _allCodes: Exclude<ErrorCode, (typeof ERROR_CODES)[number]> extends never ? true : never = true;
void _allCodes;

export const FieldError = named(
  'FieldError',
  z.strictObject({
    /** Dotted path of the field, e.g. `complainant.phone`, `files[1]`; `body` for the whole body. */
    path: z.string(),
    /** In the caller's language. */
    message: z.string(),
  }),
);

export const ErrorBody = named(
  'Error',
  z.looseObject({
    code: z.enum(ERROR_CODES),
    /** In the caller's language (`?lang=`, else `Accept-Language`, default zh-CN). */
    message: z.string(),
    fields: z.array(FieldError),
    /** policy_invalid: every problem with its path (and line and column when known). */
    problems: z.array(PolicyProblem).optional(),
    /** The request's id (also the `X-Request-Id` header): quote it when reporting a problem. */
    requestId: z.string().optional(),
  }),
  "A refusal or failure: a stable code, a message and the fields at fault, in the caller's language",
);

const ERROR_STATUS = {
  400: 'Invalid input (the fields are named)',
  401: 'Not signed in',
  403: 'The role or the approval level does not allow it',
  404: 'Unknown, or not visible to the caller',
  409: 'Not allowed in the current state, or changed concurrently',
  422: 'Refused by the policy (invalid policy, avoidance, extension over the maximum, Idempotency-Key reused)',
  429: 'Too many failed sign-ins for this account or address: locked; retry after Retry-After seconds or ask an administrator to unlock',
} as const;
type ErrorStatus = keyof typeof ERROR_STATUS;

/** An error answer as OpenAPI shows it: what the status means here, and the error body. */
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ErrorBody } } });

/**
 * The error answers of a route: `{ 200: X, ...errors(401, 404) }`; 500, 503 and 507 are always
 * there (a database that cannot be written refuses any write — and a read that must log — with
 * Retry-After).
 */
export function errors<S extends ErrorStatus>(...statuses: S[]): Record<S | 500 | 503 | 507, ReturnType<typeof errorResponse>> {
  const out = {
    500: errorResponse('Internal error'),
    503: errorResponse('The database cannot be written at the moment (read-only, I/O error, a lock held past the busy time-out): nothing was saved; retry after Retry-After seconds'),
    507: errorResponse('The database storage is full: nothing was saved; retry after Retry-After seconds'),
  } as Record<S | 500 | 503 | 507, ReturnType<typeof errorResponse>>;
  for (const s of statuses) out[s] = errorResponse(ERROR_STATUS[s]);
  return out;
}

export const Locale = z.enum(LOCALES as readonly ['zh-CN', 'zh-TW', 'en']);

/** Text in the UI languages; simplified Chinese is always there. */
export const I18nText = named('I18nText', z.strictObject({ 'zh-CN': z.string(), 'zh-TW': z.string().optional(), en: z.string().optional() }));
/** Text in all three UI languages. */
export const Texts = named('Texts', z.strictObject({ 'zh-CN': z.string(), 'zh-TW': z.string(), en: z.string() }));

/** A JSON object whose shape depends on its kind (event data, message payloads). */
export const JsonObject = z.record(z.string(), z.unknown());

/**
 * `true` when the schema's output and `T` are assignable to each other. Used as
 * `const _x: Describes<typeof S, T> = true;`: a field added to the server type and not to the
 * schema (or the other way round) stops the build.
 */
export type Describes<S extends z.ZodType, T> = [z.output<S>] extends [T] ? ([T] extends [z.output<S>] ? true : false) : false;

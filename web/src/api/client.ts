/**
 * The console's only way to the server: an openapi-fetch client typed by the types generated
 * from the server's OpenAPI document (./generated/openapi.ts, `npm run gen:client`) — paths,
 * parameters, bodies and answers. Same-origin with the session cookie, the UI language in
 * Accept-Language (so field errors come back in it); a failure becomes an ApiError.
 */
import createClient from 'openapi-fetch';
import i18n from '../i18n';
import type { components, paths } from './generated/openapi';

/** The API's named shapes (components of the OpenAPI document). */
export type Schemas = components['schemas'];
export type CaseView = Schemas['CaseView'];
export type Complaint = Schemas['Complaint'];
export type Clock = Schemas['Clock'];
export type TimelineEvent = Schemas['TimelineEvent'];
export type Attachment = Schemas['Attachment'];
export type AttachmentLimits = Schemas['AttachmentLimits'];
export type ListRow = Schemas['ListRow'];
export type Lifecycle = Schemas['Lifecycle'];
export type Policy = Schemas['Policy'];
export type PolicyProblem = Schemas['PolicyProblem'];
export type User = Schemas['User'];
export type StaffEntry = Schemas['StaffEntry'];
export type Dashboard = Schemas['Dashboard'];
export type HolidayYear = Schemas['HolidayYear'];
export type FieldError = Schemas['FieldError'];
export type Locale = User['locale'];
/** Text in the UI languages as the policy writes it (simplified Chinese always there). */
export type I18nText = Policy['name'];
/** One step of a policy script (话术). */
export type ScriptStep = Policy['scripts']['phone'][number];

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public fields: FieldError[] = [],
  ) {
    super(message);
  }
}

type Listener = () => void;
const unauthenticatedListeners = new Set<Listener>();
/** Called when any request answers 401: the session ended. */
export function onUnauthenticated(l: Listener): () => void {
  unauthenticatedListeners.add(l);
  return () => unauthenticatedListeners.delete(l);
}

export const api = createClient<paths>({ credentials: 'same-origin', headers: { accept: 'application/json' } });
api.use({
  onRequest({ request }) {
    request.headers.set('accept-language', i18n.language || 'zh-CN');
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && !new URL(request.url, location.href).pathname.endsWith('/auth/login')) unauthenticatedListeners.forEach((l) => l());
    return response;
  },
});

/**
 * A fresh Idempotency-Key for one form submission: sent with its POST, kept while the request
 * gets no answer (a retry after a network failure acts once), renewed once the server answered.
 * A double click then replays the first answer instead of acting twice.
 */
export function newIdempotencyKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

/** What an openapi-fetch call resolves to. */
interface Outcome {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** The answer of a call: `await ok(api.GET('/api/v1/me'))`; a failure throws an ApiError. */
export async function ok<R extends Outcome>(call: Promise<R>): Promise<Exclude<R['data'], undefined>> {
  const { data, error, response } = await call;
  if (!response.ok) {
    const e = (error && typeof error === 'object' ? error : {}) as Partial<Schemas['Error']>;
    throw new ApiError(response.status, e.code ?? 'error', e.message ?? response.statusText, e.fields ?? []);
  }
  return data as Exclude<R['data'], undefined>;
}

/** One row of the policy version history (GET /api/v1/policy/versions): who published it, when, how. */
export type PolicyVersionEntry = paths['/api/v1/policy/versions']['get']['responses'][200]['content']['application/json']['versions'][number];

/** The body of POST /api/v1/complaints (intake). */
export type IntakeBody = paths['/api/v1/complaints']['post']['requestBody']['content']['application/json'];

/** The query of GET /api/v1/complaints. */
export type ComplaintQuery = NonNullable<paths['/api/v1/complaints']['get']['parameters']['query']>;
/** List filters as screens hold them: lists where the query takes comma lists. */
export type ListFilter = { [K in keyof ComplaintQuery]?: ComplaintQuery[K] | string[] | null };

/** The query for a list filter: lists joined with commas (`state=a,b`), empty values left out. */
export function listQuery(filter: ListFilter): ComplaintQuery {
  const q: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(filter)) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    q[k] = Array.isArray(v) ? v.join(',') : v;
  }
  return q as ComplaintQuery;
}

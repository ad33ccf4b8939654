/**
 * Table types for Kysely. Timestamps are ISO-8601 UTC text (`toISOString()`, fixed width, so
 * they sort as text) on both engines; JSON documents are text. Keeping the two engines on the
 * same column types means one set of migrations and repositories with no per-dialect decoding.
 */
import type { Generated } from 'kysely';

export interface PoliciesTable {
  key: string; // id@version
  policy_id: string;
  version: string;
  document: string; // JSON of the validated policy
  source_text: string; // the YAML/JSON as uploaded
  active: number; // 1 for the organisation's active policy (one row)
  created_at: string;
}

export interface DepartmentsTable {
  code: string;
  name: string;
  created_at: string;
}

export interface UsersTable {
  id: string;
  username: string;
  name: string;
  password_hash: string;
  roles: string; // JSON Role[]
  department_code: string | null;
  manager_of: string; // JSON string[]
  approval_levels: string; // JSON string[]
  locale: string;
  active: number;
  created_at: string;
  /** Contact for e-mail notifications (migration 0002). */
  email: string | null;
  phone: string | null;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

export interface ComplaintsTable {
  id: string;
  number: string;
  kind: string;
  channel: string;
  state: string;
  grade: string | null;
  category: string | null;
  department_code: string | null;
  primary_handler_id: string | null;
  first_responder_id: string;
  tier: number;
  cycle: number;
  policy_key: string;
  title: string;
  search_text: string;
  received_at: string;
  updated_at: string;
  /** Due time of the resolve clock (the promised time), for sorting and the countdown. */
  resolve_due_at: string | null;
  /** 1 while any running clock of the case is breached. */
  overdue: number;
  /** The running clock due next (kind, due and warning time), for queues; grade-rise clocks excluded. */
  next_due_kind: string | null;
  /** SQLite: this case's rowid in the FTS5 index (migration 0006); null on PostgreSQL. */
  search_rowid: number | null;
  next_due_at: string | null;
  next_warn_at: string | null;
  /** 1 while a proposal or an extension request waits for an approver. */
  needs_approval: number;
  version: number;
  body: string; // JSON of the domain Complaint
}

export interface ParticipantsTable {
  complaint_id: string;
  user_id: string;
  relation: string; // first_responder | handler | co_handler | approver | followup | subject
}

export interface EventsTable {
  complaint_id: string;
  seq: number;
  type: string;
  action: string | null;
  actor_id: string;
  actor_name: string;
  at: string;
  from_state: string | null;
  to_state: string | null;
  data: string;
  prev_hash: string;
  /** Scheme 1 (before migration 0009): SHA-256 chain; scheme 2: HMAC-SHA256 with key `key_id` (docs/audit.md). */
  hash: string;
  scheme: number;
  key_id: string | null;
}

export interface ClocksTable {
  complaint_id: string;
  kind: string;
  status: string;
  started_at: string;
  due_at: string | null;
  next_check_at: string | null;
  body: string; // JSON of the domain Clock
}

export interface OutboxTable {
  id: string;
  complaint_id: string | null;
  channel: string;
  template: string;
  recipient: string;
  payload: string;
  /** pending | sending | sent | dead, and for logical rows expanded | skipped (jobs/outbox-dispatcher.ts). */
  status: string;
  attempts: number;
  /** When pending: not before. When sending: the lease expiry. */
  next_attempt_at: string;
  created_at: string;
  delivered_at: string | null;
  last_error: string | null;
  /** The logical row a physical delivery row was expanded from (migration 0002). */
  parent_id: string | null;
  lease_owner: string | null;
  last_attempt_at: string | null;
}

/** Portal access to a case: salted hash of the access code, and the customer's language. */
export interface CustomerAccessTable {
  complaint_id: string;
  code_hash: string;
  locale: string;
  created_at: string;
}

export interface SurveyTokensTable {
  token_hash: string; // sha256 hex of the token in the link
  complaint_id: string;
  cycle: number;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface AttachmentsTable {
  id: string;
  complaint_id: string;
  sha256: string;
  name: string;
  content_type: string;
  size: number;
  source: string; // portal | email
  created_at: string;
}

export interface InboundEmailsTable {
  message_key: string;
  complaint_id: string | null;
  outcome: string; // complaint | reply | ignored
  detail: string | null;
  received_at: string;
}

/** Idempotency keys (migration 0012; http/idempotency.ts, store/idempotency.repository.ts). */
export interface IdempotencyTable {
  /** `<caller>|<METHOD> <route>|<Idempotency-Key>`, or a channel's own key (portal nonce, Message-ID). */
  scope_key: string;
  /** SHA-256 of the request (route parameters and body) the key was first used with. */
  request_hash: string;
  /** in_progress (leased until `locked_until`), applied (the mutation committed), done (answer stored). */
  status: string;
  /** The case the request created or changed, when there is one. */
  complaint_id: string | null;
  locked_until: string | null;
  response_status: number | null;
  /** The answer (content type, headers, body), sealed with the server's secret. */
  response_body: string | null;
  created_at: string;
  expires_at: string;
}

export interface CountersTable {
  name: string;
  value: number;
}

export interface CalendarYearsTable {
  region: string;
  year: number;
  data: string; // JSON HolidayYear
  updated_at: string;
  updated_by: string;
}

/** Who saw a complainant's unmasked personal data (migration 0005). Append-only. */
export interface PiiAccessLogTable {
  id: string; // UUIDv7
  at: string;
  user_id: string;
  user_name: string;
  complaint_id: string;
  complaint_number: string;
  fields: string; // JSON string[]: the unmasked fields that had a value (phone, idNumber, email, address)
  route: string | null; // e.g. "GET /api/v1/complaints/:id"; null outside an HTTP request
  /** Chained per case (migration 0009): position, previous row's hash, this row's hash/MAC. */
  seq: number;
  prev_hash: string;
  hash: string;
  scheme: number;
  key_id: string | null;
}

/** The MACed head of each chain (migration 0009): log 'events' or 'access'. */
export interface AuditHeadsTable {
  complaint_id: string;
  log: string;
  seq: number;
  hash: string;
  /** events heads: SHA-256 of the RFC 8785 form of the case row (docs/audit.md). */
  case_digest: string | null;
  key_id: string;
  mac: string;
  updated_at: string;
}

/** While a row exists in the transaction, the append-only triggers let it update/delete (src/audit/purge.ts). */
export interface AuditPurgePermitsTable {
  id: string;
  reason: string;
}

/** One counter per cache shared by the instances, bumped with each change of its data (migration 0007). */
export interface CacheStampsTable {
  name: string; // 'calendars'
  stamp: number;
}

/** Portal request counters on PostgreSQL: one fixed window per key (migration 0007). */
export interface RateLimitsTable {
  key: string; // route + client address
  hits: number;
  resets_at: number | string; // epoch ms (bigint: a string from pg)
}

/** Keyed hashes of a case's normalised contact terms, for caller recognition (migration 0011). */
export interface ContactKeysTable {
  key: string; // hex HMAC-SHA256 of `kind:value` under the contact key (services/contact-keys.ts)
  complaint_id: string;
  kind: string; // phone | phone_last4 | phone_last4_name | email | id_number | order | plate
}

export interface DB {
  policies: PoliciesTable;
  departments: DepartmentsTable;
  users: UsersTable;
  sessions: SessionsTable;
  complaints: ComplaintsTable;
  complaint_participants: ParticipantsTable;
  complaint_events: EventsTable;
  clocks: ClocksTable;
  outbox: OutboxTable;
  idempotency_keys: IdempotencyTable;
  counters: CountersTable;
  calendar_years: CalendarYearsTable;
  customer_access: CustomerAccessTable;
  survey_tokens: SurveyTokensTable;
  attachments: AttachmentsTable;
  inbound_emails: InboundEmailsTable;
  pii_access_log: PiiAccessLogTable;
  cache_stamps: CacheStampsTable;
  rate_limits: RateLimitsTable;
  audit_heads: AuditHeadsTable;
  audit_purge_permits: AuditPurgePermitsTable;
  contact_keys: ContactKeysTable;
}

export type { Generated };

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
  /** 1 after an administrator's password reset until the user sets a new one (migration 0014). */
  must_change_password: number;
  /** When the account was deactivated; null: active or reactivated (migration 0014). */
  deactivated_at: string | null;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  /** Last use, for the idle timeout (migration 0014). */
  last_seen_at: string | null;
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

/** The tokens matching ranks a case by (its title and description), space-joined, written at intake (migration 0040); none for older and purged cases (cut from the body instead). */
export interface ComplaintTermsTable {
  complaint_id: string;
  terms: string;
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

/** Stored files whose uploads are in flight (migration 0020, storage/staging.ts). */
export interface FileStagesTable {
  sha256: string;
  holders: number;
  staged_at: string;
  sweeping_at: string | null;
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
  reason: string | null; // the stated reason of a one-field reveal (migration 0029); null for views
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

/** Failed sign-ins and lock-outs per account or client address (migration 0008). */
export interface LoginThrottleTable {
  key: string; // 'account:<username>' | 'address:<ip>'
  failures: number;
  window_ends_at: number | string; // epoch ms (bigint: a string from pg)
  locked_until: number | string | null; // epoch ms
}

/** Sign-in security events: failures, lock-outs, refusals while locked, unlocks (migration 0008). */
export interface AuthEventsTable {
  id: string;
  at: string;
  kind: string; // 'login_failed' | 'locked' | 'refused_locked' | 'unlocked'
  username: string | null;
  address: string | null;
  actor_id: string | null; // who unlocked
  detail: string; // JSON object
}

/**
 * Facts kept for analysis (migration 0013), one row per case, written by the decision writer in
 * each transition's transaction (store/facts.repository.ts, reports/facts.ts). Counters are
 * folded from the transitions as they commit, never recomputed from the timeline at report time.
 * Working-time durations are milliseconds inside the policy calendar's working hours (`wh`).
 */
export interface CaseFactsTable {
  complaint_id: string;
  number: string;
  kind: string;
  channel: string;
  policy_key: string;
  category: string | null;
  grade: string | null;
  department_code: string | null;
  customer_class: string | null;
  handler_id: string | null;
  first_responder_id: string;
  state: string;
  received_at: string;
  first_answered_at: string | null;
  answered_at: string | null;
  closed_at: string | null;
  /** null until judged; 1 valid, 0 invalid. */
  valid: number | null;
  invalid_reason: string | null;
  malicious: number;
  routed: number;
  /** 1 when the first answer was the first responder's, in cycle 1, on the local day of receipt. */
  first_answer_by_responder: number;
  /** 当即处理: first_answer_by_responder and never reopened. */
  first_contact: number;
  /** immediate | within_limit | overdue | repeated once closed (not invalid); null before. */
  handling_mode: string | null;
  handling_cycles: number;
  reopen_count: number;
  tier: number;
  max_tier: number;
  /** Tier raises caused by breached deadlines. */
  escalations: number;
  breaches: number;
  /** 1 once any resolve clock of the case was breached (sticky across extensions and cycles). */
  resolve_breached: number;
  extensions: number;
  special_extensions: number;
  pend_count: number;
  pending_since: string | null;
  /** Working time spent pending (未了事宜), summed at each resume. */
  paused_wms: number;
  /** Working time from receipt to closing, pending time excluded; null while open. */
  handling_wms: number | null;
  /** Latest follow-up result; `final_satisfaction` only once the case's result is final. */
  satisfaction: string | null;
  final_satisfaction: string | null;
  followup_outcome: string | null;
  score_attitude: number | null;
  score_efficiency: number | null;
  score_result: number | null;
  updated_at: string;
  /** The local day the roll-up job counts this case under (migration 0032); null: read from this row. Only the job writes it. */
  rolled_day?: string | null;
  /** 1 when the roll-up holds this case's own part (rolled up while open, migration 0036): a change marks the case, not its day. Only the job writes it. */
  rolled_part?: number;
}

/** Rolled-up open cases changed since they were rolled up (migration 0036): taken off their day's roll-up and read from the facts until the job rebuilds it. */
export interface ReportRollupCaseMarksTable {
  complaint_id: string;
  received_at: string;
  created_at: string;
}

/** Spans of receipt instants whose rolled-up days are stale until the roll-up job rebuilds them (migration 0032). */
export interface ReportRollupMarksTable {
  id: string;
  from_at: string;
  to_at: string;
  created_at: string;
}

/** A local day the roll-up job has rolled up: its settled cases are counted from the roll-up tables. */
export interface ReportRollupDaysTable {
  day: string;
  cases: number;
  rolled_at: string;
}

/** The time zone the roll-ups' days are local to (one row, id `rollups`). */
export interface ReportRollupMetaTable {
  id: string;
  zone: string;
  updated_at: string;
}

/** One row per clock instance (a restarted clock is a new instance): met or breached, working time used. */
export interface ClockFactsTable {
  complaint_id: string;
  kind: string;
  started_at: string;
  /** The case's handling cycle when the instance started. */
  cycle: number;
  /** running | paused | stopped | replaced (restarted before it stopped). */
  status: string;
  due_at: string | null;
  warned_at: string | null;
  /** First breach of this instance; kept when an extension later moves the due time. */
  breached_at: string | null;
  stopped_at: string | null;
  /** running | met | breached. */
  outcome: string;
  extensions: number;
  pauses: number;
  /** Working time from start to stop, pauses excluded; null while running. */
  elapsed_wms: number | null;
  updated_at: string;
}

/** A flagged customer (issue 13 §3; migration 0023): set with a reason, lifted (never deleted) with one. */
export interface CustomerFlagsTable {
  id: string;
  kind: 'malicious';
  reason: string;
  source_complaint_id: string;
  set_by: string;
  set_by_name: string;
  set_at: string;
  /** Null: until lifted. */
  expires_at: string | null;
  lifted_by: string | null;
  lifted_by_name: string | null;
  lifted_at: string | null;
  lift_reason: string | null;
}

/** A newer case linked to an earlier one (issue 13 §2; migration 0026), written at intake. */
export interface CaseLinksTable {
  complaint_id: string;
  linked_id: string;
  reason: 'customer' | 'reference' | 'text';
  /** reference: order | plate; text: the similarity (e.g. "0.86"). */
  detail: string | null;
  created_at: string;
}

/** A problem record (问题单, migration 0026): cases grouped around a corrective action. */
export interface ProblemsTable {
  id: string;
  title: string;
  action: string;
  owner_id: string;
  owner_name: string;
  due_date: string;
  state: 'open' | 'action_done' | 'verified';
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface ProblemCasesTable {
  problem_id: string;
  complaint_id: string;
}

/** Every step of a problem record (append-only). */
export interface ProblemHistoryTable {
  id: string;
  problem_id: string;
  /** 1, 2, … per record (unique with problem_id): the order of the steps. */
  seq: number;
  step: 'open' | 'action_done' | 'verify' | 'reopen';
  from_state: string | null;
  to_state: string;
  actor_id: string;
  actor_name: string;
  at: string;
  reason: string;
}

/** Legal holds (migration 0015): while `lifted_at` is null the hold stops any purge of what it covers. */
export interface LegalHoldsTable {
  id: string;
  scope: string; // case | customer | received
  complaint_id: string | null;
  /** customer holds: the keyed contact hash (services/contact-keys.ts), never the plaintext. */
  contact_key: string | null;
  contact_kind: string | null;
  /** received holds: cases received in [received_from, received_to). */
  received_from: string | null;
  received_to: string | null;
  reason: string;
  set_by: string;
  set_at: string;
  lifted_by: string | null;
  lifted_at: string | null;
  lift_reason: string | null;
}

/** The keyed contact hashes (contact_keys.key) a flag names its customer by. */
export interface CustomerFlagKeysTable {
  key: string;
  flag_id: string;
}

/** A recorded absence (migration 0018); times ISO-8601 UTC. */
export interface AbsencesTable {
  id: string;
  user_id: string;
  starts_at: string;
  ends_at: string;
  reason: string;
  stand_in_id: string | null;
  recorded_by: string;
  recorded_at: string;
  cancelled_at: string | null;
  cancelled_by: string | null;
  handed_over_at: string | null;
  finished_at: string | null;
}

/** A duty a stand-in took over on a case during an absence (migration 0018). */
export interface AbsenceHandoversTable {
  id: string;
  absence_id: string;
  complaint_id: string;
  duty: string; // primary_handler | approval
  absent_id: string;
  stand_in_id: string | null;
  previous: string; // JSON { primaryHandlerId, backupHandlerId }
  at: string;
  ended_at: string | null;
  outcome: string | null; // returned | stayed | changed | over
}

/** A stored report (issue 11 §3, migration 0017): immutable once `done`. */
export interface ReportRunsTable {
  id: string;
  /** The policy id: the organisation. UNIQUE (scope, kind, period). */
  scope: string;
  /** weekly | monthly | quarterly | yearly */
  kind: string;
  /** 2026-W48, 2026-11, 2026-Q4, 2026 */
  period: string;
  period_from: string;
  period_to: string;
  time_zone: string;
  policy_key: string;
  /** schedule | manual */
  trigger: string;
  requested_by: string | null;
  scheduled_at: string | null;
  /** running | failed | done */
  status: string;
  attempts: number;
  lease_owner: string | null;
  lease_until: string | null;
  progress: number;
  step: string | null;
  /** JSON list of sections. */
  sections: string;
  content: string | null;
  content_hash: string | null;
  headline: string | null;
  deliveries: number;
  delivery_note: string | null;
  error: string | null;
  created_at: string;
  started_at: string;
  finished_at: string | null;
}

/** Saved column mappings of the history import, per organisation (migration 0019). */
export interface ImportMappingsTable {
  org: string;
  name: string;
  /** The mapping document as JSON (records/import/mapping.ts). */
  document: string;
  created_at: string;
  updated_at: string;
}

/** One imported ledger row: its key (ledger id or row hash), unique per organisation (migration 0019). */
export interface ImportRowsTable {
  org: string;
  key: string;
  complaint_id: string;
  external_id: string | null;
  /** The file's name the row came from. */
  source: string;
  row_number: number;
  imported_at: string;
}

/** One signed, chained record per purged case (migration 0015; src/audit/purge.ts). */
export interface PurgeRecordsTable {
  seq: number;
  id: string;
  complaint_id: string;
  complaint_number: string;
  mode: string; // anonymise | remove
  reason: string;
  policy_key: string;
  at: string;
  counts: string; // JSON
  redactions: string; // JSON [seq, original hash, SHA-256 of the redacted record][]
  prev_hash: string;
  hash: string;
  key_id: string;
}

export interface PurgeChainTable {
  id: number;
  seq: number;
  hash: string;
}

/** Attachment files to delete once the purge that removed their rows has committed. */
export interface PurgeFilesTable {
  sha256: string;
  staged_at: string;
}

export interface DB {
  legal_holds: LegalHoldsTable;
  purge_records: PurgeRecordsTable;
  purge_chain: PurgeChainTable;
  purge_files: PurgeFilesTable;
  login_throttle: LoginThrottleTable;
  auth_events: AuthEventsTable;
  policies: PoliciesTable;
  departments: DepartmentsTable;
  users: UsersTable;
  sessions: SessionsTable;
  complaints: ComplaintsTable;
  complaint_participants: ParticipantsTable;
  complaint_terms: ComplaintTermsTable;
  complaint_events: EventsTable;
  clocks: ClocksTable;
  outbox: OutboxTable;
  idempotency_keys: IdempotencyTable;
  counters: CountersTable;
  calendar_years: CalendarYearsTable;
  customer_access: CustomerAccessTable;
  survey_tokens: SurveyTokensTable;
  attachments: AttachmentsTable;
  file_stages: FileStagesTable;
  inbound_emails: InboundEmailsTable;
  pii_access_log: PiiAccessLogTable;
  cache_stamps: CacheStampsTable;
  rate_limits: RateLimitsTable;
  audit_heads: AuditHeadsTable;
  audit_purge_permits: AuditPurgePermitsTable;
  contact_keys: ContactKeysTable;
  case_facts: CaseFactsTable;
  clock_facts: ClockFactsTable;
  report_rollup_marks: ReportRollupMarksTable;
  report_rollup_case_marks: ReportRollupCaseMarksTable;
  report_rollup_meta: ReportRollupMetaTable;
  report_rollup_days: ReportRollupDaysTable;
  customer_flags: CustomerFlagsTable;
  customer_flag_keys: CustomerFlagKeysTable;
  knowledge_articles: KnowledgeArticlesTable;
  knowledge_versions: KnowledgeVersionsTable;
  knowledge_tokens: KnowledgeTokensTable;
  knowledge_feedback: KnowledgeFeedbackTable;
  case_links: CaseLinksTable;
  problems: ProblemsTable;
  problem_cases: ProblemCasesTable;
  problem_history: ProblemHistoryTable;
  absences: AbsencesTable;
  absence_handovers: AbsenceHandoversTable;
  report_runs: ReportRunsTable;
  import_mappings: ImportMappingsTable;
  import_rows: ImportRowsTable;
  import_jobs: ImportJobsTable;
  accountability_entries: AccountabilityEntriesTable;
  accountability_history: AccountabilityHistoryTable;
  duties: DutiesTable;
  duty_history: DutyHistoryTable;
}

/** Migration 0027: a duty (issue 10 §2) of a case or, with `period`, of the organisation. */
export interface DutiesTable {
  id: string;
  code: string;
  complaint_id: string | null;
  period: string | null;
  policy_key: string;
  created_at: string;
  created_by: string;
  owner_role: string | null;
  owner_user_id: string | null;
  owner_department: string | null;
  due_at: string;
  remind_at: string;
  next_check_at: string | null;
  status: string;
  breached_at: string | null;
  completed_at: string | null;
  completed_by: string | null;
  record: string | null;
}

/** Migration 0027: each step of a duty, in order. */
export interface DutyHistoryTable {
  duty_id: string;
  seq: number;
  at: string;
  step: string;
  actor_id: string;
  actor_name: string;
  data: string;
}

/** Migration 0016: one penalty or reward (考核记录) a transition created; status as it stands now. */
export interface AccountabilityEntriesTable {
  id: string;
  complaint_id: string;
  complaint_number: string;
  policy_key: string;
  source_version: number;
  source_action: string;
  rule_code: string;
  trigger: string;
  effect: string;
  points: number;
  amount: number | null;
  amount_min: number | null;
  amount_max: number | null;
  person_id: string | null;
  department_code: string | null;
  /** proposed | confirmed | appealed | upheld | overturned. */
  status: string;
  dedupe_key: string;
  /** JSON. */
  detail: string;
  created_at: string;
  updated_at: string;
}

/** Migration 0016: every step of an entry, append-only. */
export interface AccountabilityHistoryTable {
  entry_id: string;
  seq: number;
  /** proposed | confirmed | appealed | upheld | overturned. */
  step: string;
  at: string;
  actor_id: string;
  actor_name: string;
  amount: number | null;
  reason: string | null;
}

/** Experience library (issue 13 §4/§6; migration 0025): the current state of an article. */
export interface KnowledgeArticlesTable {
  id: string;
  current_version: number;
  status: string;
  category: string | null;
  title: string;
  token_count: number;
  source_complaint_id: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** Every saved version of an article (never updated). */
export interface KnowledgeVersionsTable {
  article_id: string;
  version: number;
  document: string;
  edited_by: string;
  edited_by_name: string;
  edited_at: string;
  note: string | null;
}

/** Jieba tokens of an article's current version, with their counts (search and matching). */
export interface KnowledgeTokensTable {
  token: string;
  article_id: string;
  tf: number;
}

/** A staff member's "helpful / not helpful" on a suggestion (an article or a similar case). */
export interface KnowledgeFeedbackTable {
  id: string;
  target_kind: string;
  target_id: string;
  helpful: number;
  user_id: string;
  at: string;
}

export type { Generated };

/** A ledger import started from the console (migration 0029; records/import/http-jobs.ts). */
export interface ImportJobsTable {
  id: string; // UUIDv7
  dry_run: number; // 0 | 1
  status: string; // running | done | refused | failed
  source: string;
  mapping_name: string;
  rows: number;
  total: number;
  done: number;
  created: number;
  already_imported: number;
  problems: string; // JSON ImportProblem[]
  error: string | null;
  started_by: string;
  started_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** Shapes the API answers with (see /api/openapi.json); only what the console reads. */
export type Locale = 'zh-CN' | 'zh-TW' | 'en';
export type I18nText = { 'zh-CN': string; 'zh-TW'?: string; en?: string };

export interface User {
  id: string;
  username: string;
  name: string;
  roles: string[];
  departmentCode: string | null;
  managerOf: string[];
  approvalLevels: string[];
  locale?: Locale;
  active: boolean;
}

export interface ListRow {
  id: string;
  number: string;
  kind: string;
  channel: string;
  state: string;
  grade: string | null;
  category: string | null;
  departmentCode: string | null;
  primaryHandlerId: string | null;
  tier: number;
  cycle: number;
  title: string;
  receivedAt: string;
  updatedAt: string;
  resolveDueAt: string | null;
  /** The running clock due next (triage, dispatch, resolve, follow-up …); null when none runs. */
  nextDue: { kind: string; dueAt: string; warnAt: string | null } | null;
  overdue: boolean;
}

export interface Clock {
  kind: string;
  status: 'running' | 'paused' | 'stopped';
  startedAt: string;
  duration: string | null;
  dueAt: string | null;
  warnAt: string | null;
  warnedAt: string | null;
  breachedAt: string | null;
  stoppedAt: string | null;
  explanation?: { text?: Record<Locale, string> } | null;
}

export interface TimelineEvent {
  seq: number;
  type: string;
  action: string | null;
  actorId: string;
  actorName: string;
  at: string;
  fromState: string | null;
  toState: string | null;
  data: Record<string, any>;
}

export interface Complaint {
  id: string;
  number: string;
  kind: string;
  channel: string;
  state: string;
  title: string;
  description: string;
  complainant: { anonymous: boolean; name?: string; phone?: string; email?: string; idNumber?: string; address?: string; customerClass?: string };
  subject: { departmentCode?: string; employeeIds: string[]; description?: string };
  references: { order?: string; product?: string; plate?: string };
  demands: { types: string[]; amount?: number; text?: string };
  regulator: { name: string; externalRef: string; dueAt: string } | null;
  firstResponderId: string;
  validity: { valid: boolean; reason?: string; explanation?: string; malicious: boolean } | null;
  category: string | null;
  grade: string | null;
  vicious: boolean;
  emergency: boolean;
  departmentCode: string | null;
  primaryHandlerId: string | null;
  backupHandlerId: string | null;
  coHandlerIds: string[];
  findings: { facts: string; cause: string; responsibility: { type: string; departmentCode?: string; employeeId?: string; note?: string } } | null;
  proposal: { solutions: string[]; amount: number; description: string; requiredLevel: string | null; proposedBy: string; proposedAt: string } | null;
  approverIds: string[];
  answer: { text: string; method: string; written: boolean; answeredBy: string; answeredAt: string } | null;
  followUp: { attempts: number; callerIds: string[]; outcome: string | null; satisfaction: string | null; scores: Record<string, number> | null; comment?: string };
  tier: number;
  cycle: number;
  extensionRequest: { reason: string; duration: string; special: boolean; requestedBy: string; requestedAt: string } | null;
  extensions: string[];
  pendingReason: string | null;
  receivedAt: string;
  updatedAt: string;
  closedAt: string | null;
  archivedAt: string | null;
  policyKey: string;
  version: number;
  piiMasked: boolean;
}

/** A file on a case; `source`: portal or email (the customer), staff. */
export interface Attachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
  source: string;
  createdAt: string;
  sha256: string;
}

export interface AttachmentLimits {
  maxBytes: number;
  maxFiles: number;
  types: string[];
  extensions: string[];
}

export interface CaseView {
  complaint: Complaint;
  timeline: TimelineEvent[];
  clocks: Clock[];
  allowedActions: string[];
  promisedAt: string | null;
  attachments: Attachment[];
}

export interface LifecycleAction {
  name: string;
  label: Record<Locale, string>;
  from: Record<string, string[]>;
  targets: string[];
  who: string[];
  system: boolean;
}

export interface Lifecycle {
  states: string[];
  actions: LifecycleAction[];
}

export interface ScriptStep {
  code: string;
  title: I18nText;
  hint?: I18nText;
  lines: I18nText[];
}

export interface Policy {
  id: string;
  version: string;
  name: I18nText;
  source?: string;
  calendar: { timeZone: string; holidays: string; workingWeekdays: number[]; workingHours: { start: string; end: string }[] };
  channels: string[];
  kinds: Record<string, { enabled: boolean; resolve?: string }>;
  departments: { code: string; name: I18nText }[];
  categories: { code: string; name: I18nText; group?: string; department?: string }[];
  grades: { code: string; name: I18nText; limits: Record<string, string>; warnAt: number; directToManager: boolean }[];
  defaultGrade: string;
  flags: { vicious: { minGrade: string; limits?: Record<string, string> }; emergency: { limits: Record<string, string>; escalateEvery: string } };
  escalation: { tiers: { level: number; name: I18nText; role: string }[]; escalateEvery?: string };
  gradeRise: { after: string; to: string }[];
  approval: { levels: { code: string; name: I18nText }[]; rules: { grades?: string[]; minAmount?: number; level: string }[] };
  validity: { invalidReasons: { code: string; name: I18nText }[] };
  extension: { max: string; specialMax: string; approvalLevel: string };
  followUp: { required: boolean; window: string; methods: string[]; retries: string[]; closeWhenUnreachable: boolean; acceptedLevels: string[] };
  unsatisfied: { escalateTier: boolean; maxCycles: number };
  retention: { defaultDays: number; byGrade: Record<string, number> };
  scripts?: { phone: ScriptStep[]; situations: ScriptStep[]; followUp: ScriptStep[] };
}

export interface Count {
  key: string | null;
  count: number;
}

export interface DeadlineRow {
  id: string;
  number: string;
  title: string;
  kind: string;
  state: string;
  grade: string | null;
  departmentCode: string | null;
  primaryHandlerId: string | null;
  tier: number;
  clock: string;
  dueAt: string;
}

export interface Dashboard {
  at: string;
  timeZone: string;
  open: { total: number; byState: Count[]; byGrade: Count[]; byDepartment: Count[]; byChannel: Count[]; byKind: Count[] };
  overdue: DeadlineRow[];
  nearlyOverdue: DeadlineRow[];
  counts: { overdue: number; nearlyOverdue: number };
  trend: { day: string; received: number; closed: number }[];
  satisfaction: { since: string; calls: number; counts: Record<string, number>; scores: Record<'attitude' | 'efficiency' | 'result', number | null> };
}

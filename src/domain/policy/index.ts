/**
 * Policy (制度即配置): an organisation's complaint regulation as a validated, versioned document.
 * See `docs/policy.md`.
 */
export {
  PolicySchema,
  durationText,
  codeText,
  i18nText,
  clockLimits,
  splitDuration,
  DURATION_PATTERN,
  TIER_ROLES,
  SATISFACTION_LEVELS,
  FOLLOW_UP_METHODS,
  CLOCK_NAMES,
  DEFAULT_CHANNELS,
  type Policy,
  type PolicyInput,
  type I18nText,
  type ClockLimits,
  type ClockName,
  type DurationText,
  type ExtensionStage,
  type DurationUnit,
  type Satisfaction,
  type FollowUpMethod,
  type TierRole,
  CUSTOMER_MESSAGE_PLACEHOLDERS,
  CUSTOMER_MESSAGES,
  type CustomerMessage,
  type PolicyMessages,
} from './schema.js';
export { checkPolicy, formatProblems, policyKey, gradeRank, levelRank, requiredApprovalLevel, effectiveGrade, limitsFor, type PolicyProblem } from './check.js';
export { calendarSpec, calendarNames, calendarNameForClock, type PolicyCalendarSpec } from './calendars.js';
export { parsePolicyText, validatePolicy, formatPath, PRESET_FILES, type PolicyResult } from './load.js';

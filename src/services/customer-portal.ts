/**
 * The customer's own use cases (issue 4), behind the public portal, the customer API
 * (/api/v1/customer) and the e-mail channel — one module per use case under services/customer/:
 * submit a complaint and get its number and access code (submit.ts), open a case with number +
 * code (open-case.ts), see the customer's view of it (customer-view.ts), add information
 * (supplement.ts), answer the follow-up survey (survey.ts), the access code itself
 * (access-code.ts). Every state change goes through the lifecycle machine (`receiveComplaint` /
 * `actOnComplaint`) — the customer acts as CUSTOMER_ACTOR only after the access code or survey
 * token was checked there.
 *
 * This file only re-exports them for the modules that import the customer use cases from one place.
 */
export { PORTAL_INTAKE, EMAIL_INTAKE } from './customer/intake-actors.js';
export { attachmentRows, type StoredUpload } from './customer/attachments.js';
export { prepareAccessCode, issueAccess, resetAccessCode, type AccessCode } from './customer/access-code.js';
export { submitFromPortal, type PortalSubmission, type Submitted } from './customer/submit.js';
export { openCase, reloadCase } from './customer/open-case.js';
export { customerView, canSupplement, type CustomerEvent, type CustomerView } from './customer/customer-view.js';
export { supplementCase } from './customer/supplement.js';
export { surveyCase, answerSurvey, answerSurveyOnCase, SurveyRefused, type SurveyAnswer, type SurveyRefusal } from './customer/survey.js';

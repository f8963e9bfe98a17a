// Decision vocabularies shared by the domain, the store and the API.
export const DECISIONS = ['approve', 'return_first', 'review', 'deny'] as const;
export type Decision = (typeof DECISIONS)[number];
export const SIGNUP_DECISIONS = ['allow', 'review', 'block'] as const;

/** `request`: assessed at its own moment on ingestion; `api`: asked through POST /v1/refunds/assess. */
export const ASSESSMENT_KINDS = ['request', 'api'] as const;
export type AssessmentKind = (typeof ASSESSMENT_KINDS)[number];
export type SignupDecision = (typeof SIGNUP_DECISIONS)[number];

export interface Reason {
  code: string;
  text: string;
}

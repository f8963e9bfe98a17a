// Decision vocabularies shared by the domain, the store and the API.
export const DECISIONS = ['approve', 'return_first', 'review', 'deny'] as const;
export type Decision = (typeof DECISIONS)[number];
export const SIGNUP_DECISIONS = ['allow', 'review', 'block'] as const;
export type SignupDecision = (typeof SIGNUP_DECISIONS)[number];

export interface Reason {
  code: string;
  text: string;
}

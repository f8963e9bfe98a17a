// Sign-in for people: the login body, the signed-in user and their CSRF token.
import { z } from 'zod';
import { USER_ROLES } from '../core/access.ts';

export const loginBodySchema = z.object({
  email: z.string().min(1).max(320),
  password: z.string().min(1).max(1000),
});

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(USER_ROLES),
  agentId: z.string().optional().describe('The support agent this person is, when they are one.'),
});

export const sessionSchema = z.object({
  user: userSchema,
  csrfToken: z.string().describe('Send it as `x-csrf-token` on every state-changing call.'),
});

export type UserView = z.infer<typeof userSchema>;
export type SessionView = z.infer<typeof sessionSchema>;

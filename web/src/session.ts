// Who is signed in, and what their role lets them do in the console (the server decides; the
// console only hides what would be refused).
import { createContext, useContext } from 'react';
import { userRoleMay } from '../../src/contract/vocabulary.ts';
import type { User } from './api/index.ts';

export interface SessionValue {
  user: User;
  logout: () => void;
}

export const SessionContext = createContext<SessionValue | undefined>(undefined);

export function useSession(): SessionValue {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

/** Work cases: assign, transition, notes, outcome, propose actions. */
export const canWork = (user: User) => userRoleMay(user.role, 'cases:work');
/** Approve or reject proposed closures and reversals (never one's own). */
export const canApprove = (user: User) => userRoleMay(user.role, 'actions:approve');

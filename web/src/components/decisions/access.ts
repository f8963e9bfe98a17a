// Who may do what on the Decisions page (the server decides; the console only hides what it would
// refuse): every console role reads (`decisions:read`), supervisors and admins change the policy
// (`policy:manage`), admins train, promote and retire models and run a shadow candidate (`models:manage`).
import { userRoleMay } from '../../../../src/contract/vocabulary.ts';
import type { User } from '../../api/index.ts';

export const canReadDecisions = (user: User) => userRoleMay(user.role, 'decisions:read');
export const canManagePolicy = (user: User) => userRoleMay(user.role, 'policy:manage');
export const canManageModels = (user: User) => userRoleMay(user.role, 'models:manage');

/** `user:<id>` (or `key:<id>`) as a person reads it; `names` (actor id → name) where the reader may list people. */
export function actorLabel(actor: string, me: User, names?: ReadonlyMap<string, string>): string {
  if (actor === `user:${me.id}`) return `you (${me.name})`;
  if (actor.startsWith('key:')) return `API key ${actor.slice(4)}`;
  return names?.get(actor) ?? actor;
}

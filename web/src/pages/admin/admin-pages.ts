// The administration pages, in the order their tabs show, each with the permission it needs (the
// server refuses the calls without it; the console only hides what would be refused).
import { type Permission, userRoleMay } from '../../../../src/contract/vocabulary.ts';

export const ADMIN_PAGES = [
  { id: 'users', path: '/admin/users', label: 'Users', permission: 'users:manage' },
  { id: 'keys', path: '/admin/keys', label: 'API keys', permission: 'keys:manage' },
  { id: 'webhooks', path: '/admin/webhooks', label: 'Webhooks', permission: 'webhooks:manage' },
  { id: 'template', path: '/admin/template', label: 'Warning notice', permission: 'templates:manage' },
  { id: 'audit', path: '/admin/audit', label: 'Audit log', permission: 'audit:read' },
] as const satisfies readonly { id: string; path: string; label: string; permission: Permission }[];

export type AdminPageId = (typeof ADMIN_PAGES)[number]['id'];
export type AdminPageEntry = (typeof ADMIN_PAGES)[number];

/** The administration pages a role may open; the first is where /admin lands. */
export function adminPagesFor(role: string): AdminPageEntry[] {
  return ADMIN_PAGES.filter((page) => userRoleMay(role, page.permission));
}

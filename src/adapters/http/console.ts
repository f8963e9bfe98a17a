// Puts the console's API into the /v1 scope: cookies, the session-or-key guard, refusal auditing,
// and the routes (session, cases, actions, admin).
import cookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import type { ConsoleServices } from '../../app/console.ts';
import type { Clock, Store } from '../../app/ports.ts';
import { auditRefusals, consoleGuard } from './console-auth.ts';
import { registerAdminRoutes } from './routes/admin.ts';
import { registerCaseRoutes } from './routes/cases.ts';
import { registerConsoleReadRoutes } from './routes/console-reads.ts';
import { registerDecisionRoutes } from './routes/decisions.ts';
import { registerSessionRoutes } from './routes/session.ts';

/** Registers cookies and the guard on the /v1 scope; call before any /v1 route is added. */
export function registerConsoleAuth(
  v1: FastifyInstance,
  store: Store,
  services: ConsoleServices,
  clock: Clock,
): void {
  void v1.register(cookie);
  v1.decorateRequest('principal', null);
  v1.decorateRequest('sessionId', null);
  v1.addHook('onRequest', consoleGuard(store, services, clock));
  v1.addHook('onError', auditRefusals(services));
}

export function registerConsoleRoutes(v1: FastifyInstance, services: ConsoleServices, clock: Clock): void {
  registerSessionRoutes(v1, services);
  registerCaseRoutes(v1, services, clock);
  registerConsoleReadRoutes(v1, services, clock);
  registerAdminRoutes(v1, services);
  registerDecisionRoutes(v1, services);
}

// Sign-in for people: POST /v1/session sets the session cookie, GET reads it back, DELETE ends it.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ConsoleServices } from '../../../app/console.ts';
import type { UserRecord } from '../../../app/console-ports.ts';
import { actorId, csrfTokenFor } from '../../../app/people.ts';
import { loginBodySchema, sessionSchema, type UserView } from '../../../contract/session.ts';
import { principalOf, SESSION_COOKIE } from '../console-auth.ts';
import { HttpProblem, PROBLEM_TYPES, unauthenticatedProblem } from '../problems.ts';

export function userView(user: UserRecord): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    ...(user.agentId !== null ? { agentId: user.agentId } : {}),
  };
}

function setSessionCookie(reply: FastifyReply, sessionId: string, expiresAt: number): void {
  reply.setCookie(SESSION_COOKIE, sessionId, {
    httpOnly: true,
    secure: true,
    sameSite: 'strict',
    path: '/',
    expires: new Date(expiresAt),
  });
}

export function registerSessionRoutes(server: FastifyInstance, services: ConsoleServices): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/session',
    {
      config: { auth: 'public' },
      schema: {
        summary: 'Sign in (people)',
        description:
          'Sets the `rg_session` cookie (HttpOnly, Secure, SameSite=Strict) and returns the CSRF token to send as `x-csrf-token` on state-changing calls. Attempts are counted before the password is checked: more than 5 per e-mail, or 30 failed ones per IP address, in 15 minutes answer 429 with `Retry-After`; each further attempt doubles the lock (up to a day). A successful sign-in clears the e-mail’s count.',
        tags: ['session'],
        body: loginBodySchema,
        response: { 200: sessionSchema },
        security: [],
      },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const result = await services.people.login(email, password, request.ip);
      if (!result.ok) {
        if (result.reason === 'throttled') {
          const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
          throw new HttpProblem(
            429,
            PROBLEM_TYPES.tooManyAttempts,
            'Too many attempts',
            `Too many sign-in attempts for this e-mail or from this address; try again in ${seconds} s.`,
            {},
            { 'retry-after': String(seconds) },
          );
        }
        throw unauthenticatedProblem('The e-mail or password is wrong.');
      }
      setSessionCookie(reply, result.sessionId, result.expiresAt);
      return { user: userView(result.user), csrfToken: result.csrfToken };
    },
  );

  app.get(
    '/session',
    {
      config: { auth: 'session' },
      schema: {
        summary: 'The signed-in person and their CSRF token',
        tags: ['session'],
        response: { 200: sessionSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      if (principal.kind !== 'user' || request.sessionId === null)
        throw unauthenticatedProblem('Not signed in.');
      return { user: userView(principal.user), csrfToken: csrfTokenFor(request.sessionId) };
    },
  );

  app.delete(
    '/session',
    {
      config: { auth: 'session' },
      schema: {
        summary: 'Sign out',
        tags: ['session'],
        response: { 204: z.null().describe('Signed out; the session cookie is cleared.') },
      },
    },
    async (request, reply) => {
      if (request.sessionId !== null)
        await services.people.logout(request.sessionId, actorId(principalOf(request)));
      reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, secure: true, sameSite: 'strict' });
      return reply.code(204).send(null);
    },
  );
}

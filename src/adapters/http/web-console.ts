// Serves the investigator console (web/, built by `npm run build:web` into dist/web) at `/`.
// Files are served as they are; any other GET that asks for HTML and is not under /v1 or /docs gets
// index.html, so the console's own routes (/cases/…, /refunds, /dashboard) survive a reload. When the
// console has not been built, `/` says how to build it instead of failing.
import { existsSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { projectPath } from '../../app/project-root.ts';

/** Where `npm run build:web` writes the console. */
export const DEFAULT_CONSOLE_ROOT = projectPath('dist', 'web');

export interface WebConsoleOptions {
  /** The built console (default: dist/web at the repository root). */
  root?: string;
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>refundguard console not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>The console has not been built</h1>
<p>Run <code>npm run build:web</code> (or start with <code>npm start</code>, which builds it first), then reload.</p>
<p>The API is running: see <a href="/docs">/docs</a>.</p>
</body></html>
`;

/** Paths the console never answers: the API, its docs, and the server's own endpoints. */
function reservedPath(path: string): boolean {
  return (
    path === '/v1' ||
    path.startsWith('/v1/') ||
    path === '/docs' ||
    path.startsWith('/docs/') ||
    path === '/health' ||
    path === '/openapi.json'
  );
}

/** A browser navigating (not a script, a stylesheet or an API client asking for JSON). */
function acceptsHtml(request: FastifyRequest): boolean {
  return request.headers.accept?.includes('text/html') ?? false;
}

/** A path inside root for a URL path, or undefined when it would escape root or names no file. */
function fileFor(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const candidate = resolve(root, `.${decoded}`);
  if (candidate !== root && !candidate.startsWith(root + sep)) return undefined;
  return candidate;
}

export async function webConsole(app: FastifyInstance, options: WebConsoleOptions = {}): Promise<void> {
  const root = resolve(options.root ?? DEFAULT_CONSOLE_ROOT);
  // serve: false — the route below decides what each path gets; the plugin gives reply.sendFile.
  await app.register(fastifyStatic, { root, serve: false });

  const sendIndex = (reply: FastifyReply) => {
    if (!existsSync(resolve(root, 'index.html'))) {
      return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html', root);
  };

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (reservedPath(path)) return reply.callNotFound();
    if (path !== '/' && !path.endsWith('/')) {
      const file = fileFor(root, path);
      if (file !== undefined && file !== resolve(root, 'index.html') && existsSync(file)) {
        const relativePath = file.slice(root.length + 1);
        // Vite names built assets by content hash: they never change.
        const immutable = relativePath.startsWith(`assets${sep}`);
        return reply.sendFile(relativePath, root, immutable ? { maxAge: '365d', immutable: true } : {});
      }
    }
    if (path === '/' || acceptsHtml(request)) return sendIndex(reply);
    return reply.callNotFound();
  };

  app.get('/', { schema: { hide: true } }, handler);
  app.get('/*', { schema: { hide: true } }, handler);
}

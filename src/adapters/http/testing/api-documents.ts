// Builds the app over throw-away in-memory stores only to read its OpenAPI document, and renders
// the two API documents from it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConsoleServices } from '../../../app/console.ts';
import { RiskEngine } from '../../../app/engine.ts';
import { loadRulePack } from '../../../app/rule-pack-file.ts';
import { openConsoleStore } from '../../db/console-store.ts';
import { openStore } from '../../db/open-store.ts';
import { consoleApiMarkdown, type OpenApiDocument } from '../api-docs.ts';
import { buildServer } from '../server.ts';

export interface ApiDocuments {
  openapi: string;
  markdown: string;
}

export async function generateApiDocuments(): Promise<ApiDocuments> {
  // The console's tables live beside the events, so it needs a file: a throw-away one.
  const folder = mkdtempSync(join(tmpdir(), 'refundguard-docs-'));
  const location = join(folder, 'docs.sqlite');
  const store = await openStore(location);
  const consoleStore = await openConsoleStore(location);
  const clock = Date.now;
  const engine = new RiskEngine(store, loadRulePack(), clock);
  const services = createConsoleServices({ engine, store, consoleStore, clock });
  const app = buildServer({ engine, store, console: services, clock });
  try {
    await app.ready();
    const document = app.swagger() as unknown as OpenApiDocument;
    return {
      openapi: `${JSON.stringify(document, null, 2)}\n`,
      markdown: consoleApiMarkdown(document),
    };
  } finally {
    await app.close();
    await services.close();
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

// Writes docs/openapi.json and docs/console-api.md from the app's routes and the zod schemas of
// src/contract (`npm run docs:api`); `--check` only reports whether the committed files are current.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateApiDocuments } from '../src/adapters/http/testing/api-documents.ts';

const files = {
  openapi: fileURLToPath(new URL('../docs/openapi.json', import.meta.url)),
  markdown: fileURLToPath(new URL('../docs/console-api.md', import.meta.url)),
};
const documents = await generateApiDocuments();
const check = process.argv.includes('--check');
let stale = 0;
for (const [name, path] of Object.entries(files)) {
  const text = documents[name as keyof typeof files];
  const current = (() => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return '';
    }
  })();
  if (current === text) continue;
  stale += 1;
  if (check) console.error(`${path} is out of date: run npm run docs:api`);
  else {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}
if (check && stale > 0) process.exit(1);

#!/usr/bin/env node
// Keeps the dependency direction honest: core ← app ← adapters. The core does no I/O and reads
// no clock; the app never reaches into an adapter. Prints each violation and exits non-zero.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const LAYERS = {
  'src/core': {
    forbiddenImports: [
      'src/app',
      'src/adapters',
      'src/sim',
      'node:fs',
      'node:net',
      'node:http',
      'pg',
      'better-sqlite3',
      'kysely',
      'fastify',
    ],
    forbiddenCode: [/\bDate\.now\(\)/, /\bMath\.random\(\)/],
  },
  'src/app': { forbiddenImports: ['src/adapters', 'pg', 'better-sqlite3', 'fastify'], forbiddenCode: [] },
};
const everywhere = [/\beval\(/, /\bnew Function\(/];

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.includes('/testing/')) yield path;
  }
}

const violations = [];
for (const file of files(join(root, 'src'))) {
  const rel = relative(root, file);
  const source = readFileSync(file, 'utf8');
  for (const pattern of everywhere) if (pattern.test(source)) violations.push(`${rel}: uses ${pattern}`);
  const layer = Object.keys(LAYERS).find((prefix) => rel.startsWith(`${prefix}/`));
  if (!layer) continue;
  const rules = LAYERS[layer];
  for (const match of source.matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)) {
    const specifier = match[1];
    const target = specifier.startsWith('.')
      ? relative(root, resolve(join(file, '..'), specifier))
      : specifier;
    if (
      rules.forbiddenImports.some((forbidden) => target === forbidden || target.startsWith(`${forbidden}/`))
    ) {
      violations.push(`${rel}: ${layer} must not import ${specifier}`);
    }
  }
  for (const pattern of rules.forbiddenCode)
    if (pattern.test(source)) violations.push(`${rel}: ${layer} must not use ${pattern}`);
}
if (violations.length > 0) {
  console.error(`Layer check failed:\n  ${violations.join('\n  ')}`);
  process.exit(1);
}
console.log('Layer check: core ← app ← adapters holds.');

#!/usr/bin/env node
// What import rules cannot see (those are in .dependency-cruiser.cjs): the domain core and the
// simulator read no clock and draw no unseeded randomness, so that a decision or a world is the
// same every time; the app takes its clock, and the code its environment, from the composition
// root; and no folder evaluates strings as code. Prints each violation, exits non-zero.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const CLOCK_AND_CHANCE = [
  /\bDate\.now\(\)/,
  /\bnew Date\(\s*\)/,
  /\bperformance\.now\(\)/,
  /\bMath\.random\(\)/,
  /\bcrypto\.(randomUUID|getRandomValues)\(/,
];
const RULES = [
  { folder: 'src/core', patterns: CLOCK_AND_CHANCE, why: 'decides as of the moment it is given' },
  { folder: 'src/sim', patterns: CLOCK_AND_CHANCE, why: 'is seeded: the same seed gives the same bytes' },
  {
    folder: 'src/app',
    patterns: [/\bDate\.now\(\)/, /\bnew Date\(\s*\)/],
    why: 'takes its clock from the composition root',
  },
  {
    folder: 'src',
    patterns: [/\bprocess\.env\b/],
    why: 'reads the environment once, in src/adapters/config (handed over by the CLI)',
    except: ['src/adapters/config/environment.ts', 'src/adapters/cli/main.ts'],
  },
  { folder: 'src', patterns: [/\beval\(/, /\bnew Function\(/], why: 'never evaluates text as code' },
  { folder: 'web/src', patterns: [/\beval\(/, /\bnew Function\(/], why: 'never evaluates text as code' },
];

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.tsx?$/.test(path) && !/\.test\.tsx?$/.test(path) && !path.includes('/testing/')) yield path;
  }
}

/** The source without comments, so that a comment may name what the code must not do. */
function code(source) {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const violations = [];
for (const rule of RULES) {
  for (const file of files(join(root, rule.folder))) {
    if (rule.except?.includes(relative(root, file))) continue;
    const source = code(readFileSync(file, 'utf8'));
    for (const pattern of rule.patterns) {
      if (pattern.test(source))
        violations.push(`${relative(root, file)}: uses ${pattern} (${rule.folder} ${rule.why})`);
    }
  }
}
if (violations.length > 0) {
  console.error(`Purity check failed:\n  ${violations.join('\n  ')}`);
  process.exit(1);
}
console.log('Purity check: core and simulator read no clock and draw no unseeded chance.');

// Licence check of the production dependencies (CI, `node scripts/check-licences.mjs`): every
// package that `npm ls --omit=dev` installs must carry a licence, as an SPDX expression, that is
// satisfied by the allow-list below: permissive licences that an Apache-2.0 project may ship.
// A package outside it fails the run, naming the package, its version and its licence; a package
// reviewed by hand goes into REVIEWED with the reason. Exit 0 when all pass, 1 otherwise.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ALLOWED = new Set([
  'MIT',
  'MIT-0',
  'ISC',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'Apache-2.0',
  '0BSD',
  'BlueOak-1.0.0',
  'CC0-1.0',
  'Unlicense',
  'Zlib',
  'Python-2.0',
]);

/** name@version → why it is accepted although its licence field is not on the list. */
const REVIEWED = new Map<string, string>();

/** Whether an SPDX expression (`MIT`, `(MIT OR Apache-2.0)`, `A AND B`, `X WITH exception`) is satisfied. */
export function satisfies(expression: string, allowed: ReadonlySet<string> = ALLOWED): boolean {
  const tokens = expression
    .replace(/[()]/g, (paren) => ` ${paren} `)
    .trim()
    .split(/\s+/);
  let at = 0;
  const peek = () => tokens[at];
  const take = () => tokens[at++];
  const primary = (): boolean => {
    if (peek() === '(') {
      take();
      const inner = or();
      if (take() !== ')') throw new Error(`unbalanced parentheses in ${JSON.stringify(expression)}`);
      return inner;
    }
    const id = take();
    if (id === undefined || id === ')')
      throw new Error(`not an SPDX expression: ${JSON.stringify(expression)}`);
    // An exception widens a licence, never narrows it; judge the licence itself.
    if (peek() === 'WITH') {
      take();
      take();
    }
    return allowed.has(id.replace(/\+$/, ''));
  };
  const and = (): boolean => {
    let value = primary();
    while (peek() === 'AND') {
      take();
      value = primary() && value;
    }
    return value;
  };
  const or = (): boolean => {
    let value = and();
    while (peek() === 'OR') {
      take();
      value = and() || value;
    }
    return value;
  };
  const result = or();
  if (at !== tokens.length) throw new Error(`not an SPDX expression: ${JSON.stringify(expression)}`);
  return result;
}

/** The licence of a package.json as an SPDX expression (the legacy `licenses` array as an OR). */
interface Manifest {
  name?: string;
  version?: string;
  license?: string | { type?: string };
  licenses?: (string | { type?: string })[];
}

export function licenceOf(manifest: Manifest): string | undefined {
  if (typeof manifest.license === 'string') return manifest.license;
  if (typeof manifest.license?.type === 'string') return manifest.license.type;
  if (Array.isArray(manifest.licenses)) {
    const types = manifest.licenses
      .map((entry) => (typeof entry === 'string' ? entry : entry?.type))
      .filter((type): type is string => typeof type === 'string');
    if (types.length > 0) return types.length === 1 ? types[0] : `(${types.join(' OR ')})`;
  }
  return undefined;
}

function main() {
  const root = join(import.meta.dirname, '..');
  const paths = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
    .split('\n')
    .filter((line) => line !== '' && line !== root);
  const problems: string[] = [];
  const counts = new Map<string, number>();
  for (const path of new Set(paths)) {
    const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as Manifest;
    const id = `${manifest.name}@${manifest.version}`;
    const licence = licenceOf(manifest);
    counts.set(licence ?? '(none)', (counts.get(licence ?? '(none)') ?? 0) + 1);
    if (REVIEWED.has(id)) continue;
    if (licence === undefined) problems.push(`${id}: no licence field`);
    else {
      let ok = false;
      try {
        ok = satisfies(licence);
      } catch (error) {
        problems.push(`${id}: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      if (!ok) problems.push(`${id}: ${licence} is not on the allow-list`);
    }
  }
  const summary = [...counts].sort((a, b) => b[1] - a[1]).map(([licence, n]) => `${n} ${licence}`);
  console.log(`Licences of ${new Set(paths).size} production packages: ${summary.join(', ')}.`);
  if (problems.length > 0) {
    console.error(`Licence check failed (allowed: ${[...ALLOWED].join(', ')}):`);
    for (const problem of problems) console.error(`  ${problem}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] === import.meta.filename) main();

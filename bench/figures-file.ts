// docs/figures.md is written by the benchmarks: each one replaces its own section (between
// `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`) with what it printed, stamped with the
// date, the machine and the commit, so that the figures in the repository are the last ones measured
// and say where they came from. Everything outside the markers (the history below) is kept as it is.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';

export const FIGURES_FILE = join(import.meta.dirname, '..', 'docs', 'figures.md');

const startMarker = (name: string) => `<!-- bench:${name}:start -->`;
const endMarker = (name: string) => `<!-- bench:${name}:end -->`;

/**
 * The document with section `name` holding `body` (markers included). Only the text between that
 * section's markers changes; a missing section is added after the last generated section, or before
 * the first heading `## History`, or at the end.
 */
export function replaceSection(document: string, name: string, body: string): string {
  const start = startMarker(name);
  const end = endMarker(name);
  const section = `${start}\n${body.replace(/\n+$/, '')}\n${end}`;
  const from = document.indexOf(start);
  if (from >= 0) {
    const to = document.indexOf(end, from + start.length);
    if (to < 0) throw new Error(`${start} has no ${end}`);
    return document.slice(0, from) + section + document.slice(to + end.length);
  }
  const lastSection = [...document.matchAll(/<!-- bench:[\w-]+:end -->/g)].at(-1);
  if (lastSection) {
    const at = lastSection.index + lastSection[0].length;
    return `${document.slice(0, at)}\n\n${section}${document.slice(at)}`;
  }
  const history = document.search(/^## History\b/m);
  if (history >= 0) return `${document.slice(0, history)}${section}\n\n${document.slice(history)}`;
  const separator = document === '' ? '' : document.endsWith('\n') ? '\n' : '\n\n';
  return `${document}${separator}${section}\n`;
}

function git(...args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: import.meta.dirname, encoding: 'utf8', stdio: 'pipe' }).trim();
  } catch {
    return undefined;
  }
}

/** Where and when the figures were taken: date, cores, memory, Node version, commit. */
export function provenance(now = new Date()): string {
  const commit = git('rev-parse', '--short', 'HEAD') ?? 'unknown';
  const dirty = git('status', '--porcelain', '--untracked-files=no');
  const memory = `${Math.round(totalmem() / 1024 ** 3)} GiB`;
  return (
    `${now.toISOString().slice(0, 16).replace('T', ' ')} UTC; ${availableParallelism()} cores, ${memory}, ` +
    `node ${process.version}; commit ${commit}${dirty ? ' with uncommitted changes' : ''}`
  );
}

/**
 * Starts copying what `console.log` prints (the output itself is unchanged); `lines()` returns it so
 * far. Progress bars go to stderr and are not copied.
 */
export function copyConsoleLog(): { lines: () => string[] } {
  const copied: string[] = [];
  const log = console.log.bind(console);
  console.log = (...values: unknown[]) => {
    log(...values);
    copied.push(
      ...values
        .map((value) => (typeof value === 'string' ? value : String(value)))
        .join(' ')
        .split('\n'),
    );
  };
  return { lines: () => copied };
}

/** Replaces section `name` of docs/figures.md with `lines` (what the bench printed) and its provenance. */
export function writeFiguresSection(
  name: string,
  command: string,
  lines: string[],
  file = FIGURES_FILE,
): void {
  const document = existsSync(file) ? readFileSync(file, 'utf8') : '# Figures\n';
  const printed = lines.join('\n').replace(/^\n+|\n+$/g, '');
  const body = `### \`${command}\`\n\n${provenance()}\n\n\`\`\`text\n${printed}\n\`\`\``;
  writeFileSync(file, replaceSection(document, name, body));
}

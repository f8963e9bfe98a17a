import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyConsoleLog, replaceSection, writeFiguresSection } from '../bench/figures-file.ts';

const DOCUMENT = [
  '# Figures',
  '',
  'Intro that no bench writes.',
  '',
  '<!-- bench:core:start -->',
  'old core figures',
  '<!-- bench:core:end -->',
  '',
  '<!-- bench:rings:start -->',
  'old ring figures',
  'on two lines',
  '<!-- bench:rings:end -->',
  '',
  '## History',
  '',
  '- 2026-11-26: hand-kept notes, with a stray `<!-- comment -->` and trailing spaces   ',
  '',
].join('\n');

describe('replaceSection', () => {
  it('replaces only its own section and leaves every other byte as it was', () => {
    const updated = replaceSection(DOCUMENT, 'core', 'new core figures\nsecond line\n');
    const before = DOCUMENT.slice(0, DOCUMENT.indexOf('<!-- bench:core:start -->'));
    const after = DOCUMENT.slice(
      DOCUMENT.indexOf('<!-- bench:core:end -->') + '<!-- bench:core:end -->'.length,
    );
    expect(updated).toBe(
      `${before}<!-- bench:core:start -->\nnew core figures\nsecond line\n<!-- bench:core:end -->${after}`,
    );
  });

  it('is idempotent: the same figures twice give the same document', () => {
    const once = replaceSection(DOCUMENT, 'rings', 'figures');
    expect(replaceSection(once, 'rings', 'figures')).toBe(once);
    expect(replaceSection(once, 'rings', 'old ring figures\non two lines')).toBe(DOCUMENT);
  });

  it('adds a missing section after the last generated one, keeping the rest byte-identical', () => {
    const updated = replaceSection(DOCUMENT, 'model', 'model figures');
    const at = DOCUMENT.indexOf('<!-- bench:rings:end -->') + '<!-- bench:rings:end -->'.length;
    expect(updated).toBe(
      `${DOCUMENT.slice(0, at)}\n\n<!-- bench:model:start -->\nmodel figures\n<!-- bench:model:end -->${DOCUMENT.slice(at)}`,
    );
  });

  it('adds the first section before the history, or at the end when there is none', () => {
    const withHistory = '# Figures\n\n## History\n\nold\n';
    expect(replaceSection(withHistory, 'core', 'x')).toBe(
      '# Figures\n\n<!-- bench:core:start -->\nx\n<!-- bench:core:end -->\n\n## History\n\nold\n',
    );
    expect(replaceSection('# Figures\n', 'core', 'x')).toBe(
      '# Figures\n\n<!-- bench:core:start -->\nx\n<!-- bench:core:end -->\n',
    );
    expect(replaceSection('', 'core', 'x')).toBe('<!-- bench:core:start -->\nx\n<!-- bench:core:end -->\n');
  });

  it('does not take another section whose name starts the same', () => {
    const document = '<!-- bench:core-http:start -->\nkeep\n<!-- bench:core-http:end -->\n';
    const updated = replaceSection(document, 'core', 'x');
    expect(updated.startsWith(document)).toBe(true);
    expect(updated).toContain('<!-- bench:core:start -->\nx\n<!-- bench:core:end -->');
  });

  it('refuses a section whose end marker is missing', () => {
    expect(() => replaceSection('<!-- bench:core:start -->\nhalf\n', 'core', 'x')).toThrow(
      /no <!-- bench:core:end -->/,
    );
  });
});

describe('writeFiguresSection', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes what the bench printed, with its provenance, into its section of the file', () => {
    dir = mkdtempSync(join(tmpdir(), 'figures-'));
    const file = join(dir, 'figures.md');
    writeFileSync(file, DOCUMENT);
    writeFiguresSection('rings', 'npm run bench:rings', ['', 'Graph', '  accounts   1,000,000', ''], file);
    const written = readFileSync(file, 'utf8');
    const section = written.slice(
      written.indexOf('<!-- bench:rings:start -->'),
      written.indexOf('<!-- bench:rings:end -->'),
    );
    expect(section).toContain('### `npm run bench:rings`');
    expect(section).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d UTC; \d+ cores, \d+ GiB, node v\d+[^;]*; commit \S+/);
    expect(section).toContain('```text\nGraph\n  accounts   1,000,000\n```');
    const outside = (text: string) =>
      text.slice(0, text.indexOf('<!-- bench:rings:start -->')) +
      text.slice(text.indexOf('<!-- bench:rings:end -->'));
    expect(outside(written)).toBe(outside(DOCUMENT));
  });
});

describe('copyConsoleLog', () => {
  it('copies the lines console.log prints without changing them', () => {
    const original = console.log;
    const shown: unknown[][] = [];
    console.log = (...values: unknown[]) => {
      shown.push(values);
    };
    try {
      const copy = copyConsoleLog();
      console.log('a', 42);
      console.log('b\nc');
      expect(shown).toEqual([['a', 42], ['b\nc']]);
      expect(copy.lines()).toEqual(['a 42', 'b', 'c']);
    } finally {
      console.log = original;
    }
  });
});

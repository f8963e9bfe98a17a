import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, projectPath } from './project-root.ts';

describe('the project root', () => {
  it('is the folder holding refundguard’s package.json', () => {
    const manifest = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { name: string };
    expect(manifest.name).toBe('refundguard');
    expect(projectPath('rules', 'default.yaml')).toBe(join(PROJECT_ROOT, 'rules', 'default.yaml'));
  });
});

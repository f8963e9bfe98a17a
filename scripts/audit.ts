// `npm audit --omit=dev` for CI, with a verdict that npm's exit status cannot give (it is 1 both
// for advisories found and for an advisory service that did not answer):
// - the service answered: fail on any high or critical advisory in a production dependency;
//   list moderate and low ones and pass (they are fixed by the routine dependency updates);
// - the service could not be reached or refused the request (some registry mirrors and
//   proxies serve packages but not advisories): warn, saying so, and pass — the licence check
//   and the lock file still hold, and the next run with the service decides.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const FAILING = ['high', 'critical'];

/** The verdict on `npm audit --json` output: exit code and the lines to print. */
interface AuditReport {
  message?: string;
  error?: { summary?: string };
  metadata?: { vulnerabilities?: Record<string, number> };
  vulnerabilities?: Record<
    string,
    {
      name: string;
      severity: string;
      range?: string;
      via?: (string | { title?: string; source?: number; url?: string })[];
    }
  >;
}

export function verdict(stdout: string): { code: number; lines: string[] } {
  let report: AuditReport;
  try {
    report = JSON.parse(stdout) as AuditReport;
  } catch {
    return {
      code: 0,
      lines: ['npm audit: WARNING: no report (the advisory service could not be reached); not checked'],
    };
  }
  const counts = report?.metadata?.vulnerabilities;
  if (counts === undefined) {
    const why = report?.error?.summary || report?.message || 'no report';
    return {
      code: 0,
      lines: [`npm audit: WARNING: the advisory service did not answer (${why}); not checked`],
    };
  }
  const lines: string[] = [];
  const found = Object.values(report.vulnerabilities ?? {});
  for (const entry of found) {
    const via = (entry.via ?? [])
      .map((item) => (typeof item === 'string' ? item : `${item.title ?? item.source} (${item.url ?? ''})`))
      .join('; ');
    lines.push(`  ${entry.severity.padEnd(8)} ${entry.name} ${entry.range ?? ''}: ${via}`);
  }
  const failing = FAILING.reduce((sum, level) => sum + (counts[level] ?? 0), 0);
  const summary = Object.entries(counts)
    .filter(([level, n]) => level !== 'total' && n > 0)
    .map(([level, n]) => `${n} ${level}`)
    .join(', ');
  lines.unshift(
    failing > 0
      ? `npm audit: FAILED: ${summary} advisories in production dependencies (high and critical fail the build)`
      : `npm audit: ${summary === '' ? 'no advisories' : `${summary} (below high: reported, not failing)`} in production dependencies`,
  );
  return { code: failing > 0 ? 1 : 0, lines };
}

function main() {
  const result = spawnSync('npm', ['audit', '--omit=dev', '--json'], {
    cwd: join(import.meta.dirname, '..'),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  const { code, lines } = verdict(result.stdout ?? '');
  for (const line of lines) (code === 0 ? console.log : console.error)(line);
  process.exitCode = code;
}

if (process.argv[1] === import.meta.filename) main();

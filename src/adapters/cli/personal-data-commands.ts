// `refundguard erase --account ID` (a GDPR erasure request) and `refundguard retention apply` (the
// retention policy), over the store's location. Both are audited. A running server reloads its
// state within 30 s of an erasure (ErasureWatch).
import { type Command, InvalidArgumentError } from 'commander';
import { AuditLog } from '../../app/audit.ts';
import {
  checkTranscriptRetention,
  ErasureRefusedError,
  ErasureService,
  RetentionService,
} from '../../app/personal-data.ts';
import type { Clock, PersonalDataStore } from '../../app/ports.ts';
import { loadRulePack } from '../../app/rule-pack-file.ts';
import type { Environment } from '../config/environment.ts';
import { loadPseudonymKey } from '../config/pseudonym-key.ts';
import { openConsoleStore } from '../db/console-store.ts';
import { progressBar } from './progress.ts';
import { auditTrustFor, type CommandContext, cliActor, dbOption, rulesOption } from './shared.ts';

/** The retention policy as configured, checked against the rule pack's text windows. */
export function retentionService(
  environment: Environment,
  rulesPath: string | undefined,
  store: PersonalDataStore,
  clock: Clock,
  audit: AuditLog,
): RetentionService {
  checkTranscriptRetention(environment.transcriptRetentionDays, loadRulePack(rulesPath).pack.rings);
  return new RetentionService(
    store,
    clock,
    {
      transcriptDays: environment.transcriptRetentionDays,
      apiAssessmentDays: environment.apiAssessmentRetentionDays,
    },
    audit,
  );
}

const nonEmpty = (value: string) => {
  if (value.trim() === '') throw new InvalidArgumentError('must not be empty');
  return value;
};

export function registerPersonalDataCommands(program: Command, { environment, clock }: CommandContext): void {
  program
    .command('erase')
    .description(
      "Answer a GDPR erasure request: pseudonymise the account's personal data in events, cases and assessments (audited); a running server reloads within 30 s",
    )
    .requiredOption('--account <id>', 'the customer account', nonEmpty)
    .option(
      '--override-hold <reason>',
      'erase an account under legal hold (fraud closure, open case); audited',
      nonEmpty,
    )
    .addOption(dbOption(environment.storeLocation))
    .action(async (options: { account: string; overrideHold?: string; db: string }) => {
      const consoleStore = await openConsoleStore(options.db);
      try {
        const service = new ErasureService(
          consoleStore.personalData,
          new AuditLog(consoleStore, clock, auditTrustFor(options.db, environment)),
          loadPseudonymKey(environment, options.db),
        );
        const summary = await service.erase({
          accountId: options.account,
          actor: cliActor(),
          overrideHold: options.overrideHold,
        });
        if (summary.events === 0)
          console.error(`No events of account ${summary.accountId}: nothing of theirs is stored.`);
        const kinds = Object.entries(summary.erased)
          .filter(([, count]) => count > 0)
          .map(([kind, count]) => `${kind} ${count}`);
        const rows = Object.entries(summary.rows).map(([table, count]) => `${table} ${count}`);
        console.log(
          `Erased account ${summary.accountId}: ${summary.events} events read; values replaced: ${kinds.join(', ') || 'none'}; rows changed: ${rows.join(', ') || 'none'}.`,
        );
        if (summary.holds.length > 0)
          console.log(`Legal hold overridden (${summary.holds.map((hold) => hold.ref).join(', ')}).`);
        console.log(
          'A tombstone is in the audit log. A running `serve` reloads its state from the events within 30 s.',
        );
      } catch (error) {
        if (!(error instanceof ErasureRefusedError)) throw error;
        console.error(`refundguard: ${error.message}`);
        process.exitCode = 1;
      } finally {
        await consoleStore.close();
      }
    });

  const retention = program
    .command('retention')
    .description('The retention policy for transcripts and what-if assessments');
  retention
    .command('apply')
    .description(
      `Strip contact transcripts older than ${environment.transcriptRetentionDays} days and delete API assessments older than ${environment.apiAssessmentRetentionDays} days (env REFUNDGUARD_TRANSCRIPT_RETENTION_DAYS, REFUNDGUARD_API_ASSESSMENT_RETENTION_DAYS)`,
    )
    .addOption(dbOption(environment.storeLocation))
    .addOption(rulesOption(environment.rulePackPath))
    .action(async (options: { db: string; rules?: string }) => {
      const consoleStore = await openConsoleStore(options.db);
      try {
        const service = retentionService(
          environment,
          options.rules,
          consoleStore.personalData,
          clock,
          new AuditLog(consoleStore, clock, auditTrustFor(options.db, environment)),
        );
        const bar = progressBar('Retention', 'contacts');
        const summary = await service.apply((seen) => bar.update(seen, seen));
        bar.stop();
        console.log(
          `Retention applied: ${summary.transcriptsRedacted} transcripts older than ${service.policy.transcriptDays} days stripped, ${summary.apiAssessmentsDeleted} API assessments older than ${service.policy.apiAssessmentDays} days deleted.`,
        );
      } finally {
        await consoleStore.close();
      }
    });
}

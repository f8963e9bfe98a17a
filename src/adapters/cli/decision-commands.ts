// `refundguard model …`, `policy …` and `shadow …`: the retailer's say over its decisions from the
// command line. Changes are audited by the operating-system user; a running server picks them up
// within a minute (it re-reads the promoted model, the policy and the shadow candidate).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AuditLog } from '../../app/audit.ts';
import { table } from '../../app/evaluation.ts';
import { DecisionSettings } from '../../app/learning/decision-settings.ts';
import { ModelLearning } from '../../app/learning/model-learning.ts';
import type { TrainingResult } from '../../app/learning/model-training.ts';
import type { DecisionPolicyInput } from '../../core/evidence/evidence-pack.ts';
import type { PolicyRun, ThresholdRow } from '../../core/evidence/policy-simulation.ts';
import type { ModelMetrics } from '../../core/evidence/refund-model.ts';
import { openConsoleStore } from '../db/console-store.ts';
import {
  auditTrustFor,
  type CommandContext,
  cliActor,
  dbOption,
  decimal,
  integer,
  openEngine,
  rulesOption,
} from './shared.ts';

async function withSettings<T>(
  options: { db: string; rules?: string },
  { clock, environment }: CommandContext,
  work: (settings: DecisionSettings) => Promise<T>,
): Promise<T> {
  const { store, engine } = await openEngine(options.db, options.rules, clock);
  const consoleStore = await openConsoleStore(options.db);
  try {
    const settings = new DecisionSettings({
      engine,
      store,
      learning: new ModelLearning(store, clock),
      audit: new AuditLog(consoleStore, clock, auditTrustFor(options.db, environment)),
      clock,
    });
    return await work(settings);
  } finally {
    await consoleStore.close();
    await store.close();
  }
}

const percent = (value: number | null | undefined) => (value == null ? '–' : `${(value * 100).toFixed(1)} %`);
const usd = (value: number) => `${Math.round(value).toLocaleString('en-US')} USD`;
const number = (value: number | null | undefined, digits = 3) =>
  value == null ? '–' : value.toFixed(digits);
const day = (at: number | null) => (at === null ? '–' : new Date(at).toISOString().slice(0, 10));

function metricsRow(name: string, metrics: ModelMetrics): string[] {
  return [
    name,
    String(metrics.refunds),
    String(metrics.fraud),
    number(metrics.logLoss),
    number(metrics.brier),
    number(metrics.auc),
  ];
}

function printTraining(result: TrainingResult, promoted: boolean): void {
  if (result.kind === 'too-few-labels') {
    console.log(`No model: ${result.message}. The measured evidence keeps deciding alone.`);
    return;
  }
  const { model } = result;
  console.log(
    `Model ${model.version}: ${model.labels.fraud} fraud and ${model.labels.honest} honest labelled refunds before ${new Date(model.labelsBefore).toISOString()}, trained in ${model.trainingMs} ms.`,
  );
  for (const line of table(
    ['', 'refunds', 'fraud', 'log loss', 'Brier', 'ROC AUC'],
    [
      metricsRow('training', model.training),
      metricsRow(`held out (from ${day(model.holdout.from)}), this model`, model.holdout.model),
      metricsRow(`held out, live (${model.holdout.liveVersion})`, model.holdout.live),
    ],
  ))
    console.log(`  ${line}`);
  console.log(`  evidence weight ${number(model.evidenceWeight)}, intercept ${number(model.intercept)}`);
  console.log(
    promoted
      ? 'Promoted: it beats the live scorer on the held-out period.'
      : 'Not promoted: it does not beat the live scorer on the held-out period.',
  );
}

function policyFromOptions(options: Record<string, unknown>, base: DecisionPolicyInput): DecisionPolicyInput {
  const policy: DecisionPolicyInput = { ...base };
  if (options.reviewShare !== undefined) policy.reviewCapacity = { share: options.reviewShare as number };
  if (options.reviewPerDay !== undefined) policy.reviewCapacity = { perDay: options.reviewPerDay as number };
  if (options.denyPrecision !== undefined) policy.denyPrecision = options.denyPrecision as number;
  if (options.reviewFrom !== undefined) policy.reviewFrom = options.reviewFrom as number;
  if (options.returnFirstFrom !== undefined) policy.returnFirstFrom = options.returnFirstFrom as number;
  if (options.windowDays !== undefined) policy.windowDays = options.windowDays as number;
  return policy;
}

function hasPolicyOptions(options: Record<string, unknown>): boolean {
  return ['reviewShare', 'reviewPerDay', 'denyPrecision', 'reviewFrom', 'returnFirstFrom', 'windowDays'].some(
    (key) => options[key] !== undefined,
  );
}

function policyOptions(command: Command): Command {
  return command
    .option('--review-share <share>', 'review capacity as a share of refunds (0..1)', decimal)
    .option('--review-per-day <n>', 'review capacity as refunds per day', decimal)
    .option('--deny-precision <p>', 'deny only where the denied would be fraud this often (0..1)', decimal)
    .option('--review-from <p>', 'never review below this probability of fraud', decimal)
    .option('--return-first-from <p>', 'ask for the goods back first from this probability', decimal)
    .option('--window-days <n>', 'days of past decisions the bands are read from', integer);
}

function printThresholds(rows: ThresholdRow[]): void {
  for (const line of table(
    [
      'score ≥',
      'to people',
      'share',
      'per day',
      'fraud value stopped',
      'honest bothered',
      'expected fraud value',
      'expected honest',
    ],
    rows.map((row) => [
      row.threshold.toFixed(2),
      String(row.flagged),
      percent(row.flaggedShare),
      row.flaggedPerDay.toFixed(1),
      `${usd(row.fraudValueStoppedUsd)} (${percent(row.labelledFraudValueUsd > 0 ? row.fraudValueStoppedUsd / row.labelledFraudValueUsd : null)})`,
      `${row.honestBothered} (${percent(row.labelledHonest > 0 ? row.honestBothered / row.labelledHonest : null)})`,
      usd(row.expectedFraudValueUsd),
      row.expectedHonestBothered.toFixed(0),
    ]),
  ))
    console.log(`  ${line}`);
}

function printRun(name: string, run: PolicyRun): void {
  const { decisions } = run;
  const busiest = run.days.reduce((most, entry) => Math.max(most, entry.reviewed), 0);
  console.log(
    `${name}: approve ${decisions.approve}, return first ${decisions.return_first}, review ${decisions.review}, deny ${decisions.deny}; ` +
      `busiest day ${busiest} reviews. Labelled: fraud value stopped ${usd(run.fraudValueStoppedUsd)} of ${usd(run.labelledFraudValueUsd)} ` +
      `(${percent(run.labelledFraudValueUsd > 0 ? run.fraudValueStoppedUsd / run.labelledFraudValueUsd : null)}), honest bothered ` +
      `${run.honestBothered} of ${run.labelledHonest} (${percent(run.labelledHonest > 0 ? run.honestBothered / run.labelledHonest : null)}), ` +
      `not approved ${run.honestNotApproved}. Expected from the scores: ${usd(run.expectedFraudValueUsd)} stopped, ${run.expectedHonestBothered.toFixed(0)} honest bothered.`,
  );
}

export function registerDecisionCommands(program: Command, context: CommandContext): void {
  const { environment } = context;
  const model = program.command('model').description('Models learned from the retailer’s labelled outcomes');
  model
    .command('train')
    .description(
      'Train on every label in the store; promote if it beats the live model on a later held-out period',
    )
    .addOption(dbOption(environment.storeLocation))
    .addOption(rulesOption(environment.rulePackPath))
    .action(async (options) => {
      await withSettings(options, context, async (settings) => {
        const report = await settings.train(cliActor());
        printTraining(report.result, report.promoted);
      });
    });
  model
    .command('list')
    .addOption(dbOption(environment.storeLocation))
    .addOption(rulesOption(environment.rulePackPath))
    .action(async (options) => {
      await withSettings(options, context, async (settings) => {
        const models = await settings.models();
        if (models.length === 0) console.log('No models yet: the measured evidence decides alone.');
        for (const line of table(
          [
            'version',
            'status',
            'labels (fraud/honest)',
            'labels before',
            'held-out log loss (model / live)',
            'held-out AUC (model / live)',
          ],
          models.map(({ model: entry, status }) => [
            entry.version,
            status,
            `${entry.labels.fraud}/${entry.labels.honest}`,
            day(entry.labelsBefore),
            `${number(entry.holdout.model.logLoss)} / ${number(entry.holdout.live.logLoss)}`,
            `${number(entry.holdout.model.auc)} / ${number(entry.holdout.live.auc)}`,
          ]),
        ))
          console.log(line);
      });
    });
  for (const [name, description] of [
    ['promote', 'Put a stored model in force'],
    ['retire', 'Take a model out of force (the measured evidence decides alone again)'],
  ] as const)
    model
      .command(name)
      .description(description)
      .argument('<version>')
      .addOption(dbOption(environment.storeLocation))
      .addOption(rulesOption(environment.rulePackPath))
      .action(async (version: string, options) => {
        await withSettings(options, context, async (settings) => {
          const result =
            name === 'promote'
              ? await settings.promote(cliActor(), version)
              : await settings.retire(cliActor(), version);
          if (!result.ok) {
            console.error(result.problems.map((problem) => `${problem.field}: ${problem.reason}`).join('\n'));
            process.exitCode = 1;
          } else console.log(`${version} is ${result.value.status}.`);
        });
      });

  const policy = program
    .command('policy')
    .description('The retailer’s decision policy: review capacity, precision before denying');
  policy
    .command('show')
    .addOption(dbOption(environment.storeLocation))
    .addOption(rulesOption(environment.rulePackPath))
    .action(async (options) => {
      await withSettings(options, context, async (settings) => {
        const view = await settings.policy();
        console.log(JSON.stringify(view.effective, null, 2));
        const latest = view.history[0];
        console.log(
          latest
            ? `(version ${latest.version}, set by ${latest.createdBy} on ${new Date(latest.createdAt).toISOString()})`
            : '(the rule pack’s default)',
        );
      });
    });
  policyOptions(
    policy
      .command('set')
      .description('Change the policy (audited); options not given keep their current value')
      .option('--note <text>', 'why')
      .addOption(dbOption(environment.storeLocation))
      .addOption(rulesOption(environment.rulePackPath)),
  ).action(async (options) => {
    await withSettings(options, context, async (settings) => {
      const current = (await settings.policy()).effective;
      const result = await settings.setPolicy(cliActor(), policyFromOptions(options, current), options.note);
      if (!result.ok) {
        console.error(result.problems.map((problem) => `${problem.field}: ${problem.reason}`).join('\n'));
        process.exitCode = 1;
        return;
      }
      console.log(
        `Policy version ${result.value.version} set:\n${JSON.stringify(result.value.policy, null, 2)}`,
      );
    });
  });
  policyOptions(
    policy
      .command('simulate')
      .description(
        'What thresholds and policies would have done on the stored history (options: a proposed policy)',
      )
      .option('--from <time>', 'refunds requested from (RFC 3339)')
      .option('--to <time>', 'refunds requested before (RFC 3339)')
      .option('--json', 'print JSON', false)
      .addOption(dbOption(environment.storeLocation))
      .addOption(rulesOption(environment.rulePackPath)),
  ).action(async (options) => {
    await withSettings(options, context, async (settings) => {
      const current = (await settings.policy()).effective;
      const proposal = hasPolicyOptions(options) ? policyFromOptions(options, current) : undefined;
      const from = options.from ? Date.parse(options.from) : undefined;
      const to = options.to ? Date.parse(options.to) : undefined;
      const result = settings.simulate(proposal, from, to);
      if (!result.ok) {
        console.error(result.problems.map((problem) => `${problem.field}: ${problem.reason}`).join('\n'));
        process.exitCode = 1;
        return;
      }
      const simulation = result.value;
      if (options.json) {
        console.log(JSON.stringify(simulation, null, 2));
        return;
      }
      console.log(
        `${simulation.refunds} refunds from ${day(simulation.from)} to ${day(simulation.to)}, ${simulation.labelled} with a known outcome.\n`,
      );
      console.log('Each threshold, alone (refunds at or above it go to people or are denied):');
      printThresholds(simulation.thresholds);
      console.log('');
      printRun('The policy in force', simulation.current);
      if (simulation.proposed) printRun('The proposed policy', simulation.proposed);
    });
  });

  const shadow = program
    .command('shadow')
    .description('Try a candidate rule pack or model beside the live one');
  shadow
    .command('start')
    .description('Start a candidate in shadow (a running server picks it up within a minute)')
    .option('--pack <file>', 'candidate rule pack YAML')
    .option('--model <version>', 'candidate stored model')
    .addOption(dbOption(environment.storeLocation))
    .addOption(rulesOption(environment.rulePackPath))
    .action(async (options) => {
      await withSettings(options, context, async (settings) => {
        const result = await settings.startShadow(cliActor(), {
          packText: options.pack ? readFileSync(options.pack, 'utf8') : undefined,
          modelVersion: options.model,
        });
        if (!result.ok) {
          console.error(result.problems.map((problem) => `${problem.field}: ${problem.reason}`).join('\n'));
          process.exitCode = 1;
        } else console.log(`Shadow candidate ${result.value.candidate} started.`);
      });
    });
  shadow
    .command('stop')
    .addOption(dbOption(environment.storeLocation))
    .addOption(rulesOption(environment.rulePackPath))
    .action(async (options) => {
      await withSettings(options, context, async (settings) => {
        await settings.stopShadow(cliActor());
        console.log('Shadow stopped.');
      });
    });
  shadow
    .command('report')
    .description('The candidate’s decisions against the live ones')
    .option('--json', 'print JSON', false)
    .addOption(dbOption(environment.storeLocation))
    .addOption(rulesOption(environment.rulePackPath))
    .action(async (options) => {
      await withSettings(options, context, async (settings) => {
        const report = await settings.shadowReport();
        if (options.json) console.log(JSON.stringify(report, null, 2));
        else {
          console.log(
            `Candidate ${report.candidate ?? 'none'}: ${report.decisions} decisions beside the live ones.`,
          );
          const decisions = ['approve', 'return_first', 'review', 'deny'];
          for (const line of table(
            ['live \\ candidate', ...decisions],
            decisions.map((live) => [
              live,
              ...decisions.map((candidate) => String(report.agreement[live]?.[candidate] ?? 0)),
            ]),
          ))
            console.log(`  ${line}`);
          console.log(
            `  flagged by the candidate only: ${report.onlyCandidateFlags}; by the live decider only: ${report.onlyLiveFlags}. ` +
              `Among ${report.labelled.refunds} labelled: live flags ${report.labelled.live.fraud} fraud / ${report.labelled.live.honest} honest, ` +
              `candidate ${report.labelled.candidate.fraud} / ${report.labelled.candidate.honest}.`,
          );
        }
      });
    });
}

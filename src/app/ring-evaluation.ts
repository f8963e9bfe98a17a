// Scores detected rings (replay's rings.jsonl) against ground truth: which gang each labelled
// fraudulent account worked for (`gangId` on account or refund labels).
//
// Definitions:
// - A gang's *clients* are the accounts labelled with its gangId; gangs with fewer than
//   `minClients` clients are listed but not counted in the recovery rate.
// - A ring's *purity* for a gang is the share of the ring's members that are that gang's clients.
// - A gang is *recovered* when some ring is at least `minPurity` its own and holds at least
//   `minClients` of its clients (the bar). Coverage, the share of its refunding clients in
//   that ring and in all of its pure rings, says how much of the gang was seen: a gang of several
//   refunders often comes back as one ring per refunder.
// - Rings whose members are mostly unlabelled or honest are counted as false rings.
import { z } from 'zod';
import { table } from './evaluation.ts';
import { isFraudLabel, type LabelRecord } from './labels.ts';

export const ringResultSchema = z.looseObject({
  ringId: z.string().min(1),
  accountIds: z.array(z.string()),
  agentIds: z.array(z.string()).optional(),
  score: z.number(),
});
export type RingResultLine = z.infer<typeof ringResultSchema>;

export interface RingEvaluationOptions {
  minClients: number;
  minPurity: number;
}

export const DEFAULT_RING_EVALUATION: RingEvaluationOptions = {
  minClients: 5,
  minPurity: 0.9,
};

export interface GangFigures {
  gangId: string;
  clients: number;
  /** Clients that asked for at least one refund (labelled refunds name the account). */
  refundingClients: number;
  /** The ring holding most of the gang's clients. */
  bestRingId: string | undefined;
  bestRingMembers: number;
  /** Of the best ring's members, the gang's own clients. */
  bestRingOwn: number;
  purity: number | null;
  /** Share of the refunding clients in the best ring. */
  coverage: number | null;
  /** Share of the refunding clients in any ring at least `minPurity` the gang's own. */
  coverageByPureRings: number;
  rings: number;
  recovered: boolean;
}

export interface RingEvaluation {
  options: RingEvaluationOptions;
  rings: number;
  invalid: number;
  gangs: GangFigures[];
  /** Gangs with at least minClients clients, and how many were recovered. */
  eligibleGangs: number;
  recoveredGangs: number;
  /** Rings with a fraudulent majority, and their members' share of fraud accounts overall. */
  fraudMajorityRings: number;
  memberPrecision: number | null;
}

export function evaluateRings(
  labels: LabelRecord[],
  results: unknown[],
  options: RingEvaluationOptions = DEFAULT_RING_EVALUATION,
): RingEvaluation {
  const gangOf = new Map<string, string>();
  const fraudAccounts = new Set<string>();
  const refunding = new Set<string>();
  for (const label of labels) {
    const accountId = label.subject === 'account' ? label.subjectId : label.accountId;
    if (label.subject === 'refund' && label.accountId) refunding.add(label.accountId);
    if (!accountId || !isFraudLabel(label)) continue;
    fraudAccounts.add(accountId);
    if (label.gangId && label.scheme !== 'insider' && label.subject !== 'agent')
      gangOf.set(accountId, label.gangId);
  }
  const rings: RingResultLine[] = [];
  let invalid = 0;
  for (const result of results) {
    const parsed = ringResultSchema.safeParse(result);
    if (parsed.success) rings.push(parsed.data);
    else invalid += 1;
  }

  const clientsOf = new Map<string, string[]>();
  for (const [accountId, gangId] of gangOf)
    clientsOf.set(gangId, [...(clientsOf.get(gangId) ?? []), accountId]);

  const gangs: GangFigures[] = [...clientsOf.entries()]
    .sort(([left], [right]) => left.localeCompare(right, 'en', { numeric: true }))
    .map(([gangId, clients]) => {
      const refundingClients = clients.filter((client) => refunding.has(client));
      let best: { ring: RingResultLine; own: number } | undefined;
      let touched = 0;
      const inPureRings = new Set<string>();
      for (const ring of rings) {
        const own = ring.accountIds.filter((accountId) => gangOf.get(accountId) === gangId).length;
        if (own === 0) continue;
        touched += 1;
        if (own / ring.accountIds.length >= options.minPurity)
          for (const accountId of ring.accountIds)
            if (gangOf.get(accountId) === gangId) inPureRings.add(accountId);
        if (!best || own > best.own) best = { ring, own };
      }
      const purity = best ? best.own / best.ring.accountIds.length : null;
      const bestRefunding = best
        ? best.ring.accountIds.filter(
            (accountId) => gangOf.get(accountId) === gangId && refunding.has(accountId),
          ).length
        : 0;
      const coverage = refundingClients.length > 0 ? bestRefunding / refundingClients.length : null;
      const pureRefunding = refundingClients.filter((client) => inPureRings.has(client)).length;
      return {
        gangId,
        clients: clients.length,
        refundingClients: refundingClients.length,
        bestRingId: best?.ring.ringId,
        bestRingMembers: best?.ring.accountIds.length ?? 0,
        bestRingOwn: best?.own ?? 0,
        purity,
        coverage,
        coverageByPureRings: refundingClients.length > 0 ? pureRefunding / refundingClients.length : 0,
        rings: touched,
        recovered: purity !== null && purity >= options.minPurity && (best?.own ?? 0) >= options.minClients,
      };
    });
  const eligible = gangs.filter((gang) => gang.refundingClients >= options.minClients);
  let members = 0;
  let fraudMembers = 0;
  let fraudMajorityRings = 0;
  for (const ring of rings) {
    const fraud = ring.accountIds.filter((accountId) => fraudAccounts.has(accountId)).length;
    members += ring.accountIds.length;
    fraudMembers += fraud;
    if (fraud * 2 > ring.accountIds.length) fraudMajorityRings += 1;
  }
  return {
    options,
    rings: rings.length,
    invalid,
    gangs,
    eligibleGangs: eligible.length,
    recoveredGangs: eligible.filter((gang) => gang.recovered).length,
    fraudMajorityRings,
    memberPrecision: members > 0 ? fraudMembers / members : null,
  };
}

const percent = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(1)}%`);

export function formatRingEvaluation(evaluation: RingEvaluation): string {
  const { options } = evaluation;
  const lines = [
    'Rings against gang labels',
    `  rings ${evaluation.rings} (${evaluation.fraudMajorityRings} with a fraudulent majority); members that are fraud accounts ${percent(evaluation.memberPrecision)}`,
    `  gangs with >= ${options.minClients} refunding clients recovered (a ring >= ${percent(options.minPurity)} their own, with >= ${options.minClients} of them): ${evaluation.recoveredGangs} of ${evaluation.eligibleGangs}`,
    '',
  ];
  const header = [
    'gang',
    'clients',
    'refunding',
    'rings',
    'best ring',
    'own/members',
    'purity',
    'coverage',
    'in pure rings',
    'recovered',
  ];
  const rows = evaluation.gangs.map((gang) => [
    gang.gangId,
    String(gang.clients),
    String(gang.refundingClients),
    String(gang.rings),
    gang.bestRingId ?? '–',
    `${gang.bestRingOwn}/${gang.bestRingMembers}`,
    percent(gang.purity),
    percent(gang.coverage),
    percent(gang.coverageByPureRings),
    gang.refundingClients < options.minClients ? 'n/a' : gang.recovered ? 'yes' : 'NO',
  ]);
  lines.push(...table(header, rows).map((line) => `  ${line}`));
  return lines.join('\n');
}

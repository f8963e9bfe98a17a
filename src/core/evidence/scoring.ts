// From an observation to a probability: the prior odds, plus each family's measured weight for
// the level shown (naive Bayes: families are written so that they ask different questions), then,
// when a model is promoted, its learned rescaling and corrections. The contributions it returns
// are exactly the terms of the log odds, so the reasons an agent reads are the score itself.
import type { Reason } from '../decisions.ts';
import { renderText } from '../rules/conditions.ts';
import { type CompiledEvidence, type Observation, OUTSIDE } from './compiled-evidence.ts';
import type { EvidenceWeights } from './evidence-rates.ts';
import type { BoundModel } from './refund-model.ts';

export interface FamilyContribution {
  family: string;
  /** The level shown, or `none`. */
  level: string;
  /** Its term in the log odds. */
  weight: number;
  /** The measured share of honest refunds in the family's population that show it. */
  honestShare: number;
}

export interface RefundScore {
  /** The probability that the refund is fraud. */
  probability: number;
  logit: number;
  /** The log odds from the measured evidence alone, before any model (the prior's included). */
  evidenceLogit: number;
  /** The prior log odds the evidence started from (the window's share of fraud). */
  priorLogit: number;
  /** One per family the refund is in, in pack order. */
  contributions: FamilyContribution[];
  modelVersion: string | null;
}

export function logit(probability: number): number {
  return Math.log(probability / (1 - probability));
}

export function sigmoid(value: number): number {
  return 1 / (1 + Math.exp(-value));
}

export function scoreObservation(
  evidence: CompiledEvidence,
  observation: Observation,
  weights: EvidenceWeights,
  fraudPrior: number,
  model?: BoundModel,
  /** How much each family's measured weight counts (see evidenceRates.evidenceScale). */
  scale = 1,
): RefundScore {
  const priorLogit = logit(fraudPrior);
  let evidenceLogit = priorLogit;
  const contributions: FamilyContribution[] = [];
  const rescale = model?.model.evidenceWeight ?? 1;
  // A model learns its own base rate (its intercept) from the labels: the window's prior, which
  // moves as the window's decisions do, is left out of what it rescales.
  let total = model ? model.model.intercept : priorLogit;
  evidence.families.forEach((family, index) => {
    const shown = observation[index] as number;
    if (shown === OUTSIDE) return;
    const measured = scale * ((weights.weights[index] as Float64Array)[shown] as number);
    evidenceLogit += measured;
    const weight = model ? rescale * measured + model.correction(index, shown) : measured;
    total += weight;
    contributions.push({
      family: family.family,
      level: family.levels[shown]?.id ?? 'none',
      weight,
      honestShare: (weights.honestShares[index] as Float64Array)[shown] as number,
    });
  });
  return {
    probability: sigmoid(total),
    logit: total,
    evidenceLogit,
    priorLogit,
    contributions,
    modelVersion: model?.version ?? null,
  };
}

/** A reason with the weight it carried in the score (log odds; negative when it speaks for the customer). */
export interface WeightedReason extends Reason {
  weight: number;
}

/**
 * The reasons of a score, in words: the terms that raise it most first, then those that lower it
 * (trust: an old account, the customer's own device, a cheap item), each with the measured share.
 */
export function reasonsOf(
  evidence: CompiledEvidence,
  score: RefundScore,
  context: Record<string, unknown>,
  /** Terms smaller than this are not worth a sentence. */
  minWeight = 0.4,
): { risk: WeightedReason[]; trust: WeightedReason[] } {
  const risk: WeightedReason[] = [];
  const trust: WeightedReason[] = [];
  for (const contribution of score.contributions) {
    if (Math.abs(contribution.weight) < minWeight) continue;
    const index = evidence.familyIndexOf(contribution.family) as number;
    const family = evidence.families[index];
    if (!family) continue;
    const level = family.levels.find((candidate) => candidate.id === contribution.level);
    const wording = level ?? family.none;
    if (!wording) continue;
    const share = formatShare(contribution.honestShare);
    const reason: WeightedReason = {
      code: wording.reason,
      text: `${renderText(wording.text, context)} (${share} of this retailer's honest refunds like it show this.)`,
      weight: round(contribution.weight),
    };
    (contribution.weight > 0 ? risk : trust).push(reason);
  }
  risk.sort((left, right) => right.weight - left.weight);
  trust.sort((left, right) => left.weight - right.weight);
  return { risk, trust };
}

function formatShare(share: number): string {
  if (share >= 0.095) return `${Math.round(share * 100)} %`;
  if (share >= 0.0095) return `${(share * 100).toFixed(1)} %`;
  return `1 in ${Math.max(100, Math.round(1 / share)).toLocaleString('en-US')}`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

import { describe, expect, it } from 'vitest';
import { matchPlaybook } from './playbook.ts';

describe('matchPlaybook', () => {
  it('finds the refunder script in English', () => {
    const match = matchPlaybook(
      'The box arrived empty. It weighed 120 grams, check the carrier weight. I want a supervisor now, or I will file a chargeback and I already have a police report number.',
    );
    expect(match.tactics).toEqual(
      expect.arrayContaining([
        'empty_box',
        'weight_argument',
        'escalation',
        'chargeback_threat',
        'police_report',
      ]),
    );
    expect(match.manipulationCount).toBeGreaterThanOrEqual(4);
  });

  it('finds it in French and German, with or without accents', () => {
    expect(
      matchPlaybook(
        "Le colis est arrivé vide, le poids ne correspond pas. Je veux parler à un responsable, sinon j'appelle ma banque.",
      ).tactics,
    ).toEqual(expect.arrayContaining(['empty_box', 'weight_argument', 'escalation', 'chargeback_threat']));
    expect(
      matchPlaybook(
        'Das Paket ist nie angekommen. Ich habe Anzeige erstattet bei der Polizei und verlange sofort einen Vorgesetzten.',
      ).tactics,
    ).toEqual(expect.arrayContaining(['not_received', 'police_report', 'escalation', 'pressure']));
  });

  it('does not see manipulation in an honest lost-parcel message', () => {
    const match = matchPlaybook(
      "Hi, my order hasn't arrived yet and tracking hasn't moved for a week. Could you help?",
    );
    expect(match.tactics).toEqual(['not_received']);
    expect(match.manipulationCount).toBe(0);
  });
});

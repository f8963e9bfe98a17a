// The playbook, tactic by tactic, in English, French and German (with and without accents), and
// honest messages in each language that must not read as manipulation.
import { describe, expect, it } from 'vitest';
import { matchPlaybook, type Tactic } from './playbook.ts';

const CASES: Record<Tactic, Record<'en' | 'fr' | 'de', string[]>> = {
  not_received: {
    en: ['The parcel never arrived.', 'It says delivered but I have not received anything.'],
    fr: ["Je n'ai jamais reçu mon colis.", "Le colis n'est pas arrivé."],
    de: ['Das Paket ist nie angekommen.', 'Ich habe die Ware nicht erhalten.'],
  },
  empty_box: {
    en: ['The box arrived empty.', 'I got an empty package, nothing inside.'],
    fr: ['Le colis est arrivé vide.', 'La boîte était vide.'],
    de: ['Das Paket war leer.', 'Ich habe einen leeren Karton bekommen.'],
  },
  missing_item: {
    en: ['One item is missing from the order.', 'You sent the wrong item.'],
    fr: ['Il y a un article manquant.', "J'ai reçu le mauvais produit."],
    de: ['Ein Artikel fehlt.', 'Sie haben den falschen Artikel geschickt.'],
  },
  weight_argument: {
    en: ['The shipping label says it weighed 120 g.', 'Check the weight, it was 0.2 kg.'],
    fr: ['Le poids du colis était de 150 g.', 'Le carton pesait presque rien.'],
    de: ['Das Gewicht des Pakets war nur 150 g.', 'Das Paket wog fast nichts.'],
  },
  escalation: {
    en: ['I want to speak to a supervisor.', 'Escalate this to your manager.'],
    fr: ['Je veux parler à un responsable.', 'Passez-moi votre supérieur.'],
    de: ['Ich will mit einem Vorgesetzten sprechen.', 'Bitte eskalieren Sie das an den Teamleiter.'],
  },
  chargeback_threat: {
    en: ['I will file a chargeback.', 'I will dispute the charge with my bank.'],
    fr: ['Je vais faire une opposition bancaire.', 'Je vais contester le paiement auprès de ma banque.'],
    de: ['Ich lasse die Zahlung zurückbuchen.', 'Ich mache eine Rückbuchung über meine Bank.'],
  },
  police_report: {
    en: ['I filed a police report.', 'Here is my case number 55-1203.'],
    fr: ["J'ai déposé plainte au commissariat.", 'La gendarmerie a enregistré ma plainte.'],
    de: ['Ich habe Anzeige erstattet.', 'Die Polizei hat ein Aktenzeichen vergeben.'],
  },
  pressure: {
    en: ['Refund me right now, this is unacceptable.', 'My lawyer will take legal action.'],
    fr: ["Remboursez-moi tout de suite, c'est inacceptable.", "J'exige un remboursement immédiatement."],
    de: ['Erstatten Sie das sofort, das ist inakzeptabel.', 'Mein Anwalt leitet rechtliche Schritte ein.'],
  },
};

describe('the playbook in three languages', () => {
  for (const [tactic, languages] of Object.entries(CASES) as [Tactic, Record<string, string[]>][]) {
    for (const [language, texts] of Object.entries(languages)) {
      it(`finds ${tactic} in ${language}`, () => {
        for (const text of texts) expect(matchPlaybook(text).tactics, text).toContain(tactic);
      });
    }
  }

  it('reads accent-free French and German the same as accented', () => {
    expect(matchPlaybook("Je n'ai jamais recu mon colis, c'est inacceptable.").tactics).toEqual([
      'not_received',
      'pressure',
    ]);
    expect(matchPlaybook('Ich lasse die Zahlung zuruckbuchen, sofort.').tactics).toEqual([
      'chargeback_threat',
      'pressure',
    ]);
  });

  it('counts stacked pressure tactics, not problem descriptions, as manipulation', () => {
    const script = matchPlaybook(
      "Le colis est arrivé vide, le poids était de 200 g. J'exige un responsable tout de suite, sinon retrofacturation et plainte à la gendarmerie.",
    );
    expect(script.tactics).toEqual([
      'empty_box',
      'weight_argument',
      'escalation',
      'chargeback_threat',
      'police_report',
      'pressure',
    ]);
    expect(script.manipulationCount).toBe(5);
    const problemsOnly = matchPlaybook('The parcel never arrived and one item is missing.');
    expect(problemsOnly.tactics).toEqual(['not_received', 'missing_item']);
    expect(problemsOnly.manipulationCount).toBe(0);
  });

  it('sees no manipulation in honest messages in each language', () => {
    for (const text of [
      "Hi, my order hasn't arrived yet and the tracking hasn't moved for a week. Could you help?",
      'Could you tell me when my order will ship? Thank you!',
      "Bonjour, ma commande n'est pas encore arrivée, pouvez-vous vérifier le suivi ? Merci beaucoup.",
      'Bonjour, je voudrais retourner une robe trop petite. Comment faire ?',
      'Hallo, meine Bestellung ist noch nicht angekommen. Können Sie bitte nachsehen? Vielen Dank.',
      'Guten Tag, ich möchte eine Jacke umtauschen, sie ist zu groß.',
    ]) {
      expect(matchPlaybook(text).manipulationCount, text).toBe(0);
    }
  });
});

describe('phrasings found missing in review', () => {
  const cases: [string, string][] = [
    ["I didn't receive my package", 'not_received'],
    ['My package is missing', 'not_received'],
    ["Je n'ai rien reçu", 'not_received'],
    ['Ich habe nichts bekommen', 'not_received'],
    ["Il n'y avait rien dans le colis", 'empty_box'],
    ['Le colis ne contenait rien', 'empty_box'],
    ['Im Paket war nichts drin', 'empty_box'],
    ['Ich will Ihren Chef sprechen', 'escalation'],
    ['Das Paket war viel zu leicht', 'weight_argument'],
    ['le colis était trop léger', 'weight_argument'],
    ["I'm going to my bank", 'chargeback_threat'],
  ];
  it.each(cases)('"%s" is %s', (text, tactic) => {
    expect(matchPlaybook(text).tactics).toContain(tactic);
  });

  it('does not take any number with a unit, or "weigh my options", for a weight argument', () => {
    expect(matchPlaybook('I weigh my options before buying again').tactics).not.toContain('weight_argument');
    expect(matchPlaybook('I ordered 2 kg of coffee beans').tactics).not.toContain('weight_argument');
    expect(matchPlaybook('The package weighed only 200g at the depot').tactics).toContain('weight_argument');
  });
});

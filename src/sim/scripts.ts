// The scripted stories that refund services use with support. Each gang owns a script: a
// chosen wording for each part (opener, claim, evidence, pressure) in each language, plus
// habits (which pressure tactics, weight arguments, writing quirks). Refunders mostly follow
// it and sometimes stray, so scripts are recognisable across clients without being identical.
import type { Language } from './geography.ts';
import type { Random } from './random.ts';
import { fill, roughen } from './text-format.ts';

export type ScriptLanguage = 'en' | 'fr' | 'de';
export type ClaimKind =
  | 'dnr'
  | 'empty_box'
  | 'missing_item'
  | 'wrong_item'
  | 'return_defect'
  | 'ftid_followup'
  | 'boxing_followup';
type Part =
  | 'opener'
  | ClaimKind
  | 'evidence'
  | 'weight'
  | 'police'
  | 'escalation'
  | 'chargeback'
  | 'pressure'
  | 'closer';
type Pool = Record<ScriptLanguage, readonly string[]>;

const PARTS: Record<Part, Pool> = {
  opener: {
    en: [
      'Hello, I need help with my order {order}.',
      "Hi, I'm contacting you regarding order {order}.",
      'Hello, I have a problem with a recent order ({order}).',
      'hi order number {order} please',
      'Good day. I am writing about order {order} for the {item}.',
      'Hi, my name is {name} and I have an issue with my {item} order.',
    ],
    fr: [
      "Bonjour, j'ai besoin d'aide pour ma commande {order}.",
      'Bonjour, je vous contacte au sujet de la commande {order}.',
      "Bonjour, j'ai un problème avec ma commande du {item}.",
      'bonjour commande {order} svp',
      'Bonjour, je suis {name}, titulaire du compte, pour la commande {order}.',
    ],
    de: [
      'Hallo, ich brauche Hilfe mit meiner Bestellung {order}.',
      'Guten Tag, ich melde mich wegen der Bestellung {order}.',
      'Hallo, ich habe ein Problem mit meiner Bestellung ({item}).',
      'hallo bestellnummer {order} bitte',
      'Guten Tag, mein Name ist {name}, es geht um Bestellung {order}.',
    ],
  },
  dnr: {
    en: [
      'It shows delivered on {date} but I never received it.',
      'The tracking says delivered but the package never arrived.',
      "My {item} was marked as delivered but it's not here.",
      'I did not receive my package, it was never delivered to me.',
      'Tracking says it was handed to a resident but nobody here signed for anything.',
    ],
    fr: [
      "Le suivi indique livré le {date} mais je n'ai jamais rien reçu.",
      "Le colis est marqué livré mais il n'est jamais arrivé.",
      "Mon {item} est noté comme livré mais je ne l'ai pas.",
      "Je n'ai pas reçu mon colis, il ne m'a jamais été remis.",
    ],
    de: [
      'Laut Tracking wurde es am {date} zugestellt, aber ich habe nie etwas erhalten.',
      'Das Paket steht als zugestellt, ist aber nie angekommen.',
      'Mein {item} ist als geliefert markiert, aber es ist nicht hier.',
      'Ich habe mein Paket nicht erhalten, es wurde mir nie übergeben.',
    ],
  },
  empty_box: {
    en: [
      'The box arrived empty.',
      'I received the package but the {item} was not inside, only air pillows.',
      'The package was opened and resealed, the box was empty.',
      'The box came with nothing inside except packing paper.',
    ],
    fr: [
      'Le carton est arrivé vide.',
      "J'ai reçu le colis mais le {item} n'était pas dedans, seulement du papier.",
      'Le colis a été ouvert et refermé, il était vide.',
    ],
    de: [
      'Der Karton kam leer an.',
      'Ich habe das Paket bekommen, aber das {item} war nicht drin, nur Füllmaterial.',
      'Das Paket war geöffnet und wieder zugeklebt, es war leer.',
    ],
  },
  missing_item: {
    en: [
      'The {item} was missing from the package, only the {accessory} was inside.',
      'I only received the {accessory}, the {item} was not in the box.',
      'Part of my order is missing: the {item}.',
    ],
    fr: [
      'Il manquait le {item} dans le colis, seul le {accessory} était dedans.',
      "Je n'ai reçu que le {accessory}, le {item} manquait.",
    ],
    de: [
      'Das {item} fehlte im Paket, nur das {accessory} war drin.',
      'Ich habe nur das {accessory} bekommen, das {item} fehlt.',
    ],
  },
  wrong_item: {
    en: [
      'I received a completely different item instead of the {item}.',
      'Inside the box was a {wrong}, not the {item} I ordered.',
    ],
    fr: [
      "J'ai reçu un tout autre article à la place du {item}.",
      'Dans le carton il y avait un {wrong}, pas le {item}.',
    ],
    de: [
      'Ich habe einen ganz anderen Artikel statt des {item} bekommen.',
      'Im Karton war ein {wrong}, nicht das bestellte {item}.',
    ],
  },
  return_defect: {
    en: [
      "The {item} is defective, the screen flickers and it won't charge.",
      "The {item} doesn't turn on out of the box.",
      "I want to return the {item}, it's faulty.",
      "The {item} has dead pixels, I'd like to send it back for a refund.",
      'The {item} overheats and shuts down, I want a return.',
    ],
    fr: [
      'Le {item} est défectueux, il ne charge pas.',
      "Le {item} ne s'allume pas à la sortie du carton.",
      'Je veux retourner le {item}, il est défectueux.',
    ],
    de: [
      'Das {item} ist defekt, es lädt nicht.',
      'Das {item} geht direkt nach dem Auspacken nicht an.',
      'Ich möchte das {item} zurückgeben, es ist defekt.',
    ],
  },
  ftid_followup: {
    en: [
      'My return for order {order} was delivered on {date} according to tracking {tracking}, but I still have no refund.',
      'The carrier shows my return as delivered, please process my refund now.',
      'Tracking {tracking} clearly says delivered to your warehouse. Where is my money?',
    ],
    fr: [
      'Mon retour pour la commande {order} a été livré le {date} selon le suivi {tracking}, toujours pas de remboursement.',
      'Le transporteur indique que mon retour est livré, merci de rembourser.',
    ],
    de: [
      'Meine Rücksendung zu {order} wurde laut Tracking {tracking} am {date} zugestellt, aber keine Erstattung.',
      'Der Versender zeigt die Rücksendung als zugestellt, bitte erstatten Sie jetzt.',
    ],
  },
  boxing_followup: {
    en: [
      'I sent the {item} back in the original packaging, if it is missing your warehouse lost it.',
      'The return was sealed when I dropped it off, I have the drop-off receipt.',
      'I returned exactly what I received, check with your warehouse staff.',
    ],
    fr: [
      "J'ai renvoyé le {item} dans son emballage d'origine, s'il manque c'est votre entrepôt.",
      "Le colis était scellé quand je l'ai déposé, j'ai le reçu.",
    ],
    de: [
      'Ich habe das {item} originalverpackt zurückgeschickt, wenn es fehlt, hat Ihr Lager es verloren.',
      'Das Paket war verschlossen, als ich es abgegeben habe, ich habe den Beleg.',
    ],
  },
  evidence: {
    en: [
      'I checked with my neighbors and building management.',
      'I have a doorbell camera and there is no delivery on it.',
      'I was home the whole day and nobody came.',
      'I have photos of the box if you need them.',
      'The tape on the box was different from your normal tape.',
    ],
    fr: [
      "J'ai vérifié avec les voisins et le gardien.",
      "J'ai une caméra à la porte et personne n'est venu.",
      "J'ai des photos du carton si besoin.",
    ],
    de: [
      'Ich habe bei den Nachbarn und der Hausverwaltung nachgefragt.',
      'Ich habe eine Türkamera und da ist keine Lieferung drauf.',
      'Ich habe Fotos vom Karton, falls nötig.',
    ],
  },
  weight: {
    en: [
      'The tracking says the package weighed {weight} kg, but the {item} alone weighs more than that.',
      'The delivery weight was only {weight} kg, so the {item} was clearly never in it.',
      'Check the weight on the carrier scan, {weight} kg is impossible for an {item}.',
    ],
    fr: [
      'Le suivi indique un poids de {weight} kg, alors que le {item} pèse plus que ça.',
      'Le poids à la livraison était de {weight} kg, le {item} n’a jamais été dedans.',
    ],
    de: [
      'Laut Tracking wog das Paket {weight} kg, das {item} allein wiegt mehr.',
      'Das Liefergewicht war nur {weight} kg, das {item} kann gar nicht drin gewesen sein.',
    ],
  },
  police: {
    en: [
      "I've already filed a police report, the report number is {police}.",
      'I have a police report ({police}) if you need it.',
      'The police gave me case number {police}.',
    ],
    fr: [
      "J'ai déjà porté plainte, numéro de plainte {police}.",
      "J'ai un dépôt de plainte ({police}) si besoin.",
    ],
    de: [
      'Ich habe bereits Anzeige erstattet, Aktenzeichen {police}.',
      'Ich habe eine Anzeige bei der Polizei gemacht ({police}).',
    ],
  },
  escalation: {
    en: [
      'I want this escalated to a supervisor.',
      'Please transfer me to your manager.',
      'I need to speak with someone higher up.',
    ],
    fr: ['Je veux que ce soit remonté à un superviseur.', 'Passez-moi votre responsable svp.'],
    de: [
      'Ich möchte, dass das an einen Vorgesetzten geht.',
      'Bitte verbinden Sie mich mit Ihrem Teamleiter.',
    ],
  },
  chargeback: {
    en: [
      "If I don't get a refund today I'll open a chargeback with my bank.",
      'My bank told me to file a dispute if this is not fixed.',
    ],
    fr: [
      "Si je ne suis pas remboursé aujourd'hui je fais opposition auprès de ma banque.",
      'Ma banque m’a conseillé de contester le paiement.',
    ],
    de: [
      'Wenn ich heute keine Erstattung bekomme, mache ich eine Rückbuchung über meine Bank.',
      'Meine Bank sagt, ich soll die Zahlung zurückbuchen lassen.',
    ],
  },
  pressure: {
    en: [
      "I've been a loyal customer for years.",
      'I need this resolved now.',
      'This is unacceptable.',
      "I don't want a replacement, I want a refund.",
      "I'm not waiting for an investigation.",
    ],
    fr: [
      'Je suis client fidèle depuis des années.',
      "C'est inacceptable.",
      'Je ne veux pas de remplacement, je veux un remboursement.',
    ],
    de: [
      'Ich bin seit Jahren treuer Kunde.',
      'Das ist inakzeptabel.',
      'Ich will keinen Ersatz, ich will mein Geld zurück.',
    ],
  },
  closer: {
    en: ['Thank you.', 'Thanks for understanding.', 'Waiting for your answer.', 'thx'],
    fr: ['Merci.', 'Merci de votre compréhension.', "J'attends votre réponse."],
    de: ['Danke.', 'Danke für Ihr Verständnis.', 'Ich warte auf Ihre Antwort.'],
  },
};

const ALL_PARTS = Object.keys(PARTS) as Part[];

export interface GangScript {
  /** The gang's chosen wordings: indices into each part's pool, per language. */
  wording: Record<ScriptLanguage, Record<Part, number[]>>;
  /** Habits: how often each pressure tactic appears in a contact. */
  habits: {
    evidence: number;
    weight: number;
    police: number;
    escalation: number;
    chargeback: number;
    pressure: number;
  };
  /** Writing quirks. */
  lowercase: boolean;
  sloppiness: number;
  policeFormat: (random: Random) => string;
}

export function makeGangScript(random: Random): GangScript {
  const wording = {} as GangScript['wording'];
  for (const language of ['en', 'fr', 'de'] as const) {
    const chosen = {} as Record<Part, number[]>;
    for (const part of ALL_PARTS) {
      const size = PARTS[part][language].length;
      const indices = random.shuffle(Array.from({ length: size }, (_, index) => index));
      chosen[part] = indices.slice(0, Math.max(1, Math.min(size, random.int(1, 2))));
    }
    wording[language] = chosen;
  }
  const policeStyle = random.int(0, 3);
  return {
    wording,
    habits: {
      evidence: random.float(0.3, 0.9),
      weight: random.float(0.05, 0.7),
      police: random.float(0, 0.45),
      escalation: random.float(0.1, 0.7),
      chargeback: random.float(0.05, 0.5),
      pressure: random.float(0.2, 0.8),
    },
    lowercase: random.chance(0.25),
    sloppiness: random.float(0, 0.5),
    policeFormat: (draw) =>
      policeStyle === 0
        ? `${draw.int(2026, 2026)}-${draw.digits(6)}`
        : policeStyle === 1
          ? `PR${draw.digits(8)}`
          : policeStyle === 2
            ? `#${draw.digits(5)}`
            : `${draw.upperAlnum(3)}-${draw.digits(5)}`,
  };
}

export interface ScriptSlots {
  order: string;
  item: string;
  name: string;
  date?: string;
  tracking?: string;
  weight?: string;
  accessory?: string;
  wrong?: string;
}

function phrase(
  random: Random,
  script: GangScript,
  language: ScriptLanguage,
  part: Part,
  looseness: number,
  slots: Record<string, string | undefined>,
): string {
  const pool = PARTS[part][language];
  const template = random.chance(looseness)
    ? random.pick(pool)
    : pool[random.pick(script.wording[language][part])]!;
  return fill(template, slots);
}

export interface ScriptedContact {
  /** Customer lines, in order; the caller interleaves agent replies. */
  lines: string[];
  usedWeight: boolean;
  pressure: number;
}

/** The refunder's side of a support conversation for one claim. */
export function scriptedClaim(
  random: Random,
  script: GangScript,
  language: Language,
  claim: ClaimKind,
  slots: ScriptSlots,
  looseness: number,
): ScriptedContact {
  const scriptLanguage: ScriptLanguage = language === 'fr' || language === 'de' ? language : 'en';
  const values: Record<string, string | undefined> = { ...slots, police: script.policeFormat(random) };
  const say = (part: Part) => phrase(random, script, scriptLanguage, part, looseness, values);
  const lines = [say('opener'), say(claim)];
  let pressure = 0;
  const habits = script.habits;
  const claimsNonDelivery = claim === 'dnr' || claim === 'empty_box' || claim === 'missing_item';
  if (claimsNonDelivery && random.chance(habits.evidence)) lines.push(say('evidence'));
  const usedWeight = claimsNonDelivery && slots.weight !== undefined && random.chance(habits.weight);
  if (usedWeight) lines.push(say('weight'));
  if (random.chance(habits.pressure)) {
    lines.push(say('pressure'));
    pressure++;
  }
  if (claimsNonDelivery && random.chance(habits.police)) {
    lines.push(say('police'));
    pressure++;
  }
  if (random.chance(habits.escalation)) {
    lines.push(say('escalation'));
    pressure++;
  }
  if (random.chance(habits.chargeback)) {
    lines.push(say('chargeback'));
    pressure++;
  }
  if (random.chance(0.5)) lines.push(say('closer'));
  const styled = lines.map((text) => {
    const rough = roughen(random, text, script.sloppiness);
    return script.lowercase ? rough.toLowerCase() : rough;
  });
  return { lines: styled, usedWeight, pressure };
}

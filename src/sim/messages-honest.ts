// What honest customers and support agents write. Varied on purpose: openers, details,
// requests and moods are drawn separately, and some honest customers are angry, mention
// chargebacks or ask for a supervisor, just like scripted fraudsters do.
import type { Language } from './geography.ts';
import type { Random } from './random.ts';
import { fill, roughen } from './text-format.ts';

export interface Slots {
  order: string;
  item: string;
  date?: string;
  amount?: string;
  name?: string;
  agent?: string;
  tracking?: string;
  [key: string]: string | undefined;
}

type Pool = Record<Language, readonly string[]>;

const GREETING: Pool = {
  en: ['Hi,', 'Hello,', 'Hi there,', 'Good morning,', 'Hey,', 'Hello there,', '', '', 'Good evening,'],
  fr: ['Bonjour,', 'Bonjour,', 'Bonsoir,', 'Bonjour à vous,', 'Salut,', ''],
  de: ['Hallo,', 'Guten Tag,', 'Hallo zusammen,', 'Moin,', 'Sehr geehrte Damen und Herren,', ''],
  es: ['Hola,', 'Buenas tardes,', 'Buenos días,', ''],
};

const LOST_CORE: Pool = {
  en: [
    "my order {order} hasn't arrived yet.",
    'the tracking says my package was delivered on {date} but I never got it.',
    "I've been waiting for my {item} for over a week and there's no sign of it.",
    "the parcel shows as delivered but it's not at my door.",
    "tracking for order {order} hasn't moved since {date}.",
    'I think my {item} was delivered to the wrong address, it says delivered but nothing here.',
    'my {item} never showed up. The app says delivered {date}.',
    'where is my order? It was supposed to come {date}.',
  ],
  fr: [
    "ma commande {order} n'est toujours pas arrivée.",
    "le suivi indique que mon colis a été livré le {date} mais je n'ai rien reçu.",
    "j'attends mon {item} depuis plus d'une semaine et toujours rien.",
    'le colis est marqué comme livré mais il n’était pas devant ma porte.',
    'le suivi de la commande {order} ne bouge plus depuis le {date}.',
    "je pense que le livreur s'est trompé d'adresse, c'est noté livré mais je n'ai rien.",
  ],
  de: [
    'meine Bestellung {order} ist immer noch nicht angekommen.',
    'laut Sendungsverfolgung wurde mein Paket am {date} zugestellt, aber ich habe nichts bekommen.',
    'ich warte seit über einer Woche auf mein {item} und es kommt einfach nicht.',
    'das Paket steht als zugestellt drin, war aber weder im Briefkasten noch vor der Tür.',
    'die Sendungsverfolgung für {order} hat sich seit dem {date} nicht mehr bewegt.',
    'ich glaube, das Paket wurde falsch zugestellt. Es steht „zugestellt“, aber hier ist nichts.',
  ],
  es: [
    'mi pedido {order} todavía no ha llegado.',
    'el seguimiento dice que se entregó el {date} pero no recibí nada.',
    'llevo más de una semana esperando mi {item}.',
  ],
};

const LOST_DETAIL: Pool = {
  en: [
    'I was home all day.',
    'I checked with my neighbours and nobody has it.',
    "Our building's mailroom doesn't have it either.",
    "It's a birthday present so I'm a bit worried.",
    'I already looked around the house, the porch and the garage.',
    "There's no photo in the tracking.",
    'The driver might have left it at the wrong house, our street numbers are confusing.',
    'I asked the front desk, they have no record of it.',
    'Packages have gone missing on our street before.',
    '',
    '',
  ],
  fr: [
    "J'étais à la maison toute la journée.",
    "J'ai demandé aux voisins, personne ne l'a.",
    'Le gardien ne l’a pas non plus.',
    "C'est un cadeau d'anniversaire, je suis un peu inquiète.",
    "Il n'y a pas de photo de livraison.",
    "Je n'ai pas eu d'avis de passage.",
    '',
  ],
  de: [
    'Ich war den ganzen Tag zu Hause.',
    'Ich habe bei allen Nachbarn gefragt, niemand hat es angenommen.',
    'Es gab auch keine Benachrichtigungskarte.',
    'Es ist ein Geburtstagsgeschenk, deshalb ist es mir wichtig.',
    'Ein Ablageort war nicht vereinbart.',
    'In der Packstation ist es auch nicht.',
    '',
  ],
  es: ['Estuve en casa todo el día.', 'Pregunté a los vecinos y nadie lo tiene.', ''],
};

const LOST_ASK: Pool = {
  en: [
    'Can you help?',
    'What can be done?',
    'Could you send a replacement or refund me?',
    'Please let me know what my options are.',
    'Can you check with the carrier?',
    "I'd like a refund please.",
    'Can you resend it?',
  ],
  fr: [
    'Pouvez-vous m’aider ?',
    'Que pouvez-vous faire ?',
    'Je voudrais un remboursement ou un renvoi.',
    'Merci de vérifier avec le transporteur.',
  ],
  de: [
    'Können Sie mir helfen?',
    'Was kann man da machen?',
    'Ich hätte gerne eine Erstattung oder Ersatz.',
    'Bitte klären Sie das mit dem Zusteller.',
  ],
  es: ['¿Me pueden ayudar?', '¿Qué se puede hacer?', 'Quisiera un reembolso.'],
};

const ANGRY: Pool = {
  en: [
    'This is the second time this has happened.',
    'Honestly this is ridiculous.',
    "If this isn't sorted I'll have to dispute the charge with my bank.",
    "I'll file a chargeback if I don't hear back today.",
    'I want to speak to a supervisor.',
    "I've been a customer for years and I've never had this problem.",
    'I paid for faster shipping and got nothing.',
  ],
  fr: [
    "C'est la deuxième fois que ça arrive.",
    "Franchement c'est inadmissible.",
    "Si ce n'est pas réglé je vais faire opposition auprès de ma banque.",
    'Je veux parler à un responsable.',
  ],
  de: [
    'Das ist jetzt schon das zweite Mal.',
    'Ehrlich gesagt ist das eine Frechheit.',
    'Wenn das nicht geklärt wird, buche ich das Geld über meine Bank zurück.',
    'Ich möchte bitte mit einem Vorgesetzten sprechen.',
  ],
  es: ['Es la segunda vez que pasa.', 'Si no se resuelve voy a reclamar a mi banco.'],
};

const PRODUCT_ASK: Pool = {
  en: [
    'Can I get a refund?',
    'How do I send it back?',
    'What are my options?',
    'Could you send a replacement?',
    "I'd like my money back please.",
  ],
  fr: [
    'Puis-je être remboursé ?',
    'Comment faire le retour ?',
    'Quelles sont les options ?',
    'Pouvez-vous envoyer un remplacement ?',
  ],
  de: [
    'Kann ich eine Erstattung bekommen?',
    'Wie schicke ich es zurück?',
    'Was sind meine Optionen?',
    'Können Sie Ersatz schicken?',
  ],
  es: ['¿Me pueden reembolsar?', '¿Cómo lo devuelvo?'],
};

const CLOSER: Pool = {
  en: ['Thanks', 'Thank you!', 'Thanks in advance.', 'Cheers', 'Regards, {name}', '', '', 'Thx'],
  fr: ['Merci', 'Merci d’avance.', 'Cordialement, {name}', 'Bonne journée', ''],
  de: ['Danke', 'Vielen Dank!', 'Viele Grüße, {name}', 'MfG {name}', ''],
  es: ['Gracias', 'Saludos, {name}', ''],
};

const RETURN_CORE: Record<string, Pool> = {
  damaged: {
    en: [
      'The {item} arrived damaged, the box was crushed and it has a dent.',
      'My {item} came broken. The corner is cracked.',
      'The {item} was damaged in transit.',
    ],
    fr: ['Le {item} est arrivé abîmé, le carton était écrasé.', 'Mon {item} est arrivé cassé.'],
    de: ['Das {item} kam beschädigt an, der Karton war eingedrückt.', 'Mein {item} ist kaputt angekommen.'],
    es: ['El {item} llegó dañado.'],
  },
  defective: {
    en: [
      'The {item} stopped working after a few days.',
      "My {item} won't turn on anymore.",
      'The {item} I got is faulty, it keeps restarting.',
      'One side of the {item} has no sound.',
    ],
    fr: ['Le {item} ne fonctionne plus après quelques jours.', "Mon {item} ne s'allume plus."],
    de: [
      'Das {item} funktioniert nach ein paar Tagen nicht mehr.',
      'Mein {item} lässt sich nicht mehr einschalten.',
    ],
    es: ['El {item} dejó de funcionar.'],
  },
  wrong_item: {
    en: [
      'I received the wrong item, I ordered the {item} but got something else.',
      'Wrong size/colour was sent for the {item}.',
    ],
    fr: ["J'ai reçu le mauvais article au lieu du {item}.", 'Mauvaise taille reçue pour le {item}.'],
    de: ['Ich habe den falschen Artikel bekommen statt {item}.', 'Falsche Größe geliefert.'],
    es: ['Recibí el artículo equivocado.'],
  },
  not_as_described: {
    en: [
      "The {item} doesn't match the description at all.",
      'The {item} looks nothing like the pictures, the material feels cheap.',
    ],
    fr: ['Le {item} ne correspond pas à la description.'],
    de: ['Das {item} entspricht nicht der Beschreibung.'],
    es: ['El {item} no corresponde a la descripción.'],
  },
  changed_mind: {
    en: [
      "I'd like to return the {item}, it doesn't fit.",
      'I changed my mind about the {item}, can I send it back?',
      "The {item} isn't what I needed.",
    ],
    fr: ['Je voudrais retourner le {item}, il ne me va pas.', 'Je souhaite renvoyer le {item}.'],
    de: ['Ich möchte das {item} zurückschicken, es passt nicht.', 'Ich möchte das {item} gerne zurückgeben.'],
    es: ['Quiero devolver el {item}.'],
  },
  missing_item: {
    en: [
      'My order {order} was missing the {item}, everything else was there.',
      'The {item} was not in the package, only the rest of my order.',
    ],
    fr: ['Il manquait le {item} dans ma commande {order}.'],
    de: ['In meiner Bestellung {order} fehlte das {item}.'],
    es: ['Faltaba el {item} en mi pedido.'],
  },
  empty_box: {
    en: [
      'The box for order {order} was empty when I opened it, the tape looked re-sealed.',
      'I opened the package and the {item} was not inside, just the packing paper.',
    ],
    fr: ['Le carton de la commande {order} était vide à l’ouverture.'],
    de: ['Das Paket der Bestellung {order} war leer, als ich es geöffnet habe.'],
    es: ['La caja llegó vacía.'],
  },
};

const INQUIRY: Pool = {
  en: [
    'Can you tell me when order {order} will arrive?',
    'I need to change the delivery address on my order {order}.',
    'How do I return something I bought as a gift?',
    "I can't log in to my account on my new phone.",
    'Was I charged twice for order {order}?',
    'Can I still cancel order {order}?',
  ],
  fr: [
    'Quand ma commande {order} va-t-elle arriver ?',
    "Je dois changer l'adresse de livraison de la commande {order}.",
    'Ai-je été débité deux fois ?',
  ],
  de: [
    'Wann kommt meine Bestellung {order}?',
    'Ich muss die Lieferadresse für {order} ändern.',
    'Wurde mir die Bestellung doppelt berechnet?',
  ],
  es: ['¿Cuándo llega mi pedido {order}?', 'Necesito cambiar la dirección de entrega.'],
};

const TRAVEL: Pool = {
  en: [
    "I'm travelling at the moment so writing from abroad.",
    "I'm on my new phone, the old one broke.",
    'Writing from my work computer.',
  ],
  fr: ['Je suis en déplacement en ce moment.', "J'écris depuis mon nouveau téléphone."],
  de: ['Ich bin gerade im Urlaub.', 'Ich schreibe von meinem neuen Handy.'],
  es: ['Estoy de viaje.'],
};

function line(random: Random, pool: Pool, language: Language, slots: Slots): string {
  return fill(random.pick(pool[language]), slots);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function compose(random: Random, parts: string[], sloppiness: number): string[] {
  const text = parts.filter(Boolean).join(' ');
  // Some people send one long message, others several short ones.
  if (random.chance(0.55) || parts.length < 3) return [roughen(random, text, sloppiness)];
  const cut = random.int(1, parts.length - 1);
  return [parts.slice(0, cut).filter(Boolean).join(' '), parts.slice(cut).filter(Boolean).join(' ')]
    .filter(Boolean)
    .map((part) => roughen(random, part, sloppiness));
}

export interface HonestTone {
  angry: boolean;
  travelling?: boolean;
  sloppiness: number;
}

/** A genuine "my parcel never came" complaint. */
export function honestLostParcel(
  random: Random,
  language: Language,
  slots: Slots,
  tone: HonestTone,
): string[] {
  const greeting = line(random, GREETING, language, slots);
  const core = line(random, LOST_CORE, language, slots);
  const parts = [greeting, greeting ? core : core.charAt(0).toUpperCase() + core.slice(1)];
  if (greeting && random.chance(0.5)) parts[1] = core.charAt(0).toUpperCase() + core.slice(1);
  else if (greeting) parts[1] = lowerFirst(core);
  if (tone.travelling) parts.push(line(random, TRAVEL, language, slots));
  if (random.chance(0.7)) parts.push(line(random, LOST_DETAIL, language, slots));
  if (random.chance(0.35)) parts.push(line(random, LOST_DETAIL, language, slots));
  if (tone.angry) parts.push(line(random, ANGRY, language, slots));
  parts.push(line(random, LOST_ASK, language, slots));
  if (random.chance(0.6)) parts.push(line(random, CLOSER, language, slots));
  return compose(random, dedupe(parts), tone.sloppiness);
}

/** A genuine complaint or return request for a product problem. */
export function honestProductIssue(
  random: Random,
  language: Language,
  reason: string,
  slots: Slots,
  tone: HonestTone,
): string[] {
  const pool = RETURN_CORE[reason] ?? RETURN_CORE.defective!;
  const greeting = line(random, GREETING, language, slots);
  let core = line(random, pool, language, slots);
  if (greeting && /^[A-ZÀ-Ý][a-zà-ÿ]/.test(core) && random.chance(0.5)) core = lowerFirst(core);
  const parts = [greeting, core];
  if (tone.travelling) parts.push(line(random, TRAVEL, language, slots));
  if (tone.angry) parts.push(line(random, ANGRY, language, slots));
  if (random.chance(0.6)) parts.push(line(random, PRODUCT_ASK, language, slots));
  if (random.chance(0.5)) parts.push(line(random, CLOSER, language, slots));
  return compose(random, dedupe(parts), tone.sloppiness);
}

export function honestInquiry(random: Random, language: Language, slots: Slots, tone: HonestTone): string[] {
  const parts = [line(random, GREETING, language, slots), line(random, INQUIRY, language, slots)];
  if (tone.travelling) parts.push(line(random, TRAVEL, language, slots));
  if (random.chance(0.5)) parts.push(line(random, CLOSER, language, slots));
  return compose(random, dedupe(parts), tone.sloppiness);
}

function dedupe(parts: string[]): string[] {
  const seen = new Set<string>();
  return parts.filter((part) => {
    if (!part) return false;
    if (seen.has(part)) return false;
    seen.add(part);
    return true;
  });
}

// --- Agents --------------------------------------------------------------------------------

export type AgentLine =
  | 'greeting'
  | 'checking'
  | 'approved'
  | 'denied'
  | 'return_label'
  | 'wait'
  | 'escalated'
  | 'answer';

const AGENT: Record<AgentLine, Pool> = {
  greeting: {
    en: [
      "Hi, this is {agent}. I'm sorry to hear that, let me take a look.",
      'Thanks for reaching out, {agent} here. Let me check your order.',
      "Hello! I'm {agent}, I'll be happy to help.",
    ],
    fr: [
      "Bonjour, je m'appelle {agent}. Je regarde tout de suite.",
      'Bonjour, {agent} à votre service. Je vérifie votre commande.',
    ],
    de: [
      'Hallo, hier ist {agent}. Das tut mir leid, ich schaue sofort nach.',
      'Guten Tag, mein Name ist {agent}. Ich prüfe Ihre Bestellung.',
    ],
    es: ['Hola, soy {agent}. Déjeme revisar su pedido.'],
  },
  checking: {
    en: [
      'I can see the carrier marked it as delivered on {date}.',
      'I checked the tracking for {order}.',
      'Let me review the delivery details.',
    ],
    fr: ['Je vois que le transporteur l’a marqué comme livré le {date}.', 'Je vérifie le suivi de {order}.'],
    de: [
      'Ich sehe, dass der Zusteller es am {date} als zugestellt markiert hat.',
      'Ich prüfe die Sendungsverfolgung von {order}.',
    ],
    es: ['Veo que la transportista lo marcó como entregado el {date}.'],
  },
  approved: {
    en: [
      "I've issued a full refund of {amount} to your original payment method.",
      "I've processed your refund, you'll see it in 3-5 business days.",
      'Refund approved, sorry again for the trouble.',
    ],
    fr: [
      "J'ai procédé au remboursement de {amount} sur votre moyen de paiement.",
      'Le remboursement est validé, vous le verrez sous 3 à 5 jours.',
    ],
    de: [
      'Ich habe Ihnen {amount} auf Ihre ursprüngliche Zahlungsmethode erstattet.',
      'Die Erstattung ist veranlasst und in 3-5 Werktagen sichtbar.',
    ],
    es: ['He procesado el reembolso de {amount}.'],
  },
  denied: {
    en: [
      "I'm sorry, I'm not able to issue a refund as the delivery was confirmed.",
      "Unfortunately I can't refund this order, but I've opened an investigation with the carrier.",
    ],
    fr: [
      'Je suis désolé, je ne peux pas rembourser car la livraison a été confirmée.',
      "Malheureusement je ne peux pas rembourser cette commande, j'ouvre une enquête.",
    ],
    de: [
      'Es tut mir leid, eine Erstattung ist nicht möglich, da die Zustellung bestätigt ist.',
      'Leider kann ich das nicht erstatten, ich habe aber einen Nachforschungsauftrag gestartet.',
    ],
    es: ['Lo siento, no puedo reembolsar este pedido.'],
  },
  return_label: {
    en: [
      "I've sent you a prepaid return label by email. Once the carrier scans it we'll refund you.",
      'Please send the item back with the label I just emailed.',
    ],
    fr: [
      'Je vous ai envoyé une étiquette de retour prépayée par e-mail.',
      "Merci de renvoyer l'article avec l'étiquette envoyée.",
    ],
    de: [
      'Ich habe Ihnen ein Rücksendeetikett per E-Mail geschickt.',
      'Bitte schicken Sie den Artikel mit dem Etikett zurück.',
    ],
    es: ['Le envié una etiqueta de devolución por correo.'],
  },
  wait: {
    en: ['Packages sometimes show delivered early, could you wait 48 hours and contact us again?'],
    fr: ['Parfois le colis arrive le lendemain, pouvez-vous attendre 48 heures ?'],
    de: ['Manchmal kommt das Paket einen Tag später, können Sie 48 Stunden warten?'],
    es: ['¿Puede esperar 48 horas?'],
  },
  escalated: {
    en: ["I understand. I've escalated this to my supervisor.", 'Let me transfer you to a senior colleague.'],
    fr: ['Je comprends, je transmets à mon responsable.'],
    de: ['Ich verstehe, ich gebe das an meine Teamleitung weiter.'],
    es: ['Lo entiendo, lo paso a mi supervisor.'],
  },
  answer: {
    en: [
      'Your order is on its way and should arrive by {date}.',
      "Done, I've updated that for you.",
      'You can start the return from Your Orders.',
    ],
    fr: ['Votre commande est en route, livraison prévue le {date}.', "C'est fait, j'ai mis à jour."],
    de: [
      'Ihre Bestellung ist unterwegs und kommt voraussichtlich am {date}.',
      'Erledigt, ich habe das aktualisiert.',
    ],
    es: ['Su pedido está en camino.'],
  },
};

export function agentSays(random: Random, language: Language, kind: AgentLine, slots: Slots): string {
  return fill(random.pick(AGENT[kind][language]), slots);
}

const AGENT_NAMES = [
  'Maria',
  'Josh',
  'Priya',
  'Kevin',
  'Anna',
  'Luis',
  'Sophie',
  'Marco',
  'Aisha',
  'Tom',
  'Julie',
  'Ben',
  'Nadia',
  'Chris',
  'Léa',
  'Jonas',
  'Grace',
  'Mateo',
  'Hannah',
  'Ravi',
];

export function agentFirstName(random: Random): string {
  return random.pick(AGENT_NAMES);
}

// The refunders' social-engineering playbook, as phrase patterns in English, French and German.
// Matching is on lower-cased, accent-stripped text, so "reçu" and "recu" are the same.

export const TACTICS = [
  'not_received',
  'empty_box',
  'missing_item',
  'weight_argument',
  'escalation',
  'chargeback_threat',
  'police_report',
  'pressure',
] as const;
export type Tactic = (typeof TACTICS)[number];

/** Tactics that push the agent rather than describe a problem; honest customers rarely stack them. */
export const MANIPULATION_TACTICS: ReadonlySet<Tactic> = new Set([
  'weight_argument',
  'escalation',
  'chargeback_threat',
  'police_report',
  'pressure',
]);

const PATTERNS: Record<Tactic, RegExp[]> = {
  not_received: [
    /\b(never|not|didn'?t|did not|hasn'?t|has not|haven'?t|have not) (yet )?(arrived|received|got(ten)?|come|shown up|been delivered)\b/,
    /\bnever (got|came|showed up)\b/,
    /\b(not|never) (been )?delivered\b/,
    /\bmarked (as )?delivered but\b/,
    /\b(didn'?t|did not|never) (receive|get)\b/,
    /\b(package|parcel|order|delivery) (is|was|went) (missing|lost)\b/,
    /\bje n'?ai rien (recu|eu)\b/,
    /\bnichts (bekommen|erhalten)\b/,
    /\b(jamais|pas) (ete )?(recu|arrive|livre)e?s?\b/,
    /\bn'?(est|ai|a) (jamais|pas) (ete )?(recu|arrive|livre)/,
    /\b(nicht|nie|niemals) (angekommen|erhalten|geliefert|bekommen|zugestellt)\b/,
  ],
  empty_box: [
    /\bempty (box|package|parcel)\b/,
    /\b(box|package|parcel) (was|arrived|came) (completely )?empty\b/,
    /\barrived empty\b/,
    /\bnothing (was )?(inside|in it|in the box)\b/,
    /\b(boite|colis|carton|paquet) (etait |est |arrive )*vide\b/,
    /\b(leeres?|leeren) (paket|karton|packchen)\b/,
    /\b(paket|karton) (war|kam) (komplett |vollig )?leer\b/,
    /\bn'?y avait rien dans (le|la) (colis|boite|carton|paquet)\b/,
    /\b(colis|boite|carton|paquet) ne contenait rien\b/,
    /\b(im|in dem) (paket|karton|packchen) war nichts\b/,
  ],
  missing_item: [
    /\b(item|product|piece|part)s? (is |was |were )?missing\b/,
    /\bmissing (item|product)\b/,
    /\bwrong (item|product)\b/,
    /\b(not|isn'?t) (the|what) (item|product|i ordered)\b/,
    /\b(article|produit) (manquant|absent)\b/,
    /\bmauvais (article|produit)\b/,
    /\b(artikel|produkt) (fehlt|fehlte)\b/,
    /\bfalsche[rn]? (artikel|produkt|ware)\b/,
  ],
  // About the parcel's weight, not any number with a unit ("2 kg of coffee") or "weigh my options".
  weight_argument: [
    /\b(weight|weighed|weighs)\b/,
    /\b(parcel|package|box|shipment)\b[^.]{0,40}?\b\d+(\.\d+)? ?(g|grams?|kg|lbs?|pounds?)\b/,
    /\b(too|far too|much too|way too) light\b/,
    /\b(poids|pese|pesait)\b/,
    /\btrop leger\b/,
    /\b(gewicht|gewogen|wiegt|wog)\b/,
    /\bzu leicht\b/,
  ],
  escalation: [
    /\b(supervisor|manager|escalat(e|ion)|superior|someone (more )?senior|higher up)\b/,
    /\b(responsable|superieur|hierarchique)\b/,
    /\b(vorgesetzte[nr]?|teamleiter|eskalier(en|ung))\b/,
    /\b(ihren|ihrem|den|einen) chef\b/,
  ],
  chargeback_threat: [
    /\bcharge ?back\b/,
    /\b(dispute|contest)( the (charge|payment))? with my (bank|card)\b/,
    /\b(call|contact) my (bank|card issuer|credit card company)\b/,
    /\bgo(ing)? to my bank\b/,
    /\b(retrofacturation|opposition bancaire|contester (le|ce) paiement|ma banque)\b/,
    /\b(ruckbuchung|ruckbelastung|meine bank|zahlung zuruckbuchen)\b/,
  ],
  police_report: [
    /\bpolice\b/,
    /\b(case|report|incident) (number|no\.?|#)\b/,
    /\bfiled an? (report|complaint)\b/,
    /\b(plainte|commissariat|gendarmerie|depot de plainte)\b/,
    /\b(polizei|anzeige erstattet|strafanzeige|aktenzeichen)\b/,
  ],
  pressure: [
    /\b(right now|immediately|asap|unacceptable|ridiculous|lawyer|legal action|last chance|i demand)\b/,
    /\b(tout de suite|immediatement|inacceptable|avocat|action en justice|j'?exige)\b/,
    /\b(sofort|unverzuglich|inakzeptabel|anwalt|rechtliche schritte|ich verlange)\b/,
  ],
};

export function normalizeText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’`´]/g, "'");
}

export interface PlaybookMatch {
  tactics: Tactic[];
  manipulationCount: number;
}

/** Which playbook tactics a customer's messages use. */
export function matchPlaybook(customerText: string): PlaybookMatch {
  const text = normalizeText(customerText);
  const tactics = TACTICS.filter((tactic) => PATTERNS[tactic].some((pattern) => pattern.test(text)));
  const manipulationCount = tactics.filter((tactic) => MANIPULATION_TACTICS.has(tactic)).length;
  return { tactics, manipulationCount };
}

// Signals for a new account: does it belong to someone already closed for fraud or abuse?
// Exact matches on normalised identity values; the full fuzzy identity matcher builds on this.
import { z } from 'zod';
import type { EventOf } from './events.ts';
import { emailStem, normalizeAddress, normalizeEmail } from './identity.ts';
import type { RiskState } from './risk-state.ts';

/** How strongly one shared value says "same person". */
const FIELD_WEIGHTS = {
  email: 0.95,
  phone: 0.9,
  device: 0.85,
  card: 0.9,
  stem: 0.5,
  address: 0.6,
} as const;
type IdentityField = keyof typeof FIELD_WEIGHTS;

export interface SignupMatch {
  accountId: string;
  probability: number;
  fields: IdentityField[];
}

/**
 * A sign-up's signals: what `signupSignals` fills and what a pack's sign-up rules may name
 * (`./rules/signal-catalogue.ts` reads the paths off this shape). Never parsed on the hot path.
 */
export const signupSignalsSchema = z
  .object({
    signup: z
      .object({
        matchedClosedAccounts: z.number(),
        maxMatchProbability: z.number(),
        emailMatch: z.boolean(),
        phoneMatch: z.boolean(),
        deviceMatch: z.boolean(),
        addressMatch: z.boolean(),
        emailStemMatch: z.boolean(),
      })
      .strict(),
  })
  .strict();
export type SignupSignals = z.infer<typeof signupSignalsSchema>;

export function signupMatches(
  state: RiskState,
  event: EventOf<'account.created'>,
  limit: number,
): SignupMatch[] {
  const { data } = event;
  const at = event.at;
  const stem = emailStem(data.email);
  const keys: [IdentityField, string | undefined][] = [
    ['email', `email:${normalizeEmail(data.email)}`],
    ['stem', stem.length >= 4 ? `stem:${stem}` : undefined],
    ['phone', data.phone ? `phone:${state.normalizedPhone(data.phone, data.address?.country)}` : undefined],
    ['device', data.deviceId ? `device:${data.deviceId}` : undefined],
    ['address', data.address ? `address:${normalizeAddress(data.address)}` : undefined],
  ];
  const byAccount = new Map<string, Set<IdentityField>>();
  for (const [field, key] of keys) {
    if (!key) continue;
    const users = state.identities.get(key);
    if (!users || users.size > limit) continue;
    // forEach: no [key, value] array per user, as for…of over the map would make.
    users.forEach((first, other) => {
      if (other === data.accountId || first >= at) return;
      const closed = state.accounts.get(other)?.closed;
      if (!closed || closed.at >= at || closed.reason === 'other') return;
      const fields = byAccount.get(other) ?? new Set();
      fields.add(field);
      byAccount.set(other, fields);
    });
  }
  return [...byAccount]
    .map(([accountId, fields]) => {
      const list = [...fields];
      const miss = list.reduce((product, field) => product * (1 - FIELD_WEIGHTS[field]), 1);
      return { accountId, fields: list, probability: Math.round((1 - miss) * 1000) / 1000 };
    })
    .sort(
      (left, right) => right.probability - left.probability || left.accountId.localeCompare(right.accountId),
    );
}

export function signupSignals(matches: SignupMatch[]): SignupSignals {
  const has = (field: IdentityField) => matches.some((match) => match.fields.includes(field));
  return {
    signup: {
      matchedClosedAccounts: matches.length,
      maxMatchProbability: matches[0]?.probability ?? 0,
      emailMatch: has('email'),
      phoneMatch: has('phone'),
      deviceMatch: has('device'),
      addressMatch: has('address'),
      emailStemMatch: has('stem'),
    },
  };
}

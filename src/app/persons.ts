// Four-eyes binds to the person, not the login. Each credential resolves to the people it answers
// for: an API key for the one who made it (a key made at the shell is its own), a user for
// themselves and, until a second independent admin confirms them, for the one who made them. So a
// second key, or a user one made oneself, is never a second pair of eyes.
import type { PeopleStore, UserRecord } from './console-ports.ts';
import type { ApiKeyRecord } from './ports.ts';

/** Who is calling (people.ts's Principal, spelled out here so the two modules do not import each other). */
type Caller = { kind: 'user'; user: UserRecord } | { kind: 'key'; key: ApiKeyRecord };

export interface Person {
  /** The actor ids (`user:…`, `key:…`) this credential answers for, itself first. */
  actors: string[];
  /** The support-agent ids of those people: cases about them are about this person. */
  agentIds: string[];
}

/** Lineages are short; this bounds a corrupt (cyclic) one. */
const MAX_HOPS = 16;

export class Persons {
  constructor(private readonly store: Pick<PeopleStore, 'getUser' | 'apiKeyCreator'>) {}

  /** The person behind a request's credential. */
  of(principal: Caller): Promise<Person> {
    if (principal.kind === 'user') return this.#walk(`user:${principal.user.id}`, principal.user);
    return this.#walk(`key:${principal.key.id}`, undefined, principal.key.createdBy);
  }

  /** The person behind a stored actor id (a proposal's `proposedBy`). */
  ofActor(actor: string): Promise<Person> {
    return this.#walk(actor);
  }

  async #walk(first: string, user?: UserRecord, keyCreator?: string | null): Promise<Person> {
    const actors: string[] = [];
    const agentIds: string[] = [];
    let actor: string | null = first;
    let known: { user?: UserRecord | undefined; keyCreator?: string | null | undefined } = {
      user,
      keyCreator,
    };
    for (let hop = 0; actor !== null && hop < MAX_HOPS && !actors.includes(actor); hop += 1) {
      actors.push(actor);
      let next: string | null = null;
      if (actor.startsWith('user:')) {
        const record: UserRecord | undefined = known.user ?? (await this.store.getUser(actor.slice(5)));
        if (record?.agentId) agentIds.push(record.agentId);
        // A confirmed user is a person of their own; an unconfirmed one answers for their maker too.
        if (record !== undefined && record.confirmedBy === null) next = record.createdBy;
      } else if (actor.startsWith('key:')) {
        next =
          known.keyCreator !== undefined
            ? known.keyCreator
            : ((await this.store.apiKeyCreator(actor.slice(4)))?.createdBy ?? null);
      }
      known = {};
      actor = next;
    }
    return { actors, agentIds };
  }
}

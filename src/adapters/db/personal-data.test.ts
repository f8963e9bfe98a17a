// A GDPR erasure and the retention policy on each database, over a simulated retailer imported into a
// real store: nothing the erased person wrote or was identified by is left in any table (nor in the
// SQLite file), other accounts and the erased account's decisions are as they were, a rebuilt engine
// decides other accounts' refunds as before, and the audit chain verifies with the tombstone in it.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../app/audit.ts';
import { RiskEngine } from '../../app/engine.ts';
import {
  checkTranscriptRetention,
  ERASED_NOTE,
  ErasureRefusedError,
  ErasureService,
  ErasureWatch,
  HOUSEHOLD_ACCOUNTS,
  RetentionService,
} from '../../app/personal-data.ts';
import type { AssessmentRecord, Store } from '../../app/ports.ts';
import { loadRulePack } from '../../app/rule-pack-file.ts';
import { type Address, parseEvent, type RefundguardEvent } from '../../core/events.ts';
import { normalizeAddress } from '../../core/identity.ts';
import { ringSettingsSchema } from '../../core/rings/ring-settings.ts';
import { DAY_MS } from '../../core/time.ts';
import { simulateWorld } from '../../sim/index.ts';
import { type KyselyConsoleStore, openConsoleStore } from './console-store.ts';
import { openStore } from './open-store.ts';
import { createTestLocation, dialectsToTest, type TestLocation } from './testing/test-locations.ts';

const rules = loadRulePack();
const KEY = 'test-pseudonym-key-0123456789';
const world = simulateWorld({
  seed: 11,
  customers: 300,
  days: 30,
  gangs: 1,
  clientsPerGang: 6,
  insiders: 1,
  agents: 10,
  banEvaders: 2,
  intelPosts: 5,
});

type Data = Record<string, unknown>;
const dataOf = (event: { data: unknown }) => event.data as Data;

/** The accountId an event belongs to, following orders and refunds. */
function owners(
  events: readonly { type: string; data: unknown }[],
): (event: { type: string; data: unknown }) => string | undefined {
  const byOrder = new Map<string, string>();
  const byRefund = new Map<string, string>();
  for (const event of events) {
    const data = dataOf(event);
    if (event.type === 'order.placed') byOrder.set(String(data.orderId), String(data.accountId));
    if (event.type === 'refund.requested') byRefund.set(String(data.refundId), String(data.accountId));
  }
  return (event) => {
    const data = dataOf(event);
    if (typeof data.accountId === 'string') return data.accountId;
    if (typeof data.orderId === 'string') return byOrder.get(data.orderId);
    if (typeof data.refundId === 'string') return byRefund.get(data.refundId);
    if (event.type === 'label.set') {
      const subject = String(data.subjectId);
      return data.subject === 'account' ? subject : (byOrder.get(subject) ?? byRefund.get(subject));
    }
    return undefined;
  };
}

/**
 * Every personal value in an account's events: identifiers (e-mail, phone, IP, caller id), which are
 * the person's wherever they are stored; names and address lines, which another person may share;
 * transcript texts and user agents.
 */
function personalValues(events: readonly { type: string; data: unknown }[]) {
  const values = {
    identifiers: new Set<string>(),
    quoted: new Set<string>(),
    texts: new Set<string>(),
    agents: new Set<string>(),
  };
  const add = (set: Set<string>, value: unknown) => {
    if (typeof value === 'string' && value !== '') set.add(value);
  };
  const addAddress = (address: unknown) => {
    add(values.quoted, (address as Data | undefined)?.line1);
    add(values.quoted, (address as Data | undefined)?.line2);
  };
  for (const event of events) {
    const data = dataOf(event);
    if (event.type.startsWith('account.') && event.type !== 'account.closed') {
      for (const field of ['email', 'phone', 'ip']) add(values.identifiers, data[field]);
      add(values.quoted, data.name);
      addAddress(data.address);
      add(values.agents, data.userAgent);
    }
    if (event.type === 'order.placed') {
      add(values.identifiers, data.ip);
      addAddress(data.shipTo);
    }
    if (event.type === 'contact.created') {
      add(values.identifiers, data.ip);
      add(values.identifiers, data.callerId);
      for (const message of (data.messages as { text: string }[] | undefined) ?? [])
        add(values.texts, message.text);
    }
  }
  return values;
}

async function allEvents(store: Store): Promise<RefundguardEvent[]> {
  const events: RefundguardEvent[] = [];
  for await (const page of store.streamEvents(5000)) events.push(...page);
  return events;
}

/** Every text value of every table, as `table.column`: where a left-over value would be found. */
async function everyText(consoleStore: KyselyConsoleStore): Promise<{ where: string; text: string }[]> {
  const found: { where: string; text: string }[] = [];
  for (const table of await consoleStore.db.introspection.getTables()) {
    const rows = await consoleStore.db
      .selectFrom(table.name as 'events')
      .selectAll()
      .execute();
    for (const row of rows)
      for (const [column, value] of Object.entries(row))
        if (typeof value === 'string') found.push({ where: `${table.name}.${column}`, text: value });
  }
  return found;
}

const decisionOf = (record: AssessmentRecord) => ({
  subjectId: record.subjectId,
  kind: record.kind,
  decision: record.decision,
  score: record.score,
  reasons: record.reasons,
  signals: record.signals,
});

for (const dialect of dialectsToTest()) {
  describe(`erasure on ${dialect}`, () => {
    let location: TestLocation;
    let store: Store;
    let consoleStore: KyselyConsoleStore;
    let engine: RiskEngine;
    const now = Date.parse('2026-10-05T00:00:00Z');
    const clock = () => now;

    beforeAll(async () => {
      location = await createTestLocation(dialect);
      store = await openStore(location.location);
      engine = new RiskEngine(store, rules, clock);
      const result = await engine.ingest(world.events);
      expect(result.rejected).toEqual([]);
      consoleStore = await openConsoleStore(location.location);
    }, 120_000);
    afterAll(async () => {
      await consoleStore?.close();
      await store?.close();
      await location?.dispose();
    });

    it('erases one account everywhere, keeps its decisions and every other account, and records a tombstone', async () => {
      let before = await allEvents(store);
      const ownerOf = owners(before);
      const byAccount = new Map<string, RefundguardEvent[]>();
      for (const event of before) {
        const owner = ownerOf(event);
        if (owner !== undefined) byAccount.set(owner, [...(byAccount.get(owner) ?? []), event]);
      }
      // A customer with a profile, a login, an order, a contact with a transcript and a refund, and no hold.
      let target: string | undefined;
      for (const [accountId, events] of byAccount) {
        const types = new Set(events.map((event) => event.type));
        const created = events.find((event) => event.type === 'account.created');
        const texts = events.some(
          (event) =>
            event.type === 'contact.created' && ((dataOf(event).messages as unknown[]) ?? []).length > 0,
        );
        if (
          created !== undefined &&
          typeof dataOf(created).phone === 'string' &&
          dataOf(created).address !== undefined &&
          (['account.login', 'order.placed', 'refund.requested'] as const).every((type) => types.has(type)) &&
          texts &&
          (await consoleStore.personalData.legalHolds(accountId)).length === 0
        ) {
          target = accountId;
          break;
        }
      }
      if (target === undefined) throw new Error('the simulated world has no account to erase');
      const own = byAccount.get(target) ?? [];
      const values = personalValues(own);
      const created = dataOf(own.find((event) => event.type === 'account.created') as RefundguardEvent);
      const email = String(created.email);
      const name = String(created.name);
      const address = created.address as Data;
      // A neighbour who shares their phone line and ships to their address: shared values are the
      // person's too, pseudonymised there as well, to the same pseudonyms. A stranger at the same
      // street number in another town is not them.
      const login = own.find((event) => event.type === 'account.login' && dataOf(event).ip);
      const sharedIp = String(dataOf(login as RefundguardEvent).ip);
      const neighbour = await engine.ingest([
        // Six customers behind the same carrier NAT address: it is not the person's alone.
        ...Array.from({ length: HOUSEHOLD_ACCOUNTS + 1 }, (_, index) => ({
          id: `nat-login-${index}`,
          type: 'account.login',
          time: '2026-09-04T00:00:00Z',
          data: { accountId: `acc-nat-${index}`, ip: sharedIp },
        })),
        {
          id: 'neighbour-created',
          type: 'account.created',
          time: '2026-09-02T00:00:00Z',
          data: {
            accountId: 'acc-neighbour',
            email: 'neighbour@example.org',
            name: 'Nora Neighbour',
            phone: created.phone,
          },
        },
        {
          id: 'neighbour-order',
          type: 'order.placed',
          time: '2026-09-03T00:00:00Z',
          data: {
            orderId: 'order-neighbour',
            accountId: 'acc-neighbour',
            currency: 'USD',
            items: [{ sku: 'sku-1', title: 'Kettle', priceMinor: 2500 }],
            shipTo: { ...address },
          },
        },
        {
          id: 'intel-quote',
          type: 'intel.post',
          time: '2026-09-05T00:00:00Z',
          data: {
            postId: 'post-quote',
            source: 'telegram',
            channel: 'refund-market',
            text: `Done: full refund for ${String(created.name)} <${String(created.email)}>, DM for yours.`,
          },
        },
        {
          id: 'stranger-order',
          type: 'order.placed',
          time: '2026-09-03T00:00:00Z',
          data: {
            orderId: 'order-stranger',
            accountId: 'acc-stranger',
            currency: 'USD',
            items: [{ sku: 'sku-1', title: 'Kettle', priceMinor: 2500 }],
            shipTo: {
              line1: address.line1,
              city: 'Elsewhere',
              postalCode: '00000',
              country: address.country,
            },
          },
        },
      ]);
      expect(neighbour.rejected).toEqual([]);
      before = await allEvents(store);
      // What investigators wrote about them: a closed case with a note and a snapshot of the account.
      await consoleStore.db
        .insertInto('cases')
        .values({
          id: 'case-erase-1',
          type: 'refund',
          subject_type: 'account',
          subject_id: target,
          title: `Refunds of ${name}`,
          status: 'closed',
          priority_usd_minor: 0,
          marketplace: null,
          assignee_id: null,
          opened_at: now,
          updated_at: now,
          refund_count: 0,
          top_reasons: '[]',
          agent_ids: '[]',
          outcome: null,
        })
        .execute();
      await consoleStore.db
        .insertInto('case_notes')
        .values({
          id: 'note-1',
          case_id: 'case-erase-1',
          by_user: 'u1',
          at: now,
          text: `Called them, they said they are the owner.`,
        })
        .execute();
      await consoleStore.db
        .insertInto('case_evidence')
        .values({
          case_id: 'case-erase-1',
          kind: 'linked_account',
          ref_id: target,
          summary: `Linked: ${email}`,
          at: now,
          amount_usd_minor: null,
          data: JSON.stringify({ email, name, phone: created.phone }),
        })
        .execute();
      // A what-if assessment of one of its refunds.
      const refund = own.find((event) => event.type === 'refund.requested') as RefundguardEvent;
      expect((await engine.assessRefundRequest(refund.data, refund.at)).ok).toBe(true);
      const decisionsBefore = (await store.listAssessments({ accountId: target })).map(decisionOf);
      expect(decisionsBefore.length).toBeGreaterThan(1);
      // Texts and user agents others share are theirs too: only the person's own are expected gone.
      const othersText = before
        .filter((event) => ownerOf(event) !== target)
        .map((event) => JSON.stringify(event.data))
        .join('\n');
      const ownTexts = [...values.texts, ...values.agents].filter(
        (text) => !othersText.includes(JSON.stringify(text)),
      );
      expect(values.identifiers.size).toBeGreaterThanOrEqual(3);
      expect(values.quoted.size).toBeGreaterThanOrEqual(2);
      expect(ownTexts.length).toBeGreaterThan(0);
      // Other accounts' refunds as a fresh engine decides them now.
      const otherRefunds = before
        .filter((event) => event.type === 'refund.requested' && ownerOf(event) !== target)
        .map((event) => String(dataOf(event).refundId));
      const finalBefore = new Map(
        otherRefunds.map((refundId) => [refundId, engine.finalAssessment(refundId)] as const),
      );

      // A serving process watches for erasures.
      const watch = new ErasureWatch(consoleStore.personalData, engine);
      await watch.init();
      expect(await watch.check()).toBe(false);
      expect(engine.riskState.accounts.get(target)?.email).toBe(email);

      const audit = new AuditLog(consoleStore, clock);
      const service = new ErasureService(consoleStore.personalData, audit, KEY);
      const summary = await service.erase({ accountId: target, actor: 'cli:test' });

      // It reloads its state from the rewritten events, once.
      expect(await watch.check()).toBe(true);
      expect(engine.riskState.accounts.get(target)?.email).toMatch(/@erased\.invalid$/);
      expect(await watch.check()).toBe(false);
      expect(summary.events).toBe(own.length);
      expect(summary.erased.email).toBeGreaterThan(0);
      expect(summary.erased.transcript).toBeGreaterThan(0);
      expect(summary.erased.caseNote).toBe(1);

      // No original value is left in any table (the audit log included).
      const texts = await everyText(consoleStore);
      // An identifier many accounts share (a carrier's NAT address) is theirs as much: left in their events.
      const holders = (value: string) =>
        new Set(
          before
            .filter(
              (event) =>
                ownerOf(event) !== target && JSON.stringify(event.data).includes(JSON.stringify(value)),
            )
            .map(ownerOf),
        ).size;
      const widelyShared = [...values.identifiers].filter((value) => holders(value) > HOUSEHOLD_ACCOUNTS);
      const identifiers = [...values.identifiers].filter((value) => !widelyShared.includes(value));
      expect(widelyShared).toContain(sharedIp);
      expect(identifiers).toContain(email);
      for (const value of [...identifiers, ...ownTexts]) {
        const left = texts.find((entry) => entry.text.includes(value));
        expect(left === undefined ? undefined : `${value} in ${left.where}`).toBeUndefined();
      }
      // A name, a street line or a widely shared identifier is left only in the events of others
      // who bear it (the stranger).
      for (const value of [...values.quoted, ...widelyShared]) {
        const left = texts.filter((entry) => entry.text.includes(value));
        expect(left.filter((entry) => entry.where !== 'events.payload').map((entry) => entry.where)).toEqual(
          [],
        );
        const bearers = before.filter(
          (event) =>
            ownerOf(event) !== target &&
            ownerOf(event) !== 'acc-neighbour' &&
            JSON.stringify(event.data).includes(JSON.stringify(value)),
        );
        expect(left.length).toBeLessThanOrEqual(bearers.length);
      }
      if (dialect === 'sqlite') {
        // Nor in the file's pages (old row versions are overwritten, the WAL checkpointed).
        const file = `${readFileSync(location.location).toString('latin1')}${readFileSync(`${location.location}-wal`, { flag: 'a+' }).toString('latin1')}`;
        for (const value of identifiers.filter((value) => /^[\x20-\x7e]+$/.test(value)))
          expect(file.includes(value) ? value : undefined).toBeUndefined();
      }

      // The stored events are still contract events, with pseudonyms in place of the values.
      const after = await allEvents(store);
      const ownAfter = after.filter((event) => ownerOf(event) === target);
      for (const event of ownAfter) expect(parseEvent({ ...event }).ok).toBe(true);
      const createdAfter = dataOf(
        ownAfter.find((event) => event.type === 'account.created') as RefundguardEvent,
      );
      expect(String(createdAfter.email)).toMatch(/^erased-[0-9a-f]{16}@erased\.invalid$/);
      const contact = ownAfter.find((event) => event.type === 'contact.created' && dataOf(event).messages);
      expect(dataOf(contact as RefundguardEvent).transcriptRedacted).toBe(true);
      const notes = await consoleStore.listNotes('case-erase-1');
      expect(notes.map((note) => note.text)).toEqual([ERASED_NOTE]);

      // Other accounts: as they were, but for a value they shared with the person (then the same pseudonym).
      const afterById = new Map(after.map((event) => [event.id, event]));
      // Their addresses, however spelt ("St", "Street"): a household's other accounts ship there too.
      const addressKey = (value: unknown) =>
        (value as Data | undefined)?.line1 === undefined ? undefined : normalizeAddress(value as Address);
      const theirAddresses = new Set(
        own.flatMap((event) => [addressKey(dataOf(event).address), addressKey(dataOf(event).shipTo)]),
      );
      const atTheirAddress = (event: RefundguardEvent) =>
        [addressKey(dataOf(event).address), addressKey(dataOf(event).shipTo)].some(
          (key) => key !== undefined && theirAddresses.has(key),
        );
      let shared = 0;
      for (const event of before) {
        if (ownerOf(event) === target) continue;
        const text = JSON.stringify(event.data);
        const holdsValue =
          event.id === 'intel-quote' ||
          atTheirAddress(event) ||
          identifiers.some((value) => text.includes(JSON.stringify(value)));
        if (holdsValue) shared += 1;
        else expect(afterById.get(event.id)?.data, event.id).toEqual(event.data);
      }
      const changed = before.filter((event) => !isDeepStrictEqual(afterById.get(event.id)?.data, event.data));
      expect(summary.rows.events).toBe(changed.length);
      expect(changed.filter((event) => ownerOf(event) !== target).length).toBe(shared);
      expect(shared).toBeGreaterThanOrEqual(2);
      const neighbourCreated = dataOf(afterById.get('neighbour-created') as RefundguardEvent);
      expect(neighbourCreated).toMatchObject({
        email: 'neighbour@example.org',
        name: 'Nora Neighbour',
        phone: createdAfter.phone,
      });
      const neighbourShipTo = dataOf(afterById.get('neighbour-order') as RefundguardEvent).shipTo as Data;
      expect(neighbourShipTo).toEqual(createdAfter.address);
      expect(neighbourShipTo.line1).toMatch(/^erased-[0-9a-f]{16}$/);
      expect(neighbourShipTo.city).toBe(address.city);
      // A post quoting them names their pseudonyms instead.
      const post = dataOf(afterById.get('intel-quote') as RefundguardEvent);
      expect(post.text).toBe(
        `Done: full refund for ${String(createdAfter.name)} <${String(createdAfter.email)}>, DM for yours.`,
      );
      for (let index = 0; index <= HOUSEHOLD_ACCOUNTS; index += 1)
        expect(dataOf(afterById.get(`nat-login-${index}`) as RefundguardEvent).ip).toBe(sharedIp);
      expect(JSON.stringify(ownAfter.map((event) => event.data))).not.toContain(JSON.stringify(sharedIp));
      const stranger = before.find((event) => event.id === 'stranger-order') as RefundguardEvent;
      expect(afterById.get('stranger-order')?.data).toEqual(stranger.data);

      // Decisions are kept as they were made.
      expect((await store.listAssessments({ accountId: target })).map(decisionOf)).toEqual(decisionsBefore);

      // A rebuilt engine decides the other accounts' refunds as before.
      const rebuilt = new RiskEngine(store, rules, clock);
      await rebuilt.load();
      for (const refundId of otherRefunds) {
        const expected = finalBefore.get(refundId);
        const actual = rebuilt.finalAssessment(refundId);
        expect({ refundId, decision: actual?.decision, score: actual?.score }).toEqual({
          refundId,
          decision: expected?.decision,
          score: expected?.score,
        });
      }

      // The tombstone is in a chain that verifies, and holds counts, not data.
      expect((await new AuditLog(consoleStore, clock).verify()).ok).toBe(true);
      const [tombstone] = await consoleStore.listAudit({ limit: 1, action: 'account.erased' });
      expect(tombstone).toMatchObject({ actor: 'cli:test', subject: `account:${target}` });
      expect(tombstone?.detail).toMatchObject({ events: own.length, erased: { caseNote: 1 } });

      // Erasing again finds nothing left to change.
      const again = await service.erase({ accountId: target, actor: 'cli:test' });
      expect(again.rows).toEqual({});
    }, 120_000);

    it('refuses an account closed for fraud unless the hold is overridden, and audits the reason', async () => {
      const closed = world.events.find(
        (event) => event.type === 'account.closed' && dataOf(event).reason === 'fraud',
      );
      if (closed === undefined) throw new Error('the simulated world closed no account for fraud');
      const accountId = String(dataOf(closed).accountId);
      const service = new ErasureService(consoleStore.personalData, new AuditLog(consoleStore, clock), KEY);
      await expect(service.erase({ accountId, actor: 'cli:test' })).rejects.toBeInstanceOf(
        ErasureRefusedError,
      );
      const [refused] = await consoleStore.listAudit({ limit: 1, action: 'account.erase_refused' });
      expect(refused?.subject).toBe(`account:${accountId}`);
      const summary = await service.erase({ accountId, actor: 'cli:test', overrideHold: 'court order 42' });
      expect(summary.holds.map((hold) => hold.kind)).toContain('closed_for_fraud');
      const [tombstone] = await consoleStore.listAudit({ limit: 1, action: 'account.erased' });
      expect(tombstone?.detail).toMatchObject({ overrideReason: 'court order 42' });
      expect((await new AuditLog(consoleStore, clock).verify()).ok).toBe(true);
    }, 60_000);

    it('strips transcripts and deletes what-if assessments past the retention, and keeps the rest', async () => {
      const days = (count: number) => count * DAY_MS;
      const events = (await allEvents(store)).filter((event) => event.type === 'contact.created');
      const latest = Math.max(...events.map((event) => event.at));
      // The clock far ahead of the events: the retention counts from the latest event.
      const later = latest + days(400);
      const retainFrom = latest - days(10);
      const withText = (event: RefundguardEvent) =>
        ((dataOf(event).messages as { text: string }[] | undefined) ?? []).some(
          (message) => message.text !== '',
        );
      const due = events.filter((event) => event.at < retainFrom && withText(event));
      const kept = events.filter((event) => event.at >= retainFrom);
      expect(due.length).toBeGreaterThan(0);
      expect(kept.length).toBeGreaterThan(0);
      const request = (await store.listAssessments({ kind: 'request', limit: 1 }))[0] as AssessmentRecord;
      await store.saveAssessment({ ...request, kind: 'api', createdAt: later - days(91) });
      const recent = (await store.listAssessments({ kind: 'request', limit: 2 }))[1] as AssessmentRecord;
      await store.saveAssessment({ ...recent, kind: 'api', createdAt: later - days(10) });
      const requests = (await store.listAssessments({ kind: 'request' })).length;

      const retention = new RetentionService(
        consoleStore.personalData,
        () => later,
        { transcriptDays: 10, apiAssessmentDays: 90 },
        new AuditLog(consoleStore, () => later),
      );
      const seen: number[] = [];
      const summary = await retention.apply((count) => seen.push(count));
      expect(summary.transcriptsRedacted).toBe(due.length);
      expect(summary.apiAssessmentsDeleted).toBeGreaterThanOrEqual(1);
      expect(seen.at(-1)).toBeGreaterThanOrEqual(due.length);

      const afterById = new Map((await allEvents(store)).map((event) => [event.id, event]));
      for (const event of due) {
        const stored = afterById.get(event.id) as RefundguardEvent;
        expect(parseEvent({ ...stored }).ok).toBe(true);
        expect(dataOf(stored).transcriptRedacted).toBe(true);
        expect(withText(stored)).toBe(false);
        expect((dataOf(stored).messages as unknown[]).length).toBe(
          (dataOf(event).messages as unknown[]).length,
        );
      }
      for (const event of kept) expect(afterById.get(event.id)?.data).toEqual(event.data);
      const api = await store.listAssessments({ kind: 'api' });
      expect(api.some((record) => record.subjectId === recent.subjectId)).toBe(true);
      expect(api.some((record) => record.createdAt < later - days(90))).toBe(false);
      expect((await store.listAssessments({ kind: 'request' })).length).toBe(requests);

      // Applied again, nothing is left to do.
      expect(await retention.apply()).toEqual({ transcriptsRedacted: 0, apiAssessmentsDeleted: 0 });
      expect((await new AuditLog(consoleStore, clock).verify()).ok).toBe(true);
    }, 60_000);
  });
}

describe('transcript retention', () => {
  it('is refused shorter than the longest window a detector reads texts over', () => {
    const defaults = ringSettingsSchema.parse({});
    expect(() => checkTranscriptRetention(30, defaults)).toThrow(/180 days/);
    expect(() => checkTranscriptRetention(180, defaults)).not.toThrow();
  });
});

// The refund signals' shape: the contract between `refundSignals` (refund-signals.ts), which fills
// it, and the rule pack, whose conditions and texts read it.
import { z } from 'zod';

const bool = z.boolean();
const num = z.number();
const str = z.string();

/**
 * Every signal of a refund, by namespace: what `refundSignals` fills (every field, always) and
 * what a rule pack's conditions and `{{path}}` texts may name (`./rules/signal-catalogue.ts` reads
 * the paths off this shape). Strict objects, so a field the builder adds or drops fails the test
 * that parses its output; the hot path never parses.
 */
export const refundSignalsSchema = z
  .object({
    account: z
      .object({
        known: bool,
        ageDays: num,
        orders30d: num,
        orders90d: num,
        orders365d: num,
        refunds30d: num,
        refunds90d: num,
        refunds365d: num,
        refundValueUsd30d: num,
        refundValueUsd90d: num,
        refundValueUsd365d: num,
        dnrRefunds90d: num,
        refundRate365d: num,
        hotOrders14d: num,
        hotOrderValueUsd14d: num,
        priorFlaggedRefunds: num,
        priorFakeReturns: num,
        priorEmptyReturns: num,
        thirdPartyContacts90d: num,
        closed: bool,
        linkedClosedForFraud: num,
      })
      .strict(),
    order: z
      .object({
        found: bool,
        valueUsd: num,
        maxItemUsd: num,
        hot: bool,
        ageDays: num,
        delivered: bool,
        daysSinceDelivery: num,
        signature: bool,
        photo: bool,
        weightGrams: num,
        priorRefunds: num,
        sharedCardRefundAccounts90d: num,
        sharedAddressRefundAccounts90d: num,
        sharedDeviceRefundAccounts90d: num,
        sharedRangeRefundAccounts90d: num,
      })
      .strict(),
    refund: z
      .object({
        amountUsd: num,
        shareOfOrder: num,
        reason: str,
        dnrLike: bool,
        channel: str,
        returnRequired: bool,
        marketplace: str,
      })
      .strict(),
    contact: z
      .object({
        present: bool,
        channel: str,
        deviceKnown: bool,
        ipRangeKnown: bool,
        thirdParty: bool,
        /**
         * A third party with a second sign that it was not the customer: a new network as well as a new
         * device, an hour the customer is never active, a foreign language, a device or network that
         * contacted support for other accounts, or the refund-service playbook's pressure.
         */
        thirdPartyCorroborated: bool,
        /** Both the device and the network were new to the account (not a new phone at home, not home wifi on a new network). */
        strangerOrigin: bool,
        /** At an hour (± 2 h, UTC) the account's owner had never been active at (another time zone). */
        unusualHour: bool,
        language: str,
        languageMismatch: bool,
        identityVerified: bool,
        deviceForeignAccounts30d: num,
        rangeForeignAccounts30d: num,
        /** Other accounts that signed in or ordered from the contact's device (a refunder logging in to clients). */
        deviceOtherUsers: num,
        tactics: z.array(str),
        tacticCount: num,
        manipulationCount: num,
        claimContradictsDelivery: bool,
        /** Other accounts whose support contacts told a near-duplicate story in the 30 days before. */
        scriptTwinAccounts30d: num,
        /** Of those, accounts whose own contacts in that window came from a device or network foreign to them (a refunder's). */
        scriptTwinThirdPartyAccounts30d: num,
      })
      .strict(),
    /**
     * The sign-in session the request came from (self-service requests have no contact): a device
     * the account first used within the day before, that other accounts also signed in from.
     */
    session: z
      .object({
        newDevice: bool,
        /**
         * The session's network (IP range) is new to the account as well, within the day before: not
         * the customer's new phone on the home network but a stranger's machine somewhere else.
         */
        newNetwork: bool,
        deviceOtherAccounts: num,
        /**
         * Other accounts whose support contacts in 30 days came from the session's new device: a
         * refunder who signs in to a client's account after chatting for others from the same machine.
         */
        deviceContactAccounts30d: num,
      })
      .strict(),
    /** The ring (latest detection before the request) the account sits in, or whose refunder made the contact. */
    ring: z
      .object({
        found: bool,
        id: str,
        /** `account` (a member), `origin` (the contact's device / caller id), `session` (the new device of the session), `range` (the contact's IP range). */
        via: str,
        score: num,
        members: num,
        valueUsd: num,
      })
      .strict(),
    agent: z
      .object({
        present: bool,
        overrides30d: num,
        decisions30d: num,
        overrideRate30d: num,
        approvalsOfFlagged30d: num,
        /** Share of the agent's approvals in 30 days that went to flagged refunds. */
        flaggedApprovalShare30d: num,
      })
      .strict(),
    intel: z
      .object({
        orderNamed: bool,
        posts: num,
      })
      .strict(),
    evidence: z
      .object({
        inView: bool,
        returnDeliveredElsewhere: bool,
        returnNeverReceived: bool,
        returnEmpty: bool,
        returnLight: bool,
        returnWrongItem: bool,
        /** The return was carried to the warehouse and checked in as expected: the goods are back. */
        returnReceivedIntact: bool,
        accountClosedForFraud: bool,
      })
      .strict(),
  })
  .strict();
export type RefundSignals = z.infer<typeof refundSignalsSchema>;

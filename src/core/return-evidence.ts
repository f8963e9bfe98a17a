// The return's evidence, read as of a moment: delivered somewhere other than a warehouse (FTID),
// never received, empty or light (boxing), the wrong item, or carried back and checked in as
// expected. A final decision reads it after the request (`evidence.*`); the request reads it for
// the account's earlier refunds (`account.priorFakeReturns`, `priorEmptyReturns`).
import type { OrderFacts, RefundFacts } from './risk-facts.ts';
import type { RiskState } from './risk-state.ts';
import { DAY_MS } from './time.ts';

/** A refund whose return the warehouse has not received this long after the carrier said delivered. */
const RETURN_LOST_AFTER_DAYS = 10;

export function returnEvidence(
  state: RiskState,
  refund: RefundFacts | undefined,
  order: OrderFacts | undefined,
  asOf: number,
) {
  const scans = (refund?.returns ?? []).filter((scan) => scan.at <= asOf);
  const delivered = scans.filter((scan) => scan.status === 'delivered');
  const received = scans.filter((scan) => scan.status === 'received');
  const deliveredElsewhere = delivered.some(
    (scan) =>
      scan.destinationPostalCode !== undefined && !state.isWarehousePostalCode(scan.destinationPostalCode),
  );
  const lastDelivered = delivered.at(-1);
  const neverReceived =
    lastDelivered !== undefined &&
    received.length === 0 &&
    asOf - lastDelivered.at > RETURN_LOST_AFTER_DAYS * DAY_MS;
  // Only a return of the whole shipment can be compared with the shipped weight: a partial
  // return of a multi-item order is rightly lighter.
  const shippedWeight = order?.delivery?.weightGrams;
  const wholeShipment =
    refund !== undefined && order !== undefined && refund.amountUsdMinor >= order.valueUsdMinor * 0.99;
  const returnLight =
    wholeShipment &&
    scans.some(
      (scan) =>
        scan.weightGrams !== undefined &&
        shippedWeight !== undefined &&
        shippedWeight > 0 &&
        scan.weightGrams < shippedWeight * 0.5,
    );
  const returnEmpty = scans.some((scan) => scan.condition === 'empty');
  const returnWrongItem = scans.some((scan) => scan.condition === 'wrong_item');
  // The goods are back: a carrier carried the parcel (a receipt marked by hand alone is how an
  // insider fakes one) and the warehouse checked it in as expected.
  const carried = scans.some((scan) => scan.status === 'in_transit' || scan.status === 'delivered');
  const returnReceivedIntact =
    carried &&
    received.some(
      (scan) =>
        scan.condition === undefined || scan.condition === 'as_expected' || scan.condition === 'damaged',
    ) &&
    !deliveredElsewhere &&
    !returnEmpty &&
    !returnLight &&
    !returnWrongItem;
  return {
    returnDeliveredElsewhere: deliveredElsewhere,
    returnNeverReceived: neverReceived,
    returnEmpty,
    returnLight,
    returnWrongItem,
    returnReceivedIntact,
  };
}

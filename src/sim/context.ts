// The shared state of one world being generated.
import type { AgentRoster } from './agents.ts';
import type { EmailRegistry } from './emails.ts';
import type { Gang } from './gangs.ts';
import type { PostalAddress } from './geography.ts';
import type { Ids, LabelCollector, WindowedSink } from './kernel.ts';
import type { Campus } from './network.ts';
import type { SimulationOptions } from './options.ts';
import type { FraudProfile, HonestProfile } from './profile.ts';
import type { Random } from './random.ts';

export interface WorldContext {
  options: SimulationOptions;
  behaviour: FraudProfile;
  /** How the world's honest customers behave. */
  honest: HonestProfile;
  startMs: number;
  endMs: number;
  days: number;
  sink: WindowedSink;
  ids: Ids;
  emails: EmailRegistry;
  roster: AgentRoster;
  gangs: Gang[];
  labels: LabelCollector;
  investigators: string[];
  campuses: Campus[];
  campusAddresses: Map<string, PostalAddress>;
  /** A fixed-size uniform sample of orders placed, for agents' routine reviews. */
  orderSample: OrderSample;
}

export interface SampledOrder {
  accountId: string;
  orderId: string;
  at: number;
}

/** Reservoir sampling: every order has the same chance to be kept, memory stays bounded. */
export class OrderSample {
  readonly kept: SampledOrder[] = [];
  private seen = 0;

  constructor(
    private readonly random: Random,
    private readonly capacity: number,
  ) {}

  observe(order: SampledOrder): void {
    this.seen++;
    if (this.kept.length < this.capacity) this.kept.push(order);
    else {
      const slot = Math.floor(this.random.next() * this.seen);
      if (slot < this.capacity) this.kept[slot] = order;
    }
  }
}

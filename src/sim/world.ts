// Generates one whole world into an event sink: agents and their shifts, gangs and their
// insiders, every household and customer with their orders and refunds, gang jobs, account
// closures and ban evaders, and public intel. Returns the ground-truth labels.

import type { LabelRecord } from '../app/labels.ts';
import type { PayloadOf } from '../core/events.ts';
import { AgentRoster, INVESTIGATOR_COUNT } from './agents.ts';
import { returnPropensity } from './catalog.ts';
import { OrderSample, type WorldContext } from './context.ts';
import {
  accountCreation,
  type Customer,
  customerSession,
  emitAccountCreated,
  emitLogin,
  makeCustomer,
  makeHousehold,
} from './customers.ts';
import { EmailRegistry, makeEmail } from './emails.ts';
import { deliverOrder, type OrderRecord, ordinaryBasket, placeOrder } from './flows.ts';
import { runGangJob } from './gang-job.ts';
import { type ClientPlan, type Gang, gangTarget, makeGangs, planClients, planJob } from './gangs.ts';
import { makeAddress, pickCity } from './geography.ts';
import { honestInquiryFlow, honestLostParcelFlow, honestProductRefundFlow } from './honest.ts';
import { addressVariant, emailVariant, nameVariant } from './identity-variants.ts';
import { generateIntel } from './intel.ts';
import {
  DAY,
  type EventSink,
  HOUR,
  Ids,
  LabelCollector,
  localMoment,
  MINUTE,
  WindowedSink,
} from './kernel.ts';
import { hostingIp, makeCampuses, makeDevice, residentialIp, vpnIp } from './network.ts';
import type { SimulationOptions } from './options.ts';
import { fullName, relative } from './people.ts';
import { formatPhone, makePhone } from './phones.ts';
import { Random } from './random.ts';

export type GenerationPhase = 'generate' | 'write';
/** Progress: `done` of `total` customers while generating, then events while writing. */
export type ProgressListener = (done: number, total: number, phase: GenerationPhase) => void;

interface EvaderSeed {
  original: Customer;
  gang: Gang;
  closedAt: number;
}

export function generateWorld(
  options: SimulationOptions,
  sink: EventSink,
  onProgress?: ProgressListener,
): LabelRecord[] {
  const root = new Random(`refundguard-sim/${options.seed}`);
  const startMs = options.startMs;
  const endMs = startMs + options.days * DAY;
  const windowed = new WindowedSink(sink, endMs);
  const ids = new Ids(root.fork('ids'));
  const roster = new AgentRoster(
    root.fork('agents'),
    ids,
    options.agents,
    startMs,
    options.days,
    options.seed,
  );
  const ctx: WorldContext = {
    options,
    behaviour: options.behaviour,
    honest: options.profile.honest,
    startMs,
    endMs,
    days: options.days,
    sink: windowed,
    ids,
    emails: new EmailRegistry(),
    roster,
    gangs: makeGangs(root.fork('gangs'), ids, options.gangs, options.refundersPerGang, options.behaviour),
    labels: new LabelCollector(),
    investigators: Array.from({ length: INVESTIGATOR_COUNT }, () => ids.agent()),
    campuses: makeCampuses(root.fork('campuses')),
    campusAddresses: new Map(),
    orderSample: new OrderSample(root.fork('order-sample'), 5000),
  };
  recruitInsiders(ctx, root.fork('insiders'));
  roster.emitLogins(root.fork('agent-logins'), windowed);
  emitRogueLogins(ctx, root.fork('rogue-logins'));

  const plans = planClients(
    root.fork('clients'),
    ctx.gangs,
    options.customers,
    options.days,
    options.clientsPerGang,
    options.banEvaders,
    options.behaviour,
  );
  const evaders: EvaderSeed[] = [];
  let index = 0;
  let householdNumber = 0;
  const progressEvery = Math.max(1, Math.floor(options.customers / 100));
  while (index < options.customers) {
    const householdRandom = root.fork('household', householdNumber++);
    const size = Math.min(
      options.customers - index,
      householdRandom.weighted([
        [1, 58],
        [2, 27],
        [3, 10],
        [4, 5],
      ] as const),
    );
    let market = null;
    for (let member = 0; member < size && market === null; member++) {
      const plan = plans.get(index + member);
      if (plan) market = gangTarget(householdRandom, plan.gang);
    }
    const household = makeHousehold(ctx, householdRandom, market, size);
    for (let member = 0; member < size; member++, index++) {
      const random = root.fork('customer', index);
      const plan = plans.get(index);
      const createdAt = plan?.newAccount
        ? startMs + (plan.jobs[0]!.orderDay - random.float(1, 25)) * DAY
        : accountCreation(random, startMs, options.days, ctx.honest.newAccountShare);
      const customer = makeCustomer(ctx, random, {
        household,
        member,
        createdAt,
        label: plan ? 'fraud' : 'legit',
        ...(plan ? { gangId: plan.gang.id } : {}),
      });
      const evader = simulateCustomer(ctx, random, customer, plan);
      if (evader) evaders.push(evader);
      if (index % progressEvery === 0) onProgress?.(index, options.customers, 'generate');
    }
  }
  evaders.forEach((seed, evaderIndex) => {
    simulateEvader(ctx, root.fork('evader', evaderIndex), seed);
  });
  emitRoutineReviews(ctx, root.fork('reviews'));
  generateIntel(ctx, root.fork('intel'));
  for (const agent of roster.agents) {
    const label: LabelRecord = {
      subject: 'agent',
      subjectId: agent.id,
      label: agent.insiderOf === null ? 'legit' : 'insider',
    };
    if (agent.insiderOf !== null) {
      label.scheme = 'insider';
      label.gangId = ctx.gangs[agent.insiderOf]!.id;
    }
    ctx.labels.agent(label);
  }
  onProgress?.(options.customers, options.customers, 'generate');
  return ctx.labels.all();
}

/** Bribes some agents: each works for one gang, some share devices with its refunders. */
function recruitInsiders(ctx: WorldContext, random: Random): void {
  if (ctx.gangs.length === 0) return;
  const chosen = random.sample(ctx.roster.agents, ctx.options.insiders);
  chosen.forEach((agent, position) => {
    const gang = ctx.gangs[position % ctx.gangs.length]!;
    agent.insiderOf = gang.index;
    gang.insiders.push(agent);
    const refunder = random.pick(gang.refunders);
    if (random.chance(0.4)) agent.rogueDevices.push(random.pick(refunder.devices));
    agent.rogueDevices.push(ctx.ids.device());
    agent.rogueIps.push(
      refunder.ipMode === 'hosting'
        ? hostingIp(random, refunder.ranges)
        : refunder.ipMode === 'vpn'
          ? vpnIp(random, refunder.ranges)
          : residentialIp(random, 'US'),
      residentialIp(random, random.pick(['US', 'UK', 'DE', 'FR', 'CA'] as const)),
    );
  });
}

/** Insider credentials used off shift, from devices and places the company doesn't know. */
function emitRogueLogins(ctx: WorldContext, random: Random): void {
  for (const gang of ctx.gangs) {
    for (const agent of gang.insiders) {
      const count = random.poisson(ctx.days / 12);
      for (let index = 0; index < count; index++) {
        const at = ctx.startMs + random.float(0, ctx.days) * DAY;
        ctx.sink.emit('agent.action', at, {
          agentId: agent.id,
          action: 'login',
          deviceId: random.pick(agent.rogueDevices),
          ip: random.pick(agent.rogueIps),
        });
      }
    }
  }
}

/**
 * Honest agents look at accounts and orders with no customer contact too (quality checks,
 * queues, escalations from other teams), so a view without a contact is not proof of anything.
 */
function emitRoutineReviews(ctx: WorldContext, random: Random): void {
  const sample = ctx.orderSample.kept;
  if (sample.length === 0) return;
  const count = Math.round(ctx.roster.agents.length * ctx.days * 0.25);
  for (let index = 0; index < count; index++) {
    const entry = random.pick(sample);
    const at = entry.at + random.float(0.3, 12) * DAY;
    const agent = ctx.roster.pick(random, at, random.pick(['en', 'en', 'de', 'fr']));
    const session = ctx.roster.session(agent, at);
    const base = { agentId: agent.id, accountId: entry.accountId, ...session };
    if (random.chance(0.6)) ctx.sink.emit('agent.action', at, { ...base, action: 'account.viewed' });
    else ctx.sink.emit('agent.action', at, { ...base, action: 'order.viewed', orderId: entry.orderId });
    if (random.chance(0.1))
      ctx.sink.emit('agent.action', at + random.int(20, 300) * 1000, { ...base, action: 'note.added' });
  }
}

const ORDERS_PER_60_DAYS = 2.7;
const LOGINS_PER_60_DAYS = 4.2;

/** Everything one customer does in the window. Returns a ban-evasion seed when they come back. */
function simulateCustomer(
  ctx: WorldContext,
  random: Random,
  customer: Customer,
  plan: ClientPlan | undefined,
): EvaderSeed | undefined {
  emitAccountCreated(ctx, random, customer);
  let closedAt = ctx.endMs;
  let evader: EvaderSeed | undefined;
  if (plan) {
    plan.jobs.forEach((job, jobIndex) => {
      if (ctx.startMs + job.orderDay * DAY >= closedAt) return;
      const result = runGangJob(
        ctx,
        random.fork('job', jobIndex),
        customer,
        plan.gang,
        job,
        'refund_service',
      );
      if (jobIndex === 0 && (plan.evader || plan.closed)) {
        const base = result?.requestedAt ?? ctx.startMs + (job.orderDay + 5) * DAY;
        const at = base + random.float(3, 14) * DAY;
        if (ctx.sink.inWindow(at)) {
          closedAt = at;
          ctx.sink.emit('account.closed', at, {
            accountId: customer.accountId,
            reason: 'fraud',
            agentId: random.pick(ctx.investigators),
          });
          if (plan.evader) evader = { original: customer, gang: plan.gang, closedAt: at };
        }
      }
    });
  }
  ordinaryLife(ctx, random.fork('life'), customer, Math.max(ctx.startMs, customer.createdAt), closedAt, 1);
  if (!plan && random.chance(0.0015)) {
    ctx.sink.emit('account.closed', ctx.endMs - random.float(0.1, 6) * DAY, {
      accountId: customer.accountId,
      reason: random.chance(0.7) ? 'other' : 'abuse',
      agentId: random.pick(ctx.investigators),
    });
  }
  const label: LabelRecord = { subject: 'account', subjectId: customer.accountId, label: customer.label };
  if (customer.label !== 'legit')
    label.scheme = customer.label === 'ban_evasion' ? 'ban_evasion' : 'refund_service';
  if (customer.gangId) label.gangId = customer.gangId;
  ctx.labels.account(label);
  return evader;
}

/** Logins, ordinary orders, honest refunds and questions, between `from` and `until`. */
function ordinaryLife(
  ctx: WorldContext,
  random: Random,
  customer: Customer,
  from: number,
  until: number,
  intensity: number,
): void {
  if (from >= until) return;
  const spanDays = (until - from) / DAY;
  const firstDay = Math.floor((from - ctx.startMs) / DAY);
  const lastDay = Math.ceil((until - ctx.startMs) / DAY) - 1;
  const inSpan = (at: number) => at > from && at < until;
  const logins = random.poisson(customer.activity * intensity * LOGINS_PER_60_DAYS * (spanDays / 60));
  for (let index = 0; index < logins; index++) {
    const at = localMoment(random, ctx.startMs, random.int(firstDay, lastDay), customer.tz);
    if (inSpan(at)) emitLogin(ctx, random, customer, at, customerSession(random, customer, at));
  }
  if (random.chance(0.02)) accountUpdate(ctx, random, customer, from, until);
  const orderCount = random.poisson(customer.activity * intensity * ORDERS_PER_60_DAYS * (spanDays / 60));
  const times: number[] = [];
  for (let index = 0; index < orderCount; index++) {
    const at = localMoment(random, ctx.startMs, random.int(firstDay, lastDay), customer.tz);
    if (inSpan(at)) times.push(at);
  }
  times.sort((left, right) => left - right);
  for (const at of times) {
    const order = placeOrder(
      ctx,
      random,
      customer,
      at,
      ordinaryBasket(random, customer.marketplace, ctx.honest.hotBasketShare),
    );
    ctx.orderSample.observe({ accountId: customer.accountId, orderId: order.orderId, at });
    afterOrder(ctx, random, customer, order);
  }
}

function afterOrder(ctx: WorldContext, random: Random, customer: Customer, order: OrderRecord): void {
  const lost = random.chance(ctx.options.lostParcelRate);
  if (lost) {
    // Porch theft (delivered with the carrier's usual proof, then taken), lost in transit (no
    // delivery scan), or left without proof and gone.
    const porchTheft = ctx.honest.porchTheftShare > 0 && random.chance(ctx.honest.porchTheftShare);
    deliverOrder(
      ctx,
      random,
      customer,
      order,
      porchTheft ? {} : random.chance(0.45) ? { lost: true } : { evidence: 0 },
    );
    honestLostParcelFlow(ctx, random, customer, order);
    return;
  }
  // A few parcels are still travelling or simply never get a scan.
  deliverOrder(ctx, random, customer, order, { lost: random.chance(0.008) });
  const propensity = Math.max(...order.items.map((item) => returnPropensity(item.product.category)));
  const chance = Math.min(0.7, ctx.options.honestRefundRate * propensity * (customer.bracketer ? 4 : 1));
  if (random.chance(chance)) honestProductRefundFlow(ctx, random, customer, order);
  if (random.chance(0.025)) honestInquiryFlow(ctx, random, customer, order);
}

function accountUpdate(
  ctx: WorldContext,
  random: Random,
  customer: Customer,
  from: number,
  until: number,
): void {
  const at = from + random.float(0, until - from);
  const data: PayloadOf<'account.updated'> = { accountId: customer.accountId };
  const roll = random.next();
  if (roll < 0.4 && customer.phone) {
    customer.phone = makePhone(random, customer.marketplace, customer.city);
    data.phone = formatPhone(customer.phone, customer.phoneStyle);
  } else if (roll < 0.75) {
    customer.address = makeAddress(random, customer.marketplace, pickCity(random, customer.marketplace));
    data.address = customer.address;
  } else {
    data.name = customer.name.replace(
      customer.person.lastName,
      random.pick(['Baker', 'Meyer', 'Martin', 'Lee', 'Garcia']),
    );
  }
  ctx.sink.emit('account.updated', at, data);
}

/** A closed fraudster signs up again with small changes, reusing something of the old life. */
function simulateEvader(ctx: WorldContext, random: Random, seed: EvaderSeed): void {
  const { original, gang } = seed;
  const createdAt = seed.closedAt + random.float(0.5, 14) * DAY;
  if (!ctx.sink.inWindow(createdAt + HOUR)) return;
  // Most keep several links to the old account; careful ones keep just one.
  const careful = random.chance(0.3);
  let reuseDevice: boolean;
  let reuseCard: boolean;
  let addressMode: 'same' | 'variant' | 'new';
  if (careful) {
    const link = random.weighted([
      ['card', 35],
      ['address', 45],
      ['device', 20],
    ] as const);
    reuseDevice = link === 'device';
    reuseCard = link === 'card';
    addressMode = link === 'address' ? 'variant' : 'new';
  } else {
    reuseCard = random.chance(0.4);
    addressMode = random.weighted([
      ['same', 35],
      ['variant', 35],
      ['new', 30],
    ] as const);
    reuseDevice = random.chance(0.65) || (!reuseCard && addressMode === 'new');
  }
  const devices = [makeDevice(random, ctx.ids.device(), random.chance(0.6) ? 'phone' : 'laptop')];
  if (reuseDevice) devices.unshift(original.devices[0]!);
  const address =
    addressMode === 'same'
      ? original.address
      : addressMode === 'variant'
        ? addressVariant(random, original.address)
        : makeAddress(
            random,
            original.marketplace,
            random.chance(0.6) ? original.city : pickCity(random, original.marketplace),
          );
  const alias = relative(random, original.person);
  const customer: Customer = {
    ...original,
    accountId: ctx.ids.account(),
    person: careful ? alias : original.person,
    name: careful ? fullName(alias) : nameVariant(random, original.person),
    email: careful
      ? makeEmail(random, alias, original.marketplace, ctx.emails)
      : emailVariant(random, original.email, original.marketplace, ctx.emails),
    phoneStyle: (original.phoneStyle + random.int(1, 4)) % 6,
    address,
    devices,
    cards: reuseCard ? [original.cards[0]!] : [ctx.ids.card()],
    homeIp: !careful && random.chance(0.45) ? original.homeIp : residentialIp(random, original.marketplace),
    createdAt,
    refunds: 0,
    label: 'ban_evasion',
    gangId: gang.id,
    activity: Math.max(0.6, original.activity),
  };
  delete customer.homeIpChange;
  delete customer.trip;
  const phoneRoll = random.next();
  if (careful || phoneRoll < 0.25 || !original.phone)
    customer.phone = makePhone(random, original.marketplace, original.city);
  else if (phoneRoll > 0.85) delete customer.phone;
  emitAccountCreated(ctx, random, customer);
  // Some go straight back to the service.
  let until = ctx.endMs;
  if (random.chance(0.55)) {
    const orderDay = Math.floor((createdAt - ctx.startMs) / DAY) + random.int(2, 12);
    if (orderDay < ctx.days - 1) {
      const job = planJob(random, gang, orderDay, ctx.behaviour);
      const result = runGangJob(ctx, random.fork('job'), customer, gang, job, 'ban_evasion');
      if (result?.requestedAt !== undefined && random.chance(0.2)) {
        const at = result.requestedAt + random.float(4, 12) * DAY;
        if (ctx.sink.inWindow(at)) {
          until = at;
          ctx.sink.emit('account.closed', at, {
            accountId: customer.accountId,
            reason: 'fraud',
            agentId: random.pick(ctx.investigators),
          });
        }
      }
    }
  }
  // First login right after sign-up, from the device they used.
  emitLogin(
    ctx,
    random,
    customer,
    createdAt + random.int(1, 20) * MINUTE,
    customerSession(random, customer, createdAt, devices[0]),
  );
  ordinaryLife(ctx, random.fork('life'), customer, createdAt + HOUR, until, 1.2);
  ctx.labels.account({
    subject: 'account',
    subjectId: customer.accountId,
    label: 'ban_evasion',
    scheme: 'ban_evasion',
    gangId: gang.id,
  });
}

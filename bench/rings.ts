// `npm run bench:rings`: ring detection at scale. Builds a synthetic link graph of refund-linked
// accounts (1,000,000 accounts and 5,000,000 account–value links by default: households,
// campuses, mobile carriers, help-centre boilerplate, and planted refund-service gangs), then
// detects rings as of the end of the window and prints build and detection time, peak memory
// and how well the planted gangs were recovered.
// First, the near-duplicate script index alone: µs per add and query, bytes per contact.
//   RINGS_ACCOUNTS, RINGS_LINKS, RINGS_GANGS, RINGS_SEED, RINGS_SCRIPTS override the defaults; RINGS_OPTIONS
//   (JSON) overrides detection options; RINGS_VERBOSE=1 lists the gangs not recovered.
// A gang counts as traceable when five or more of its clients are tied to each other by traces
// their refunds left (a refunder's device, caller id or range, a script, an FTID pattern): a
// detector cannot put in one ring clients that share nothing.
import { detectRings, type RingDetection } from '../src/core/rings/detect-rings.ts';
import type { LinkKind } from '../src/core/rings/link-graph.ts';
import type { RingDetectionOptions } from '../src/core/rings/ring-options.ts';
import { copyConsoleLog, writeFiguresSection } from './figures-file.ts';
import { benchScriptIndex } from './rings-script-index.ts';
import { DAY, SyntheticRingWorld, T0, WINDOW_DAYS, type WorldSize } from './rings-world.ts';

interface Settings {
  world: WorldSize;
  scriptContacts: number;
  detection: Partial<RingDetectionOptions>;
  verbose: boolean;
}

function settingsFromEnvironment(): Settings {
  const env = process.env;
  return {
    world: {
      accounts: Number(env.RINGS_ACCOUNTS ?? 1_000_000),
      links: Number(env.RINGS_LINKS ?? 5_000_000),
      gangs: Number(env.RINGS_GANGS ?? 300),
      honestReturnRate: Number(env.RINGS_RETURN_RATE ?? 0.1),
      seed: Number(env.RINGS_SEED ?? 7),
    },
    scriptContacts: Number(env.RINGS_SCRIPTS ?? 100_000),
    detection: JSON.parse(env.RINGS_OPTIONS ?? '{}') as Partial<RingDetectionOptions>,
    verbose: Boolean(env.RINGS_VERBOSE),
  };
}

/** The highest resident set size seen by `sample()`. */
class PeakMemory {
  peak = 0;
  readonly sample = (): void => {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  };
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

function printGraph(world: SyntheticRingWorld, buildSeconds: number): void {
  const { links } = world;
  const stats = links.stats;
  console.log('Graph');
  console.log(`  accounts (refund-linked)             ${stats.accounts.toLocaleString('en')}`);
  console.log(`  account–value links                  ${stats.links.toLocaleString('en')}`);
  const byKind = Object.entries(stats.linksByKind).filter(([, count]) => count > 0);
  console.log(
    `    by kind: ${byKind.map(([kind, count]) => `${kind} ${count.toLocaleString('en')}`).join(', ')}`,
  );
  console.log(
    `  graphology nodes / edges             ${links.graph.order.toLocaleString('en')} / ${links.graph.size.toLocaleString('en')}`,
  );
  console.log(`  values on one account (waiting)      ${stats.waitingValues.toLocaleString('en')}`);
  console.log(
    `  refunds / contacts                   ${world.refunds.toLocaleString('en')} / ${world.contacts.toLocaleString('en')}`,
  );
  console.log(`  build time                           ${buildSeconds.toFixed(1)} s`);
  console.log(`  RSS after build                      ${mb(process.memoryUsage().rss)}`);
}

function printDetection(detection: RingDetection, detectSeconds: number, peakRss: number): void {
  const { millis } = detection.stats;
  console.log('\nDetection');
  console.log(
    `  accounts in window                   ${detection.stats.accountsInWindow.toLocaleString('en')}`,
  );
  console.log(
    `  shared values read / too common      ${detection.stats.valuesRead.toLocaleString('en')} / ${detection.stats.valuesTooCommon.toLocaleString('en')}`,
  );
  console.log(
    `  account pairs / kept                 ${detection.stats.pairs.toLocaleString('en')} / ${detection.stats.pairsKept.toLocaleString('en')}`,
  );
  console.log(
    `  candidate accounts / components      ${detection.stats.candidateAccounts.toLocaleString('en')} / ${detection.stats.candidateComponents.toLocaleString('en')}`,
  );
  console.log(
    `  communities / rings                  ${detection.stats.communities.toLocaleString('en')} / ${detection.rings.length}`,
  );
  console.log(
    `  time: pairs ${(millis.pairs / 1000).toFixed(1)} s, components ${(millis.components / 1000).toFixed(1)} s, ` +
      `louvain ${(millis.louvain / 1000).toFixed(1)} s, scoring ${(millis.scoring / 1000).toFixed(1)} s`,
  );
  console.log(`  detection time                       ${detectSeconds.toFixed(1)} s`);
  console.log(`  peak RSS (sampled)                   ${mb(peakRss)}`);
}

/** How well the rings found recover the planted gangs (those of five clients or more). */
function printRecovery(world: SyntheticRingWorld, detection: RingDetection, verbose: boolean): void {
  const { gangOf, gangProfiles } = world;
  const members = new Map<number, string[]>();
  for (const [accountId, gang] of gangOf) members.set(gang, [...(members.get(gang) ?? []), accountId]);
  let eligible = 0;
  let recovered = 0;
  let traceable = 0;
  let traceableRecovered = 0;
  const purities: number[] = [];
  const coverages: number[] = [];
  for (const [gang, clients] of members) {
    if (clients.length < 5) continue;
    eligible += 1;
    const set = new Set(clients);
    let best = { overlap: 0, size: 1 };
    for (const ring of detection.rings) {
      const overlap = ring.accountIds.filter((id) => set.has(id)).length;
      if (overlap > best.overlap) best = { overlap, size: ring.accountIds.length };
    }
    const purity = best.overlap / best.size;
    const coverage = best.overlap / clients.length;
    purities.push(purity);
    coverages.push(coverage);
    const tied = world.tiedClients(clients);
    const found = purity >= 0.9 && best.overlap >= 5;
    if (tied >= 5) traceable += 1;
    if (found) recovered += 1;
    if (found && tied >= 5) traceableRecovered += 1;
    if (!found && verbose)
      console.log(
        `  missed gang ${gang}: ${clients.length} clients (${tied} tied by shared traces), best ring ${best.overlap}/${best.size}; ${gangProfiles.get(gang)}`,
      );
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const honestInRings = detection.rings.reduce(
    (sum, ring) => sum + ring.accountIds.filter((id) => !gangOf.has(id)).length,
    0,
  );
  const ringMembers = detection.rings.reduce((sum, ring) => sum + ring.accountIds.length, 0);
  const falseRings = detection.rings.filter(
    (ring) => ring.accountIds.filter((id) => gangOf.has(id)).length * 2 < ring.accountIds.length,
  ).length;
  console.log('\nRecovery of planted gangs');
  console.log(`  gangs with >= 5 clients              ${eligible}`);
  console.log(
    `  recovered (a ring >= 90 % pure, >= 5 of its clients)  ${recovered} (${((100 * recovered) / Math.max(1, eligible)).toFixed(1)} %)`,
  );
  console.log(
    `  gangs whose >= 5 clients are tied by shared traces  ${traceable}, recovered ${traceableRecovered}`,
  );
  console.log(
    `  best ring purity: min / median       ${Math.min(...purities).toFixed(2)} / ${median(purities).toFixed(2)}`,
  );
  console.log(`  best ring coverage of the gang: median  ${median(coverages).toFixed(2)}`);
  console.log(`  rings mostly of honest accounts      ${falseRings}`);
  console.log(`  honest accounts in rings             ${honestInRings} of ${ringMembers} members`);
}

function main(): void {
  const settings = settingsFromEnvironment();
  const { world: size } = settings;
  const printed = copyConsoleLog();
  console.log(
    `Ring detection bench — node ${process.version}; target ${size.accounts.toLocaleString('en')} accounts, ` +
      `${size.links.toLocaleString('en')} links, ${size.gangs} planted gangs, seed ${size.seed}\n`,
  );
  if (settings.scriptContacts > 0) benchScriptIndex(size.seed, settings.scriptContacts);
  const memory = new PeakMemory();
  const buildStarted = performance.now();
  const world = new SyntheticRingWorld(size);
  world.build(memory.sample);
  const buildSeconds = (performance.now() - buildStarted) / 1000;
  memory.sample();
  printGraph(world, buildSeconds);

  const asOf = T0 + WINDOW_DAYS * DAY;
  const timer = setInterval(memory.sample, 200);
  const detectStarted = performance.now();
  const detection = detectRings(world.links, asOf, {
    valueUsers: (kind: LinkKind, value: string) => world.ownUsers.get(`${kind}:${value}`),
    clock: () => performance.now(),
    ...settings.detection,
  });
  const detectSeconds = (performance.now() - detectStarted) / 1000;
  clearInterval(timer);
  memory.sample();
  printDetection(detection, detectSeconds, memory.peak);
  printRecovery(world, detection, settings.verbose);
  writeFiguresSection('rings', 'npm run bench:rings', printed.lines());
}

main();

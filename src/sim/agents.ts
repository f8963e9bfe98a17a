// Support agents: sites in several time zones, shifts, workstations, the odd day working
// from home, and logins. Bribed insiders are ordinary agents with extra habits.
import type { Language } from './geography.ts';
import { DAY, type EventSink, HOUR, type Ids, MINUTE } from './kernel.ts';
import { agentFirstName } from './messages-honest.ts';
import { hash32, type Random } from './random.ts';

interface Site {
  name: string;
  tz: number;
  languages: readonly (readonly [Language, number])[];
  /** Office egress /24 prefixes. */
  offices: readonly string[];
  /** Local shift start hours. */
  shifts: readonly number[];
  weight: number;
}

const SITES: readonly Site[] = [
  {
    name: 'Dallas',
    tz: -5,
    languages: [
      ['en', 85],
      ['es', 15],
    ],
    offices: ['12.161.8', '63.117.14'],
    shifts: [6, 8, 10, 14],
    weight: 30,
  },
  {
    name: 'Montréal',
    tz: -4,
    languages: [
      ['en', 55],
      ['fr', 45],
    ],
    offices: ['142.205.241'],
    shifts: [7, 9, 12, 15],
    weight: 14,
  },
  {
    name: 'Cork',
    tz: 1,
    languages: [
      ['en', 60],
      ['de', 20],
      ['fr', 20],
    ],
    offices: ['195.224.71', '213.121.48'],
    shifts: [7, 9, 13],
    weight: 22,
  },
  {
    name: 'Berlin',
    tz: 2,
    languages: [
      ['de', 85],
      ['en', 15],
    ],
    offices: ['194.25.134'],
    shifts: [7, 9, 12],
    weight: 14,
  },
  {
    name: 'Manila',
    tz: 8,
    languages: [['en', 100]],
    offices: ['203.177.12', '122.55.14'],
    shifts: [7, 9, 13, 15],
    weight: 20,
  },
];

export interface Agent {
  id: string;
  index: number;
  name: string;
  site: Site;
  languages: Language[];
  shiftStart: number;
  shiftHours: number;
  /** The first of two consecutive days off in each week (0..6). */
  dayOff: number;
  workstation: string;
  officeIp: string;
  homeDevice: string;
  homeIp: string;
  /** Index of the gang that bribed this agent, if any. */
  insiderOf: number | null;
  /** Devices and addresses an insider (or whoever holds their credentials) sometimes uses. */
  rogueDevices: string[];
  rogueIps: string[];
}

export interface AgentSession {
  deviceId: string;
  ip: string;
}

export class AgentRoster {
  readonly agents: Agent[] = [];
  private readonly byHour: Agent[][] = [];

  constructor(
    random: Random,
    ids: Ids,
    count: number,
    private readonly startMs: number,
    private readonly days: number,
    private readonly seed: string,
  ) {
    let total = 0;
    for (const site of SITES) total += site.weight;
    for (let index = 0; index < count; index++) {
      let roll = random.next() * total;
      let site = SITES[0]!;
      for (const candidate of SITES) {
        roll -= candidate.weight;
        if (roll < 0) {
          site = candidate;
          break;
        }
      }
      const primary = random.weighted(site.languages);
      const languages = new Set<Language>([primary]);
      if (primary !== 'en' && random.chance(0.7)) languages.add('en');
      if (random.chance(0.15)) languages.add(random.weighted(site.languages));
      const office = random.pick(site.offices);
      this.agents.push({
        id: ids.agent(),
        index,
        name: agentFirstName(random),
        site,
        languages: [...languages],
        shiftStart: random.pick(site.shifts),
        shiftHours: random.chance(0.15) ? 6 : 8,
        dayOff: random.int(0, 6),
        workstation: ids.device(),
        officeIp: `${office}.${random.int(10, 250)}`,
        homeDevice: ids.device(),
        homeIp: `${random.pick(['73.45', '86.10', '84.130', '90.12', '70.48', '112.198', '24.7'])}.${random.int(0, 255)}.${random.int(1, 254)}`,
        insiderOf: null,
        rogueDevices: [],
        rogueIps: [],
      });
    }
    for (let hour = 0; hour < days * 24; hour++) {
      const at = startMs + hour * HOUR + 30 * MINUTE;
      this.byHour.push(this.agents.filter((agent) => this.onShift(agent, at)));
    }
  }

  /** Whether `day` (window day, agent's local calendar) is a working day. */
  worksOn(agent: Agent, day: number): boolean {
    const weekday = (((day + agent.index) % 7) + 7) % 7;
    return weekday !== agent.dayOff && weekday !== (agent.dayOff + 1) % 7;
  }

  onShift(agent: Agent, at: number): boolean {
    const local = at - this.startMs + agent.site.tz * HOUR;
    const day = Math.floor(local / DAY);
    const hour = (local - day * DAY) / HOUR;
    return this.worksOn(agent, day) && hour >= agent.shiftStart && hour < agent.shiftStart + agent.shiftHours;
  }

  /** An agent on shift at `at`, preferring one who speaks `language`. */
  pick(random: Random, at: number, language: string): Agent {
    const hour = Math.floor((at - this.startMs) / HOUR);
    const pool = hour >= 0 && hour < this.byHour.length ? this.byHour[hour]! : this.agents;
    const speakers = pool.filter((agent) => agent.languages.includes(language as Language));
    if (speakers.length > 0 && random.chance(0.93)) return random.pick(speakers);
    return random.pick(pool.length > 0 ? pool : this.agents);
  }

  /** The next moment from `after` when `agent` is on shift (a few minutes into it at the earliest). */
  nextShiftMoment(random: Random, agent: Agent, after: number): number {
    const localAfter = after - this.startMs + agent.site.tz * HOUR;
    let day = Math.floor(localAfter / DAY);
    for (let tries = 0; tries < 14; tries++, day++) {
      if (!this.worksOn(agent, day)) continue;
      const shiftBegin = this.startMs + day * DAY + (agent.shiftStart - agent.site.tz) * HOUR;
      const shiftEnd = shiftBegin + agent.shiftHours * HOUR;
      const from = Math.max(shiftBegin + 10 * MINUTE, after);
      if (from < shiftEnd - 20 * MINUTE)
        return random.float(from, Math.min(shiftEnd - 10 * MINUTE, from + 4 * HOUR));
    }
    return after + DAY;
  }

  /** Works from home on this day? Stable for a given agent and day. */
  private remote(agent: Agent, day: number): boolean {
    return hash32(`${this.seed}/remote/${agent.id}/${day}`) % 100 < 7;
  }

  /** The device and address an agent's actions carry at `at`. */
  session(agent: Agent, at: number): AgentSession {
    const day = Math.floor((at - this.startMs + agent.site.tz * HOUR) / DAY);
    if (this.remote(agent, day)) return { deviceId: agent.homeDevice, ip: agent.homeIp };
    return { deviceId: agent.workstation, ip: agent.officeIp };
  }

  /** Shift logins for every agent over the window. */
  emitLogins(random: Random, sink: EventSink): void {
    for (const agent of this.agents) {
      for (let day = 0; day < this.days; day++) {
        if (!this.worksOn(agent, day)) continue;
        const shiftBegin = this.startMs + day * DAY + (agent.shiftStart - agent.site.tz) * HOUR;
        const loginAt = shiftBegin + random.float(-12, 15) * MINUTE;
        const session = this.session(agent, loginAt);
        sink.emit('agent.action', loginAt, { agentId: agent.id, action: 'login', ...session });
        if (random.chance(0.3)) {
          const again = shiftBegin + random.float(3.5, 5) * HOUR;
          sink.emit('agent.action', again, {
            agentId: agent.id,
            action: 'login',
            ...this.session(agent, again),
          });
        }
      }
    }
  }
}

export const INVESTIGATOR_COUNT = 6;

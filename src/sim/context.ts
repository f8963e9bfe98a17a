// The shared state of one world being generated.
import type { AgentRoster } from './agents.ts';
import type { Gang } from './gangs.ts';
import type { Ids, LabelCollector, WindowedSink } from './kernel.ts';
import type { Campus } from './network.ts';
import type { MixBehaviour, SimulationOptions } from './options.ts';
import type { PostalAddress } from './geography.ts';
import type { EmailRegistry } from './people.ts';

export interface WorldContext {
  options: SimulationOptions;
  behaviour: MixBehaviour;
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
}

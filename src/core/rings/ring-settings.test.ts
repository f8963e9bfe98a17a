// Ring detection's tunables live in the pack: its defaults are the detector's, and a pack that
// changes one changes what the detector finds.
import { describe, expect, it } from 'vitest';
import { loadRulePack } from '../../app/rule-pack-file.ts';
import { CompiledRulePack } from '../rules/rule-engine.ts';
import { rulePackSchema } from '../rules/rule-pack.ts';
import { stateAfter } from '../testing/assess-in-flow.ts';
import { EventBuilder } from '../testing/event-builder.ts';
import { DEFAULT_SCRIPT_INDEX_OPTIONS } from '../text/script-similarity.ts';
import { DEFAULT_RING_OPTIONS } from './ring-options.ts';
import { ringSettingsSchema, ringStateOptionsOf } from './ring-settings.ts';

describe('ring settings in the pack', () => {
  it('defaults to the values the detector was tuned with', () => {
    const options = ringStateOptionsOf(ringSettingsSchema.parse({}));
    expect(options.detectEveryMs).toBe(86_400_000);
    expect({ ...DEFAULT_RING_OPTIONS, ...options.rings }).toEqual(DEFAULT_RING_OPTIONS);
  });

  it('defaults the script index to its tuned options, and refuses bands that do not divide the hashes', () => {
    const { scripts } = ringStateOptionsOf(ringSettingsSchema.parse({}));
    expect(scripts).toEqual(DEFAULT_SCRIPT_INDEX_OPTIONS);
    expect(() => ringSettingsSchema.parse({ scripts: { numHashes: 70, bands: 24 } })).toThrow(
      /multiple of bands/,
    );
  });

  it('takes one link kind or one score weight without losing the others', () => {
    const settings = ringSettingsSchema.parse({
      linkWeights: { address: { suspect: 0.3, mixed: 0.3, own: 0.3 } },
      score: { sharedOrigin: 0.5 },
    });
    const rings = ringStateOptionsOf(settings).rings;
    expect(rings.weights?.address).toEqual({ suspect: 0.3, mixed: 0.3, own: 0.3 });
    expect(rings.weights?.device).toEqual(DEFAULT_RING_OPTIONS.weights.device);
    expect(rings.scoreWeights?.sharedOrigin).toBe(0.5);
    expect(rings.scoreWeights?.sharedRange).toBe(DEFAULT_RING_OPTIONS.scoreWeights.sharedRange);
    expect(() =>
      ringSettingsSchema.parse({ linkWeights: { devise: { suspect: 1, mixed: 1, own: 1 } } }),
    ).toThrow();
  });

  it('changes what the detector finds when the pack changes', () => {
    const world = new EventBuilder()
      .refunderWorking(5, 'The box arrived empty, I want a supervisor now.')
      .events();
    const base = loadRulePack();
    expect(stateAfter(base, world).gangs.latest?.rings.length).toBeGreaterThan(0);
    const stricter = new CompiledRulePack(
      rulePackSchema.parse({
        ...base.pack,
        version: 'stricter',
        rings: { ...base.pack.rings, minRingSize: 6 },
      }),
    );
    expect(stateAfter(stricter, world).gangs.latest?.rings ?? []).toEqual([]);
  });
});

import { createServiceHeartbeatV1, type ServiceHeartbeatV1 } from '@ad-race/contracts';
import { Liveness, MISSED_HEARTBEATS } from './liveness';

function beat(version: string, instance: string, state: ServiceHeartbeatV1['payload']['state'] = 'alive', shadow = false): ServiceHeartbeatV1 {
  return createServiceHeartbeatV1({ service: 'ads', version, instance }, { state, shadow, reads: ['ad.need.v2'], writes: ['ad.solution.v2'], intervalMs: 1000 });
}

describe('which versions are alive', () => {
  it('counts a version alive with its instances, shadow or not, and what it reads and writes', () => {
    const live = new Liveness();
    expect(live.heard(beat('v2', 'a', 'started'), 0)).toBe(true);
    expect(live.heard(beat('v2', 'b'), 100)).toBe(false);
    live.heard(beat('v3', 'c', 'alive', true), 100);
    const versions = live.versions(500);
    expect(versions.map((v) => [v.version, v.alive, v.instances.length, v.shadow])).toEqual([
      ['v2', true, 2, false],
      ['v3', true, 1, true],
    ]);
    expect(versions[0]).toMatchObject({ reads: ['ad.need.v2'], writes: ['ad.solution.v2'] });
  });

  it(`notices an instance that falls silent for ${MISSED_HEARTBEATS} intervals, and a version whose last instance went`, () => {
    const live = new Liveness();
    live.heard(beat('v1', 'a'), 0);
    live.heard(beat('v2', 'b'), 0);
    live.heard(beat('v2', 'b'), 2500);
    expect(live.sweep(3000)).toEqual([]);
    expect(live.sweep(3001)).toEqual([{ service: 'ads', version: 'v1' }]);
    const v1 = live.versions(3001).find((v) => v.version === 'v1')!;
    expect(v1).toMatchObject({ alive: false, instances: [] });
    expect(live.versions(3001).find((v) => v.version === 'v2')!.alive).toBe(true);
  });

  it('lets an instance go at once when it says it is stopping, and brings its version back when it beats again', () => {
    const live = new Liveness();
    live.heard(beat('v2', 'a'), 0);
    live.heard(beat('v2', 'a', 'stopping'), 10);
    expect(live.versions(20)[0]).toMatchObject({ version: 'v2', alive: false });
    expect(live.heard(beat('v2', 'a', 'started'), 30)).toBe(true);
    expect(live.versions(40)[0]).toMatchObject({ version: 'v2', alive: true });
  });
});

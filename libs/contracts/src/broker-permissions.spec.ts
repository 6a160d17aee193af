import { brokerDefinitions, permissionsFor, type BusAccess } from './broker-permissions';

const adsV1: BusAccess = { reads: ['ad.need.v1'], writes: ['ad.solution.v1'], queues: ['ad.need.v1.ads-v1'] };
const web: BusAccess = {
  reads: ['ad.solution.v1'],
  writes: ['ad.need.v1'],
  instanceQueues: { channels: ['ad.solution.v1'], instancePrefix: 'web' },
};
const may = (pattern: string, name: string) => new RegExp(pattern).test(name);

describe('broker permissions', () => {
  const ads = permissionsFor('ad-race', adsV1);

  it('let an ad service declare what it reads and writes, its own queue and the dead letters, and nothing else', () => {
    for (const name of ['ad-race.ad.need.v1', 'ad-race.ad.solution.v1', 'ad-race.service.heartbeat.v1', 'ad-race.dead-letters', 'ad-race.ad.need.v1.ads-v1']) {
      expect([name, may(ads.configure, name)]).toEqual([name, true]);
    }
    for (const name of ['ad-race.ad.need.v2', 'ad-race.evil', 'ad-race.ad.need.v1.ads-v2', 'other.ad.need.v1', 'ad-race.ad.need.v1x', 'xad-race.ad.need.v1']) {
      expect([name, may(ads.configure, name)]).toEqual([name, false]);
    }
  });

  it('let it publish answers, its heartbeat and dead letters, never a need', () => {
    expect(may(ads.write, 'ad-race.ad.solution.v1')).toBe(true);
    expect(may(ads.write, 'ad-race.service.heartbeat.v1')).toBe(true);
    expect(may(ads.write, 'ad-race.dead-letters')).toBe(true);
    expect(may(ads.write, 'ad-race.ad.need.v1')).toBe(false);
  });

  it('let it read its own queue, and bind only to the exchanges it reads', () => {
    expect(may(ads.read, 'ad-race.ad.need.v1.ads-v1')).toBe(true);
    expect(may(ads.read, 'ad-race.ad.need.v1')).toBe(true);
    expect(may(ads.read, 'ad-race.ad.need.v1.schema-adapter')).toBe(false);
    expect(may(ads.read, 'ad-race.ad.solution.v1')).toBe(false);
  });

  it('let a web instance use queues named after it, and not another service’s queue on the same exchange', () => {
    const p = permissionsFor('ad-race', web);
    expect(may(p.configure, 'ad-race.ad.solution.v1.web-7f9c4-x2kqd.1')).toBe(true);
    expect(may(p.read, 'ad-race.ad.solution.v1.web-1.0.0-host-12.3')).toBe(true);
    expect(may(p.read, 'ad-race.ad.solution.v1.monitor')).toBe(false);
    expect(may(p.configure, 'ad-race.ad.solution.v1.schema-adapter')).toBe(false);
  });

  it('escape the namespace: a dot in it is a dot', () => {
    const p = permissionsFor('demo.2', adsV1);
    expect(may(p.configure, 'demo.2.ad.need.v1')).toBe(true);
    expect(may(p.configure, 'demoX2.ad.need.v1')).toBe(false);
  });

  it('make a definitions file with an administrator and one user per service', () => {
    const d = brokerDefinitions('ad-race', { name: 'admin', password: 'a' }, [{ name: 'ads-v1', password: 'b', access: adsV1 }]);
    expect(d.users.map((u) => [u.name, u.tags])).toEqual([
      ['admin', ['administrator']],
      ['ads-v1', []],
    ]);
    expect(d.permissions[1]).toEqual({ user: 'ads-v1', vhost: '/', ...ads });
  });
});

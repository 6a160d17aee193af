import type { VersionAlive } from '@ad-race/contracts';
import { commandsFor, observedPart, playsItsPart, PLAYERS } from './scene';

const at = '2026-11-30T10:00:00.000Z';
const alive = (service: string, version: string, reads: string[] = []): VersionAlive => ({
  service,
  version,
  shadow: false,
  alive: true,
  instances: [{ instance: `${service}-${version}`, lastSeen: at, reads, writes: [] }],
  reads,
  writes: [],
  lastSeen: at,
});
const gone = (service: string, version: string): VersionAlive => ({ ...alive(service, version), alive: false, instances: [] });

// What runs after npm start: every service, v2 and v3 on the v2 messages.
const EVERYTHING = [alive('web', '1.0.0'), alive('ads', 'v1', ['ad.need.v1']), alive('ads', 'v2', ['ad.need.v2']), alive('schema-adapter', '1.0.0', ['ad.need.v1', 'ad.solution.v2']), alive('ads', 'v3', ['ad.need.v2'])];

describe('setting the stage', () => {
  it('reads from the monitor which players run, and on which messages', () => {
    const [adapter, v1, v2] = PLAYERS.map((p) => observedPart(EVERYTHING, p));
    expect(adapter).toEqual({});
    expect(v1).toEqual({});
    expect(v2).toEqual({ messages: 'v2' });
    expect(observedPart([gone('ads', 'v2')], PLAYERS[2]!)).toBeUndefined();
  });

  it('stops what the scene does not want, starts what it wants, on its messages, and restarts one on other messages', () => {
    expect(commandsFor({ 'ads-v1': {} }, EVERYTHING)).toEqual([
      ['stop', 'schema-adapter'],
      ['stop', 'ads-v2'],
      ['stop', 'ads-v3'],
    ]);
    expect(commandsFor({ 'ads-v1': {}, 'ads-v2': { messages: 'v1' } }, [alive('ads', 'v1'), gone('schema-adapter', '1.0.0'), gone('ads', 'v3')])).toEqual([['start', 'ads-v2', 'MESSAGES=v1']]);
    // Just after npm start the monitor may have heard of nobody yet: what the scene does not want is stopped all the same.
    expect(commandsFor({ 'ads-v1': {} }, [])).toEqual([['stop', 'schema-adapter'], ['start', 'ads-v1'], ['stop', 'ads-v2'], ['stop', 'ads-v3']]);
    expect(commandsFor({ 'ads-v1': {}, 'ads-v2': { messages: 'v1' }, 'ads-v3': { messages: 'v2' }, 'schema-adapter': {} }, EVERYTHING)).toEqual([['restart', 'ads-v2', 'MESSAGES=v1']]);
    expect(commandsFor({ 'ads-v1': {}, 'ads-v2': { messages: 'v2' }, 'ads-v3': { messages: 'v2' }, 'schema-adapter': {} }, EVERYTHING)).toEqual([]);
  });

  it('knows when the monitor sees a player as the scene wants it', () => {
    expect(playsItsPart({ 'ads-v2': { messages: 'v2' } }, EVERYTHING, 'ads-v2')).toBe(true);
    expect(playsItsPart({ 'ads-v2': { messages: 'v1' } }, EVERYTHING, 'ads-v2')).toBe(false);
    expect(playsItsPart({}, EVERYTHING, 'ads-v2')).toBe(false);
    expect(playsItsPart({}, [gone('ads', 'v2')], 'ads-v2')).toBe(true);
  });
});

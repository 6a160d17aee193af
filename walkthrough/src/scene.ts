import type { VersionAlive } from '@ad-race/contracts';

// Who is on stage: the services the walkthrough starts and stops (web and the
// monitor run throughout), how each shows on the bus, and the scene an act
// begins with. Pure.

export type MessageVersion = 'v1' | 'v2';

/** A service the acts start and stop, and how its heartbeats name it. */
export interface Player {
  name: string;
  service: string;
  /** Its version, for an ad service; the adapter is known by its service alone. */
  version?: string;
  /** It reads the setting MESSAGES: it speaks v1 or v2 messages. */
  speaksMessages: boolean;
}

/** In the order they are set on stage: the adapter before a version that needs it. */
export const PLAYERS: readonly Player[] = [
  { name: 'schema-adapter', service: 'schema-adapter', speaksMessages: false },
  { name: 'ads-v1', service: 'ads', version: 'v1', speaksMessages: false },
  { name: 'ads-v2', service: 'ads', version: 'v2', speaksMessages: true },
  { name: 'ads-v3', service: 'ads', version: 'v3', speaksMessages: true },
];

/** How one player runs: the messages it speaks (for one that has the setting). */
export interface Part {
  messages?: MessageVersion;
}

/** The players running, by name; any player not listed is stopped. */
export type Scene = Readonly<Partial<Record<string, Part>>>;

/** How a player runs, as the monitor sees it: stopped (undefined), or running on these messages. */
export function observedPart(versions: readonly VersionAlive[], player: Player): Part | undefined {
  const seen = versions.find((v) => v.service === player.service && (player.version === undefined || v.version === player.version) && v.alive);
  if (!seen) return undefined;
  if (!player.speaksMessages) return {};
  return { messages: seen.reads.includes('ad.need.v2') ? 'v2' : 'v1' };
}

/** Whether the monitor has heard of a player at all (alive, or gone since). */
const heardOf = (versions: readonly VersionAlive[], player: Player) => versions.some((v) => v.service === player.service && (player.version === undefined || v.version === player.version));

/**
 * The stage commands (arguments after `npm run stage --`) that bring what runs
 * to the scene. Just after the stack started, the monitor may not have heard
 * every service yet: one it never heard of is stopped all the same (a stop of
 * a service that is not running does nothing).
 */
export function commandsFor(scene: Scene, versions: readonly VersionAlive[]): string[][] {
  const commands: string[][] = [];
  for (const player of PLAYERS) {
    const wanted = scene[player.name];
    const running = observedPart(versions, player);
    const setting = wanted?.messages ? [`MESSAGES=${wanted.messages}`] : [];
    if (!wanted && (running || !heardOf(versions, player))) commands.push(['stop', player.name]);
    else if (wanted && !running) commands.push(['start', player.name, ...setting]);
    else if (wanted && running && wanted.messages !== running.messages) commands.push(['restart', player.name, ...setting]);
  }
  return commands;
}

/** Whether the monitor sees a player as the scene wants it. */
export function playsItsPart(scene: Scene, versions: readonly VersionAlive[], name: string): boolean {
  const player = PLAYERS.find((p) => p.name === name);
  if (!player) return true;
  const wanted = scene[name];
  const running = observedPart(versions, player);
  return wanted === undefined ? running === undefined : running !== undefined && running.messages === wanted.messages;
}

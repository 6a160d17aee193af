import type { ServiceHeartbeatV1, VersionAlive } from '@ad-race/contracts';

/** An instance's heartbeats are missed this many times over before it counts as gone. */
export const MISSED_HEARTBEATS = 3;

interface Heard {
  heartbeat: ServiceHeartbeatV1;
  at: number;
  gone: boolean;
}

/**
 * Which service versions are alive, from their heartbeats (pure: the time is
 * given). An instance is gone when it says it is stopping, or after
 * MISSED_HEARTBEATS intervals of silence; a version stays listed, not alive,
 * once its last instance is gone, until it is forgotten.
 */
export class Liveness {
  private readonly instances = new Map<string, Heard>();

  constructor(private readonly forgetAfterMs = 24 * 3600_000) {}

  /** Records a heartbeat; returns true when it brings a version back to life (or is its first). */
  heard(heartbeat: ServiceHeartbeatV1, now: number): boolean {
    const key = keyOf(heartbeat.producer);
    const wasAlive = this.isAlive(heartbeat.producer, now);
    this.instances.set(key, { heartbeat, at: now, gone: heartbeat.payload.state === 'stopping' });
    return !wasAlive && heartbeat.payload.state !== 'stopping';
  }

  /**
   * Marks instances that fell silent as gone; returns the versions whose last
   * instance just went (for the monitor to say so).
   */
  sweep(now: number): { service: string; version: string }[] {
    const before = this.notGone();
    for (const [key, heard] of this.instances) {
      if (!heard.gone && now - heard.at > MISSED_HEARTBEATS * heard.heartbeat.payload.intervalMs) heard.gone = true;
      if (now - heard.at > this.forgetAfterMs) this.instances.delete(key);
    }
    const after = this.notGone();
    return [...before].filter((v) => !after.has(v)).map((v) => ({ service: v.split('/')[0]!, version: v.split('/')[1]! }));
  }

  /** The versions with an instance not yet marked gone: "service/version". */
  private notGone(): Set<string> {
    const versions = new Set<string>();
    for (const { heartbeat, gone } of this.instances.values()) if (!gone) versions.add(`${heartbeat.producer.service}/${heartbeat.producer.version}`);
    return versions;
  }

  /** Every version heard of (the schema of GET /api/versions), alive first, then by service and version; a version is alive while at least one of its instances is. */
  versions(now: number, sweep = true): VersionAlive[] {
    if (sweep) this.sweep(now);
    const byVersion = new Map<string, Heard[]>();
    for (const heard of this.instances.values()) {
      const key = `${heard.heartbeat.producer.service}/${heard.heartbeat.producer.version}`;
      byVersion.set(key, [...(byVersion.get(key) ?? []), heard]);
    }
    return [...byVersion.values()]
      .map((all) => {
        const alive = all.filter((h) => !h.gone && now - h.at <= MISSED_HEARTBEATS * h.heartbeat.payload.intervalMs);
        const latest = all.reduce((a, b) => (b.at > a.at ? b : a));
        const shown = alive.length > 0 ? alive : [latest];
        return {
          service: latest.heartbeat.producer.service,
          version: latest.heartbeat.producer.version,
          shadow: latest.heartbeat.payload.shadow,
          alive: alive.length > 0,
          instances: alive.map((h) => ({
            instance: h.heartbeat.producer.instance,
            lastSeen: new Date(h.at).toISOString(),
            reads: h.heartbeat.payload.reads,
            writes: h.heartbeat.payload.writes,
          })),
          reads: union(shown.map((h) => h.heartbeat.payload.reads)),
          writes: union(shown.map((h) => h.heartbeat.payload.writes)),
          lastSeen: new Date(latest.at).toISOString(),
        };
      })
      .sort((a, b) => Number(b.alive) - Number(a.alive) || a.service.localeCompare(b.service) || a.version.localeCompare(b.version));
  }

  private isAlive(producer: ServiceHeartbeatV1['producer'], now: number): boolean {
    return this.versions(now, false).some((v) => v.service === producer.service && v.version === producer.version && v.alive);
  }
}

function keyOf(producer: ServiceHeartbeatV1['producer']): string {
  return `${producer.service}/${producer.version}/${producer.instance}`;
}

function union(lists: string[][]): string[] {
  return [...new Set(lists.flat())].sort();
}

/**
 * The versions of the ad service that answered recently. A race closes early
 * once every one of them has answered; a version that stopped answering (say
 * ads-v2 was stopped) drops off after `windowMs` and is no longer waited for.
 */
export class VersionRoster {
  private readonly lastSeen = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly maxVersions = 32,
  ) {}

  seen(version: string, now: number): void {
    this.lastSeen.delete(version);
    this.lastSeen.set(version, now);
    if (this.lastSeen.size > this.maxVersions) {
      // Map keeps insertion order and seen() re-inserts: the first key was seen longest ago.
      this.lastSeen.delete(this.lastSeen.keys().next().value!);
    }
  }

  /** The versions seen within the window, forgetting the others. */
  live(now: number): string[] {
    for (const [version, at] of this.lastSeen) {
      if (now - at <= this.windowMs) break;
      this.lastSeen.delete(version);
    }
    return [...this.lastSeen.keys()];
  }

  /** The versions seen within `windowMs` (at most the roster's window) of `now`, forgetting those past the roster's window. */
  liveWithin(now: number, windowMs: number): string[] {
    return this.live(now).filter((version) => now - this.lastSeen.get(version)! <= windowMs);
  }
}

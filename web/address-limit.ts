/**
 * How many of something one visitor address may do per minute: credit reports, each of which the
 * credit office renders and registers (WEB_REPORTS_PER_MINUTE). A sliding window of the last
 * minute's times per address, in this process; the gateway's own rate limit counts every request,
 * this one the costly few.
 */
const WINDOW_MS = 60_000;
/** Addresses are swept of expired times after this many takes, so the map cannot grow without bound. */
const SWEEP_EVERY = 1_000;

export class PerAddressLimit {
  private readonly times = new Map<string, number[]>();
  private takes = 0;

  constructor(
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one for the address; when it has had its share this minute, refuses it with the seconds until one frees. */
  take(address: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.now();
    if (++this.takes % SWEEP_EVERY === 0) this.sweep(now);
    const recent = (this.times.get(address) ?? []).filter((at) => now - at < WINDOW_MS);
    if (recent.length >= this.perMinute) {
      this.times.set(address, recent);
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((recent[0]! + WINDOW_MS - now) / 1000)) };
    }
    recent.push(now);
    this.times.set(address, recent);
    return { ok: true };
  }

  private sweep(now: number): void {
    for (const [address, times] of this.times) {
      if (times.every((at) => now - at >= WINDOW_MS)) this.times.delete(address);
    }
  }
}

/**
 * Polling for the explorer's unsettled items, with back-off:
 * - one round at a time: the next round is scheduled only after the previous one finished (a chain of
 *   timeouts, never an interval), so a slow CMF can never make rounds overlap;
 * - the delay starts at the configured interval, grows by half after each round in which nothing
 *   changed (or that failed), up to a maximum, and drops back to the interval when something changed;
 * - it runs only while there is something unsettled and the view is visible.
 */

export interface PollerTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface PollerOptions {
  /** The base interval (read on each round, so a settings change applies at once). */
  intervalMs: () => number;
  maxIntervalMs: number;
  tick: () => Promise<{ changed: boolean; remaining: number }>;
  timers?: PollerTimers;
  onError?: (e: unknown) => void;
}

const realTimers: PollerTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class Poller {
  private visible = true;
  private pending = 0;
  private timer: unknown;
  private inFlight = false;
  private delay: number;
  private disposed = false;
  /** Rounds run so far (tests). */
  rounds = 0;
  private readonly timers: PollerTimers;

  constructor(private readonly opts: PollerOptions) {
    this.timers = opts.timers ?? realTimers;
    this.delay = this.base();
  }

  private base(): number {
    const v = this.opts.intervalMs();
    return Number.isFinite(v) && v >= 10 ? v : 1000;
  }

  /** The delay before the next round. */
  get nextDelayMs(): number {
    return this.delay;
  }

  get active(): boolean {
    return this.timer !== undefined || this.inFlight;
  }

  /** How many items are unsettled now; starts or stops polling accordingly. */
  update(count: number): void {
    const was = this.pending;
    this.pending = count;
    if (count === 0) this.stop();
    else if (was === 0 && !this.active) {
      this.delay = this.base();
      this.schedule();
    } else this.schedule();
  }

  /** The view became visible or hidden. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (!visible) this.stop();
    else this.schedule();
  }

  private stop(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.disposed || !this.visible || this.pending === 0 || this.timer !== undefined || this.inFlight) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.round();
    }, this.delay);
  }

  private async round(): Promise<void> {
    if (this.inFlight || this.disposed) return;
    this.inFlight = true;
    this.rounds++;
    let changed = false;
    try {
      const r = await this.opts.tick();
      changed = r.changed;
      this.pending = r.remaining;
    } catch (e) {
      this.opts.onError?.(e);
    } finally {
      this.inFlight = false;
    }
    this.delay = changed ? this.base() : Math.min(Math.round(this.delay * 1.5), Math.max(this.opts.maxIntervalMs, this.base()));
    this.schedule();
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
  }
}

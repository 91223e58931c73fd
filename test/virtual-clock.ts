import type { Timers, TimerHandle } from "../src/clock/clock.js";
import { WAIT_MS, within } from "./deadline.js";

export interface VirtualTimer {
  readonly id: number;
  /** The delay it was scheduled with. */
  readonly ms: number;
  /** Virtual time at which it is due. */
  readonly at: number;
  readonly callback: () => void;
}

/**
 * A scheduler whose time moves only when a test fires a timer, so that a test of the poll loop
 * never depends on how fast the machine is. Waiting is for events: a timer being scheduled.
 */
export class VirtualClock implements Timers {
  private nowMs = 0;
  private nextId = 1;
  private readonly timers = new Map<number, VirtualTimer>();
  private readonly waiters = new Set<() => void>();
  /** Every timer scheduled, in order, including those fired or cleared since. */
  readonly scheduledTimers: VirtualTimer[] = [];

  now = (): number => this.nowMs;

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer = { id: this.nextId++, ms, at: this.nowMs + ms, callback };
    this.timers.set(timer.id, timer);
    this.scheduledTimers.push(timer);
    for (const wake of [...this.waiters]) wake();
    return timer.id;
  }

  clearTimeout(handle: TimerHandle): void {
    if (typeof handle === "number") this.timers.delete(handle);
  }

  /** The timers still pending, earliest first. */
  pending(): VirtualTimer[] {
    return [...this.timers.values()].sort((a, b) => a.at - b.at || a.id - b.id);
  }

  /**
   * Resolves with the earliest pending timer that matches, waiting for one to be scheduled; fails
   * naming `what` when none is within `ms` of real time.
   */
  scheduled(
    matches: (timer: VirtualTimer) => boolean,
    what: string,
    ms = WAIT_MS,
  ): Promise<VirtualTimer> {
    return within(this.next(matches), `${what} to be scheduled`, ms);
  }

  /**
   * Fires the matching timers, earliest first, as they are scheduled, until `done` settles; fails
   * naming `what` when `done` has not settled within `ms` of real time. Resolves with the time then.
   */
  async fireUntil(
    done: Promise<unknown>,
    what: string,
    matches: (timer: VirtualTimer) => boolean = () => true,
    ms = WAIT_MS,
  ): Promise<number> {
    const finished = done.then(() => undefined);
    const run = async () => {
      for (;;) {
        const next = await Promise.race([finished, this.next(matches)]);
        if (next === undefined) return this.nowMs;
        this.fire(next);
      }
    };
    return within(run(), what, ms);
  }

  private next(matches: (timer: VirtualTimer) => boolean): Promise<VirtualTimer> {
    return new Promise((resolve) => {
      const check = () => {
        const timer = this.pending().find(matches);
        if (timer === undefined) return;
        this.waiters.delete(check);
        resolve(timer);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Moves time forward by `ms`, running every timer due by then, earliest first. */
  advance(ms: number): void {
    const end = this.nowMs + ms;
    for (
      let next = this.pending()[0];
      next !== undefined && next.at <= end;
      next = this.pending()[0]
    )
      this.fire(next);
    this.nowMs = end;
  }

  /** Moves time to the timer's due time (never backwards) and runs it. */
  fire(timer: VirtualTimer): void {
    if (!this.timers.delete(timer.id)) throw new Error(`timer ${timer.id} is not pending`);
    this.nowMs = Math.max(this.nowMs, timer.at);
    timer.callback();
  }
}

/** A timer handle as the `Timers` that made it knows it. */
export type TimerHandle = unknown;

/** Where timers come from: the system's by default, a virtual clock in tests. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout | undefined),
};

/** The clocks a part reads and the timers it sets: the system's unless tests hand in their own. */
export interface Clock {
  /** Unix milliseconds. */
  now: () => number;
  /** Monotonic milliseconds, for durations. */
  monotonic: () => number;
  timers: Timers;
}

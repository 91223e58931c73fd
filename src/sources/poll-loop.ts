import { nextDelayMs } from "./backoff.js";
import type { Logger } from "../logging/logger.js";
import type { Timers, TimerHandle } from "../clock/clock.js";

/** A poll's report, `aborted` if stop() cut it short; `intervalMs`: a credits round's next step. */
export type PollResult =
  { ok: boolean; retryAfterMs?: number | undefined; intervalMs?: number | undefined } | "aborted";

export interface PollLoopOptions<R extends PollResult> {
  intervalMs: number;
  maxBackoffMs: number;
  logger: Logger;
  random?: () => number;
  timers: Timers;
  /** One poll. Must not throw; the signal aborts it on stop(). */
  poll: (signal: AbortSignal) => Promise<R>;
}

export interface PollLoop<R extends PollResult> {
  /** Polls now, then keeps polling on its own schedule until stopped. */
  start(): void;
  /** One poll; joins the one in flight instead of starting a second. */
  pollOnce(): Promise<R | "aborted">;
  /** Resolves when no poll is in flight (at once when none is); starts none. */
  settled(): Promise<void>;
  /** Aborts the poll in flight and cancels the next one. */
  stop(): Promise<void>;
}

/** The schedule of every poll, credits rounds too: one at a time, jittered backoff, Retry-After. */
export function createPollLoop<R extends PollResult>(options: PollLoopOptions<R>): PollLoop<R> {
  const { intervalMs, maxBackoffMs, logger, timers, poll } = options;
  const random = options.random ?? Math.random;
  const shutdown = new AbortController();
  const stopped = () => shutdown.signal.aborted;
  let inFlight: Promise<R | "aborted"> | undefined;
  let nextPoll: TimerHandle;
  let consecutiveFailures = 0;
  let retryAfterMs: number | undefined;
  let nextIntervalMs = intervalMs;

  function pollOnce(): Promise<R | "aborted"> {
    inFlight ??= poll(shutdown.signal)
      .then((result) => {
        if (result !== "aborted") {
          consecutiveFailures = result.ok ? 0 : consecutiveFailures + 1;
          retryAfterMs = result.retryAfterMs;
          nextIntervalMs = result.intervalMs ?? intervalMs;
        }
        return result;
      })
      .catch((error: unknown) => {
        // A bug here must not stop the loop; the poll counts as nothing.
        logger.error({ err: error }, "poll failed unexpectedly");
        return "aborted" as const;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  async function loop() {
    if (stopped()) return;
    await pollOnce();
    if (stopped()) return;
    const delay = nextDelayMs({
      ...{ consecutiveFailures, intervalMs: nextIntervalMs, retryAfterMs, random: random() },
      // A poll less frequent than the backoff cap (or a round's step) still waits its interval.
      maxBackoffMs: Math.max(maxBackoffMs, nextIntervalMs),
    });
    logger.debug({ delayMs: delay }, "next poll scheduled");
    nextPoll = timers.setTimeout(() => void loop(), delay);
  }

  return {
    start: () => void loop(),
    pollOnce,
    async settled() {
      await inFlight;
    },
    async stop() {
      shutdown.abort();
      timers.clearTimeout(nextPoll);
      await inFlight;
    },
  };
}

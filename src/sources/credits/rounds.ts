import type { Logger } from "../../logging/logger.js";
import type { LabelValue } from "../../metrics/label-value.js";
import type { Outcome } from "../../upstream/outcome.js";
import type { Timers, TimerHandle } from "../timers.js";

/** What one request of a round reports: its outcome, and how long the upstream asked us to wait. */
export type Asked = { outcome: Outcome; retryAfterMs?: number | undefined } | "aborted";

export interface RoundsOptions {
  intervalMs: number;
  /** Until the next round when no account is known yet (the first jobs poll may still run). */
  emptyRetryMs: number;
  /** Requests in flight at most. */
  concurrency: number;
  /** The accounts of a round, read as it begins. */
  accounts: () => readonly LabelValue[];
  /** Tells that a round begins with these accounts. */
  begin: (accounts: readonly LabelValue[]) => void;
  /** One request about one account; never throws. */
  ask: (account: LabelValue, signal: AbortSignal) => Promise<Asked>;
  /** Tells how a round ended: its accounts and the outcomes of its failed requests. */
  end: (accounts: number, failures: readonly Outcome[]) => Promise<void>;
  timers: Timers;
  logger: Logger;
}

export interface Rounds {
  /** Starts the loop: a round now, its requests spread over the interval, and so on. */
  start(): void;
  /**
   * A round without waiting between its requests, or the rest of the round in flight hurried;
   * "success" when each of its requests succeeded, else the outcome of its last failed one.
   */
  roundNow(): Promise<Outcome | "aborted">;
  /** Resolves once no round is in flight. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

interface Round {
  readonly accounts: number;
  /** A Retry-After not yet waited for when the round ended. */
  heldMs(): number;
  done: Promise<Outcome | "aborted">;
  hurry(): void;
}

/**
 * The loop of one request per account: each round takes the accounts once, and spreads their
 * requests over the interval (one every interval/N) with at most `concurrency` in flight; the
 * next round begins one such step after the last request ended. A Retry-After holds back the
 * next request, up to the interval.
 */
export function createRounds(options: RoundsOptions): Rounds {
  const { intervalMs, concurrency, timers, logger } = options;
  const shutdown = new AbortController();
  const stopped = () => shutdown.signal.aborted;
  let current: Round | undefined;
  let nextRound: TimerHandle;

  function run(spread: boolean): Round {
    const accounts = options.accounts();
    options.begin(accounts);
    const stepMs = accounts.length > 0 ? intervalMs / accounts.length : 0;
    let hurried = !spread;
    let wake: (() => void) | undefined;
    let waitTimer: TimerHandle;
    const failures: Outcome[] = [];
    let inFlight = 0;
    let slotFreed: (() => void) | undefined;
    let holdMs = 0;

    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        if (hurried || stopped() || ms <= 0) {
          resolve();
          return;
        }
        wake = resolve;
        waitTimer = timers.setTimeout(resolve, ms);
      });
    const slot = async () => {
      while (inFlight >= concurrency) {
        await new Promise<void>((resolve) => (slotFreed = resolve));
      }
    };

    async function go(): Promise<Outcome | "aborted"> {
      const requests: Promise<void>[] = [];
      for (let i = 0; i < accounts.length; i++) {
        const waitMs = Math.min(Math.max(stepMs, holdMs), intervalMs);
        holdMs = 0;
        if (i > 0) await pause(waitMs);
        await slot();
        if (stopped()) break;
        const account = accounts[i] as LabelValue;
        inFlight++;
        requests.push(
          options
            .ask(account, shutdown.signal)
            .then((asked) => {
              if (asked === "aborted") return;
              if (asked.outcome !== "success") failures.push(asked.outcome);
              holdMs = Math.max(holdMs, asked.retryAfterMs ?? 0);
            })
            .catch((error: unknown) => {
              logger.error(
                { err: error, source: "credits" },
                "credits request failed unexpectedly",
              );
            })
            .finally(() => {
              inFlight--;
              slotFreed?.();
            }),
        );
      }
      await Promise.all(requests);
      if (stopped()) return "aborted";
      await options.end(accounts.length, failures);
      return failures.at(-1) ?? "success";
    }

    return {
      accounts: accounts.length,
      heldMs: () => holdMs,
      done: go(),
      hurry() {
        hurried = true;
        timers.clearTimeout(waitTimer);
        wake?.();
      },
    };
  }

  function track(round: Round): Round {
    current = round;
    void round.done.finally(() => {
      if (current === round) current = undefined;
    });
    return round;
  }

  async function loop() {
    if (stopped()) return;
    const round = current ?? track(run(true));
    await round.done;
    if (stopped()) return;
    const stepMs = round.accounts > 0 ? intervalMs / round.accounts : options.emptyRetryMs;
    const delay = Math.min(Math.max(stepMs, round.heldMs()), intervalMs);
    nextRound = timers.setTimeout(() => void loop(), delay);
  }

  return {
    start: () => void loop(),
    roundNow() {
      if (current !== undefined) {
        current.hurry();
        return current.done;
      }
      return track(run(false)).done;
    },
    async idle() {
      await current?.done;
    },
    async stop() {
      shutdown.abort();
      timers.clearTimeout(nextRound);
      current?.hurry();
      await current?.done;
    },
  };
}

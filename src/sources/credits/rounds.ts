import type { Logger } from "../../logging/logger.js";
import type { LabelValue } from "../../metrics/label-value.js";
import type { Outcome } from "../../upstream/outcome.js";
import { createPollLoop } from "../poll-loop.js";
import type { Timers, TimerHandle } from "../../clock/clock.js";

/** What one request of a round reports: its outcome, and how long the upstream asked us to wait. */
export type Asked = { outcome: Outcome; retryAfterMs?: number | undefined } | "aborted";

export interface RoundsOptions {
  intervalMs: number;
  /** Until the next round when no account is known yet (the first jobs poll may still run). */
  emptyRetryMs: number;
  /** The longest wait between rounds after rounds that left the source down. */
  maxBackoffMs: number;
  concurrency: number;
  /** The accounts of a round, read as it begins. */
  accounts: () => readonly LabelValue[];
  begin: (accounts: readonly LabelValue[]) => void;
  /** One request about one account; never throws. */
  ask: (account: LabelValue, signal: AbortSignal) => Promise<Asked>;
  /** A round ended (its accounts, its failures' outcomes); resolves to whether the source works. */
  end: (accounts: number, failures: readonly Outcome[]) => Promise<boolean>;
  timers: Timers;
  logger: Logger;
  random?: (() => number) | undefined;
}

export interface Rounds {
  /** Starts the loop: a round now, its requests spread over the interval, and so on. */
  start(): void;
  /** A round unspread, or the one in flight hurried: "success", else its last failure's outcome. */
  roundNow(): Promise<Outcome | "aborted">;
  /** Resolves once no round is in flight. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** A round as the poll loop sees it: whether the source works, and the step until the next. */
type RoundResult = { ok: boolean; intervalMs: number; outcome: Outcome } | "aborted";

interface Round {
  done: Promise<RoundResult>;
  hurry(): void;
}

/** A Retry-After being waited for: released by its own timer, or at once on stop. */
interface Hold {
  timer: TimerHandle;
  readonly over: Promise<void>;
  release(): void;
}

/**
 * Rounds polled by the poll loop: each spreads one request per account over the interval (one every
 * interval/N, `concurrency` in flight at most), the next one step after, or the loop's backoff
 * after a round that left the source down. A Retry-After holds every request not yet sent, up to
 * the interval, checked just before each goes out.
 */
export function createRounds(options: RoundsOptions): Rounds {
  const { intervalMs, concurrency, timers, logger } = options;
  const shutdown = new AbortController();
  const stopped = () => shutdown.signal.aborted;
  let current: Round | undefined;
  let spreadNext = true;
  const holds = new Set<Hold>();

  function hold(ms: number): void {
    let release: () => void = () => undefined;
    const over = new Promise<void>((resolve) => (release = resolve));
    const entry: Hold = { timer: undefined, over, release };
    entry.timer = timers.setTimeout(() => {
      holds.delete(entry);
      release();
    }, ms);
    holds.add(entry);
  }

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

    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        if (hurried || stopped() || ms <= 0) resolve();
        else {
          wake = resolve;
          waitTimer = timers.setTimeout(resolve, ms);
        }
      });
    const slot = async () => {
      while (inFlight >= concurrency) await new Promise<void>((resolve) => (slotFreed = resolve));
    };
    // A request in flight may have brought a Retry-After while this one waited for its turn.
    const held = async () => {
      while (holds.size > 0 && !hurried && !stopped()) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          void Promise.all([...holds].map((h) => h.over)).then(() => resolve());
        });
      }
    };

    async function go(): Promise<RoundResult> {
      const requests: Promise<void>[] = [];
      for (let i = 0; i < accounts.length; i++) {
        if (i > 0) await pause(stepMs);
        await slot();
        await held();
        if (stopped()) break;
        const account = accounts[i] as LabelValue;
        inFlight++;
        requests.push(
          options
            .ask(account, shutdown.signal)
            .then((asked) => {
              if (asked === "aborted") return;
              if (asked.outcome !== "success") failures.push(asked.outcome);
              const retryAfterMs = asked.retryAfterMs ?? 0;
              if (retryAfterMs > 0 && !stopped()) hold(Math.min(retryAfterMs, intervalMs));
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
      const ok = await options.end(accounts.length, failures);
      const step = accounts.length > 0 ? stepMs : options.emptyRetryMs;
      return { ok, intervalMs: step, outcome: failures.at(-1) ?? "success" };
    }

    return {
      done: go(),
      hurry() {
        hurried = true;
        timers.clearTimeout(waitTimer);
        wake?.();
      },
    };
  }

  // The next round's first request waits for any hold itself.
  const loop = createPollLoop({
    ...{ intervalMs, maxBackoffMs: options.maxBackoffMs, logger, timers, random: options.random },
    poll: () => {
      const round = run(spreadNext);
      spreadNext = true;
      current = round;
      void round.done.finally(() => {
        if (current === round) current = undefined;
      });
      return round.done;
    },
  });
  const outcomeOf = (result: RoundResult) => (result === "aborted" ? result : result.outcome);

  return {
    start: () => loop.start(),
    async roundNow() {
      if (current !== undefined) {
        current.hurry();
        return outcomeOf(await current.done);
      }
      // Only the round this call starts goes unspread, even when it joins one just ending.
      spreadNext = false;
      try {
        return outcomeOf(await loop.pollOnce());
      } finally {
        spreadNext = true;
      }
    },
    idle: () => loop.settled(),
    async stop() {
      shutdown.abort();
      for (const h of holds) {
        timers.clearTimeout(h.timer);
        h.release();
      }
      holds.clear();
      current?.hurry();
      await loop.stop();
    },
  };
}

import type { FetchResult, UpstreamClient } from "../../upstream/client.js";
import type { Exposition } from "../../metrics/rendering.js";
import type { Logger } from "../../logging/logger.js";
import type { ExporterMetrics } from "../../metrics/registry.js";
import type { Outcome } from "../../upstream/outcome.js";
import { JOBS_PATH, parsePayload, type JobsPayload, type PayloadLimits } from "./answer.js";
import { completed, createPollLoop, type Completed } from "../poll-loop.js";
import { systemScheduler, type Scheduler, type TimerHandle } from "../scheduler.js";
import { toSnapshot, type Snapshot } from "./snapshot.js";

export interface PollStatus {
  lastOutcome: Outcome | undefined;
  lastPollAtMs: number | undefined;
  lastSuccessAtMs: number | undefined;
  /** The last good snapshot; still shown after failures, flagged `stale` past the window. */
  snapshot: Snapshot | undefined;
  stale: boolean;
}

export interface PollerOptions {
  client: UpstreamClient;
  metrics: ExporterMetrics;
  exposition: Exposition;
  logger: Logger;
  intervalMs: number;
  maxBackoffMs: number;
  staleAfterMs: number;
  /** Bounds on one answer; beyond them it is refused as `limit_exceeded`. */
  limits?: PayloadLimits;
  /** Wall clock in Unix milliseconds. */
  now?: () => number;
  /** Monotonic milliseconds, for durations. */
  monotonic?: () => number;
  random?: () => number;
  /** Timers of the poll loop and the staleness window. */
  scheduler?: Scheduler;
  /** Called with each successful snapshot, after the metrics took it. */
  onSnapshot?: (snapshot: Snapshot) => void;
  /** Called after every completed poll, whatever its outcome. */
  onPolled?: (outcome: Outcome, durationSeconds: number, atMs: number) => void;
}

export interface Poller {
  /** Polls now, then keeps polling on its own schedule until stopped. */
  start(): void;
  /** One poll; joins the one in flight instead of starting a second. */
  pollOnce(): Promise<Outcome | "aborted">;
  /** Aborts the poll in flight and cancels every timer. */
  stop(): Promise<void>;
  status(): Readonly<PollStatus>;
}

/** Polls the jobs list: snapshot, metrics, rendering, staleness and the outcome log lines. */
export function createPoller(options: PollerOptions): Poller {
  const { client, metrics, exposition, logger, staleAfterMs } = options;
  const now = options.now ?? Date.now;
  const monotonic = options.monotonic ?? (() => performance.now());
  const scheduler = options.scheduler ?? systemScheduler;
  const { limits } = options;
  const parse = (body: unknown) => parsePayload(body, limits);

  const status: PollStatus = {
    lastOutcome: undefined,
    lastPollAtMs: undefined,
    lastSuccessAtMs: undefined,
    snapshot: undefined,
    stale: false,
  };
  let staleTimer: TimerHandle;

  async function poll(signal: AbortSignal): Promise<Completed | "aborted"> {
    const started = monotonic();
    const result = await client.get(JOBS_PATH, parse, signal);
    if (result.outcome === "aborted") return "aborted";
    const durationSeconds = (monotonic() - started) / 1000;
    const at = now();

    if (result.outcome === "success") {
      const snapshot = toSnapshot(result.payload, at);
      metrics.applySnapshot(snapshot);
      options.onSnapshot?.(snapshot);
      status.snapshot = snapshot;
      status.lastSuccessAtMs = at;
      status.stale = false;
      armStaleTimer();
    }
    metrics.recordPoll(result.outcome);
    options.onPolled?.(result.outcome, durationSeconds, at);
    // A failed rendering already serves up 0; the poll itself still counts and is reported.
    await exposition.refresh().catch((error: unknown) => {
      logger.error({ err: error }, "rendering metrics failed; /metrics says up 0");
    });
    report(result, durationSeconds);
    status.lastOutcome = result.outcome;
    status.lastPollAtMs = at;
    return completed(result);
  }

  function report(
    result: Exclude<FetchResult<JobsPayload>, { outcome: "aborted" }>,
    durationSeconds: number,
  ) {
    const accounts = status.snapshot?.accounts.length;
    const fields =
      result.outcome === "success"
        ? { outcome: result.outcome, accounts, durationSeconds }
        : { outcome: result.outcome, detail: result.detail, durationSeconds };
    logger.debug(fields, "poll finished");
    if (result.outcome === status.lastOutcome) return;
    if (result.outcome === "success") {
      logger.info({ outcome: result.outcome, accounts }, "polls of the upstream succeed");
    } else {
      logger.warn(
        { outcome: result.outcome, detail: result.detail },
        status.snapshot === undefined
          ? "polls of the upstream fail; no good values yet"
          : "polls of the upstream fail; serving the last good values",
      );
    }
  }

  function armStaleTimer() {
    scheduler.clearTimeout(staleTimer);
    staleTimer = scheduler.setTimeout(() => {
      status.stale = true;
      metrics.dropAccountSeries();
      logger.warn(
        {
          staleAfterSeconds: staleAfterMs / 1000,
          lastSuccessAt: new Date(status.lastSuccessAtMs ?? 0).toISOString(),
        },
        "no successful poll within the staleness window; per-account series dropped",
      );
      exposition.refresh().catch((error: unknown) => {
        logger.error({ err: error }, "rendering metrics failed");
      });
    }, staleAfterMs);
  }

  const loop = createPollLoop({
    intervalMs: options.intervalMs,
    maxBackoffMs: options.maxBackoffMs,
    logger,
    ...(options.random ? { random: options.random } : {}),
    scheduler,
    poll,
  });

  return {
    start: () => loop.start(),
    async pollOnce() {
      const result = await loop.pollOnce();
      return result === "aborted" ? result : result.outcome;
    },
    async stop() {
      scheduler.clearTimeout(staleTimer);
      await loop.stop();
      scheduler.clearTimeout(staleTimer);
    },
    status: () => status,
  };
}

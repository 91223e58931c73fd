import { nextDelayMs } from "./backoff.js";
import type { FetchResult, UpstreamClient } from "./client.js";
import type { Exposition } from "./exposition.js";
import type { Logger } from "./logger.js";
import type { ExporterMetrics } from "./metrics.js";
import type { Outcome } from "./outcome.js";
import { JOBS_PATH, parsePayload, type JobsPayload } from "./payload.js";
import { toSnapshot, type Snapshot } from "./snapshot.js";

export interface PollStatus {
  lastOutcome: Outcome | undefined;
  lastPollAtMs: number | undefined;
  lastSuccessAtMs: number | undefined;
  consecutiveFailures: number;
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
  /** Wall clock in Unix milliseconds. */
  now?: () => number;
  /** Monotonic milliseconds, for durations. */
  monotonic?: () => number;
  random?: () => number;
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

export function createPoller(options: PollerOptions): Poller {
  const { client, metrics, exposition, logger, intervalMs, maxBackoffMs, staleAfterMs } = options;
  const now = options.now ?? Date.now;
  const monotonic = options.monotonic ?? (() => performance.now());
  const random = options.random ?? Math.random;

  const status: PollStatus = {
    lastOutcome: undefined,
    lastPollAtMs: undefined,
    lastSuccessAtMs: undefined,
    consecutiveFailures: 0,
    snapshot: undefined,
    stale: false,
  };
  const shutdown = new AbortController();
  let inFlight: Promise<Outcome | "aborted"> | undefined;
  let nextPoll: NodeJS.Timeout | undefined;
  let staleTimer: NodeJS.Timeout | undefined;
  let lastRetryAfterMs: number | undefined;

  async function poll(): Promise<Outcome | "aborted"> {
    const started = monotonic();
    const result = await client.get(JOBS_PATH, parsePayload, shutdown.signal);
    if (result.outcome === "aborted") return "aborted";
    const durationSeconds = (monotonic() - started) / 1000;
    const at = now();

    if (result.outcome === "success") {
      const snapshot = toSnapshot(result.payload, at);
      metrics.applySnapshot(snapshot);
      status.snapshot = snapshot;
      status.lastSuccessAtMs = at;
      status.consecutiveFailures = 0;
      status.stale = false;
      lastRetryAfterMs = undefined;
      armStaleTimer();
    } else {
      status.consecutiveFailures++;
      lastRetryAfterMs = result.retryAfterMs;
    }
    metrics.recordPoll(result.outcome, durationSeconds, at);
    await exposition.refresh();
    report(result, durationSeconds);
    status.lastOutcome = result.outcome;
    status.lastPollAtMs = at;
    return result.outcome;
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
        "polls of the upstream fail; serving the last good values",
      );
    }
  }

  function armStaleTimer() {
    clearTimeout(staleTimer);
    staleTimer = setTimeout(() => {
      status.stale = true;
      metrics.dropAccountSeries();
      logger.warn(
        { staleAfterMs, lastSuccessAtMs: status.lastSuccessAtMs },
        "no successful poll within the staleness window; per-account series dropped",
      );
      exposition.refresh().catch((error: unknown) => {
        logger.error({ err: error }, "rendering metrics failed");
      });
    }, staleAfterMs);
  }

  function pollOnce(): Promise<Outcome | "aborted"> {
    inFlight ??= poll()
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

  const stopped = () => shutdown.signal.aborted;

  async function loop() {
    if (stopped()) return;
    await pollOnce();
    if (stopped()) return;
    const delay = nextDelayMs({
      consecutiveFailures: status.consecutiveFailures,
      intervalMs,
      maxBackoffMs,
      retryAfterMs: lastRetryAfterMs,
      random: random(),
    });
    logger.debug({ delayMs: delay }, "next poll scheduled");
    nextPoll = setTimeout(() => void loop(), delay);
  }

  return {
    start: () => void loop(),
    pollOnce,
    async stop() {
      shutdown.abort();
      clearTimeout(nextPoll);
      clearTimeout(staleTimer);
      await inFlight;
    },
    status: () => status,
  };
}

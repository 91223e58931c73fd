import { safeText } from "../../upstream/redaction.js";
import type { UpstreamClient } from "../../upstream/client.js";
import { isPlainJobId } from "../common/job-id.js";
import type { FinishedBatch, FinishedJob } from "../common/finished-jobs.js";
import { jobPath, parseJobStatus } from "./answer.js";
import type { Logger } from "../../logging/logger.js";
import type { Outcome } from "../../upstream/outcome.js";
import { systemTimers, type Timers, type TimerHandle } from "../../clock/clock.js";

export interface StatusResolverOptions {
  client: UpstreamClient;
  logger: Logger;
  /** Lookups running at once. */
  concurrency: number;
  /** Lookups started per second, at most. */
  ratePerSecond: number;
  /** Lookups of one job before it is given up as `unknown`. */
  maxAttempts: number;
  /** Wait before looking a job up again (it may still show `started` for a moment). */
  retryDelayMs: number;
  /** Jobs waiting at most; more are resolved as `unknown` at once. */
  maxQueued: number;
  monotonic?: () => number;
  /** `detail`: why a lookup failed, as the log has it (the landing page shows it). */
  onLookup: (outcome: Outcome, durationSeconds: number, atMs: number, detail?: string) => void;
  now?: () => number;
  /** Timers of the rate cap and the retries (the system's by default). */
  timers?: Timers;
}

export interface StatusResolver {
  /** Looks each job up; its batch's `settle` records the final status. */
  enqueue(batch: FinishedBatch): void;
  /** Jobs waiting or being looked up. */
  readonly pending: number;
  /** Resolves once nothing is pending, or once stop() has dropped what was (for tests). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

interface Entry {
  job: FinishedJob;
  settle: FinishedBatch["settle"];
  attempts: number;
}

/** Finished jobs looked up off the main poll: a bounded queue, limited concurrency, a rate cap. */
export function createStatusResolver(options: StatusResolverOptions): StatusResolver {
  const { client, logger, concurrency, maxAttempts, retryDelayMs, maxQueued } = options;
  const monotonic = options.monotonic ?? (() => performance.now());
  const now = options.now ?? Date.now;
  const timers = options.timers ?? systemTimers;
  const spacingMs = 1000 / options.ratePerSecond;
  const shutdown = new AbortController();
  const queue: Entry[] = [];
  let head = 0;
  let active = 0;
  let nextStartAt = 0;
  let pumpTimer: TimerHandle;
  const retryTimers = new Set<TimerHandle>(); // one per entry sleeping before a retry
  const running = new Set<Promise<void>>();
  let idleWaiters: (() => void)[] = [];

  const pendingCount = () => queue.length - head + active + retryTimers.size;

  function settleIdle() {
    if (pendingCount() > 0) return;
    for (const resolve of idleWaiters) resolve();
    idleWaiters = [];
  }

  /** A retry is queued whatever the bound: the bound is on new jobs waiting, not on work begun. */
  function push(entry: Entry, retry = false) {
    if (shutdown.signal.aborted) return; // stopped: nothing is queued that could never run
    // An odd ID (counted as an anomaly of the answer) is never put into a URL.
    if (!isPlainJobId(entry.job.jobId) || (!retry && queue.length - head >= maxQueued)) {
      entry.settle(entry.job, "unknown");
      return;
    }
    queue.push(entry);
    pump();
  }

  function pump() {
    if (shutdown.signal.aborted) return;
    while (active < concurrency && head < queue.length) {
      const wait = nextStartAt - monotonic();
      if (wait > 0) {
        if (pumpTimer === undefined) {
          pumpTimer = timers.setTimeout(() => {
            pumpTimer = undefined;
            pump();
          }, wait);
        }
        return;
      }
      const entry = queue[head++] as Entry;
      if (head > 1024 && head * 2 > queue.length) {
        queue.splice(0, head);
        head = 0;
      }
      nextStartAt = monotonic() + spacingMs;
      active++;
      const task = lookup(entry).finally(() => {
        active--;
        running.delete(task);
        pump();
        settleIdle();
      });
      running.add(task);
    }
  }

  async function lookup(entry: Entry): Promise<void> {
    entry.attempts++;
    const started = monotonic();
    const result = await client.get(jobPath(entry.job.jobId), parseJobStatus, shutdown.signal);
    // Stopped meanwhile: an answer that arrived just before the abort must not start a retry.
    if (result.outcome === "aborted" || shutdown.signal.aborted) return;
    const detail = result.outcome === "success" ? undefined : result.detail;
    options.onLookup(result.outcome, (monotonic() - started) / 1000, now(), detail);
    if (result.outcome === "success" && result.answer !== "started") {
      entry.settle(entry.job, result.answer);
      return;
    }
    if (entry.attempts >= maxAttempts) {
      // The account ID comes from an answer the client already redacted; it is only cut here.
      const account = safeText(entry.job.account, []);
      const fields = { account, attempts: entry.attempts, outcome: result.outcome };
      logger.debug(fields, "job status unresolved; counted as unknown");
      entry.settle(entry.job, "unknown");
      return;
    }
    const timer: TimerHandle = timers.setTimeout(() => {
      retryTimers.delete(timer);
      push(entry, true);
    }, retryDelayMs);
    retryTimers.add(timer);
  }

  return {
    enqueue(batch) {
      for (const job of batch.jobs) push({ job, settle: batch.settle, attempts: 0 });
    },
    get pending() {
      return pendingCount();
    },
    idle() {
      if (pendingCount() === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async stop() {
      shutdown.abort();
      timers.clearTimeout(pumpTimer);
      for (const timer of retryTimers) timers.clearTimeout(timer);
      retryTimers.clear();
      queue.length = 0; // what never ran is dropped, so idle() resolves after stop()
      head = 0;
      await Promise.all(running);
      settleIdle();
    },
  };
}

import type { FetchResult, UpstreamClient } from "../upstream/client.js";
import type { Logger } from "../logging/logger.js";
import type { Outcome } from "../upstream/outcome.js";
import type { SourceHealth, SourceStatus } from "./health.js";
import { completed, createPollLoop, type Completed } from "./poll-loop.js";
import { systemTimers, type Timers, type TimerHandle } from "../clock/clock.js";
import type { Source } from "./source.js";

export interface RunnerOptions<Answer> {
  source: Source<Answer>;
  client: UpstreamClient;
  health: SourceHealth;
  /** Renders /metrics again after each poll; a failed rendering already serves up 0. */
  refresh: () => Promise<void>;
  logger: Logger;
  maxBackoffMs: number;
  /** Drop the source's per-account series when no poll succeeded for this long; never if unset. */
  staleAfterMs?: number | undefined;
  /** Wall clock in Unix milliseconds. */
  now?: (() => number) | undefined;
  /** Monotonic milliseconds, for durations. */
  monotonic?: (() => number) | undefined;
  random?: (() => number) | undefined;
  /** Timers of the poll loop and the staleness window. */
  timers?: Timers | undefined;
}

export interface SourceRunner {
  /** Polls now, then keeps polling on the source's schedule until stopped. */
  start(): void;
  /** One poll; joins the one in flight instead of starting a second. */
  pollOnce(): Promise<Outcome | "aborted">;
  /** Resolves when the work in flight (a poll, a round) has ended; starts none. */
  idle(): Promise<void>;
  /** Aborts the poll in flight and cancels every timer. */
  stop(): Promise<void>;
  status(): Readonly<SourceStatus>;
}

/**
 * Polls one source: the shared schedule (poll-loop.ts), its health, its staleness window, and one
 * log line when its outcome changes (per-poll lines at debug).
 */
export function createSourceRunner<Answer>(options: RunnerOptions<Answer>): SourceRunner {
  const { source, client, health, refresh, logger, staleAfterMs } = options;
  const now = options.now ?? Date.now;
  const monotonic = options.monotonic ?? (() => performance.now());
  const timers = options.timers ?? systemTimers;
  const parse = (body: unknown) => source.parse(body);
  let staleTimer: TimerHandle;

  async function poll(signal: AbortSignal): Promise<Completed | "aborted"> {
    const started = monotonic();
    const result = await client.get(source.path, parse, signal);
    if (result.outcome === "aborted") return "aborted";
    const durationSeconds = (monotonic() - started) / 1000;
    const at = now();
    const before = { ...health.status(source.name) };
    const shown = result.outcome === "success" ? source.update(result.answer, at) : {};
    const detail = result.outcome === "success" ? undefined : result.detail;
    health.record(source.name, result.outcome, durationSeconds, at, detail);
    if (result.outcome === "success") armStaleTimer();
    await refresh().catch((error: unknown) => {
      logger.error({ err: error }, "rendering metrics failed; /metrics says up 0");
    });
    report(result, before, shown, durationSeconds);
    return completed(result);
  }

  function report(
    result: Exclude<FetchResult<Answer>, { outcome: "aborted" }>,
    before: SourceStatus,
    shown: Record<string, unknown>,
    durationSeconds: number,
  ) {
    const { outcome } = result;
    const detail = outcome === "success" ? {} : { detail: result.detail };
    logger.debug(
      { source: source.name, outcome, ...shown, ...detail, durationSeconds },
      "poll finished",
    );
    if (outcome === before.lastOutcome) return;
    if (outcome === "success") {
      logger.info({ source: source.name, outcome, ...shown }, `polls of ${source.title} succeed`);
    } else {
      logger.warn(
        { source: source.name, outcome, ...detail },
        before.lastSuccessAtMs === undefined
          ? `polls of ${source.title} fail; no good values yet`
          : `polls of ${source.title} fail; serving the last good values`,
      );
    }
  }

  function armStaleTimer() {
    if (staleAfterMs === undefined || source.drop === undefined) return;
    timers.clearTimeout(staleTimer);
    staleTimer = timers.setTimeout(() => {
      health.setStale(source.name, true);
      source.drop?.();
      logger.warn(
        {
          source: source.name,
          staleAfterSeconds: staleAfterMs / 1000,
          lastSuccessAt: new Date(health.status(source.name).lastSuccessAtMs ?? 0).toISOString(),
        },
        "no successful poll within the staleness window; per-account series dropped",
      );
      refresh().catch((error: unknown) => {
        logger.error({ err: error }, "rendering metrics failed");
      });
    }, staleAfterMs);
  }

  const loop = createPollLoop({
    intervalMs: source.intervalMs,
    maxBackoffMs: options.maxBackoffMs,
    logger,
    ...(options.random ? { random: options.random } : {}),
    timers,
    poll,
  });

  return {
    start: () => loop.start(),
    async pollOnce() {
      const result = await loop.pollOnce();
      return result === "aborted" ? result : result.outcome;
    },
    idle: () => loop.settled(),
    async stop() {
      timers.clearTimeout(staleTimer);
      await loop.stop();
      timers.clearTimeout(staleTimer);
    },
    status: () => health.status(source.name),
  };
}

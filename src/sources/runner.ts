import type { UpstreamClient } from "../upstream/client.js";
import type { Logger } from "../logging/logger.js";
import type { Outcome } from "../upstream/outcome.js";
import type { SourceHealth, SourceStatus } from "./health.js";
import { createPollLoop } from "./poll-loop.js";
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
  /** Wall clock (Unix ms), monotonic ms for durations, and the timers of the loop and staleness. */
  now?: (() => number) | undefined;
  monotonic?: (() => number) | undefined;
  random?: (() => number) | undefined;
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

/** Polls a source: the shared schedule, health, staleness, a log line when the outcome changes. */
export function createSourceRunner<Answer>(options: RunnerOptions<Answer>): SourceRunner {
  const { source, client, health, refresh, logger, staleAfterMs } = options;
  const now = options.now ?? Date.now;
  const monotonic = options.monotonic ?? (() => performance.now());
  const timers = options.timers ?? systemTimers;
  let staleTimer: TimerHandle;

  async function poll(signal: AbortSignal) {
    const started = monotonic();
    const result = await client.get(source.path, source.parse, signal);
    if (result.outcome === "aborted") return "aborted";
    const { outcome } = result;
    const ok = outcome === "success";
    const durationSeconds = (monotonic() - started) / 1000;
    const at = now();
    const before = { ...health.status(source.name) };
    const shown = ok ? source.update(result.answer, at) : {};
    const detail = ok ? undefined : result.detail;
    health.record(source.name, outcome, durationSeconds, at, detail);
    const failure = ok ? {} : { detail };
    if (ok) armStaleTimer();
    await refresh().catch((error: unknown) => {
      logger.error({ err: error }, "rendering metrics failed; /metrics says up 0");
    });
    const fields = { source: source.name, outcome };
    logger.debug({ ...fields, ...shown, ...failure, durationSeconds }, "poll finished");
    const changed = outcome !== before.lastOutcome;
    if (changed && ok) {
      logger.info({ ...fields, ...shown }, `polls of ${source.title} succeed`);
    } else if (changed) {
      logger.warn(
        { ...fields, ...failure },
        before.lastSuccessAtMs === undefined
          ? `polls of ${source.title} fail; no good values yet`
          : `polls of ${source.title} fail; serving the last good values`,
      );
    }
    return { ok, retryAfterMs: ok ? undefined : result.retryAfterMs, outcome };
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
    ...{ intervalMs: source.intervalMs, maxBackoffMs: options.maxBackoffMs, logger, timers, poll },
    random: options.random,
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

import type { Logger } from "../../logging/logger.js";
import type { AnomalyCount } from "../../metrics/anomalies.js";
import type { LabelValue } from "../../metrics/label-value.js";
import type { UpstreamClient } from "../../upstream/client.js";
import type { Outcome } from "../../upstream/outcome.js";
import type { SourceHealth } from "../health.js";
import type { Clock } from "../../clock/clock.js";
import type { SourceRunner } from "../runner.js";
import { CREDITS_ANOMALY_KINDS, creditsPath, parseCreditsAnswer } from "./answer.js";
import { createLedger, type Ledger } from "./ledger.js";
import { createRounds } from "./rounds.js";

export const CREDITS_SOURCE = "credits";

export interface CreditsSourceOptions {
  client: UpstreamClient;
  health: SourceHealth;
  logger: Logger;
  clock: Clock;
  intervalMs: number;
  concurrency: number;
  /** Until the next round when no account is known yet. */
  emptyRetryMs: number;
  /** The longest wait between rounds after rounds that left the source down. */
  maxBackoffMs: number;
  staleAfterMs: number;
  maxAccounts: number;
  /** Renders /metrics again once a round has ended; none by default. */
  refresh?: (() => Promise<void>) | undefined;
  /** The accounts to ask about, read as each round begins. */
  accounts: () => readonly LabelValue[];
  /** Counts the values of an answer its checks refuse; none by default. */
  countAnomaly?: AnomalyCount | undefined;
}

export interface CreditsSource {
  readonly ledger: Ledger;
  /** Started and stopped with the runners; pollOnce runs a round now (see Rounds.roundNow). */
  readonly runner: SourceRunner;
  idle(): Promise<void>;
}

/** GET /v1/minimax/features/?account=A for each account, in rounds over the interval. */
export function createCreditsSource(options: CreditsSourceOptions): CreditsSource {
  const { client, health, logger, clock, maxAccounts } = options;
  const ledger = createLedger({ staleAfterMs: options.staleAfterMs, now: clock.now });
  let capped = false;
  let failedBefore = 0;

  const accounts = () => {
    const all = options.accounts();
    if (all.length > maxAccounts !== capped) {
      capped = !capped;
      if (capped) {
        logger.warn(
          { source: CREDITS_SOURCE, accounts: all.length, maxAccounts },
          "more accounts than --useapi.max-accounts; credits asked for the first ones only",
        );
      }
    }
    return capped ? all.slice(0, maxAccounts) : all;
  };

  // The detail of the round's last failed call: why the source is down, on the landing page.
  let lastDetail: string | undefined;
  const end = async (count: number, failures: readonly Outcome[]) => {
    const failed = failures.length;
    logger.debug({ source: CREDITS_SOURCE, accounts: count, failed }, "credits round finished");
    if (failed > 0 && failed !== failedBefore) {
      const outcomes: Record<string, number> = {};
      for (const outcome of failures) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      logger.warn(
        { source: CREDITS_SOURCE, accounts: count, failed, outcomes },
        `credits requests fail for ${failed} of ${count} accounts; their series are dropped`,
      );
    } else if (failed === 0 && failedBefore > 0) {
      logger.info({ source: CREDITS_SOURCE, accounts: count }, "credits requests succeed again");
    }
    failedBefore = failed;
    const outcome = count > 0 ? roundOutcome(count, failures) : "success";
    const detail = outcome === "success" ? undefined : lastDetail;
    if (count > 0) health.settle(CREDITS_SOURCE, outcome, clock.now(), detail);
    // One rendering per round, not per call; a failed one already serves up 0 and is counted.
    await options.refresh?.().catch(() => undefined);
    return outcome === "success";
  };

  const rounds = createRounds({
    intervalMs: options.intervalMs,
    emptyRetryMs: options.emptyRetryMs,
    maxBackoffMs: options.maxBackoffMs,
    concurrency: options.concurrency,
    accounts,
    begin(list) {
      lastDetail = undefined;
      ledger.begin(list);
    },
    async ask(account, signal) {
      const started = clock.monotonic();
      const parse = (body: unknown) => parseCreditsAnswer(body, clock.now());
      const result = await client.get(creditsPath(account), parse, signal);
      if (result.outcome === "aborted") return "aborted";
      const seconds = (clock.monotonic() - started) / 1000;
      const at = clock.now();
      const credits = result.outcome === "success" ? result.answer : undefined;
      for (const kind of CREDITS_ANOMALY_KINDS)
        options.countAnomaly?.(kind, credits?.anomalies[kind] ?? 0);
      ledger.record(account, result.outcome, credits, at);
      health.request(CREDITS_SOURCE, result.outcome, seconds);
      if (result.outcome === "success") return { outcome: result.outcome };
      lastDetail = result.detail;
      logger.debug(
        { source: CREDITS_SOURCE, account, outcome: result.outcome, detail: result.detail },
        "credits request failed",
      );
      return { outcome: result.outcome, retryAfterMs: result.retryAfterMs };
    },
    end,
    timers: clock.timers,
    logger,
  });

  return {
    ledger,
    runner: {
      start: () => rounds.start(),
      pollOnce: () => rounds.roundNow(),
      idle: () => rounds.idle(),
      stop: () => rounds.stop(),
      status: () => health.status(CREDITS_SOURCE),
    },
    idle: () => rounds.idle(),
  };
}

/** Down on a 401 or 403 or if all `count` calls fail: an account's own 596 or 400 is its state. */
export function roundOutcome(count: number, failures: readonly Outcome[]): Outcome {
  if (failures.includes("unauthorized")) return "unauthorized";
  return failures.length >= count ? (failures.at(-1) ?? "success") : "success";
}

import { ACCOUNTS_PATH, parseAccounts } from "./answer.js";
import type { AccountMetrics } from "./families.js";
import type { UpstreamClient } from "../../upstream/client.js";
import type { Exposition } from "../../metrics/rendering.js";
import type { Logger } from "../../logging/logger.js";
import type { Outcome } from "../../upstream/outcome.js";
import { completed, createPollLoop, type Completed, type PollLoop } from "../poll-loop.js";
import type { Scheduler } from "../scheduler.js";
import type { SourceMetrics } from "../health.js";

export interface AccountsPollerOptions {
  client: UpstreamClient;
  metrics: AccountMetrics;
  sources: SourceMetrics;
  exposition: Exposition;
  logger: Logger;
  intervalMs: number;
  maxBackoffMs: number;
  now?: () => number;
  monotonic?: () => number;
  random?: () => number;
  /** Bound on the accounts of one answer (--useapi.max-accounts). */
  maxAccounts?: number;
  scheduler?: Scheduler;
}

/** Polls GET /v1/minimax/accounts on its own, slower schedule. */
export function createAccountsPoller(
  options: AccountsPollerOptions,
): PollLoop<Completed | "aborted"> {
  const { client, metrics, sources, exposition, logger } = options;
  const now = options.now ?? Date.now;
  const monotonic = options.monotonic ?? (() => performance.now());
  let lastOutcome: Outcome | undefined;
  let applied = false;

  async function poll(signal: AbortSignal): Promise<Completed | "aborted"> {
    const started = monotonic();
    const result = await client.get(
      ACCOUNTS_PATH,
      (body) => parseAccounts(body, options.maxAccounts),
      signal,
    );
    if (result.outcome === "aborted") return "aborted";
    if (result.outcome === "success") {
      metrics.apply(result.payload);
      applied = true;
    }
    sources.record("accounts", result.outcome, (monotonic() - started) / 1000, now());
    await exposition.refresh().catch((error: unknown) => {
      logger.error({ err: error }, "rendering metrics failed; /metrics says up 0");
    });
    if (result.outcome !== lastOutcome) {
      if (result.outcome === "success") {
        logger.info({ accounts: result.payload.length }, "polls of the accounts endpoint succeed");
      } else {
        logger.warn(
          { outcome: result.outcome, detail: result.detail },
          applied
            ? "polls of the accounts endpoint fail; serving the last good values"
            : "polls of the accounts endpoint fail; no good values yet",
        );
      }
    }
    lastOutcome = result.outcome;
    return completed(result);
  }

  return createPollLoop({
    intervalMs: options.intervalMs,
    maxBackoffMs: Math.max(options.maxBackoffMs, options.intervalMs),
    logger,
    ...(options.random ? { random: options.random } : {}),
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    poll,
  });
}

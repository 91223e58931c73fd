import { parseCount } from "../../config/values.js";
import { readInterval, staleWindowMs } from "../polled-module.js";
import { sourceFlag, type SourceModule } from "../module.js";
import { registerCreditsFamilies } from "./families.js";
import { creditsLanding } from "./landing.js";
import { CREDITS_ANOMALY_KINDS } from "./answer.js";
import { CREDITS_SOURCE, createCreditsSource } from "./source.js";

/** GET /v1/minimax/features/?account=A per account every --credits.interval; a round is a poll. */
export const creditsModule: SourceModule = {
  name: CREDITS_SOURCE,
  flags: [
    sourceFlag(
      "credits.interval",
      "5m",
      "Time over which GET /v1/minimax/features/ is called once per account; 0 turns it off.",
    ),
    sourceFlag("credits.concurrency", "2", "Credits requests running at once, at most."),
  ],
  off: ["--credits.interval=0"],
  anomalyKinds: CREDITS_ANOMALY_KINDS,
  configure(read) {
    const { common } = read;
    const intervalMs = readInterval(read, "credits.interval");
    if (intervalMs === 0) return undefined;
    const concurrency = parseCount(...read.value("credits.concurrency"), 64);
    const staleAfterMs = staleWindowMs(common, intervalMs);
    return {
      settings: { intervalSeconds: intervalMs / 1000, concurrency },
      start(context) {
        const source = createCreditsSource({
          ...{ client: context.client, health: context.health, logger: context.logger },
          clock: context.clock,
          ...{ intervalMs, concurrency, staleAfterMs, maxAccounts: common.limits.maxAccounts },
          ...{ emptyRetryMs: common.pollIntervalMs, maxBackoffMs: common.maxBackoffMs },
          accounts: () => context.channels.accounts.current(),
          refresh: () => context.refresh(),
          countAnomaly: context.countAnomaly,
        });
        registerCreditsFamilies(context.registry, () => source.ledger.fresh());
        return {
          landing: creditsLanding(source.ledger),
          runner: source.runner,
          idle: () => source.idle(),
        };
      },
    };
  },
};

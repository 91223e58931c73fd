import { polledModule } from "../polled-module.js";
import { USAGE_FAMILIES } from "./families.js";
import { usageLanding } from "./landing.js";
import { createUsageSource, USAGE_ANOMALY_KINDS } from "./source.js";

/** GET /v2/account/stats?bot=minimax: the requests useapi.net recorded, on its own interval. */
export const usageModule = polledModule({
  name: "usage",
  flag: [
    "usage.interval",
    "5m",
    "Time between polls of GET /v2/account/stats?bot=minimax (the requests useapi.net recorded); 0 turns them off.",
  ],
  families: USAGE_FAMILIES,
  anomalyKinds: USAGE_ANOMALY_KINDS,
  create(intervalMs, context) {
    const source = createUsageSource({
      intervalMs,
      countAnomaly: context.countAnomaly,
      logger: context.logger,
    });
    return { source, writers: source.writers, landing: () => usageLanding(source.snapshot()) };
  },
});

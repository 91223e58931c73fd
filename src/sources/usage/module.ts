import { polledModule } from "../polled-module.js";
import { usageLanding } from "./landing.js";
import { createUsageSource, USAGE_ANOMALY_KINDS } from "./source.js";

/** GET /v2/account/stats?bot=minimax: the requests useapi.net recorded, on its own interval. */
export const usageModule = polledModule(
  {
    name: "usage",
    flag: [
      "usage.interval",
      "5m",
      "Time between polls of GET /v2/account/stats?bot=minimax (the requests useapi.net recorded); 0 turns them off.",
    ],
    anomalyKinds: USAGE_ANOMALY_KINDS,
  },
  (intervalMs, context) => {
    const source = createUsageSource({
      registry: context.registry,
      intervalMs,
      countAnomaly: context.countAnomaly,
      logger: context.logger,
    });
    return { source, landing: () => usageLanding(source.snapshot()) };
  },
);

import { parseSourceInterval } from "../../config/values.js";
import type { SourceModule } from "../module.js";
import { USAGE_FAMILIES } from "./families.js";
import { usageLanding } from "./landing.js";
import { createUsageSource, USAGE_ANOMALY_KINDS } from "./source.js";

/** GET /v2/account/stats?bot=minimax: the requests useapi.net recorded, on its own interval. */
export const usageModule: SourceModule = {
  name: "usage",
  flags: [
    {
      name: "usage.interval",
      type: "string",
      default: "5m",
      help: "Time between polls of GET /v2/account/stats?bot=minimax (the requests useapi.net recorded); 0 turns them off.",
    },
  ],
  families: USAGE_FAMILIES,
  anomalyKinds: USAGE_ANOMALY_KINDS,
  configure(read) {
    const intervalMs = parseSourceInterval(
      ...read.value("usage.interval"),
      read.common.pollTimeoutMs,
    );
    if (intervalMs === 0) return undefined;
    return {
      settings: { intervalSeconds: intervalMs / 1000 },
      start(context) {
        const source = createUsageSource({
          intervalMs,
          countAnomaly: context.countAnomaly,
          logger: context.logger,
        });
        context.poll(source);
        return { writers: source.writers, landing: () => usageLanding(source.snapshot()) };
      },
    };
  },
};

import { parseSourceInterval } from "../../config/values.js";
import type { SourceModule } from "../module.js";
import { SUBSCRIPTION_ANOMALY_KINDS, SUBSCRIPTION_PATH } from "./answer.js";
import { SUBSCRIPTION_FAMILY_LIST } from "./families.js";
import { createSubscriptionSource } from "./source.js";

/** GET /v2/account on its own interval (--subscription.interval). */
export const subscriptionModule: SourceModule = {
  name: "subscription",
  flags: [
    {
      name: "subscription.interval",
      type: "string",
      default: "5m",
      help: `Time between polls of GET ${SUBSCRIPTION_PATH} (the useapi.net subscription); 0 turns them off.`,
    },
  ],
  families: SUBSCRIPTION_FAMILY_LIST,
  anomalyKinds: SUBSCRIPTION_ANOMALY_KINDS,
  configure(read) {
    const intervalMs = parseSourceInterval(
      ...read.value("subscription.interval"),
      read.common.pollTimeoutMs,
    );
    if (intervalMs === 0) return undefined;
    return {
      settings: { intervalSeconds: intervalMs / 1000 },
      start(context) {
        const source = createSubscriptionSource({
          intervalMs,
          countAnomaly: context.countAnomaly,
        });
        context.poll(source);
        return { writers: source.writers, landing: () => source.landing() };
      },
    };
  },
};

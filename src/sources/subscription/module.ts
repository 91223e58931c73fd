import { polledModule } from "../polled-module.js";
import { SUBSCRIPTION_ANOMALY_KINDS, SUBSCRIPTION_PATH } from "./answer.js";
import { createSubscriptionSource } from "./source.js";

/** GET /v2/account on its own interval (--subscription.interval). */
export const subscriptionModule = polledModule(
  {
    name: "subscription",
    flag: [
      "subscription.interval",
      "5m",
      `Time between polls of GET ${SUBSCRIPTION_PATH} (the useapi.net subscription); 0 turns them off.`,
    ],
    anomalyKinds: SUBSCRIPTION_ANOMALY_KINDS,
  },
  (intervalMs, context) => {
    const source = createSubscriptionSource({
      registry: context.registry,
      intervalMs,
      countAnomaly: context.countAnomaly,
      now: context.clock.now,
    });
    return { source, landing: () => source.landing() };
  },
);

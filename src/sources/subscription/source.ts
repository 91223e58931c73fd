import type { AnomalyCount } from "../../metrics/anomalies.js";
import type { Families } from "../../metrics/family.js";
import type { Source } from "../source.js";
import {
  parseSubscription,
  SUBSCRIPTION_ANOMALY_KINDS,
  SUBSCRIPTION_PATH,
  type SubscriptionAnswer,
} from "./answer.js";
import { registerSubscriptionFamilies } from "./families.js";
import { subscriptionLanding } from "./landing.js";

export interface SubscriptionSourceOptions {
  registry: Families;
  intervalMs: number;
  countAnomaly: AnomalyCount;
  /** The clock the answer's renewal day is checked against; the system's by default. */
  now?: (() => number) | undefined;
}

export interface SubscriptionSource extends Source<SubscriptionAnswer> {
  /** The last good answer as the landing page shows it; kept after its series are dropped. */
  landing(): string;
}

/** GET /v2/account: the useapi.net subscription and the accounts of each of its APIs. */
export function createSubscriptionSource(options: SubscriptionSourceOptions): SubscriptionSource {
  let last: { answer: SubscriptionAnswer; atMs: number } | undefined;
  let exported: SubscriptionAnswer | undefined;
  registerSubscriptionFamilies(options.registry, () => exported);
  return {
    name: "subscription",
    title: "the useapi.net subscription",
    path: SUBSCRIPTION_PATH,
    intervalMs: options.intervalMs,
    parse: (body) => parseSubscription(body, (options.now ?? Date.now)()),
    update(answer, nowMs) {
      last = { answer, atMs: nowMs };
      exported = answer;
      for (const kind of SUBSCRIPTION_ANOMALY_KINDS)
        options.countAnomaly(kind, answer.anomalies[kind]);
      return { active: answer.active, apis: answer.apis.length };
    },
    drop() {
      exported = undefined;
    },
    landing: () => subscriptionLanding(last?.answer, last?.atMs),
  };
}
